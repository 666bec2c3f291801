// A second real client: Neovim's built-in LSP client (Debian's neovim 0.7, headless) opens a buggy
// model file, receives SeqLens' diagnostics from `seqlens lsp`, and asks for a hover.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './lsp-client';

const MODEL = `import torch
import torch.nn as nn

gru = nn.GRU(input_size=50, hidden_size=100)
x = torch.randn(32, 10, 100)
out, h_n = gru(x)
`;

describe('Neovim as a client of seqlens lsp', function () {
  this.timeout(90_000);
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'seqlens-nvim-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('shows SL101 on the gru(x) line and a hover with the tensor\'s shape', async () => {
    const model = path.join(folder, 'model.py');
    const output = path.join(folder, 'received.json');
    writeFileSync(model, MODEL);
    const nvim = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(REPO_ROOT, 'test', 'nvim', 'init.lua'), model, '-c', `luafile ${path.join(REPO_ROOT, 'test', 'nvim', 'check.lua')}`], {
      cwd: folder,
      env: {
        ...process.env,
        // The compiled CLI (npx tsc -p .), the same code dist/cli.js bundles.
        SEQLENS_LSP_CMD: JSON.stringify([process.execPath, path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js'), 'lsp']),
        SEQLENS_NVIM_OUT: output,
        XDG_CONFIG_HOME: folder,
        XDG_DATA_HOME: folder,
        XDG_STATE_HOME: folder,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    nvim.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      nvim.on('error', (error) => reject(new Error(`nvim could not start (is Debian's neovim installed?): ${error.message}`)));
      nvim.on('exit', resolve);
    });
    assert.equal(code, 0, stderr);
    const received = JSON.parse(readFileSync(output, 'utf8')) as { diagnostics: { line: number; severity: number; source: string; message: string; code: string }[]; hover: string | null; errors: string[] };
    assert.deepEqual(received.errors, []);
    assert.deepEqual(received.diagnostics.map((d) => [d.code, d.line, d.source, d.severity]), [['SL101', 5, 'SeqLens', 1]]);
    assert.match(received.diagnostics[0].message, /GRU expects input_size=50/);
    assert.match(received.hover ?? '', /\(32, 10, 100\)/);
  });
});
