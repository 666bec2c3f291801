import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateSeqLens, closeAllEditors, openFixture, recordMetric, workspaceRoot } from './helpers';
import { answerQuickInput, bridgeAvailable, runFromPalette, screenshot, webviewTexts } from './ui-bridge';

type Outcome = { exitCode: number; stdout: string; stderr: string; run?: { n: number; task: string; rerun?: string[] }; commandToRenderedMs?: number; evaluationMs?: number };

function repoRoot(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

/** Copies a bundled example prediction set into the test workspace. */
function example(name: string): vscode.Uri {
  const target = path.join(workspaceRoot(), name);
  if (!existsSync(target)) copyFileSync(path.join(repoRoot(), 'test', 'examples', 'predictions', name), target);
  return vscode.Uri.file(target);
}

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Evaluation:'));
}

describe('Evaluation panel', () => {
  before(activateSeqLens);
  after(closeAllEditors);

  it('runs from the palette on the predictions file in the active editor and shows its counts and the accuracy-paradox warning beside it', async function () {
    if (!bridgeAvailable()) this.skip();
    this.timeout(120_000);
    await closeAllEditors();
    const csv = example('spam_accuracy_paradox.csv');
    await openFixture('spam_accuracy_paradox.csv');
    await runFromPalette('SeqLens: Evaluate Model');
    const cells = await webviewTexts('table.matrix td.cell .value', 60_000);
    assert.deepEqual(cells, ['9,776', '24', '176', '24']);
    const [paradox] = await webviewTexts('.warning[data-code="SLE101"]');
    assert.match(paradox, /accuracy-paradox/);
    assert.match(paradox, /recall of 'spam' is 12\.0%/);
    assert.match(paradox, /What to try/);
    const [file] = await webviewTexts('h1 .file');
    assert.equal(file, path.basename(csv.fsPath));
    // Beside the editor: the panel sits in another editor group than the CSV.
    const [tab] = panelTabs();
    assert.ok(tab, 'an evaluation panel tab is open');
    const csvGroup = vscode.window.tabGroups.all.find((group) => group.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === csv.fsPath));
    assert.notEqual(tab.group, csvGroup);
    await vscode.commands.executeCommand('notifications.clearAll');
    const shot = path.join(repoRoot(), 'test-artifacts', 'vscode-evaluation-panel.png');
    await screenshot(shot);
    assert.ok(statSync(shot).size > 10_000);
  });

  it('evaluates a file passed to the command and returns once the panel has drawn it', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('seqlens.evaluateModel', undefined, undefined, example('intents_20_classes.csv'));
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.run?.task, 'classification');
    assert.equal(outcome.run?.n, 3000);
    assert.ok(typeof outcome.commandToRenderedMs === 'number', 'the panel reported its first render');
    assert.equal(panelTabs().length, 1, 'one panel, reused');
  });

  it('from a model\'s CodeLens, runs the model on a dataset picked in the workbench and shows its evaluation', async function () {
    if (!bridgeAvailable()) this.skip();
    this.timeout(120_000);
    await closeAllEditors();
    const fixtures = path.join(repoRoot(), 'test', 'fixtures', 'models', 'torch');
    for (const name of ['gru_last_step.py', 'gru_last_step.safetensors', 'gru_last_step.inputs.npy', 'gru_last_step.labels.npy']) {
      copyFileSync(path.join(fixtures, name), path.join(workspaceRoot(), name));
    }
    const editor = await openFixture('gru_last_step.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lens = lenses.find((l) => l.command?.command === 'seqlens.evaluateModel');
    assert.ok(lens?.command?.arguments, 'the model class has an Evaluate model lens');
    const running = vscode.commands.executeCommand<Outcome>(lens.command.command, ...lens.command.arguments);
    await answerQuickInput('Run GRULastStep', 'on a dataset');
    // The weights beside the model are used without asking; the dataset comes from the file dialog.
    await answerQuickInput(path.join(workspaceRoot(), 'gru_last_step.inputs.npy'));
    const outcome = await running;
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.run?.task, 'classification');
    assert.equal(outcome.run?.n, 16);
    assert.equal(outcome.run?.rerun?.[0], '--model');
    const counts = await webviewTexts('table.matrix td.cell .value');
    assert.equal(counts.map((c) => Number(c.replace(/,/g, ''))).reduce((a, b) => a + b, 0), 16);
  });

  it('evaluates from the Explorer context menu command with the clicked file', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('seqlens.evaluatePredictions', example('sensor_forecast_regression.csv'));
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.run?.task, 'regression');
    assert.ok(typeof outcome.commandToRenderedMs === 'number');
  });
});

// `npm run bench` (test/bench/panel.bench.mjs) sets SEQLENS_PANEL_BENCH_FILES; otherwise this is skipped.
describe('Panel benchmark', () => {
  before(activateSeqLens);

  it('times the command to a rendered panel', async function () {
    const files = (process.env.SEQLENS_PANEL_BENCH_FILES ?? '').split(path.delimiter).filter(Boolean);
    if (files.length === 0) this.skip();
    this.timeout(600_000);
    for (const file of files) {
      // Each time from a closed panel, as a person starts: the webview's creation and load count too.
      const times: number[] = [];
      const children: number[] = [];
      let outcome!: Outcome;
      for (let attempt = 0; attempt < 3; attempt++) {
        await closeAllEditors();
        outcome = await vscode.commands.executeCommand<Outcome>('seqlens.evaluateModel', undefined, undefined, vscode.Uri.file(file));
        assert.equal(outcome.exitCode, 0, outcome.stderr);
        assert.ok(outcome.commandToRenderedMs !== undefined, 'the panel reported its first render');
        times.push(outcome.commandToRenderedMs);
        children.push(outcome.evaluationMs ?? NaN);
      }
      recordMetric(`panel: child process, ${path.basename(file)}`, children.sort((a, b) => a - b)[1], 'ms');
      recordMetric(`panel: command to rendered, ${path.basename(file)}`, times.sort((a, b) => a - b)[1], 'ms');
      recordMetric(`panel: data sent to the webview, ${path.basename(file)}`, Buffer.byteLength(outcome.stdout) / 1024, 'KB');
    }
  });
});
