import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, lineOf, openFixture, setSetting } from './helpers';

async function hintsIn(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, whole);
}

function label(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

describe('Inlay hints', () => {
  before(activateSeqLens);
  afterEach(async () => {
    await setSetting('inlayHints.enabled', undefined);
    await closeAllEditors();
  });

  it('show the inferred shape at the end of a tensor assignment', async () => {
    const editor = await openFixture('gru_input_size.py');
    const document = editor.document;
    const line = lineOf(document, 'x = torch.randn(32, 10, 100)');
    const hints = (await hintsIn(document)).filter((hint) => hint.position.line === line);
    assert.equal(hints.length, 1, JSON.stringify((await hintsIn(document)).map((h) => [h.position.line, label(h)])));
    assert.match(label(hints[0]), /32, 10, 100/);
    assert.equal(hints[0].position.character, document.lineAt(line).text.length);
  });

  it('are switched off by seqlens.inlayHints.enabled', async () => {
    const editor = await openFixture('gru_input_size.py');
    assert.ok((await hintsIn(editor.document)).length > 0);
    await setSetting('inlayHints.enabled', false);
    assert.deepEqual(await hintsIn(editor.document), []);
  });
});
