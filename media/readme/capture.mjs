// Regenerates media/readme/panel.png, the README's picture of the evaluation panel beside a model:
// a person clicks "Evaluate model" above the class, picks the predictions file, and looks at the
// matrix. Uses the integration suite's harness (compile it first: `npx tsc -p . && npm run build`).
//   node media/readme/capture.mjs
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const { openBrowser } = require(join(root, 'out/test/vscode/harness/browser.js'));
const { makeDirs, startCodeServer } = require(join(root, 'out/test/vscode/harness/code-server.js'));
const { makeTempRoot, removeQuietly } = require(join(root, 'out/test/vscode/harness/workspace.js'));

const temp = makeTempRoot('seqlens-readme-');
const workspace = join(temp, 'spam-filter');
mkdirSync(workspace);
writeFileSync(join(workspace, 'spam_lstm.py'), readFileSync(join(root, 'test/examples/sentiment_lstm.py'), 'utf8')
  .replace(/^# oracle.*\n/gm, '').replace(/Sentiment classifier/g, 'Spam filter').replace(/SentimentLSTM/g, 'SpamLSTM'));
copyFileSync(join(root, 'test/examples/predictions/spam_accuracy_paradox.csv'), join(workspace, 'spam_accuracy_paradox.csv'));
const dirs = makeDirs(temp, { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false, 'workbench.editor.enablePreview': false, 'breadcrumbs.enabled': false });
const server = await startCodeServer(dirs, { folder: workspace });
const browser = await openBrowser(join(temp, 'browser'));
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.setViewportSize({ width: 1500, height: 860 });
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${root}`], ['skipWelcome', 'true']];
  await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'spam_lstm.py' }).click({ timeout: 60_000 });
  await page.keyboard.press('Control+B'); // more room: hide the side bar
  const lens = page.locator('.codelens-decoration a', { hasText: 'Evaluate model' }).first();
  await lens.waitFor({ timeout: 60_000 });
  await lens.click();
  await page.locator('.quick-input-widget input').fill('spam_accuracy');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'spam_accuracy_paradox.csv' }).first().click({ timeout: 30_000 });
  const panel = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await panel.locator('td.cell[data-truth="1"][data-predicted="0"]').click({ timeout: 60_000 });
  await panel.locator('section.samples tbody tr').first().waitFor();
  await panel.locator('.matrix-section h2').evaluate((element) => element.scrollIntoView({ block: 'start' }));
  await page.mouse.move(5, 5);
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(root, 'media/readme/panel.png') });
  console.log('wrote media/readme/panel.png');
} finally {
  await browser.close().catch(() => undefined);
  await server.stop();
  removeQuietly(temp);
}
