// `seqlens check`: formats, exit statuses and errors, as a CI job would see them.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const BUGGY = 'import torch\nimport torch.nn as nn\n\ngru = nn.GRU(input_size=50, hidden_size=100)\nout, h = gru(torch.randn(32, 10, 100))\n';
const CLEAN = 'import torch\nimport torch.nn as nn\n\ngru = nn.GRU(input_size=100, hidden_size=50)\nout, h = gru(torch.randn(32, 10, 100))\n';

describe('seqlens check', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'seqlens-cli-'));
    writeFileSync(join(dir, 'buggy.py'), BUGGY);
    writeFileSync(join(dir, 'clean.py'), CLEAN);
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', 'nested.py'), BUGGY);
    writeFileSync(join(dir, 'pkg', 'notes.txt'), 'not python');
    writeFileSync(join(dir, 'nb.ipynb'), JSON.stringify({ cells: [{ cell_type: 'code', source: ['import torch\n', 'import torch.nn as nn\n'] }, { cell_type: 'markdown', source: 'text' }, { cell_type: 'code', source: 'g = nn.GRU(50, 100)\nout, h = g(torch.randn(2, 3, 100))' }] }));
  });

  it('prints the documented JSON shape with 1-based lines and columns, and exits 1 on an error', async () => {
    const path = join(dir, 'buggy.py');
    const { code, out } = await cli('check', '--format', 'json', path);
    assert.equal(code, 1);
    const json = JSON.parse(out);
    assert.equal(json.files.length, 1);
    assert.equal(json.files[0].path, path);
    const [d] = json.files[0].diagnostics;
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn, d.severity, d.code], [5, 14, 5, 38, 'error', 'SL101']);
    assert.match(d.message, /GRU expects input_size=50 \(line 4\) but receives 100 features per step \(torch\.randn\(32, 10, 100\), line 5\)/);
    assert.deepEqual(d.related.map((r: { path: string; line: number }) => [r.path, r.line]), [[path, 4], [path, 5]]);
  });

  it('exits 0 with an empty diagnostics list on correct code', async () => {
    const { code, out } = await cli('check', '--format=json', join(dir, 'clean.py'));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out).files[0].diagnostics, []);
  });

  it('walks folders for .py and .ipynb files and reports notebook findings by cell', async () => {
    const { code, out } = await cli('check', dir);
    assert.equal(code, 1);
    assert.match(out, /buggy\.py:5:14: error SL101/);
    assert.match(out, /nested\.py:5:14: error SL101/);
    assert.match(out, /nb\.ipynb:2:\d+: error SL101 \[cell 3\]/);
    assert.doesNotMatch(out, /clean\.py/);
    assert.match(out, /4 files checked: 3 errors, 0 warnings/);
  });

  it('writes SARIF 2.1.0 with the rules and results', async () => {
    const { out } = await cli('check', '--format', 'sarif', join(dir, 'buggy.py'));
    const sarif = JSON.parse(out);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'SL101'));
    assert.equal(sarif.runs[0].results[0].ruleId, 'SL101');
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 5);
  });

  it('exits 2 with a clear message for a missing path, a bad format or no path', async () => {
    const missing = await cli('check', join(dir, 'nope.py'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read '.*nope\.py': no such file or directory/);
    assert.equal((await cli('check', '--format', 'xml', dir)).code, 2);
    assert.equal((await cli('check')).code, 2);
    assert.equal((await cli('bogus')).code, 2);
  });

  it('exits 2 naming the file for an invalid notebook', async () => {
    writeFileSync(join(dir, 'bad.ipynb'), '{ not json');
    const { code, err } = await cli('check', join(dir, 'bad.ipynb'));
    assert.equal(code, 2);
    assert.match(err, /bad\.ipynb is not a valid notebook/);
  });

  it('explains a rule from the registry', async () => {
    const { code, out } = await cli('explain', 'sl105');
    assert.equal(code, 0);
    assert.match(out, /^SL105 bidirectional-output-size \(error\)/);
    assert.match(out, /## Why is this bad\?/);
    assert.equal((await cli('explain', 'SL999')).code, 2);
  });
  describe('hostile and unreadable files in a folder', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'seqlens-hostile-'));
      writeFileSync(join(folder, 'a_deep.py'), `x = ${'('.repeat(3000)}1${')'.repeat(3000)}\n`);
      writeFileSync(join(folder, 'b_doubling.py'), 'x = [0]\n' + 'x = x + x\n'.repeat(30) + 's = "ab"\n' + 's = s + s\n'.repeat(40));
      writeFileSync(join(folder, 'c_broken.ipynb'), '{ not json');
      symlinkSync(join(folder, 'nowhere.py'), join(folder, 'd_dangling.py'));
      writeFileSync(join(folder, 'e_buggy.py'), BUGGY);
    });

    it('prints the real finding of one file whatever the other files hold', async () => {
      const { out } = await cli('check', folder);
      assert.match(out, /e_buggy\.py:5:14: error SL101 /);
      assert.match(out, /3 files checked: 1 error/);
    });

    it('reports each file it cannot read as `file:line: cause` and exits 2', async () => {
      const { code, err } = await cli('check', folder);
      assert.equal(code, 2);
      assert.match(err, /c_broken\.ipynb:1: .*is not a valid notebook/);
      assert.match(err, /d_dangling\.py:1: cannot read: no such file or directory/);
      assert.doesNotMatch(err, /a_deep|b_doubling|e_buggy/);
    });

    it('keeps the JSON output whole when a file cannot be read', async () => {
      const { out } = await cli('check', '--format', 'json', folder);
      const json = JSON.parse(out);
      assert.deepEqual(json.files.map((f: { path: string }) => f.path.replace(/.*[\\/]/, '')), ['a_deep.py', 'b_doubling.py', 'e_buggy.py']);
    });

    it('says where the step budget ran out, in text, JSON and SARIF', async () => {
      const loops = Array.from({ length: 6 }, (_, i) => `${'    '.repeat(i)}for i${i} in range(16):\n`).join('') + `${'    '.repeat(6)}total = i0\n`;
      const path = join(folder, '..', `loops-${process.pid}.py`);
      writeFileSync(path, loops + BUGGY);
      const text = await cli('check', path);
      assert.equal(text.code, 1);
      assert.match(text.out, /loops-\d+\.py:1: note: the analysis budget ran out in the statement at this line; later definitions were analysed separately/);
      assert.match(text.out, /loops-\d+\.py:12:14: error SL101 /);
      const json = JSON.parse((await cli('check', '--format', 'json', path)).out);
      assert.deepEqual(json.files[0].incomplete.line, 1);
      assert.equal(json.files[0].incomplete.reason, 'budget');
      const sarif = JSON.parse((await cli('check', '--format', 'sarif', path)).out);
      assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine, 1);
    });
  });
});

// Imports are followed inside a workspace: the folder given, `--root`, or the file's project.
const MODEL = 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, emb, inp):\n        super().__init__()\n        self.embed = nn.Embedding(50, emb)\n        self.rnn = nn.GRU(inp, 8, batch_first=True)\n\n    def forward(self, ids):\n        return self.rnn(self.embed(ids))\n';
const TRAIN = 'import torch\nfrom model import Net\nfrom config import EMB\n\nnet = Net(EMB, 30)\nout, h = net(torch.randint(0, 50, (4, 7)))\n';

describe('seqlens check across files', () => {
  let dir: string;
  let project: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'seqlens-ws-'));
    project = join(dir, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'model.py'), MODEL);
    writeFileSync(join(project, 'src', 'train.py'), TRAIN);
    writeFileSync(join(project, 'src', 'config.py'), 'EMB = 20\n');
    writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "x"\n');
  });

  it("checking a folder finds the bug in model.py from train.py's and config.py's sizes, with train.py as a related location", async () => {
    const { code, out } = await cli('check', '--format', 'json', join(project, 'src'));
    assert.equal(code, 1);
    const files = JSON.parse(out).files as { path: string; diagnostics: { line: number; code: string; related: { path: string; line: number }[] }[] }[];
    const model = files.find((f) => f.path.endsWith('model.py'))!;
    assert.deepEqual(model.diagnostics.map((d) => [d.code, d.line]), [['SL101', 11]]);
    const others = model.diagnostics[0].related.filter((r) => !r.path.endsWith('model.py')).map((r) => [r.path.slice(project.length + 1), r.line]);
    assert.deepEqual(others, [['src/train.py', 5], ['src/config.py', 1]]);
    assert.deepEqual(files.filter((f) => !f.path.endsWith('model.py')).flatMap((f) => f.diagnostics), []);
  });

  it("a file given alone is checked in its project (the folder with pyproject.toml)", async () => {
    const { out } = await cli('check', '--format', 'json', join(project, 'src', 'model.py'));
    assert.deepEqual(JSON.parse(out).files[0].diagnostics.map((d: { code: string }) => d.code), ['SL101']);
  });

  it('--root limits what is followed: a root without train.py sees no sizes', async () => {
    mkdirSync(join(project, 'src', 'alone'), { recursive: true });
    writeFileSync(join(project, 'src', 'alone', 'model.py'), MODEL);
    const { out } = await cli('check', '--format', 'json', '--root', join(project, 'src', 'alone'), join(project, 'src', 'alone', 'model.py'));
    assert.deepEqual(JSON.parse(out).files[0].diagnostics, []);
  });

  it('follows the scripts of a folder whose name has a dot (no package, but its scripts import their neighbours)', async () => {
    const scripts = join(project, 'las.v2');
    mkdirSync(scripts, { recursive: true });
    writeFileSync(join(scripts, 'model.py'), MODEL);
    writeFileSync(join(scripts, 'train.py'), TRAIN);
    writeFileSync(join(scripts, 'config.py'), 'EMB = 20\n');
    const { out } = await cli('check', '--format', 'json', '--root', project, join(scripts, 'model.py'));
    assert.deepEqual(JSON.parse(out).files[0].diagnostics.map((d: { code: string }) => d.code), ['SL101']);
  });

  it('--root must be a folder (exit 2)', async () => {
    const { code, err } = await cli('check', '--root', join(dir, 'nope'), join(project, 'src'));
    assert.equal(code, 2);
    assert.match(err, /--root must be a folder/);
  });
});
