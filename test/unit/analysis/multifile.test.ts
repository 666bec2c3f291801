// Multi-file projects (test/fixtures/torch-multifile, each run in PyTorch 1.13 by test/oracle/multifile_oracle.py):
// models in model.py whose sizes come from train.py, config.py, argparse defaults or a dataclass config.
// Every file of a project is analysed with the project folder as its workspace:
// - each `# expect: SLxxx` marker gets an error or warning of that rule on its line, in its file, and nothing else is loud;
// - a `-fixed` project gets no error or warning at all;
// - without the workspace, the same files say nothing: the sizes are in the other files.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Analyzer, createAnalyzer, type ModuleProvider, type Workspace } from '../../../src/analysis';
import type { Finding } from '../../../src/analysis/findings';
import { resolveModule } from '../../../src/analysis/workspace/resolver';
import { importedModuleNames } from '../../../src/analysis/workspace/importers';
import { fixtureDir } from './fixture-labels';
import { pythonFiles } from './random-edits';

const casesDir = fixtureDir('fixtures', 'torch-multifile');
const loud = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const EXPECT = /#\s*expect:\s*(SL\d{3})\s*$/;

/** An in-memory workspace: `files` by path under `root`; counts reads per path. */
function memoryWorkspace(root: string, files: Record<string, string>): Workspace & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const provider: ModuleProvider = {
    read(path) {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return files[path];
    },
    pythonFiles: () => Object.keys(files).filter((p) => p.endsWith('.py')).sort(),
  };
  return { root, provider, reads };
}

function folderWorkspace(dir: string): Workspace & { reads: Map<string, number> } {
  return memoryWorkspace(dir, Object.fromEntries(pythonFiles(dir).map((p) => [p, readFileSync(p, 'utf8')])));
}

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer();
});

const show = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.code}@${f.range.start.line + 1} ${f.message}`).join('\n  ') || '(nothing)';

describe('multi-file projects (test/fixtures/torch-multifile)', () => {
  const cases = readdirSync(casesDir).filter((d) => statSync(join(casesDir, d)).isDirectory()).sort();

  it('holds buggy projects, each with a fixed twin', () => {
    const bugs = cases.filter((c) => !c.endsWith('-fixed'));
    assert.ok(bugs.length >= 5);
    for (const bug of bugs) assert.ok(cases.includes(`${bug}-fixed`), `${bug} has no fixed twin`);
  });

  for (const name of cases) {
    const dir = join(casesDir, name);
    it(`${name}: ${name.endsWith('-fixed') ? 'no error or warning in any file' : 'the bug is found in the file where it is, and only it'}`, () => {
      const workspace = folderWorkspace(dir);
      for (const path of pythonFiles(dir)) {
        const source = readFileSync(path, 'utf8');
        const expected = source.split('\n').flatMap((text, line) => (EXPECT.test(text) ? [{ code: EXPECT.exec(text)![1], line }] : []));
        const found = analyzer.analyze(source, path, workspace).findings.filter(loud);
        const where = relative(casesDir, path);
        for (const e of expected) assert.ok(found.some((f) => f.code === e.code && f.range.start.line === e.line), `${where}: expected ${e.code} on line ${e.line + 1}, got\n  ${show(found)}`);
        const extra = found.filter((f) => !expected.some((e) => e.code === f.code && e.line === f.range.start.line));
        assert.deepEqual(extra.map((f) => `${where}:${f.range.start.line + 1} ${f.code}`), [], `${where}: unexpected\n  ${show(extra)}`);
      }
    });
  }

  for (const name of cases.filter((c) => !c.endsWith('-fixed'))) {
    it(`${name}: without its workspace the file with the bug cannot see the sizes`, () => {
      const dir = join(casesDir, name);
      for (const path of pythonFiles(dir)) {
        const source = readFileSync(path, 'utf8');
        if (!EXPECT.test(source.split('\n').find((l) => EXPECT.test(l)) ?? '')) continue;
        assert.deepEqual(analyzer.analyze(source, path).findings.filter(loud).map((f) => f.code), []);
      }
    });
  }

  it('a related location names the other file the size came from', () => {
    const dir = join(casesDir, 'argparse-defaults');
    const model = join(dir, 'model.py');
    const [finding] = analyzer.analyze(readFileSync(model, 'utf8'), model, folderWorkspace(dir)).findings;
    assert.equal(finding?.code, 'SL103');
    const inTrain = finding.related.filter((r) => r.path === join(dir, 'train.py'));
    assert.deepEqual(inTrain.map((r) => r.range.start.line + 1), [9, 10]);
    assert.ok(finding.related.some((r) => r.path === undefined), 'the LSTM is in model.py itself');
  });

  it("a size passed from another file is pointed at where it was written: train.py's argument, config.py's constant", () => {
    const related = (name: string) => {
      const dir = join(casesDir, name);
      const model = join(dir, 'model.py');
      const [finding] = analyzer.analyze(readFileSync(model, 'utf8'), model, folderWorkspace(dir)).findings;
      return finding.related.filter((r) => r.path !== undefined).map((r) => `${relative(dir, r.path!)}:${r.range.start.line + 1}:${r.range.start.column + 1}`);
    };
    assert.deepEqual(related('init-sizes-from-train'), ['train.py:6:33', 'train.py:6:28']);
    assert.deepEqual(related('config-constants'), ['config.py:2:13']);
    assert.deepEqual(related('dataclass-config'), ['config.py:8:23']);
  });

  it('names the other files an analysis used, as its dependencies', () => {
    const dir = join(casesDir, 'argparse-defaults');
    const model = join(dir, 'model.py');
    const result = analyzer.analyze(readFileSync(model, 'utf8'), model, folderWorkspace(dir));
    assert.deepEqual([...(result.dependencies ?? [])].sort(), [join(dir, 'options.py'), join(dir, 'train.py')]);
  });
});

describe('following workspace imports', () => {
  const root = '/ws';

  it('resolves plain, dotted, relative and package imports to files under the root', () => {
    const ws = memoryWorkspace(root, {
      '/ws/train.py': '', '/ws/config.py': '', '/ws/pkg/__init__.py': '', '/ws/pkg/sub.py': '', '/ws/pkg/utils.py': '', '/ws/pkg/deep/mod.py': '',
    });
    const r = (module: string, from: string) => resolveModule(module, from, root, ws.provider);
    assert.equal(r('config', '/ws/train.py'), '/ws/config.py');
    assert.equal(r('pkg.sub', '/ws/train.py'), '/ws/pkg/sub.py');
    assert.equal(r('pkg', '/ws/train.py'), '/ws/pkg/__init__.py');
    assert.equal(r('.utils', '/ws/pkg/sub.py'), '/ws/pkg/utils.py');
    assert.equal(r('.', '/ws/pkg/sub.py'), '/ws/pkg/__init__.py');
    assert.equal(r('..sub', '/ws/pkg/deep/mod.py'), '/ws/pkg/sub.py');
    // The script's own folder first, then the folders above it up to the root.
    assert.equal(r('config', '/ws/pkg/deep/mod.py'), '/ws/config.py');
    assert.equal(r('torch', '/ws/train.py'), undefined);
    assert.equal(r('missing', '/ws/train.py'), undefined);
  });

  it('never reads outside the root', () => {
    const ws = memoryWorkspace('/ws/project', { '/ws/config.py': 'HIDDEN = 3\n', '/ws/project/train.py': '' });
    assert.equal(resolveModule('config', '/ws/project/train.py', '/ws/project', ws.provider), undefined);
    assert.equal(resolveModule('..config', '/ws/project/train.py', '/ws/project', ws.provider), undefined);
    assert.ok(![...ws.reads.keys()].some((p) => !p.startsWith('/ws/project/')), [...ws.reads.keys()].join(', '));
  });

  it('reads the module names of import lines, parenthesised and aliased ones included', () => {
    const names = importedModuleNames('import os, pkg.sub as s\nfrom model import (Encoder,\n    Decoder as D)\nfrom . import utils\n  from .cfg import *\n');
    for (const n of ['os', 'pkg.sub', 'model', 'model.Encoder', 'model.Decoder', '.', '.utils', '.cfg']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  });

  it('a circular import sees the names defined before it, and the rest stays unknown', () => {
    const ws = memoryWorkspace(root, {
      '/ws/a.py': 'import torch\nimport torch.nn as nn\nfrom b import SIZE\nFEATURES = 8\nrnn = nn.GRU(SIZE, 4)\nout, h = rnn(torch.randn(2, 3, 5))\n',
      '/ws/b.py': 'from a import FEATURES\nSIZE = FEATURES + 2\n',
    });
    // b runs while a is half-defined: FEATURES is not yet bound, SIZE is unknown, and nothing is reported.
    const result = analyzer.analyze(ws.provider.read('/ws/a.py')!, '/ws/a.py', ws);
    assert.deepEqual(result.findings.filter(loud).map((f) => f.code), []);
    const b = analyzer.analyze(ws.provider.read('/ws/b.py')!, '/ws/b.py', ws);
    assert.deepEqual(b.findings.map((f) => f.code), []);
  });

  it('a cycle of imports ends: each module runs once per analysis', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`/ws/m${i}.py`] = `from m${(i + 1) % 40} import *\nfrom m${(i + 7) % 40} import *\nV${i} = ${i}\n`;
    files['/ws/main.py'] = 'import torch\nimport torch.nn as nn\nfrom m0 import *\nrnn = nn.GRU(10, 4)\nout, h = rnn(torch.randn(2, 3, 5))\n';
    const ws = memoryWorkspace(root, files);
    const result = analyzer.analyze(files['/ws/main.py'], '/ws/main.py', ws);
    assert.deepEqual(result.findings.filter(loud).map((f) => f.code), ['SL101']);
    // Bounded: past WORKSPACE_LIMITS.maxFiles modules, imports are unknown.
    assert.ok((result.dependencies?.length ?? 0) <= 24, `${result.dependencies?.length} files loaded`);
  });

  it('an import of a module the analysis cannot read leaves the names unknown, never a guess', () => {
    const ws = memoryWorkspace(root, { '/ws/main.py': 'import torch\nimport torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.GRU(HIDDEN, 4)\nout, h = rnn(torch.randn(2, 3, 5))\n' });
    assert.deepEqual(analyzer.analyze(ws.provider.read('/ws/main.py')!, '/ws/main.py', ws).findings.map((f) => f.code), []);
  });

  it("an imported module's __main__ block does not run; the importing script's does", () => {
    const ws = memoryWorkspace(root, {
      '/ws/config.py': "HIDDEN = 10\nif __name__ == '__main__':\n    HIDDEN = 99\n",
      '/ws/main.py': "import torch\nimport torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.GRU(HIDDEN, 4)\nif __name__ == '__main__':\n    out, h = rnn(torch.randn(2, 3, 5))\n",
    });
    const found = analyzer.analyze(ws.provider.read('/ws/main.py')!, '/ws/main.py', ws).findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL101']);
    assert.match(found[0].message, /input_size=10\b/);
  });

  it('an importer another importer imported first still runs as the script it is', () => {
    const files: Record<string, string> = {
      '/ws/model.py': 'import torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(10, 4)\n\n    def forward(self, x):\n        out, h = self.rnn(x)\n        return out\n',
      // evaluate.py imports train.py as a module first: train's top level runs there with __name__ == 'train'.
      '/ws/evaluate.py': 'import torch\nfrom model import Tagger\nfrom train import FEATURES\n',
      '/ws/train.py': "import torch\nfrom model import Tagger\nFEATURES = 12\n\ndef main():\n    tagger = Tagger()\n    out = tagger(torch.randn(2, 3, FEATURES))\n\nif __name__ == '__main__':\n    main()\n",
    };
    const ws = memoryWorkspace(root, files);
    const found = analyzer.analyze(files['/ws/model.py'], '/ws/model.py', ws).findings.filter(loud);
    assert.deepEqual(found.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL101@9']);
    assert.match(found[0].message, /12/);
  });

  it('a module imported by many files is parsed once per text', () => {
    const files: Record<string, string> = { '/ws/config.py': 'HIDDEN = 16\n' };
    for (let i = 0; i < 5; i++) files[`/ws/user${i}.py`] = 'import torch.nn as nn\nimport config\nrnn = nn.GRU(config.HIDDEN, 4)\n';
    const ws = memoryWorkspace(root, files);
    const before = analyzer.workspaceParses;
    for (let i = 0; i < 5; i++) analyzer.analyze(files[`/ws/user${i}.py`], `/ws/user${i}.py`, ws);
    // config.py once; each user file is parsed again only when another one imports it (none does here).
    assert.equal(analyzer.workspaceParses - before, 1);
  });
  describe('a function of an importer that builds a class of the analysed file, nothing calling it', () => {
    const encoder =
      'import torch\nimport torch.nn as nn\n\nclass Encoder(nn.Module):\n    def __init__(self, embedding, hidden):\n        super().__init__()\n        self.embedding = embedding\n        self.hidden = hidden\n\n    def forward(self, x):\n        e = self.embedding(x)\n        steps = e.permute(1, 0, 2)\n        return steps\n';
    const shapeIn = (files: Record<string, string>, name: string) => {
      const ws = memoryWorkspace(root, files);
      const result = analyzer.analyze(files['/ws/model.py'], '/ws/model.py', ws);
      return result.tensors.filter((t) => t.name === name).map((t) => t.shape);
    };

    it('runs: the layer it gives the constructor is what the attribute holds when forward calls it', () => {
      const train = 'import torch.nn as nn\nfrom model import Encoder\n\ndef main(vocab):\n    encoder = Encoder(nn.Embedding(vocab, 32), 64)\n    return encoder\n';
      assert.deepEqual(shapeIn({ '/ws/model.py': encoder, '/ws/train.py': train }, 'e'), ['(x.size(0), x.size(1), 32)']);
    });

    it('a module built from a layer the function assigned first, through the module name', () => {
      const train = 'import torch.nn as nn\nimport model\n\ndef build(n_words):\n    embedding = nn.Embedding(n_words, 16)\n    return model.Encoder(embedding, 64)\n';
      assert.deepEqual(shapeIn({ '/ws/model.py': encoder, '/ws/train.py': train }, 'e'), ['(x.size(0), x.size(1), 16)']);
    });

    it('without it, the attribute is not known and neither is what forward computes from it', () => {
      const train = 'import torch.nn as nn\nfrom model import Encoder\n\ndef main(vocab):\n    return nn.Embedding(vocab, 32)\n';
      assert.deepEqual(shapeIn({ '/ws/model.py': encoder, '/ws/train.py': train }, 'e'), []);
    });
  });

  describe('an open document in a workspace, edited', () => {
    const model = (hidden: string) =>
      `import torch\nimport torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(${hidden}, 8)\n\n    def forward(self, x):\n        return self.rnn(x)\n\nmodel = Tagger()\nout, h = model(torch.randn(2, 3, 16))\n`;
    const codes = (findings: Finding[]) => findings.filter(loud).map((f) => `${f.code}@${f.range.start.line}`);

    it('is re-interpreted incrementally while it uses no other file, with the result a fresh analysis gives', () => {
      const ws = memoryWorkspace(root, { '/ws/model.py': model('16'), '/ws/notes.py': 'x = 1\n' });
      const doc = analyzer.open('', '/ws/model.py', ws);
      try {
        assert.deepEqual(codes(doc.replace(model('16')).findings), []);
        const reads = [...ws.reads.values()].reduce((a, b) => a + b, 0);
        const at = model('16').indexOf('GRU(16') + 4;
        const edited = doc.update([{ rangeOffset: at, rangeLength: 2, text: '12' }], model('12'));
        // Nothing read from the workspace: the edit did not follow it again.
        assert.equal([...ws.reads.values()].reduce((a, b) => a + b, 0), reads);
        assert.deepEqual(codes(edited.findings), codes(analyzer.analyze(model('12'), '/ws/model.py', ws).findings));
        assert.deepEqual(codes(edited.findings), ['SL101@9']);
      } finally {
        doc.dispose();
      }
    });

    it('follows the workspace again at each edit while it uses another file', () => {
      const source = model('config.HIDDEN').replace('import torch.nn as nn\n', 'import torch.nn as nn\nimport config\n');
      const files: Record<string, string> = { '/ws/config.py': 'HIDDEN = 16\n', '/ws/model.py': source };
      const ws = memoryWorkspace(root, files);
      const doc = analyzer.open('', '/ws/model.py', ws);
      try {
        assert.deepEqual(codes(doc.replace(source).findings), []);
        files['/ws/config.py'] = 'HIDDEN = 12\n';
        doc.workspaceChanged();
        const edited = doc.update([{ rangeOffset: source.length, rangeLength: 0, text: '\n' }], `${source}\n`);
        assert.deepEqual(codes(edited.findings), ['SL101@10']);
        assert.deepEqual(edited.dependencies, ['/ws/config.py']);
      } finally {
        doc.dispose();
      }
    });

    it('follows it again when its imports change, and when the workspace changed (a new file that builds its model)', () => {
      const files: Record<string, string> = { '/ws/model.py': model('16').split('\nmodel = Tagger()')[0] + '\n' };
      const ws = memoryWorkspace(root, files);
      const source = files['/ws/model.py'];
      const doc = analyzer.open('', '/ws/model.py', ws);
      try {
        assert.deepEqual(codes(doc.replace(source).findings), []);
        // train.py appears: it imports model.py and runs the model on 12 features.
        files['/ws/train.py'] = 'import torch\nfrom model import Tagger\nm = Tagger()\nout, h = m(torch.randn(2, 3, 12))\n';
        doc.workspaceChanged();
        const edited = doc.update([{ rangeOffset: source.length, rangeLength: 0, text: '\n' }], `${source}\n`);
        assert.deepEqual(edited.dependencies, ['/ws/train.py']);
        assert.ok(edited.findings.some((f) => f.code === 'SL101'), show(edited.findings));
        // A new workspace import in the document is followed at once.
        files['/ws/config.py'] = 'HIDDEN = 16\n';
        const withImport = `import config\n${source}\n`;
        const again = doc.update([{ rangeOffset: 0, rangeLength: 0, text: 'import config\n' }], withImport);
        assert.ok(again.dependencies?.includes('/ws/config.py'), String(again.dependencies));
      } finally {
        doc.dispose();
      }
    });
  });
});
