// Incremental interpretation: an edit re-runs only the top-level groups it touched and those that share a value
// with them, and gives what a cold analysis of the whole module gives.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Range, SourceEdit } from '../../../src/analysis/findings';
import { IncrementalInterpreter } from '../../../src/analysis/interpret/incremental';
import { components, groupNames, split as splitGroups, type Group } from '../../../src/analysis/interpret/top-level-groups';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { analyzer } from './helpers';
import { componentLines, replacing } from './incremental-helpers';
import { TEST_ROOT, pythonFiles, random, randomEdit } from './random-edits';

const HEADER = 'import torch\nimport torch.nn as nn\n';

/** Scripts that rebind names at module level, bind them under conditions and loops, and read them from functions. */
const SCRIPTS = [
  `${HEADER}
HIDDEN = 32
if torch.cuda.is_available():
    HIDDEN = 64
layers = []
for i in range(2):
    layers.append(nn.GRU(16, HIDDEN))

def build(n=HIDDEN):
    return nn.LSTM(10, n)

class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = build()
        self.fc = nn.Linear(HIDDEN, 4)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out)

model = Head()
x = torch.randn(5, 3, 10)
y = model(x)
HIDDEN = 20
model = Head()
y = model(torch.randn(5, 3, 12))
try:
    cfg = {"size": 10}
except Exception:
    cfg = {}
rnn = nn.GRU(cfg["size"], 8)
out, h = rnn(torch.randn(4, 2, 10))
`,
  `${HEADER}
rnn = nn.GRU(input_size=50, hidden_size=20)
out, h = rnn(torch.randn(7, 3, 50))
rnn = nn.LSTM(input_size=30, hidden_size=20)
out, (h, c) = rnn(torch.randn(7, 3, 40))
sizes = [8, 16]
sizes.append(32)
embed = nn.Embedding(100, sizes[0])
ids = torch.randint(0, 120, (4, 9))
while len(sizes) < 5:
    sizes.append(4)
gru = nn.GRU(sizes[0], 12, batch_first=True)
seq, _ = gru(embed(ids))
with torch.no_grad():
    probe = nn.Linear(12, 3)
    z = probe(seq)

width = 50
if len(sizes) > 3:
    width = 40
head = nn.Linear(width, 2)
scores = head(torch.randn(3, 50))
for k in sizes:
    width = 60
tail = nn.Linear(width, 2)
try:
    width = len(sizes)
except ValueError:
    width = 50
last = nn.Linear(width, 2)
scores = last(tail(torch.randn(3, 50)))

def step(batch):
    return gru(embed(batch))

if __name__ == "__main__":
    rnn = nn.GRU(10, 5)
    out, h = rnn(torch.randn(2, 3, 11))
    step(torch.randint(0, 100, (2, 6)))
`,
];

/**
 * The split by its definition, step by step over every event and every member (top-level-groups.ts does the same
 * work from condensed events and per version): what `components` must give, or with `last` false (no code runs
 * after the top level) what the optimistic split must give.
 */
function referenceComponents(groups: Group[], text: (range: Range) => string, last = true): number[][] {
  const all = groups.map((g) => groupNames(g, text));
  const followed = new Set<string>();
  for (const names of all) if (!names.importsOnly) for (const e of names.events) if (e.kind !== 'read') followed.add(e.name);
  const importsOnly = all.map((names) => names.importsOnly && names.events.every((e) => !followed.has(e.name)));
  const parent: number[] = groups.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const node = () => parent.push(parent.length) - 1;
  const joins = new Map<number, number[]>();
  const touch = (a: number, version: number): void => {
    union(a, version);
    const parts = joins.get(version);
    joins.delete(version);
    for (const part of parts ?? []) touch(version, part);
  };
  const versions = new Map<string, { group: number; node: number }[]>();
  const versionList = (name: string) => versions.get(name) ?? versions.set(name, [{ group: -1, node: node() }]).get(name)!;
  all.forEach((names, g) => {
    if (importsOnly[g]) return;
    for (const e of names.events) {
      if (!followed.has(e.name)) continue;
      const list = versionList(e.name);
      if (e.kind === 'join') {
        const joined = node();
        joins.set(joined, [list[list.length - 1 - e.back].node, list[list.length - 1].node]);
        list.push({ group: g, node: joined });
        continue;
      }
      if (e.kind === 'bind') list.push({ group: g, node: node() });
      touch(g, list[list.length - 1].node);
    }
  });
  const mayCall = all.map((names) => names.events.some((e) => (e.kind === 'read' || e.kind === 'maybe') && followed.has(e.name)) || [...names.later].some((n) => followed.has(n)));
  const byRoot = () => {
    const out = new Map<number, number[]>();
    groups.forEach((group, g) => {
      if (importsOnly[g] || group.length === 0) return;
      out.set(find(g), [...(out.get(find(g)) ?? []), g]);
    });
    return out;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const members of byRoot().values()) {
      const later = new Set<string>();
      for (const g of members) for (const name of all[g].later) if (followed.has(name)) later.add(name);
      for (const name of later) {
        const list = versionList(name);
        const needed = last ? [list[list.length - 1].node] : [];
        let v = 0;
        for (const g of members) {
          if (!mayCall[g]) continue;
          while (v + 1 < list.length && list[v + 1].group < g) v++;
          needed.push(list[v].node);
          for (let w = v + 1; w < list.length && list[w].group === g; w++) needed.push(list[w].node);
        }
        for (const n of needed) {
          if (find(n) === find(members[0]) && !joins.has(n)) continue;
          touch(members[0], n);
          changed = true;
        }
      }
    }
  }
  const imports = groups.flatMap((_, g) => (importsOnly[g] ? [g] : []));
  return [...byRoot().values()].map((members) => [...members, ...imports].sort((a, b) => a - b));
}

describe('incremental interpretation', () => {
  it('keeps the statements that read each module-level binding of a name apart', async () => {
    const source = `${HEADER}rnn = nn.GRU(50, 20)\nout, h = rnn(torch.randn(7, 3, 50))\nrnn = nn.LSTM(30, 20)\nout, h = rnn(torch.randn(7, 3, 40))\n`;
    assert.deepEqual(await componentLines(source), [[2, 3], [4, 5]]);
  });

  it('joins a binding under a condition to the binding it may leave in place', async () => {
    const source = `${HEADER}n = 50\nif torch.cuda.is_available():\n    n = 60\nrnn = nn.GRU(n, 20)\nm = 4\n`;
    assert.deepEqual(await componentLines(source), [[2, 3, 5], [6]]);
  });

  it('keeps module-level loops that bind the same names apart, and joins a read after a loop to what the loop may leave in place', async () => {
    const loops = `${HEADER}for step in range(3):\n    loss = step * 2\n    print(loss)\nx = 1\nfor step in range(4):\n    loss = step + 1\n    print(loss)\n`;
    assert.deepEqual(await componentLines(loops), [[2], [5], [6]]);
    const after = `${HEADER}loss = 0\nfor step in range(3):\n    loss = step * 2\nprint(loss)\n`;
    assert.deepEqual(await componentLines(after), [[2, 3, 5]]);
    const carried = `${HEADER}total = 0\nfor v in [1, 2]:\n    total = total + v\nfor v in [3]:\n    w = v\n`;
    assert.deepEqual(await componentLines(carried), [[2, 3], [5]]);
  });

  it('joins a function that reads a module-level name to the bindings current where it may be called and to the last one', async () => {
    const source = `${HEADER}n = 50\na = n\nn = 60\nb = n\n\ndef f():\n    return n\n`;
    assert.deepEqual(await componentLines(source), [[2, 3], [4, 5, 7]]);
    const called = `${HEADER}n = 50\n\ndef f():\n    return n\n\na = f()\nn = 60\nb = n\n`;
    assert.deepEqual(await componentLines(called), [[2, 4, 7, 8, 9]]);
  });

  it('keeps a function apart from module-level names it certainly binds itself first', async () => {
    const source = `${HEADER}x = torch.randn(3, 4)\n\ndef f(y):\n    x = y + 1\n    return x\n\nclass M(nn.Module):\n    def forward(self, x):\n        return x\n`;
    assert.deepEqual(await componentLines(source), [[2], [4], [8]]);
  });

  it('re-interprets after an edit inside one model only that model and the statements that use it', async () => {
    const pieces = ['sentiment_lstm.py', 'intent_bigru.py', 'seq2seq_translation.py'].map((f) => readFileSync(join(TEST_ROOT, 'examples', f), 'utf8'));
    const source = pieces.join('\n\n');
    const parser = await DocumentParser.create();
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      incremental.analyze(parser.reset(source), source);
      const total = incremental.lastComponents;
      assert.ok(total >= 3, `${total} components`);
      const at = source.lastIndexOf('def forward');
      const text = `${source.slice(0, at)}def forward${source.slice(at + 'def forward'.length).replace('(self', '(self ')}`;
      const edit: SourceEdit = { rangeOffset: 0, rangeLength: source.length, text };
      const result = incremental.analyze(parser.update([edit], text), text);
      assert.equal(incremental.lastWhole, false);
      assert.ok(incremental.lastInterpreted < total, `${incremental.lastInterpreted} of ${total} re-interpreted`);
      assert.deepEqual(result, a.analyze(text, 'm.py'));
      incremental.analyze(parser.update([], text), text);
      assert.equal(incremental.lastInterpreted, 0);
    } finally {
      parser.dispose();
    }
  });

  it('moves what it keeps with statements that lines inserted above them moved, line numbers in messages included', async () => {
    const source = `${HEADER}gru = nn.GRU(input_size=50, hidden_size=100)\n\nout, h = gru(torch.randn(32, 10, 100))\nlstm = nn.LSTM(8, 4)\ny, (h2, c2) = lstm(torch.randn(3, 2, 9))\n`;
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      const before = incremental.analyze(parser.reset(source), source);
      assert.ok(before.findings.some((f) => /line 3\b/.test(f.message)), before.findings.map((f) => f.message).join('\n'));
      // Between the GRU and its call: the call moves, the line its message names does not.
      const at = source.indexOf('\nout, h');
      let text = `${source.slice(0, at)}\n# moved${source.slice(at)}`;
      let result = incremental.analyze(parser.update([{ rangeOffset: at, rangeLength: 0, text: '\n# moved' }], text), text);
      assert.equal(incremental.lastInterpreted, 0);
      assert.deepEqual(result, a.analyze(text, 'm.py'));
      text = `\n\n${text}`;
      result = incremental.analyze(parser.update([{ rangeOffset: 0, rangeLength: 0, text: '\n\n' }], text), text);
      assert.equal(incremental.lastInterpreted, 0);
      assert.deepEqual(result, a.analyze(text, 'm.py'));
      assert.ok(result.findings.some((f) => /line 5\b/.test(f.message)), result.findings.map((f) => f.message).join('\n'));
    } finally {
      parser.dispose();
    }
  });

  it('keeps the split while a function body only renames a name no statement binds, and splits again when it reads a bound one', async () => {
    // make() reads SIZE when `layer = make()` runs: the first binding's group then joins the component.
    const source = `${HEADER}SIZE = 10\n\ndef make():\n    return nn.Linear(SIZX, 4)\n\nlayer = make()\nSIZE = 20\nx = torch.randn(3, SIZE)\ny = layer(x)\n`;
    const parser = await DocumentParser.create();
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      incremental.analyze(parser.reset(text), text);
      const at = source.indexOf('SIZX');
      let found = 0;
      for (const name of ['SIZY', 'SIZE', 'SIZZ', 'SIZE', 'SIZX', 'SIZE']) {
        const edit: SourceEdit = { rangeOffset: at, rangeLength: 4, text: name };
        text = text.slice(0, at) + name + text.slice(at + 4);
        const result = incremental.analyze(parser.update([edit], text), text);
        assert.deepEqual(result, a.analyze(text, 'm.py'), `after renaming to ${name}`);
        assert.equal(incremental.lastWhole, false);
        if (name === 'SIZE') found += result.findings.length;
      }
      // Linear(10, 4) given (3, 20): found only when the first binding is run with make().
      assert.ok(found >= 3, `${found} findings`);
    } finally {
      parser.dispose();
    }
  });

  it('re-uses the run of a component that an edit joined to another for a while once the edit is undone', async () => {
    // With its parameter renamed, forward reads the module's \`hidden\`: the model's statements join the GRU's.
    const source = `${HEADER}hidden = nn.GRU(4, 8)\nout, h = hidden(torch.randn(2, 3, 4))\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(3, 5)\n\n    def forward(self, x, hidden=None):\n        return self.rnn(x, hidden)\n\nm = M()\ny = m(torch.randn(2, 3, 4))\n`;
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      incremental.analyze(parser.reset(text), text);
      let at = source.indexOf('hidden=None');
      for (let i = 0; i < 6; i++) {
        // A line above both components every third edit: the kept run moves while it is not used.
        const edits: SourceEdit[] = [{ rangeOffset: at, rangeLength: 1, text: i % 2 ? 'h' : 'b' }];
        if (i % 3 === 2) {
          edits.push({ rangeOffset: 0, rangeLength: 0, text: '\n' });
          at++;
        }
        for (const edit of edits) text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
        const result = incremental.analyze(parser.update(edits, text), text);
        assert.deepEqual(result, a.analyze(text, 'm.py'), `after edit ${i + 1}`);
        assert.equal(incremental.lastWhole, false);
        // Undone: only the model's component is interpreted again.
        if (i % 2) assert.equal(incremental.lastInterpreted, 1, `edit ${i + 1}`);
        else assert.equal(incremental.lastComponents, 1, `edit ${i + 1}`);
      }
    } finally {
      parser.dispose();
    }
  });

  it('keeps a model apart from a later binding its forward reads when nothing runs it after the top level', async () => {
    // With its parameter renamed, forward reads the module's `hidden`, bound only after the model ran: a function
    // run after the top level would see that binding, but forward was called, and nothing runs after it.
    const source = `${HEADER}class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.GRU(3, 5)\n\n    def forward(self, x, hidden=None):\n        return self.rnn(x, hidden)\n\nm = M()\ny = m(torch.randn(2, 3, 3))\n\nhidden = nn.GRU(4, 8)\nout, h = hidden(torch.randn(2, 3, 5))\n`;
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      incremental.analyze(parser.reset(text), text);
      const at = source.indexOf('hidden=None');
      for (let i = 0; i < 4; i++) {
        const edit: SourceEdit = { rangeOffset: at, rangeLength: 1, text: i % 2 ? 'h' : 'b' };
        text = text.slice(0, at) + edit.text + text.slice(at + 1);
        const result = incremental.analyze(parser.update([edit], text), text);
        assert.deepEqual(result, a.analyze(text, 'm.py'), `after edit ${i + 1}`);
        assert.equal(incremental.lastWhole, false);
        assert.equal(incremental.lastComponents, 2, `edit ${i + 1}`);
        assert.ok(result.findings.some((f) => f.range.start.line === 14), `edit ${i + 1}: the GRU given 5 features is still found`);
      }
    } finally {
      parser.dispose();
    }
  });

  it('joins a function nothing calls to the binding of a name current from its def on, as a cold analysis does', async () => {
    // make() runs after the top level, and SIZE is 20 from its def on: Linear(20, 4) given 10 features. Its edit
    // re-runs it; the SIZE = 10 the statement before reads is not make()'s to see.
    const source = `${HEADER}SIZE = 10\nx = nn.Linear(SIZE, 2)(torch.randn(3, 10))\nSIZE = 20\n\ndef make():\n    return nn.Linear(SIZE, 4)(torch.randn(3, 10))\n`;
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      incremental.analyze(parser.reset(text), text);
      const at = source.lastIndexOf('(3, 10))') + 4;
      for (const digit of ['2', '1', '2', '1']) {
        const edit: SourceEdit = { rangeOffset: at, rangeLength: 1, text: digit };
        text = text.slice(0, at) + digit + text.slice(at + 1);
        const result = incremental.analyze(parser.update([edit], text), text);
        const cold = a.analyze(text, 'm.py');
        assert.deepEqual(result, cold, `with torch.randn(3, ${digit}0)`);
        assert.equal(cold.findings.length, digit === '1' ? 1 : 0, `with torch.randn(3, ${digit}0)`);
        assert.equal(incremental.lastWhole, false);
      }
    } finally {
      parser.dispose();
    }
  });

  it('follows an edit to what other statements use (a called method\'s return shape, a module-level constant, a class attribute) as a cold analysis does', async () => {
    const source = `${HEADER}HIDDEN = 20

class Encoder(nn.Module):
    width = 16

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(8, HIDDEN, batch_first=True)

    def summary(self, x):
        out, h = self.rnn(x)
        return out[:, -1]

class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(Encoder.width, 3)

    def forward(self, v):
        return self.fc(v)

def unrelated():
    return nn.Linear(4, 2)(torch.randn(5, 4))

if __name__ == "__main__":
    enc = Encoder()
    head = Head()
    y = head(enc.summary(torch.randn(2, 7, 8)))
`;
    // Each edit, applied in turn, makes the call `head(...)` right or wrong: the finding comes and goes.
    const edits: [string, string][] = [
      ['HIDDEN = 20', 'HIDDEN = 16'],
      ['return out[:, -1]', 'return torch.cat([out[:, -1], out[:, -1]], dim=1)'],
      ['torch.cat([out[:, -1], out[:, -1]], dim=1)', 'h[-1]'],
      ['width = 16', 'width = 12'],
      ['HIDDEN = 16', 'HIDDEN = 12'],
      ['nn.Linear(4, 2)', 'nn.Linear(4, 3)'],
    ];
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      let last = incremental.analyze(parser.reset(text), text);
      const flips: boolean[] = [];
      for (const [from, to] of edits) {
        const step = replacing(text, from, to);
        text = step.text;
        const result = incremental.analyze(parser.update([step.edit], text), text);
        assert.deepEqual(result, a.analyze(text, 'm.py'), `after ${from} -> ${to}`);
        flips.push(result.findings.length !== last.findings.length);
        last = result;
      }
      // The first five edits each change whether the call is right; the last changes nothing the call uses.
      assert.deepEqual(flips, [true, true, true, true, true, false]);
    } finally {
      parser.dispose();
    }
  });

  it('splits random edits of the many-model files and the examples as the split does by its definition', async function () {
    this.timeout(300_000);
    const clean = pythonFiles(join(TEST_ROOT, 'fixtures', 'torch')).filter((f) => /[\\/]clean_[^\\/]*\.py$/.test(f));
    const pieces = [...pythonFiles(join(TEST_ROOT, 'examples')), ...clean].map((f) => readFileSync(f, 'utf8')).concat(SCRIPTS);
    const pick = random(31);
    const parser = await DocumentParser.create();
    try {
      let splits = 0;
      let optimisticSplits = 0;
      for (let file = 0; file < 8; file++) {
        let text = Array.from({ length: 4 + pick(10) }, () => pieces[pick(pieces.length)]).join('\n\n');
        for (let i = 0; i < 12; i++) {
          const module = parser.reset(text);
          const lines = text.split('\n');
          const read = (r: Range) => lines[r.start.line].slice(r.start.column, r.end.line === r.start.line ? r.end.column : undefined);
          const groups = module.groups!;
          const split = components(groups, read);
          assert.deepEqual(split, referenceComponents(groups, read), `file ${file} after ${i} edits`);
          const { optimistic } = splitGroups(groups, read);
          assert.deepEqual(optimistic, referenceComponents(groups, read, false), `file ${file} after ${i} edits, optimistic`);
          if (optimistic.length > split.length) optimisticSplits++;
          if (split.length > 1) splits++;
          const edit = randomEdit(text, pick);
          text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
        }
      }
      assert.ok(splits >= 40, `only ${splits} texts split into several components`);
      assert.ok(optimisticSplits >= 5, `only ${optimisticSplits} texts split further when no code runs after the top level`);
    } finally {
      parser.dispose();
    }
  });

  it('runs the whole module when a top-level statement leaves, as a cold analysis does', async () => {
    const source = `${HEADER}a = nn.GRU(50, 20)\nraise SystemExit\nb = nn.GRU(10, 5)\nout, h = b(torch.randn(2, 3, 11))\n`;
    const parser = await DocumentParser.create();
    const incremental = new IncrementalInterpreter();
    try {
      const result = incremental.analyze(parser.reset(source), source);
      assert.equal(incremental.lastWhole, true);
      assert.deepEqual(result, (await analyzer()).analyze(source, 'm.py'));
    } finally {
      parser.dispose();
    }
  });

  it('gives after random edits of scripts that rebind names, branch and loop at module level what a cold analysis gives', async function () {
    this.timeout(300_000);
    const a = await analyzer();
    const pieces = pythonFiles(join(TEST_ROOT, 'examples')).map((f) => readFileSync(f, 'utf8')).concat(SCRIPTS);
    const pick = random(77);
    for (let file = 0; file < 6; file++) {
      // A script first, then examples and scripts: the same names are bound by several pieces.
      let text = [SCRIPTS[file % SCRIPTS.length], ...Array.from({ length: 3 }, () => pieces[pick(pieces.length)])].join('\n\n');
      const doc = a.open(text, `script_${file}.py`);
      for (let i = 0; i < 14; i++) {
        const edits: SourceEdit[] = [];
        for (let k = pick(3) === 0 ? 2 : 1; k > 0; k--) {
          const edit = randomEdit(text, pick);
          text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
          edits.push(edit);
        }
        assert.deepEqual(doc.update(edits, text), a.analyze(text, `script_${file}.py`), `script ${file} after change ${i + 1}: ${JSON.stringify(edits)}`);
      }
      doc.dispose();
    }
  });

  it('gives after random edits of scripts whose functions read names bound after them what a cold analysis gives', async function () {
    this.timeout(300_000);
    // Functions and forwards that read WIDTH, DEPTH and hidden, bound before and after them; some are called, some
    // are not (those run after the top level, where they see what the bindings from their def on agree on).
    const script = `${HEADER}def make(n=4):
    return nn.Linear(WIDTH, n)(torch.randn(3, 10))

def probe():
    return nn.Linear(DEPTH, 2)(torch.randn(5, 12))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, WIDTH)
        self.rnn = nn.GRU(WIDTH, 8)

    def forward(self, x, h=None):
        y = self.fc(x)
        return self.rnn(y, hidden)

WIDTH = 10
net = Net()
out = net(torch.randn(2, 3, 10))
layer = make()
hidden = torch.zeros(1, 3, 8)
DEPTH = 12
WIDTH = 20
DEPTH = 10
`;
    const a = await analyzer();
    const pick = random(2024);
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    try {
      let optimistic = 0;
      for (let file = 0; file < 5; file++) {
        let text = [script, script.slice(HEADER.length).replace(/\bNet\b/g, 'Net2')].join('\n\n');
        incremental.analyze(parser.reset(text), text);
        for (let i = 0; i < 16; i++) {
          const edit = randomEdit(text, pick);
          text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
          const module = parser.update([edit], text);
          const result = incremental.analyze(module, text);
          assert.deepEqual(result, a.analyze(text, 'script.py'), `file ${file} after change ${i + 1}: ${JSON.stringify(edit)}`);
          const lines = text.split('\n');
          const read = (r: Range) => lines[r.start.line].slice(r.start.column, r.end.line === r.start.line ? r.end.column : undefined);
          if (!incremental.lastWhole && incremental.lastComponents > components(module.groups!, read).length) optimistic++;
        }
      }
      assert.ok(optimistic >= 10, `only ${optimistic} analyses joined optimistic components`);
    } finally {
      parser.dispose();
    }
  });

  it('gives after lines moved above kept components and characters retyped in forward bodies of a many-model file what a cold analysis gives, without running the whole module', async function () {
    this.timeout(300_000);
    const a = await analyzer();
    const clean = pythonFiles(join(TEST_ROOT, 'fixtures', 'torch')).filter((f) => /[\\/]clean_[^\\/]*\.py$/.test(f));
    const pieces = [...pythonFiles(join(TEST_ROOT, 'examples')), ...clean].map((f) => readFileSync(f, 'utf8'));
    const pick = random(12);
    let text = Array.from({ length: 12 }, () => pieces[pick(pieces.length)]).join('\n\n');
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    try {
      incremental.analyze(parser.reset(text), text);
      let moves = 0;
      for (let i = 0; i < 40; i++) {
        const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)].filter((at) => at < text.length);
        const forwards = [...text.matchAll(/def forward\(self[^)]*\):\n\s+\w/g)].map((m) => m.index! + m[0].length - 1);
        let edit: SourceEdit;
        switch (pick(4)) {
          case 0: edit = { rangeOffset: 0, rangeLength: 0, text: '\n' }; break;
          case 1: edit = text.startsWith('\n') ? { rangeOffset: 0, rangeLength: 1, text: '' } : { rangeOffset: 0, rangeLength: 0, text: '# top\n' }; break;
          case 2: edit = { rangeOffset: lineStarts[pick(lineStarts.length)], rangeLength: 0, text: '\n' }; break;
          default: {
            // Retype the first character of a forward body's first statement: `z` for it, or back.
            const at = forwards[pick(forwards.length)];
            edit = { rangeOffset: at, rangeLength: 1, text: text[at] === 'z' ? 'o' : 'z' };
          }
        }
        text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
        const components = incremental.lastComponents;
        const result = incremental.analyze(parser.update([edit], text), text);
        assert.deepEqual(result, a.analyze(text, 'many.py'), `after change ${i + 1}: ${JSON.stringify(edit)}`);
        assert.equal(incremental.lastWhole, false, `change ${i + 1} ran the whole module: ${JSON.stringify(edit)}`);
        if (edit.rangeOffset === 0 && incremental.lastInterpreted === 0 && components > 1) moves++;
      }
      assert.ok(moves >= 5, `${moves} edits at the top kept every component`);
    } finally {
      parser.dispose();
    }
  });
});
