// Errors by sequence length: bucket edges, where lengths come from, and the two warnings.
import { strict as assert } from 'node:assert';
import { evaluate } from '../../../src/evaluation/evaluate';
import { bucketOf, niceNumber, quantileEdges } from '../../../src/evaluation/sequence/length-buckets';
import { formatHtml } from '../../../src/evaluation/report/html';
import { formatJson } from '../../../src/evaluation/report/json';
import { formatText } from '../../../src/evaluation/report/text';
import { tempFile } from './helpers';

describe('length buckets', () => {
  it('round edges to the nearest 1, 2 or 5 × a power of ten', () => {
    assert.deepEqual([0.5, 3, 4, 13, 17, 34, 80, 140, 160, 700].map(niceNumber), [1, 2, 5, 10, 20, 20, 100, 100, 200, 500]);
  });

  it('are right-closed, as pandas.cut: a length on an edge falls in the lower bucket', () => {
    assert.equal(bucketOf([10, 20], 10), 0);
    assert.equal(bucketOf([10, 20], 11), 1);
    assert.equal(bucketOf([10, 20], 21), 2);
  });

  it('keep only quantile edges inside the lengths seen', () => {
    assert.deepEqual(quantileEdges(Float64Array.of(5, 5, 5, 5)), []);
    // Quantiles 20.8, 40.6, 60.4, 80.2 round to 20, 50, 50, 100; 100 is the longest, so no bucket lies above it.
    assert.deepEqual(quantileEdges(Float64Array.from({ length: 100 }, (_, i) => i + 1)), [20, 50]);
  });
});

describe('lengths from the predictions file', () => {
  const rows = (make: (i: number) => string) => Array.from({ length: 120 }, (_, i) => make(i)).join('\n');

  it('counts token ids other than --pad-id in a JSONL id array', async () => {
    const path = tempFile('p.jsonl', rows((i) => JSON.stringify({ input_ids: [5, 6, ...(i % 2 ? [7] : []), 0, 0], y_true: i % 2, y_pred: i % 2 })));
    const result = await evaluate(path, { backend: 'cpu', padId: 0, lengthBuckets: [2] });
    assert.equal(result.task, 'classification');
    const l = result.task === 'classification' ? result.lengthBuckets! : null;
    assert.deepEqual(l!.buckets.map((b) => b.count), [60, 60]);
    assert.equal(l!.source.kind, 'token-ids');
  });

  it('warns when accuracy falls 10 points from the shortest to the longest bucket, with the figures', async () => {
    const path = tempFile('p.csv', `length,y_true,y_pred\n${rows((i) => (i < 60 ? `10,1,1` : `100,1,${i % 2}`))}\n`);
    const result = await evaluate(path, { backend: 'cpu', lengthBuckets: [20] });
    const w = result.warnings.find((x) => x.code === 'SLE321');
    assert.match(w!.message, /Accuracy falls from 100\.0% on ≤ 20 tokens \(60 samples\) to 50\.0% on > 20 tokens \(60 samples\)/);
  });

  it('warns of truncation when 5% of samples share the longest length, but not when every sample has it', async () => {
    const cut = tempFile('p.csv', `text,y_true,y_pred\n${rows((i) => `${'w '.repeat(i < 10 ? 50 : 5 + (i % 30))},1,1`)}\n`);
    const warned = (await evaluate(cut, { backend: 'cpu' })).warnings.find((x) => x.code === 'SLE322');
    assert.match(warned!.message, /8\.33% of samples have exactly 50 tokens/);
    const fixed = tempFile('p.csv', `text,y_true,y_pred\n${rows(() => 'a b c,1,1')}\n`);
    assert.equal((await evaluate(fixed, { backend: 'cpu' })).warnings.some((x) => x.code === 'SLE322'), false);
  });
});

describe('perplexity by sequence length (language models)', () => {
  // Three sequences: 'a' of 2 tokens, 'b' of 3, 'c' of 1, rows interleaved; one token names no sequence.
  const csv = 'seq_id,logprob\na,-1\nb,-2\na,-3\nb,-0.5\n,-9\nc,-4\nb,-0.25\n';

  it('groups tokens by their sequence id, in any order, and gives each bucket its tokens, mean NLL and perplexity', async () => {
    const result = await evaluate(tempFile('lm.csv', csv), { backend: 'cpu', lengthBuckets: [1, 2] });
    assert.equal(result.task, 'language-model');
    if (result.task !== 'language-model') return;
    assert.equal(result.sequences, 3);
    const l = result.lengthBuckets!;
    assert.deepEqual(l.source, { column: 'seq_id', kind: 'sequence-id', padId: null });
    assert.deepEqual(l.buckets.map((b) => [b.count, b.tokens]), [[1, 1], [1, 2], [1, 3]]);
    assert.deepEqual(l.buckets.map((b) => b.crossEntropy), [4, 2, 2.75 / 3]);
    assert.deepEqual(l.buckets.map((b) => b.perplexity), [Math.exp(4), Math.exp(2), Math.exp(2.75 / 3)]);
    assert.equal(l.unknown, 1);
    assert.equal(l.maxLength, 3);
    // The corpus figure still counts every token.
    assert.equal(result.n, 7);
    assert.ok(Math.abs(result.crossEntropy - 19.75 / 7) < 1e-12);
  });

  it('reads the sequence from JSON Lines and --seq-id, and losses as they are', async () => {
    const lines = [['x', 1], ['y', 2], ['x', 3]].map(([s, loss]) => JSON.stringify({ doc: s, nll: loss })).join('\n');
    const result = await evaluate(tempFile('lm.jsonl', lines), { backend: 'cpu', columns: { sequence: 'doc' }, lengthBuckets: [1] });
    assert.ok(result.task === 'language-model' && result.lengthBuckets);
    assert.deepEqual(result.lengthBuckets.buckets.map((b) => [b.count, b.tokens, b.crossEntropy]), [[1, 1, 2], [1, 2, 2]]);
  });

  it('has no buckets without a sequence-id column, and refuses a named one the file lacks', async () => {
    const result = await evaluate(tempFile('lm.csv', 'logprob\n-1\n-2\n'), { backend: 'cpu' });
    assert.ok(result.task === 'language-model' && result.lengthBuckets === undefined);
    await assert.rejects(evaluate(tempFile('lm.csv', 'logprob\n-1\n-2\n'), { backend: 'cpu', columns: { sequence: 'doc' } }), /no sequence-id column 'doc'/);
  });

  it('warns of truncation when 5% of the sequences have exactly the longest length', async () => {
    const rows: string[] = [];
    for (let q = 0; q < 40; q++) for (let t = 0; t < (q < 10 ? 8 : 2 + (q % 5)); t++) rows.push(`s${q},-1`);
    const result = await evaluate(tempFile('lm.csv', `seq_id,logprob\n${rows.join('\n')}\n`), { backend: 'cpu' });
    const w = result.warnings.find((x) => x.code === 'SLE322');
    assert.ok(w, JSON.stringify(result.warnings));
    assert.match(w.message, /25\.0% of samples have exactly 8 tokens/);
  });

  it('prints the buckets in text, JSON and HTML', async () => {
    const result = await evaluate(tempFile('lm.csv', csv), { backend: 'cpu', lengthBuckets: [1, 2] });
    const text = formatText(result);
    assert.match(text, /By sequence length \(tokens of each sequence in 'seq_id'/);
    assert.match(text, /> 2 tokens\s+1\s+3\s+0\.917\s+2\.501/);
    assert.match(text, /1 tokens name no sequence/);
    const json = JSON.parse(formatJson(result)) as { sequences: number; lengthBuckets: { buckets: { tokens: number; perplexity: number }[] } };
    assert.equal(json.sequences, 3);
    assert.deepEqual(json.lengthBuckets.buckets.map((b) => b.tokens), [1, 2, 3]);
    const html = formatHtml(result);
    assert.match(html, /<h2>Perplexity by sequence length<\/h2>/);
    assert.match(html, /<td>2\.501<\/td>/);
  });
});
