// Timings the benchmark reports (activation, keystroke → diagnostics) and the promise that typing in a
// large file never queues analyses back to back.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SeqLensApi } from '../../../src/extension/main';
import { activateSeqLens, closeAllEditors, fixtureUri, hasCode, lineOf, recordMetric, setSetting, waitForDiagnostics } from './helpers';

/** A clean, analysable model block of 17 lines. */
function taggerBlock(i: number): string {
  return `class Tagger${i}(nn.Module):
    def __init__(self, vocab_size=5000, embed_dim=100, hidden=128, tags=17):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, tags)

    def forward(self, tokens):
        e = self.emb(tokens)
        h, _ = self.lstm(e)
        return self.out(h)


model${i} = Tagger${i}()
tokens${i} = torch.randint(0, 5000, (8, 40))
scores${i} = model${i}(tokens${i})

`;
}

/** About `lines` lines of models, ending with a GRU whose input_size is one keystroke away from right. */
function largeFile(name: string, lines: number): vscode.Uri {
  const blocks: string[] = ['import torch', 'import torch.nn as nn', '', ''];
  const blockLines = taggerBlock(0).split('\n').length; // the join adds one separator per block
  for (let i = 0, count = blocks.length; count + blockLines <= lines - 4; i++, count += blockLines) blocks.push(taggerBlock(i));
  blocks.push('gru = nn.GRU(input_size=10, hidden_size=100)', 'x = torch.randn(32, 10, 100)', 'out, h_n = gru(x)', '');
  const uri = fixtureUri(name);
  writeFileSync(uri.fsPath, blocks.join('\n'));
  return uri;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Places the cursor right after `input_size=10` on the GRU line. */
function cursorAfterInputSize(editor: vscode.TextEditor): void {
  const line = lineOf(editor.document, 'gru = nn.GRU(input_size=10');
  const column = editor.document.lineAt(line).text.indexOf('input_size=10') + 'input_size=10'.length;
  editor.selection = new vscode.Selection(line, column, line, column);
}

describe('Responsiveness', () => {
  let api: SeqLensApi;
  before(async () => {
    api = await activateSeqLens();
  });
  afterEach(closeAllEditors);

  // Speed is the benchmark's to judge (npm run bench prints activation beside its 50 ms target);
  // a loaded machine must not fail the suite, so the test only records it.
  it('reports how long activation took', () => {
    recordMetric('activation', api.activationMs, 'ms');
    recordMetric('activation: bundle evaluation', api.bundleLoadMs, 'ms');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0);
    assert.ok(Number.isFinite(api.bundleLoadMs) && api.bundleLoadMs <= api.activationMs);
  });

  it('updates diagnostics after a keystroke in a 1,000-line file', async function () {
    this.timeout(120_000);
    const uri = largeFile('large_1000.py', 1000);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.ok(editor.document.lineCount >= 990 && editor.document.lineCount <= 1010, `${editor.document.lineCount} lines`);
    await waitForDiagnostics(uri, hasCode('SL101'));
    const toClean: number[] = [];
    const toBuggy: number[] = [];
    const costs: number[] = [];
    for (let round = 0; round < 5; round++) {
      cursorAfterInputSize(editor);
      let start = performance.now();
      await vscode.commands.executeCommand('type', { text: '0' }); // input_size=100: fixed
      await waitForDiagnostics(uri, (d) => !hasCode('SL101')(d));
      toClean.push(performance.now() - start);
      costs.push(api.lastAnalysisMs(editor.document) ?? NaN);
      start = performance.now();
      await vscode.commands.executeCommand('deleteLeft'); // input_size=10: broken again
      await waitForDiagnostics(uri, hasCode('SL101'));
      toBuggy.push(performance.now() - start);
      costs.push(api.lastAnalysisMs(editor.document) ?? NaN);
    }
    const delay = vscode.workspace.getConfiguration('seqlens').get<number>('analysisDelay')!;
    recordMetric('keystroke to diagnostics, 1,000 lines (median, incl. debounce)', median([...toClean, ...toBuggy]), 'ms');
    recordMetric('analysis of 1,000 lines after one keystroke (median)', median(costs), 'ms');
    recordMetric('analysis delay setting', delay, 'ms');
    assert.ok(costs.every(Number.isFinite), 'every keystroke was analysed');
  });

  it('coalesces a burst of typing in a 10,000-line file into one analysis', async function () {
    // A spec of behaviour, not of speed (that is the benchmark's): a slow machine may take its time.
    this.timeout(180_000);
    const uri = largeFile('large_10000.py', 10_000);
    // The extension host's longest stall while the file opens and is analysed: the analysis runs in the
    // language server, so what remains is VS Code's own work (and the client's) on the host.
    const hostDelay = monitorEventLoopDelay({ resolution: 1 });
    hostDelay.enable();
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, hasCode('SL101'), 30_000);
    hostDelay.disable();
    recordMetric('analysis of 10,000 lines (open)', api.lastAnalysisMs(editor.document) ?? NaN, 'ms');
    recordMetric('extension host longest stall while 10,000 lines open and are analysed', hostDelay.max / 1e6, 'ms');
    // A delay longer than the gaps between these keystrokes stands for a user typing faster than it.
    await setSetting('analysisDelay', 2000);
    let publications = 0;
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) publications++;
    });
    try {
      cursorAfterInputSize(editor);
      for (const ch of '0000') await vscode.commands.executeCommand('type', { text: ch }); // 100 … 100000
      for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('deleteLeft');
      await vscode.commands.executeCommand('type', { text: '0' }); // input_size=100: fixed
      await waitForDiagnostics(uri, (d) => !hasCode('SL101')(d), 30_000);
      recordMetric('analysis of 10,000 lines after one keystroke', api.lastAnalysisMs(editor.document) ?? NaN, 'ms');
      assert.equal(publications, 1, 'one analysis for the whole burst');
    } finally {
      listener.dispose();
      await setSetting('analysisDelay', undefined);
    }
  });

  // Records the round trip with SeqLens on and off for the benchmark; what it asserts is behaviour:
  // typing works with the server on, off and on again, and diagnostics follow the setting.
  it('typing in a 10,000-line file goes on with SeqLens on and off', async function () {
    this.timeout(180_000);
    const uri = largeFile('large_10000_typing.py', 10_000);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitForDiagnostics(uri, hasCode('SL101'), 30_000);
    /** Times for the workbench to apply a keystroke and report back, over a burst of 20. */
    const keystrokeTimes = async () => {
      const times: number[] = [];
      const line = editor.document.lineCount - 1;
      editor.selection = new vscode.Selection(line, 0, line, 0);
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        await vscode.commands.executeCommand('type', { text: '#' });
        times.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        await vscode.commands.executeCommand('deleteLeft');
        times.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      return times;
    };
    // A first burst warms the workbench up (tokenising 10,000 lines); then on, off, on, so that
    // neither setting is measured only while the other was warming up.
    await keystrokeTimes();
    const on = await keystrokeTimes();
    await setSetting('enable', false);
    await waitForDiagnostics(uri, (d) => d.length === 0);
    const off = await keystrokeTimes();
    await setSetting('enable', undefined);
    await waitForDiagnostics(uri, hasCode('SL101'), 30_000);
    on.push(...(await keystrokeTimes()));
    const withSeqLens = median(on);
    const without = median(off);
    recordMetric('keystroke round trip, 10,000 lines, SeqLens on (median)', withSeqLens, 'ms');
    recordMetric('keystroke round trip, 10,000 lines, SeqLens off (median)', without, 'ms');
    // What this asserts is in the waits above: the finding is published with SeqLens on, cleared when it is
    // switched off while typing goes on, and published again when it is switched back on.
    assert.ok(on.every(Number.isFinite) && off.every(Number.isFinite));
  });
});
