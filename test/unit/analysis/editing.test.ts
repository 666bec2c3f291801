// Half-typed code, suppressions, incremental re-analysis and notebooks.
import { strict as assert } from 'node:assert';
import { analyzer, codes } from './helpers';

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

  it('re-analyses correctly after an edit that adds lines above a statement', async () => {
    const a = await analyzer();
    const doc = a.open(SEED, 'x.py');
    const insert = '# a comment\n# another\n';
    const text = insert + SEED;
    const result = doc.update([{ rangeOffset: 0, rangeLength: 0, text: insert }], text);
    assert.deepEqual(result.findings.map((f) => f.range.start.line), [6]);
    doc.dispose();
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
