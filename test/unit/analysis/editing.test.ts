// Half-typed code, suppressions, incremental re-analysis and notebooks.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceEdit } from '../../../src/analysis/findings';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { analyzer, codes } from './helpers';
import { TEST_ROOT, pythonFiles, random, randomEdit } from './random-edits';

const SEED = 'import torch\nimport torch.nn as nn\n\ngru = nn.GRU(input_size=50, hidden_size=100)\nout, h = gru(torch.randn(32, 10, 100))\n';

describe('editing', () => {
  it('keeps finding bugs elsewhere when one function has a syntax error', async () => {
    const src = `${SEED}\ndef broken(x:\n    return x +\n\ndef other():\n    lstm = nn.LSTM(8, 4)\n    y, (h, c) = lstm(torch.randn(3, 2, 9))\n`;
    const found = (await (await analyzer()).analyze(src, 'x.py')).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
    assert.ok(found.includes('SL101@5'), found.join());
    assert.ok(found.includes('SL101@12'), found.join());
  });

  it('silences a line with # seqlens: ignore', async () => {
    assert.deepEqual(await codes(SEED.replace('100))\n', '100))  # seqlens: ignore\n')), []);
  });

  it('silences only the named code with # seqlens: ignore[CODE]', async () => {
    assert.deepEqual(await codes(SEED.replace('100))\n', '100))  # seqlens: ignore[SL105]\n')), ['SL101']);
    assert.deepEqual(await codes(SEED.replace('100))\n', '100))  # seqlens: ignore[SL105, sl101]\n')), []);
  });

  it('gives the same result after incremental edits as a cold analysis', async () => {
    const a = await analyzer();
    const doc = a.open(SEED, 'x.py');
    const offset = SEED.indexOf('50');
    let text = SEED;
    const edit = (rangeOffset: number, rangeLength: number, insert: string) => {
      text = text.slice(0, rangeOffset) + insert + text.slice(rangeOffset + rangeLength);
      return doc.update([{ rangeOffset, rangeLength, text: insert }], text);
    };
    assert.deepEqual(edit(offset, 2, '100').findings, []);
    assert.deepEqual(edit(offset, 3, '5').findings.map((f) => f.code), ['SL101']);
    assert.deepEqual(edit(offset + 1, 0, '0').findings.map((f) => f.code), ['SL101']);
    const cold = a.analyze(text, 'x.py');
    assert.deepEqual(doc.replace(text), cold);
    doc.dispose();
  });

  it('analyses the text given when the edits sent with it do not make it, as a cold analysis does', async () => {
    const a = await analyzer();
    const source = `${SEED}x = 1\ny = 2\nlstm = nn.LSTM(8, 4)\nz, (h2, c2) = lstm(torch.randn(3, 2, 8))\n`;
    const doc = a.open(source, 'x.py');
    const at = source.indexOf('50');
    const edited = source.replace('50', '60');
    // Each text sent differs from what the edit makes by one thing: the inserted text, what comes before it, what
    // comes after it (far from it), its length.
    const cases: [SourceEdit, string][] = [
      [{ rangeOffset: at, rangeLength: 2, text: '60' }, source.replace('50', '70')],
      [{ rangeOffset: at, rangeLength: 2, text: '60' }, edited.replace('import torch\n', 'import torcx\n')],
      [{ rangeOffset: at, rangeLength: 2, text: '60' }, edited.replace('2, 8))', '2, 9))')],
      [{ rangeOffset: at, rangeLength: 2, text: '60' }, `${edited}out, h = gru(torch.randn(32, 10, 61))\n`],
      [{ rangeOffset: 0, rangeLength: 0, text: '\n\n' }, `\n${source}`],
    ];
    for (const [edit, given] of cases) {
      assert.deepEqual(doc.update([edit], given), a.analyze(given, 'x.py'), `${JSON.stringify(edit)} sent with ${JSON.stringify(given)}`);
      // Back to the start, sent whole.
      assert.deepEqual(doc.update([{ rangeOffset: 0, rangeLength: given.length, text: source }], source), a.analyze(source, 'x.py'));
    }
    doc.dispose();
  });

  it('re-analyses correctly after an edit that adds lines above a statement', async () => {
    const a = await analyzer();
    const doc = a.open(SEED, 'x.py');
    const insert = '# a comment\n# another\n';
    const text = insert + SEED;
    const result = doc.update([{ rangeOffset: 0, rangeLength: 0, text: insert }], text);
    assert.deepEqual(result.findings.map((f) => f.range.start.line), [6]);
    doc.dispose();
  });

  it('gives after each of many random edits over the fixtures what a cold analysis of the same text gives', async function () {
    this.timeout(120_000);
    const a = await analyzer();
    const files = pythonFiles(join(TEST_ROOT, 'fixtures', 'torch')).concat(pythonFiles(join(TEST_ROOT, 'examples')));
    const pick = random(12);
    for (const file of files.filter((_, i) => i % 2 === 0)) {
      let text = readFileSync(file, 'utf8');
      const doc = a.open(text, file);
      for (let i = 0; i < 6; i++) {
        const edit = randomEdit(text, pick);
        text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
        const edited = doc.update([edit], text);
        // A cold analysis runs the whole module at once; the open document re-runs only what the edit touched.
        assert.deepEqual(edited, a.analyze(text, file), `${file} after edit ${i + 1}: ${JSON.stringify(edit)}`);
      }
      doc.dispose();
    }
  });

  it('gives after sequences of random edits of model-sized files, lines moved above most statements included, what a cold analysis gives', async function () {
    this.timeout(300_000);
    const a = await analyzer();
    // Files shaped like real model code: several examples and clean fixtures one after another (classes with
    // __init__/forward, helpers, __main__ blocks), a few hundred lines each.
    const pieces = pythonFiles(join(TEST_ROOT, 'examples')).concat(pythonFiles(join(TEST_ROOT, 'fixtures', 'torch')).filter((f) => /clean_/.test(f)));
    const pick = random(2024);
    for (let file = 0; file < 4; file++) {
      let text = Array.from({ length: 5 }, () => readFileSync(pieces[pick(pieces.length)], 'utf8')).join('\n\n');
      const doc = a.open(text, `model_${file}.py`);
      for (let i = 0; i < 12; i++) {
        // A line added or removed near the top moves every statement below it; the rest are random edits,
        // sometimes two in one change, as editors send them.
        const edits: SourceEdit[] = [];
        const count = pick(3) === 0 ? 2 : 1;
        for (let k = 0; k < count; k++) {
          const near = pick(3) === 0 ? text.indexOf('\n', pick(Math.min(200, text.length))) + 1 : -1;
          const edit = near > 0 ? (pick(2) ? { rangeOffset: near, rangeLength: 0, text: '\n' } : { rangeOffset: near, rangeLength: 0, text: '# note\n' }) : randomEdit(text, pick);
          text = text.slice(0, edit.rangeOffset) + edit.text + text.slice(edit.rangeOffset + edit.rangeLength);
          edits.push(edit);
        }
        const edited = doc.update(edits, text);
        assert.deepEqual(edited, a.analyze(text, `model_${file}.py`), `file ${file} after change ${i + 1}: ${JSON.stringify(edits)}`);
      }
      doc.dispose();
    }
  });

  it('gives a statement moved down by inserted lines the positions and suppressions of a fresh parse', async () => {
    const parser = await DocumentParser.create();
    const source = 'import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):  # seqlens: ignore\n        return x[1:, None]\n';
    const before = parser.reset(source);
    const moved = parser.update([{ rangeOffset: 0, rangeLength: 0, text: '\n\n' }], `\n\n${source}`);
    const fresh = (await DocumentParser.create()).reset(`\n\n${source}`);
    assert.deepEqual(moved, fresh);
    assert.notDeepEqual(moved.body, before.body);
    assert.deepEqual([...moved.suppressions.keys()], [5]);
    parser.dispose();
  });

  it('analyses notebook cells as one program and reports in cell coordinates', async () => {
    const cells = ['import torch\nimport torch.nn as nn', '%matplotlib inline\ngru = nn.GRU(input_size=50, hidden_size=100)', 'x = torch.randn(32, 10, 100)\nout, h = gru(x)'];
    const results = (await analyzer()).analyzeNotebook(cells, 'nb.ipynb');
    assert.equal(results.length, 3);
    assert.deepEqual(results[0].findings, []);
    assert.deepEqual(results[1].findings, []);
    const [f] = results[2].findings;
    assert.equal(f.code, 'SL101');
    assert.equal(f.range.start.line, 1);
    assert.deepEqual(f.related.map((r) => [r.path, r.range.start.line]), [['cell:1', 1], [undefined, 0]]);
  });
});
