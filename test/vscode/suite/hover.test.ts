import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, codeOf, hasCode, hoverText, openFixture, positionOf, waitForDiagnostics } from './helpers';

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
}

describe('Hovers', () => {
  before(activateSeqLens);
  afterEach(closeAllEditors);

  it('over nn.GRU( explains the arguments and shows the shapes with this call’s numbers', async () => {
    const editor = await openFixture('gru_input_size.py');
    const text = hoverText(await hoverAt(editor.document.uri, positionOf(editor.document, 'nn.GRU(input_size=50', 4)));
    assert.match(text, /input_size/);
    assert.match(text, /hidden_size/);
    assert.match(text, /50/);
    assert.match(text, /100/);
    assert.match(text, /\(.*50.*\)/, 'an input shape with 50 features per step');
  });

  it('over a tensor variable shows its inferred shape', async () => {
    const editor = await openFixture('gru_input_size.py');
    const text = hoverText(await hoverAt(editor.document.uri, positionOf(editor.document, 'x = torch.randn(32, 10, 100)')));
    assert.match(text, /32/);
    assert.match(text, /10/);
    assert.match(text, /100/);
  });

  it('over a diagnostic explains the rule and names its fix', async () => {
    const editor = await openFixture('gru_input_size.py');
    const [diagnostic] = (await waitForDiagnostics(editor.document.uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const text = hoverText(await hoverAt(editor.document.uri, diagnostic.range.start));
    assert.match(text, /SL101 rnn-input-size-mismatch/);
    assert.match(text, /\*Fix:\*/);
    assert.match(text, /command:seqlens\.showRuleDocs/);
  });

  it('returns no hover at all where there is nothing to explain', async () => {
    const editor = await openFixture('gru_input_size.py');
    const hovers = await hoverAt(editor.document.uri, positionOf(editor.document, 'import torch'));
    assert.deepEqual(hovers.map((h) => hoverText([h])), []);
  });
});
