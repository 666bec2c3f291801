// The extension host's side of harness/ui-bridge.ts: ask the runner's browser to act on the workbench.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const PREFIX = '[seqlens-ui] ';
let counter = 0;

export function bridgeAvailable(): boolean {
  return Boolean(process.env.SEQLENS_UI_BRIDGE_DIR);
}

async function request<T>(action: Record<string, unknown>, timeoutMs = 60_000): Promise<T> {
  const dir = process.env.SEQLENS_UI_BRIDGE_DIR;
  if (!dir) throw new Error('no UI bridge: run the suite with `npm run test:vscode`');
  const id = `${process.pid}-${++counter}`;
  console.log(`${PREFIX}${JSON.stringify({ id, ...action })}`);
  const file = path.join(dir, `${id}.json`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the workbench did not answer ${JSON.stringify(action)} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the writer finish
  const answer = JSON.parse(readFileSync(file, 'utf8')) as { result?: T; error?: string };
  if (answer.error !== undefined) throw new Error(`workbench: ${answer.error}`);
  return answer.result as T;
}

/** Runs a command from the command palette (F1, its title, Enter), as a person does. */
export function runFromPalette(title: string): Promise<boolean> {
  return request({ action: 'runCommand', title });
}

/**
 * The text of every element matching `selector` inside the newest webview, once the first is visible
 * (or only in the page, with `attached`: e.g. a bar of height 0 in a chart).
 */
export function webviewTexts(selector: string, timeoutMs = 30_000, attached = false): Promise<string[]> {
  return request({ action: 'webviewText', selector, timeoutMs, attached }, timeoutMs + 10_000);
}

/** Clicks the first element matching `selector` inside the newest webview, as a person would. */
export function webviewClick(selector: string, timeoutMs = 30_000): Promise<boolean> {
  return request({ action: 'webviewClick', selector, timeoutMs }, timeoutMs + 10_000);
}

export function screenshot(file: string): Promise<string> {
  return request({ action: 'screenshot', file });
}

/** Types into the open quick input and presses Enter (on the row containing `row`, when given). */
export function answerQuickInput(text: string, row?: string): Promise<boolean> {
  return request({ action: 'quickInput', text, row });
}

/** What the open quick input shows (its title and typed value), or that none is open. */
export function describeQuickInput(): Promise<{ visible: boolean; title: string | null; value: string | null }> {
  return request({ action: 'describeQuickInput' });
}

/** Closes any open quick input with Escape; how many were closed. */
export function dismissQuickInput(): Promise<number> {
  return request({ action: 'dismissQuickInput' });
}
