import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, fixtureUri, lineOf, openFixture } from './helpers';

describe('Evaluate model CodeLens', () => {
  before(activateSeqLens);
  afterEach(closeAllEditors);

  it('sits above each nn.Module class and runs seqlens.evaluateModel with the class name', async () => {
    const editor = await openFixture('gru_input_size.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const evaluate = lenses.filter((lens) => lens.command?.command === 'seqlens.evaluateModel');
    assert.equal(evaluate.length, 1);
    assert.equal(evaluate[0].command?.title, 'Evaluate model');
    assert.equal(evaluate[0].range.start.line, lineOf(editor.document, 'class Encoder(nn.Module)'));
    assert.deepEqual(evaluate[0].command?.arguments?.[1], 'Encoder');
  });

  it('contributes every command under the SeqLens category', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['seqlens.evaluateModel', 'seqlens.showRuleDocs', 'seqlens.showLog']) assert.ok(commands.includes(command), command);
    const manifest = vscode.extensions.getExtension('seqlens.seqlens')!.packageJSON as { contributes: { commands: { category: string }[] } };
    assert.ok(manifest.contributes.commands.every((command) => command.category === 'SeqLens'));
  });
});

describe('Evaluate model command', () => {
  before(activateSeqLens);

  it('runs `seqlens eval` in a child process on the chosen predictions file', async () => {
    const outcome = await vscode.commands.executeCommand<{ exitCode: number; stdout: string; stderr: string }>(
      'seqlens.evaluateModel',
      fixtureUri('gru_input_size.py'),
      'Encoder',
      fixtureUri('predictions.csv'),
    );
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.match(outcome.stdout, /accuracy/);
  });

  it('reports a predictions file it cannot read instead of failing silently', async () => {
    const outcome = await vscode.commands.executeCommand<{ exitCode: number; stdout: string; stderr: string }>(
      'seqlens.evaluateModel',
      fixtureUri('gru_input_size.py'),
      'Encoder',
      fixtureUri('suppressed.py'),
    );
    assert.notEqual(outcome.exitCode, 0);
    assert.match(outcome.stderr, /suppressed\.py/);
  });
});
