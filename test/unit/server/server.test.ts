// The language server over stdio, driven by a minimal JSON-RPC client as any editor would drive it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LspClient, REPO_ROOT } from './lsp-client';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const uriOf = (name: string) => pathToFileURL(path.join(REPO_ROOT, 'test', 'unit', 'server', 'virtual', name)).toString();

const BUGGY = `import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(input_size=100, hidden_size=64, batch_first=True)

    def forward(self, x):
        out, h_n = self.gru(x)
        return out


gru = nn.GRU(input_size=50, hidden_size=100)
x = torch.randn(32, 10, 100)
out, h_n = gru(x)
`;
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
const codes = (diagnostics: any[]) => diagnostics.map((d) => d.code);
const hasSL101 = (diagnostics: any[]) => codes(diagnostics).includes('SL101');

describe('Language server (seqlens lsp) over stdio', function () {
  this.timeout(60_000);

  describe('a Python file', () => {
    let client: LspClient;
    before(async () => {
      client = new LspClient();
      await client.initialize();
    });
    after(() => client.shutdown());

    it('publishes SL101 on didOpen, with related information and a link to the rule documentation', async () => {
      const uri = uriOf('buggy.py');
      client.open(uri, BUGGY);
      const diagnostics = await client.diagnostics(uri, hasSL101);
      assert.equal(diagnostics.length, 1);
      const [d] = diagnostics;
      assert.equal(d.source, 'SeqLens');
      assert.equal(d.severity, 1);
      assert.equal(d.range.start.line, lineOf(BUGGY, 'out, h_n = gru(x)'));
      assert.match(d.message, /input_size=50.*100 features/);
      assert.deepEqual(d.relatedInformation.map((r: any) => [r.location.uri, r.location.range.start.line]), [
        [uri, lineOf(BUGGY, 'nn.GRU(input_size=50')],
        [uri, lineOf(BUGGY, 'torch.randn(32, 10, 100)')],
      ]);
      assert.match(d.codeDescription.href, /^file:.*SL101\.md$/);
    });

    it('answers a hover over a tensor with its shape, and no hover where there is nothing to explain', async () => {
      const uri = uriOf('hover.py');
      client.open(uri, BUGGY);
      const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: lineOf(BUGGY, 'x = torch.randn'), character: 0 } });
      assert.equal(hover.contents.kind, 'markdown');
      assert.match(hover.contents.value, /\(32, 10, 100\)/);
      // The description is built on the analysis thread when the hover asks for it: where each dimension came from.
      assert.match(hover.contents.value, /dim 2: \*\*100\*\* — from `torch\.randn\(32, 10, 100\), line \d+`/);
      const layer = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: lineOf(BUGGY, 'nn.GRU(input_size=50'), character: 'gru = nn.G'.length } });
      assert.match(layer.contents.value, /\*\*nn\.GRU\*\* — sequence-first/);
      assert.match(layer.contents.value, /`input_size` \| 50 \|/);
      const nothing = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
      assert.equal(nothing, null);
    });

    it('answers a hover over a finding with the rule and its fix', async () => {
      const uri = uriOf('hover-finding.py');
      client.open(uri, BUGGY);
      const [d] = await client.diagnostics(uri, hasSL101);
      const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: d.range.start });
      assert.match(hover.contents.value, /SL101 rnn-input-size-mismatch/);
      assert.match(hover.contents.value, /\*Fix:\* Set input_size=100/);
    });

    it('offers the preferred quick fix first and "Ignore SL101 on this line", attached to the diagnostic', async () => {
      const uri = uriOf('actions.py');
      client.open(uri, BUGGY);
      const [d] = await client.diagnostics(uri, hasSL101);
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], triggerKind: 1 } });
      assert.equal(actions[0].isPreferred, true);
      assert.equal(actions.filter((a: any) => a.isPreferred).length, 1);
      const ignore = actions.find((a: any) => a.title === 'Ignore SL101 on this line');
      assert.ok(ignore, JSON.stringify(actions.map((a: any) => a.title)));
      assert.equal(ignore.kind, 'quickfix');
      assert.deepEqual(ignore.diagnostics, [d]);
      const [edit] = ignore.edit.changes[uri];
      assert.equal(edit.newText, '  # seqlens: ignore[SL101]');
      assert.equal(edit.range.start.line, d.range.start.line);
    });

    it('gives an inlay hint with the inferred shape at the end of a tensor assignment', async () => {
      const uri = uriOf('hints.py');
      client.open(uri, BUGGY);
      const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
      const line = lineOf(BUGGY, 'x = torch.randn(32, 10, 100)');
      const onLine = hints.filter((h: any) => h.position.line === line);
      assert.equal(onLine.length, 1);
      assert.equal(onLine[0].label, '⟨(32, 10, 100)⟩');
      assert.equal(onLine[0].position.character, 'x = torch.randn(32, 10, 100)'.length);
      // The tooltip comes with inlayHint/resolve, built when the client shows it.
      assert.equal(onLine[0].tooltip, undefined);
      const resolved = await client.request('inlayHint/resolve', onLine[0]);
      assert.equal(resolved.tooltip.kind, 'markdown');
      assert.match(resolved.tooltip.value, /\*\*x\*\*: `\(32, 10, 100\)`/);
    });

    it('resolves a hint of a result that a newer analysis replaced without a tooltip, never with the newer text', async () => {
      const uri = uriOf('hints-stale.py');
      client.open(uri, BUGGY);
      await client.diagnostics(uri, hasSL101);
      const range = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
      const line = lineOf(BUGGY, 'x = torch.randn(32, 10, 100)');
      const [old] = (await client.request('textDocument/inlayHint', { textDocument: { uri }, range })).filter((h: any) => h.position.line === line);
      // `32` → `33`: the file is analysed again, and the old result is dropped on the analysis thread.
      const column = 'x = torch.randn(3'.length;
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: '3' }] });
      const [fresh] = (await client.request('textDocument/inlayHint', { textDocument: { uri }, range })).filter((h: any) => h.position.line === line);
      assert.equal(fresh.label, '⟨(33, 10, 100)⟩');
      assert.equal((await client.request('inlayHint/resolve', old)).tooltip, undefined);
      assert.match((await client.request('inlayHint/resolve', fresh)).tooltip.value, /\(33, 10, 100\)/);
    });

    it('applies incremental edits: fixing input_size clears SL101, breaking it again brings it back', async () => {
      const uri = uriOf('typing.py');
      client.open(uri, BUGGY);
      await client.diagnostics(uri, hasSL101);
      const line = lineOf(BUGGY, 'nn.GRU(input_size=50');
      const column = 'gru = nn.GRU(input_size='.length;
      let from = client.notifications.length;
      // 50 → 100, then back: edits addressed by range, as an editor sends keystrokes.
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 2 } }, text: '100' }] });
      const fixed = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri, 15_000, from);
      assert.deepEqual(codes(fixed.params.diagnostics), []);
      assert.equal(fixed.params.version, 2);
      from = client.notifications.length;
      client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 3 } }, text: '50' }] });
      const broken = await client.waitFor((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri, 15_000, from);
      assert.deepEqual(codes(broken.params.diagnostics), ['SL101']);
    });

    it('reports how long each analysis took (seqlens/analysed)', async () => {
      const uri = uriOf('timed.py');
      client.open(uri, BUGGY, 7);
      const analysed = await client.waitFor((n) => n.method === 'seqlens/analysed' && n.params.uri === uri);
      assert.equal(analysed.params.version, 7);
      assert.ok(analysed.params.analysisMs > 0);
    });

    it('describes the model classes of a file (seqlens/models)', async () => {
      const uri = uriOf('models.py');
      client.open(uri, BUGGY);
      const { models } = await client.request('seqlens/models', { uri });
      assert.deepEqual(models.map((m: any) => [m.className, m.range.start.line]), [['Encoder', lineOf(BUGGY, 'class Encoder')]]);
      assert.deepEqual(models[0].layers.map((l: any) => [l.attr, l.kind, l.args.input_size, l.args.hidden_size, l.args.batch_first]), [['gru', 'GRU', 100, 64, true]]);
    });

    it('closing a document clears its diagnostics', async () => {
      const uri = uriOf('closed.py');
      client.open(uri, BUGGY);
      await client.diagnostics(uri, hasSL101);
      const from = client.notifications.length;
      client.notify('textDocument/didClose', { textDocument: { uri } });
      await client.diagnostics(uri, (d) => d.length === 0, from);
    });
  });

  describe('settings through workspace/configuration', () => {
    let client: LspClient;
    before(async () => {
      client = new LspClient();
      await client.initialize();
    });
    after(() => client.shutdown());

    it('a severity override changes the diagnostic, `off` drops it, and enable: false clears the file', async () => {
      const uri = uriOf('settings.py');
      client.open(uri, BUGGY);
      await client.diagnostics(uri, hasSL101);
      const change = (settings: unknown) => {
        client.settings = settings;
        const from = client.notifications.length;
        client.notify('workspace/didChangeConfiguration', { settings: null });
        return from;
      };
      let from = change({ severity: { SL101: 'warning' } });
      await client.diagnostics(uri, (d) => d.length === 1 && d[0].severity === 2, from);
      from = change({ severity: { SL101: 'off' } });
      await client.diagnostics(uri, (d) => d.length === 0, from);
      from = change({ enable: false });
      await client.diagnostics(uri, (d) => d.length === 0, from);
      const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
      assert.deepEqual(hints, []);
      from = change({});
      await client.diagnostics(uri, hasSL101, from);
    });

    it('inlayHints.enabled: false turns the hints off', async () => {
      const uri = uriOf('settings-hints.py');
      client.settings = { inlayHints: { enabled: false } };
      client.notify('workspace/didChangeConfiguration', { settings: null });
      client.open(uri, BUGGY);
      const hints = await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
      assert.deepEqual(hints, []);
      client.settings = {};
    });
  });

  describe('position encodings', () => {
    // Non-ASCII text before the finding on its line: é is 2 UTF-8 bytes, 🙂 is 2 UTF-16 units and 4 UTF-8 bytes.
    const LINE = 'x = "héllo🙂"; y = nn.GRU(50, 10)(torch.randn(3, 4, 100))';
    const TEXT = `import torch\nimport torch.nn as nn\n${LINE}\n`;

    async function findingOn(encodings: string[] | undefined): Promise<{ encoding: string; diagnostic: any }> {
      const client = new LspClient();
      try {
        const init = await client.initialize(encodings ? { general: { positionEncodings: encodings } } : {});
        const uri = uriOf('unicode.py');
        client.open(uri, TEXT);
        const [diagnostic] = await client.diagnostics(uri, hasSL101);
        const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: diagnostic.range.start });
        assert.match(hover.contents.value, /SL101/, 'a hover at the reported position finds the finding');
        return { encoding: init.capabilities.positionEncoding, diagnostic };
      } finally {
        await client.shutdown();
      }
    }

    it('uses UTF-16 when the client offers nothing, UTF-8 or UTF-32 when it prefers them, and counts columns in that encoding', async () => {
      const utf16 = await findingOn(undefined);
      assert.equal(utf16.encoding, 'utf-16');
      const start16 = utf16.diagnostic.range.start.character;
      const prefix = LINE.slice(0, start16);
      assert.ok(prefix.includes('🙂'), `the finding starts after the emoji: ${JSON.stringify(prefix)}`);
      const utf8 = await findingOn(['utf-8', 'utf-16']);
      assert.equal(utf8.encoding, 'utf-8');
      assert.equal(utf8.diagnostic.range.start.character, Buffer.byteLength(prefix, 'utf8'));
      const utf32 = await findingOn(['utf-32']);
      assert.equal(utf32.encoding, 'utf-32');
      assert.equal(utf32.diagnostic.range.start.character, [...prefix].length);
      assert.equal(utf32.diagnostic.range.end.character - utf32.diagnostic.range.start.character, utf16.diagnostic.range.end.character - start16, 'the range holds only ASCII');
    });

    it('applies UTF-8 edits after non-ASCII text at the right place', async () => {
      const client = new LspClient();
      try {
        await client.initialize({ general: { positionEncodings: ['utf-8'] } });
        const uri = uriOf('unicode-edit.py');
        client.open(uri, TEXT);
        await client.diagnostics(uri, hasSL101);
        // Overtype GRU(50 with GRU(100, addressed in UTF-8 bytes.
        const at = Buffer.byteLength(LINE.slice(0, LINE.indexOf('50, 10')), 'utf8');
        const from = client.notifications.length;
        client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 2, character: at }, end: { line: 2, character: at + 2 } }, text: '100' }] });
        await client.diagnostics(uri, (d) => d.length === 0, from);
      } finally {
        await client.shutdown();
      }
    });
  });

  describe('notebooks (notebook document sync)', () => {
    let client: LspClient;
    before(async () => {
      client = new LspClient();
      await client.initialize();
    });
    after(() => client.shutdown());

    const notebook = 'file:///work/notebooks/model_across_cells.ipynb';
    const cell = (n: number) => `vscode-notebook-cell:/work/notebooks/model_across_cells.ipynb#cell${n}`;
    const defining = 'import torch\nimport torch.nn as nn\n\ngru = nn.GRU(input_size=50, hidden_size=100)';
    const using = 'x = torch.randn(32, 10, 100)\nout, h_n = gru(x)';

    it('checks the cells as one program in cell order, with the diagnostic on the using cell and related information in the defining one', async () => {
      client.notify('notebookDocument/didOpen', {
        notebookDocument: { uri: notebook, notebookType: 'jupyter-notebook', version: 1, cells: [{ kind: 2, document: cell(0) }, { kind: 1, document: cell(1) }, { kind: 2, document: cell(2) }] },
        cellTextDocuments: [
          { uri: cell(0), languageId: 'python', version: 1, text: defining },
          { uri: cell(1), languageId: 'markdown', version: 1, text: 'The model is used in a later cell.' },
          { uri: cell(2), languageId: 'python', version: 1, text: using },
        ],
      });
      const [d] = await client.diagnostics(cell(2), hasSL101);
      assert.equal(d.range.start.line, 1);
      assert.ok(d.relatedInformation.some((r: any) => r.location.uri === cell(0) && r.location.range.start.line === 3), JSON.stringify(d.relatedInformation));
      assert.deepEqual(await client.diagnostics(cell(0)), []);
      const hover = await client.request('textDocument/hover', { textDocument: { uri: cell(2) }, position: { line: 0, character: 0 } });
      assert.match(hover.contents.value, /\(32, 10, 100\)/);
    });

    it('re-checks the using cell when the defining cell is edited', async () => {
      const column = 'gru = nn.GRU(input_size='.length;
      const from = client.notifications.length;
      client.notify('notebookDocument/didChange', {
        notebookDocument: { uri: notebook, version: 2 },
        change: { cells: { textContent: [{ document: { uri: cell(0), version: 2 }, changes: [{ range: { start: { line: 3, character: column }, end: { line: 3, character: column + 2 } }, text: '100' }] }] } },
      });
      await client.diagnostics(cell(2), (d) => d.length === 0, from);
    });

    it('a cell removed from the notebook loses its diagnostics', async () => {
      let from = client.notifications.length;
      client.notify('notebookDocument/didChange', {
        notebookDocument: { uri: notebook, version: 3 },
        change: { cells: { textContent: [{ document: { uri: cell(0), version: 3 }, changes: [{ range: { start: { line: 3, character: 24 }, end: { line: 3, character: 27 } }, text: '50' }] }] } },
      });
      await client.diagnostics(cell(2), hasSL101, from);
      from = client.notifications.length;
      client.notify('notebookDocument/didChange', {
        notebookDocument: { uri: notebook, version: 4 },
        change: { cells: { structure: { array: { start: 2, deleteCount: 1 }, didClose: [{ uri: cell(2) }] } } },
      });
      await client.diagnostics(cell(2), (d) => d.length === 0, from);
    });
  });

  describe('model lenses', () => {
    it('are offered above model classes to a client that runs the model commands in a trusted workspace, and to no other', async () => {
      for (const [options, expected] of [[{ modelCommands: true, trusted: true }, [['Evaluate model', 'Encoder'], ['Verify shapes', 'Encoder']]], [{}, []]] as const) {
        const client = new LspClient();
        try {
          await client.initialize({}, options);
          const uri = uriOf('lenses.py');
          client.open(uri, BUGGY);
          const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
          assert.deepEqual(lenses.map((l: any) => [l.command.title, l.command.arguments[1]]), expected);
          if (expected.length) assert.equal(lenses[0].range.start.line, lineOf(BUGGY, 'class Encoder'));
        } finally {
          await client.shutdown();
        }
      }
    });
  });

  describe('the seqlens lsp command', () => {
    const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');

    it('runs the server on stdin/stdout', async () => {
      const client = new LspClient([CLI, 'lsp', '--stdio']);
      try {
        const init = await client.initialize();
        assert.equal(init.serverInfo.name, 'seqlens');
        const uri = uriOf('cli.py');
        client.open(uri, BUGGY);
        assert.deepEqual(codes(await client.diagnostics(uri)), ['SL101']);
      } finally {
        await client.shutdown();
      }
      assert.equal(client.exitCode, 0);
    });

    it('refuses an option it does not know, with exit status 2', () => {
      const run = spawnSync(process.execPath, [CLI, 'lsp', '--socket=9000'], { encoding: 'utf8' });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /unknown option '--socket=9000'/);
    });
  });
});
