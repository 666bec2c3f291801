// The standard test-electron tests index: VS Code (desktop or code-server) loads this file in the
// extension host and awaits run(). Mocha comes from the extension's own node_modules.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.SEQLENS_TEST_GREP) mocha.grep(process.env.SEQLENS_TEST_GREP);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // The closing line CI reads, whichever launcher forwarded the console.
        console.log(`vscode: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (passes === 0) reject(new Error('no test ran'));
        else resolve();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
