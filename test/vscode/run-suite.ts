// Runs the integration suite (test/vscode/suite) inside code-server 4.100.3, the way @vscode/test-electron
// runs it inside desktop VS Code: the extension under development and the tests index are passed in
// the workbench URL, headless chromium opens it, and the suite's console and exit code come back
// through the functions the workbench calls for automation.
//
// Usage: node out/test/vscode/run-suite.js   (after `npx tsc -p .` and `npm run build`)
// Env: SEQLENS_TEST_GREP (mocha grep), SEQLENS_METRICS_FILE (where the suite writes its timings),
//      SEQLENS_SUITE_TIMEOUT_MS (default 900000: a guard against a hung suite, not a speed limit).
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { openBrowser } from './harness/browser';
import { makeDirs, startCodeServer } from './harness/code-server';
import { handleBridgeLine } from './harness/ui-bridge';
import { copyFixtures, makeTempRoot, removeQuietly, repoRoot } from './harness/workspace';

async function main(): Promise<number> {
  const root = repoRoot();
  const testsIndex = path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js');
  for (const required of [path.join(root, 'dist', 'extension.js'), testsIndex]) {
    if (!existsSync(required)) throw new Error(`${required} is missing: run \`npm run build && npx tsc -p .\` first`);
  }
  const temp = makeTempRoot('seqlens-suite-');
  const workspace = copyFixtures(temp);
  const dirs = makeDirs(temp, {});
  const bridgeDir = path.join(temp, 'ui-bridge');
  mkdirSync(bridgeDir);
  const timeoutMs = Number(process.env.SEQLENS_SUITE_TIMEOUT_MS ?? 900_000);
  const started = Date.now();
  const server = await startCodeServer(dirs, {
    env: {
      SEQLENS_TEST_WORKSPACE: workspace,
      SEQLENS_METRICS_FILE: process.env.SEQLENS_METRICS_FILE ?? path.join(root, 'test-artifacts', 'editor-metrics.json'),
      SEQLENS_UI_BRIDGE_DIR: bridgeDir,
    },
  });
  const context = await openBrowser(path.join(temp, 'browser'));
  try {
    let finish!: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (finish = resolve));
    const page = context.pages()[0] ?? (await context.newPage());
    await context.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const parts = Array.isArray(args) ? args : [args];
      const line = format(...parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))));
      // A test asking for a person's action in the workbench (see harness/ui-bridge.ts).
      if (handleBridgeLine(page, line, bridgeDir)) return;
      process.stdout.write(line + '\n');
    });
    await context.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(testsIndex)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    page.on('pageerror', (error) => process.stderr.write(`[workbench] ${error.message}\n`));
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        process.stderr.write(`the suite did not finish within ${timeoutMs / 1000} s\n`);
        resolve(1);
      }, timeoutMs).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    process.stdout.write(`code-server suite finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return code;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    removeQuietly(temp);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
