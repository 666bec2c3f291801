import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateSeqLens, closeAllEditors, codeOf, hasCode, lineOf, openFixture, setSetting, waitForDiagnostics } from './helpers';

const BUGGY = 'gru_input_size.py';

describe('Live diagnostics', () => {
  before(activateSeqLens);
  afterEach(async () => {
    await setSetting('severity', undefined);
    await setSetting('enable', undefined);
    await closeAllEditors();
  });

  it('reports SL101 as an error on the gru(x) call, naming 50 and 100', async () => {
    const editor = await openFixture(BUGGY);
    const diagnostics = await waitForDiagnostics(editor.document.uri, hasCode('SL101'));
    const sl101 = diagnostics.filter((d) => codeOf(d) === 'SL101');
    assert.equal(sl101.length, 1, JSON.stringify(sl101.map((d) => d.message)));
    const [diagnostic] = sl101;
    assert.equal(diagnostic.range.start.line, lineOf(editor.document, 'out, h_n = gru(x)'));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /50/);
    assert.match(diagnostic.message, /100/);
  });

  it('reports nothing for the correctly sized model class in the same file', async () => {
    const editor = await openFixture(BUGGY);
    const diagnostics = await waitForDiagnostics(editor.document.uri, hasCode('SL101'));
    const classEnd = lineOf(editor.document, 'return out');
    assert.deepEqual(diagnostics.filter((d) => d.range.start.line <= classEnd).map((d) => d.message), []);
  });

  it('links the rule code to documentation rendered from the rule itself', async () => {
    const editor = await openFixture(BUGGY);
    const [diagnostic] = (await waitForDiagnostics(editor.document.uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const code = diagnostic.code;
    assert.ok(typeof code === 'object', 'the code carries a link target');
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, 'seqlens.showRuleDocs');
    const docsUri = await vscode.commands.executeCommand<vscode.Uri>(code.target.path, ...JSON.parse(code.target.query));
    const page = await vscode.workspace.openTextDocument(docsUri);
    assert.match(page.getText(), /^# SL101 · rnn-input-size-mismatch/);
    assert.match(page.getText(), /## What it does/);
    assert.match(page.getText(), /## Use instead/);
  });

  it('points related information at the other side of the mismatch', async () => {
    const editor = await openFixture(BUGGY);
    const [diagnostic] = (await waitForDiagnostics(editor.document.uri, hasCode('SL101'))).filter((d) => codeOf(d) === 'SL101');
    const related = diagnostic.relatedInformation ?? [];
    assert.ok(related.length > 0, 'has related information');
    const otherSide = [lineOf(editor.document, 'nn.GRU(input_size=50'), lineOf(editor.document, 'torch.randn(32, 10, 100)')];
    for (const info of related) {
      assert.equal(info.location.uri.toString(), editor.document.uri.toString());
      assert.ok(otherSide.includes(info.location.range.start.line), `related line ${info.location.range.start.line} is the constructor or the input`);
    }
  });

  it('clears the diagnostics when the document is closed', async () => {
    const editor = await openFixture(BUGGY);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, hasCode('SL101'));
    await closeAllEditors();
    await waitForDiagnostics(uri, (d) => d.length === 0, 15_000);
  });

  it('applies a severity override from the settings, and `off` hides the rule', async () => {
    const editor = await openFixture(BUGGY);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, hasCode('SL101'));
    await setSetting('severity', { SL101: 'warning' });
    await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'SL101' && x.severity === vscode.DiagnosticSeverity.Warning));
    await setSetting('severity', { SL101: 'off' });
    await waitForDiagnostics(uri, (d) => !hasCode('SL101')(d));
  });

  it('stops reporting when disabled and resumes when enabled again', async () => {
    const editor = await openFixture(BUGGY);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, hasCode('SL101'));
    await setSetting('enable', false);
    await waitForDiagnostics(uri, (d) => d.length === 0);
    await setSetting('enable', true);
    await waitForDiagnostics(uri, hasCode('SL101'));
  });

  it('updates the diagnostics as the user types', async () => {
    const editor = await openFixture(BUGGY);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, hasCode('SL101'));
    const line = lineOf(editor.document, 'nn.GRU(input_size=50');
    const column = editor.document.lineAt(line).text.indexOf('50');
    // Overtyping 50 one keystroke at a time: 1, 10 and finally 100, which matches the input.
    editor.selection = new vscode.Selection(line, column, line, column + 2);
    await vscode.commands.executeCommand('type', { text: '1' });
    await vscode.commands.executeCommand('type', { text: '0' });
    await vscode.commands.executeCommand('type', { text: '0' });
    assert.ok(editor.document.lineAt(line).text.includes('input_size=100'));
    await waitForDiagnostics(uri, (d) => !hasCode('SL101')(d));
  });
});
