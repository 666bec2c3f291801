import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, codeOf, fixtureUri, hasCode, waitForDiagnostics } from './helpers';

describe('Notebooks', () => {
  let notebook: vscode.NotebookDocument;
  // Opened once: re-showing a notebook whose editor was closed can hang in code-server 4.100.
  before(async () => {
    await activateSeqLens();
    notebook = await vscode.workspace.openNotebookDocument(fixtureUri('model_across_cells.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
  });
  after(closeAllEditors);

  it('check a cell against a model defined in an earlier cell, with the diagnostic on the using cell', async () => {
    const [definingCell, markdownCell, usingCell] = notebook.getCells();
    assert.equal(markdownCell.kind, vscode.NotebookCellKind.Markup);
    assert.equal(usingCell.document.uri.scheme, 'vscode-notebook-cell');

    const diagnostics = await waitForDiagnostics(usingCell.document.uri, hasCode('SL101'));
    const sl101 = diagnostics.find((d) => codeOf(d) === 'SL101')!;
    assert.equal(sl101.range.start.line, 1, 'on `out, h_n = gru(x)`, the second line of its cell');
    assert.match(sl101.message, /50/);
    assert.deepEqual(vscode.languages.getDiagnostics(definingCell.document.uri).filter((d) => d.source === 'SeqLens'), []);
    const related = sl101.relatedInformation ?? [];
    assert.ok(
      related.some((info) => info.location.uri.toString() === definingCell.document.uri.toString() && info.location.range.start.line === 3),
      `related information points at nn.GRU in the first cell: ${JSON.stringify(related.map((r) => [r.location.uri.toString(), r.location.range.start.line]))}`,
    );
  });

  it('re-checks the using cell when the defining cell is edited', async () => {
    const [definingCell, , usingCell] = notebook.getCells();
    await waitForDiagnostics(usingCell.document.uri, hasCode('SL101'));
    const replaceInputSize = async (from: string, to: string) => {
      const start = definingCell.document.positionAt(definingCell.document.getText().indexOf(`input_size=${from}`) + 'input_size='.length);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(definingCell.document.uri, new vscode.Range(start, start.translate(0, from.length)), to);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    await replaceInputSize('50', '100');
    await waitForDiagnostics(usingCell.document.uri, (d) => !hasCode('SL101')(d));
    await replaceInputSize('100', '50');
    await waitForDiagnostics(usingCell.document.uri, hasCode('SL101'));
  });
});
