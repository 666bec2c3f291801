import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, codeOf, hasCode, openFixture, waitForDiagnostics } from './helpers';

async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return actions.filter((action) => action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind));
}

describe('Quick fixes', () => {
  before(activateSeqLens);
  afterEach(closeAllEditors);

  it('offers one preferred quick fix for SL101, listed first, and a suppression', async () => {
    const editor = await openFixture('gru_input_size.py');
    const [diagnostic] = (await waitForDiagnostics(editor.document.uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const actions = await quickFixesAt(editor.document.uri, diagnostic.range);
    const preferred = actions.filter((action) => action.isPreferred);
    assert.equal(preferred.length, 1, `one preferred fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(actions[0], preferred[0], 'the preferred fix comes first');
    assert.ok(actions.some((action) => action.title === 'Ignore SL101 on this line'));
  });

  it('applying the preferred fix makes the diagnostic vanish', async () => {
    const editor = await openFixture('gru_input_size.py');
    const uri = editor.document.uri;
    const [diagnostic] = (await waitForDiagnostics(uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const [preferred] = (await quickFixesAt(uri, diagnostic.range)).filter((action) => action.isPreferred);
    assert.ok(preferred.edit, 'the fix carries an edit');
    assert.ok(await vscode.workspace.applyEdit(preferred.edit));
    await waitForDiagnostics(uri, (d) => d.length === 0);
  });

  it('the suppression action silences the line', async () => {
    const editor = await openFixture('gru_input_size.py');
    const uri = editor.document.uri;
    const [diagnostic] = (await waitForDiagnostics(uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const suppress = (await quickFixesAt(uri, diagnostic.range)).find((action) => action.title === 'Ignore SL101 on this line');
    assert.ok(suppress?.edit);
    assert.ok(await vscode.workspace.applyEdit(suppress.edit));
    assert.match(editor.document.lineAt(diagnostic.range.start.line).text, /# seqlens: ignore\[SL101\]$/);
    await waitForDiagnostics(uri, (d) => !hasCode('SL101')(d));
  });
});
