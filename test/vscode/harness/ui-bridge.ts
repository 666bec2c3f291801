// Lets a test running inside the extension host act on the workbench as a person would (the command
// palette, reading a webview's DOM, screenshots), which only the browser driving the page can do.
// The test logs a request line; the runner, which receives the extension host's console, performs it
// with playwright and writes the answer to a file the test waits for.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export const BRIDGE_PREFIX = '[seqlens-ui] ';

export type BridgeRequest =
  | { id: string; action: 'runCommand'; title: string }
  | { id: string; action: 'webviewText'; selector: string; timeoutMs?: number; attached?: boolean }
  | { id: string; action: 'webviewClick'; selector: string; timeoutMs?: number }
  | { id: string; action: 'screenshot'; file: string }
  | { id: string; action: 'quickInput'; text: string; row?: string }
  | { id: string; action: 'describeQuickInput' }
  | { id: string; action: 'dismissQuickInput' };

/** The innermost frame of the most recently opened webview. */
function webview(page: Page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function perform(page: Page, request: BridgeRequest): Promise<unknown> {
  switch (request.action) {
    case 'runCommand': {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${request.title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: request.title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return true;
    }
    case 'webviewText': {
      const found = webview(page).locator(request.selector);
      await found.first().waitFor({ state: request.attached ? 'attached' : 'visible', timeout: request.timeoutMs ?? 30_000 });
      return found.allTextContents();
    }
    case 'webviewClick': {
      const target = webview(page).locator(request.selector).first();
      await target.waitFor({ timeout: request.timeoutMs ?? 30_000 });
      await target.click();
      return true;
    }
    case 'quickInput': {
      // Types into the open quick input (a quick pick, or the file dialog of the web workbench) and
      // accepts: the row containing `row` when given, else what was typed.
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 20_000 });
      const title = page.locator('.quick-input-widget .quick-input-title');
      const titleText = async () => (await title.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
      const asked = await titleText();
      await input.fill(request.text);
      if (request.row) await page.locator('.quick-input-list .monaco-list-row', { hasText: request.row }).first().waitFor({ timeout: 20_000 });
      else await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      if (!request.row) {
        // The web workbench's file dialog may still be reading the folder when Enter comes, and then stays open,
        // sometimes with the path it typed back over ours: while the same dialog is open, type the path again and
        // accept again, as a person would (another input in its place ends the loop).
        for (let tries = 0; tries < 80; tries++) {
          await page.waitForTimeout(250);
          if (!(await input.isVisible().catch(() => false)) || (await titleText()) !== asked) break;
          if ((await input.inputValue().catch(() => '')) !== request.text) await input.fill(request.text).catch(() => undefined);
          await page.keyboard.press('Enter');
        }
      }
      return true;
    }
    case 'dismissQuickInput': {
      // Escape, as a person would, until no quick input (a quick pick, an input box, the file dialog) is open.
      const input = page.locator('.quick-input-widget input');
      let pressed = 0;
      while (pressed < 5 && (await input.isVisible().catch(() => false))) {
        await page.keyboard.press('Escape');
        pressed++;
        await page.waitForTimeout(200);
      }
      return pressed;
    }
    case 'describeQuickInput': {
      const input = page.locator('.quick-input-widget input');
      const visible = await input.isVisible().catch(() => false);
      return {
        visible,
        title: visible ? await page.locator('.quick-input-widget .quick-input-title').textContent({ timeout: 1_000 }).catch(() => null) : null,
        value: visible ? await input.inputValue().catch(() => null) : null,
      };
    }
    case 'screenshot':
      mkdirSync(path.dirname(request.file), { recursive: true });
      await page.screenshot({ path: request.file });
      return request.file;
  }
}

/** Handles one console line from the extension host if it is a bridge request. */
export function handleBridgeLine(page: Page, line: string, dir: string): boolean {
  if (!line.startsWith(BRIDGE_PREFIX)) return false;
  const request = JSON.parse(line.slice(BRIDGE_PREFIX.length)) as BridgeRequest;
  perform(page, request).then(
    (result) => writeFileSync(path.join(dir, `${request.id}.json`), JSON.stringify({ result })),
    (error: unknown) => writeFileSync(path.join(dir, `${request.id}.json`), JSON.stringify({ error: error instanceof Error ? error.message : String(error) })),
  );
  return true;
}
