import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, openFixture, repoRoot, workspaceRoot } from './helpers';
import { answerQuickInput, bridgeAvailable, runFromPalette, webviewTexts } from './ui-bridge';

type Outcome = { exitCode: number | null; stderr: string; check?: { className: string; rows: { layer: string; real: string; match: boolean }[]; mismatches: number }; commandToRenderedMs?: number };

describe('Verify Shapes', () => {
  before(activateSeqLens);
  after(closeAllEditors);

  it('runs from the palette on the active PyTorch model and lists each layer\'s real output shape beside the inferred one in the panel', async function () {
    if (!bridgeAvailable()) this.skip();
    this.timeout(120_000);
    await closeAllEditors();
    await openFixture('gru_classifier.py');
    await runFromPalette('SeqLens: Verify Shapes');
    const layers = await webviewTexts('section.shape-check tbody th.layer', 60_000);
    assert.deepEqual(layers, ['embedded = self.embedding(x)', 'out = self.gru(embedded)', 'last = out[:, -1, :]', 'logits = self.fc(last)']);
    // Embedding(100, 16) → GRU(16, 24, batch_first) → last step → Linear(24, 4), on a dummy batch of 3 × 13.
    assert.deepEqual(await webviewTexts('section.shape-check tbody td.real'), ['(3, 13, 16)', '(3, 13, 24)', '(3, 24)', '(3, 4)']);
    assert.deepEqual(await webviewTexts('section.shape-check tbody td.inferred'), ['(x.size(0), x.size(1), 16)', '(B, T, 24)', '(B, 24)', '(B, 4)']);
    assert.deepEqual(await webviewTexts('section.shape-check tbody td.verdict'), ['ok', 'ok', 'ok', 'ok']);
    assert.deepEqual(await webviewTexts('section.shape-check .shape-verdict'), ['Every inferred shape matches the real one.']);
  });

  it('runs from the model class\'s Verify shapes lens and returns the check once the panel has drawn it', async () => {
    const editor = await openFixture('gru_classifier.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const lens = lenses.find((l) => l.command?.command === 'seqlens.verifyShapes');
    assert.ok(lens?.command?.arguments, 'the PyTorch class has a Verify shapes lens');
    const outcome = await vscode.commands.executeCommand<Outcome>(lens.command.command, ...lens.command.arguments);
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.check?.className, 'GRUClassifier');
    assert.deepEqual(outcome.check?.rows.map((r) => r.real), ['(3, 13, 16)', '(3, 13, 24)', '(3, 24)', '(3, 4)']);
    assert.equal(outcome.check?.mismatches, 0);
    assert.ok(typeof outcome.commandToRenderedMs === 'number', 'the panel reported its render');
  });

  it('asks in an input box for the constructor values that neither the file nor weights give, and checks the model built with them', async function () {
    if (!bridgeAvailable()) this.skip();
    this.timeout(120_000);
    await closeAllEditors();
    // The model alone, without the state dict that would give its sizes.
    const name = 'gru_layers_from_weights.py';
    copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'models', 'torch', 'sizes', name), path.join(workspaceRoot(), name));
    const uri = vscode.Uri.file(path.join(workspaceRoot(), name));
    const running = vscode.commands.executeCommand<Outcome>('seqlens.verifyShapes', uri, 'StackedGRU');
    await answerQuickInput('input_size=5,hidden_size=9,num_layers=2,n_classes=4');
    const outcome = await running;
    assert.equal(outcome.exitCode, 0, outcome.stderr);
    assert.equal(outcome.check?.className, 'StackedGRU');
    assert.equal(outcome.check?.rows.at(-1)?.real, '(3, 4)');
    assert.equal(outcome.check?.mismatches, 0);
  });
});
