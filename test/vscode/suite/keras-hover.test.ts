import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, hoverText, openFixture, positionOf } from './helpers';

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
}

describe('Keras hovers', () => {
  before(activateSeqLens);
  afterEach(closeAllEditors);

  it('over a Keras layer show its output shape as Keras prints it', async () => {
    const editor = await openFixture('keras_stacked_lstm.py');
    const text = hoverText(await hoverAt(editor.document.uri, positionOf(editor.document, 'layers.LSTM(32', 8)));
    assert.match(text, /return_sequences/);
    assert.match(text, /\(None, 10, 64\) → \(None, 10, 32\)/);
  });

  it('over model.output_shape show the shape and the model.summary() table', async () => {
    const editor = await openFixture('keras_stacked_lstm.py');
    const text = hoverText(await hoverAt(editor.document.uri, positionOf(editor.document, 'output_shape', 3)));
    assert.match(text, /\(None, 1\)/);
    assert.match(text, /LSTM \| `\(None, 16\)`/);
  });
});
