// Runs the integration suite in a desktop VS Code downloaded by @vscode/test-electron, on machines
// that can reach its download host. (Where they cannot, run-suite.ts runs the same suite in code-server.)
//
// Usage: node out/test/vscode/run-suite-electron.js   (after `npx tsc -p .` and `npm run build`)
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyFixtures, makeTempRoot, removeQuietly, repoRoot } from './harness/workspace';

async function main(): Promise<number> {
  const root = repoRoot();
  const temp = makeTempRoot('seqlens-electron-');
  const workspace = copyFixtures(temp);
  try {
    return await runTests({
      version: process.env.SEQLENS_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'vscode', 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(temp, 'user-data')],
      extensionTestsEnv: {
        SEQLENS_TEST_WORKSPACE: workspace,
        SEQLENS_METRICS_FILE: process.env.SEQLENS_METRICS_FILE ?? path.join(root, 'test-artifacts', 'editor-metrics.json'),
      },
    });
  } finally {
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
