// Sequence labelling: how each mode reads tags, the readers' formats and their input errors.
import { strict as assert } from 'node:assert';
import { InputError } from '../../../src/evaluation/errors';
import { readTaggedCorpus } from '../../../src/evaluation/sequence/readers/index';
import { evaluateTaggingFile, TaggingOptions } from '../../../src/evaluation/sequence/tagging/evaluate';
import { runEval } from '../../../src/cli/eval';
import { tempFile } from './helpers';

function conll(sentences: [string, string][][]): string {
  return sentences.map((s) => s.map(([g, p], i) => `w${i} ${g} ${p}\n`).join('')).join('\n');
}

async function entities(gold: string[], predicted: string[], options: TaggingOptions = {}) {
  const path = tempFile('t.conll', conll([gold.map((g, i) => [g, predicted[i]])]));
  return (await evaluateTaggingFile(path, options)).entities;
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof InputError && pattern.test(error.message));
}

describe('sequence labelling: the default mode (seqeval default, conlleval)', () => {
  it('counts an I- with no B- before it as an entity', async () => {
    const e = await entities(['O', 'I-PER', 'I-PER', 'O'], ['O', 'B-PER', 'I-PER', 'O']);
    assert.equal(e.micro.support, 1);
    assert.equal(e.perType[0].correct, 1);
  });

  it('reads B-X L-X B-X L-X as one entity, as seqeval does, and warns that BILOU needs strict mode', async () => {
    const path = tempFile('t.conll', conll([[['B-X', 'B-X'], ['L-X', 'L-X'], ['B-X', 'B-X'], ['L-X', 'L-X']]]));
    const result = await evaluateTaggingFile(path);
    assert.equal(result.entities.micro.support, 1);
    assert.deepEqual(result.warnings.map((w) => w.code), ['SLE301']);
    const strict = await evaluateTaggingFile(path, { mode: 'strict', scheme: 'BILOU' });
    assert.equal(strict.entities.micro.support, 2);
  });

  it('never lets an entity cross a blank line', async () => {
    const path = tempFile('t.conll', conll([[['B-PER', 'B-PER']], [['I-PER', 'I-PER']]]));
    assert.equal((await evaluateTaggingFile(path)).entities.micro.support, 2);
  });
});

describe('sequence labelling: strict mode', () => {
  it('drops an I- with no B- under IOB2', async () => {
    const e = await entities(['O', 'B-PER', 'I-PER'], ['O', 'I-PER', 'I-PER'], { mode: 'strict', scheme: 'IOB2' });
    assert.equal(e.micro.support, 1);
    assert.equal(e.perType[0].predicted, 0);
  });

  it('detects the scheme from the gold tags as seqeval does, and says so', async () => {
    const path = tempFile('t.conll', conll([[['S-PER', 'S-PER'], ['B-LOC', 'B-LOC'], ['E-LOC', 'E-LOC']]]));
    const result = await evaluateTaggingFile(path, { mode: 'strict' });
    assert.equal(result.scheme, 'IOBES');
    assert.equal(result.schemeDetected, true);
  });

  it('rejects a tag the scheme does not use, with its file line', async () => {
    const path = tempFile('t.conll', conll([[['B-PER', 'B-PER'], ['E-PER', 'I-PER']]]));
    await rejects(evaluateTaggingFile(path, { mode: 'strict', scheme: 'IOB2' }), /t\.conll:2: strict mode with IOB2: the gold tag 'E-PER'/);
  });
});

describe('tagged file readers', () => {
  it('reads JSON Lines with tokens, tags and predictions, one sentence a line', async () => {
    const path = tempFile('t.jsonl', '{"tokens":["a","b"],"tags":["B-X","O"],"predictions":["B-X","B-X"]}\n\n{"tags":[],"predictions":[]}\n');
    const corpus = await readTaggedCorpus(path);
    assert.equal(corpus.gold.length, 2);
    assert.deepEqual(Array.from(corpus.sentenceStarts), [0, 2, 2]);
    assert.deepEqual(Array.from(corpus.sentenceLines), [1, 3]);
  });

  it('skips -DOCSTART- and treats -X- as a sentence boundary, as conlleval does', async () => {
    const path = tempFile('t.conll', '-DOCSTART- -X- O O\n\nEU B-ORG B-ORG\n-X- O O\nrejects O O\n');
    const corpus = await readTaggedCorpus(path);
    assert.equal(corpus.gold.length, 2);
    assert.deepEqual(Array.from(corpus.sentenceLines), [3, 5]);
  });

  it('names the line of a CoNLL line with too few or inconsistent fields', async () => {
    await rejects(readTaggedCorpus(tempFile('t.conll', 'a B-X B-X\nb O\n')), /t\.conll:2: 2 fields, but line 1 has 3/);
    await rejects(readTaggedCorpus(tempFile('t.conll', 'lonely\n')), /t\.conll:1: one field/);
  });

  it('names the line of a JSONL record whose arrays disagree or hold numbers', async () => {
    await rejects(readTaggedCorpus(tempFile('t.jsonl', '{"tags":["O"],"predictions":["O"]}\n{"tags":["O","O"],"predictions":["O"]}\n')), /t\.jsonl:2: 'tags' has 2 tags but 'predictions' has 1/);
    await rejects(readTaggedCorpus(tempFile('t.jsonl', '{"tags":[0],"predictions":[1]}\n')), /t\.jsonl:1: 'tags' holds 0/);
  });
});

describe('seqlens eval on a tagged file', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
  };

  it('prints the entity report in text and JSON', async () => {
    const path = tempFile('t.conll', conll([[['B-PER', 'B-PER'], ['I-PER', 'I-PER'], ['O', 'B-LOC']]]));
    const text = io();
    assert.equal(await runEval([path], text.io), 0);
    assert.match(text.out.join(''), /PER\s+1\.000\s+1\.000\s+1\.000\s+1/);
    const json = io();
    assert.equal(await runEval([path, '--format', 'json', '--mode', 'strict', '--scheme', 'IOB2'], json.io), 0);
    const report = JSON.parse(json.out.join(''));
    assert.equal(report.mode, 'strict');
    assert.equal(report.entities.micro.precision, 0.5);
  });

  it('writes for the panel the JSON report plus the sentences behind the entity-type cells', async () => {
    const path = tempFile('t.conll', conll([[['B-PER', 'B-LOC'], ['I-PER', 'I-LOC'], ['O', 'O']]]));
    const json = io();
    assert.equal(await runEval([path, '--format', 'json'], json.io), 0);
    const panel = io();
    assert.equal(await runEval([path, '--format', 'panel'], panel.io), 0);
    const run = JSON.parse(panel.out.join(''));
    assert.equal(run.task, 'sequence-labelling');
    assert.equal(run.backend, null);
    assert.deepEqual(run.report, JSON.parse(json.out.join('')));
    // Gold PER (row 1 of LOC, PER, none) predicted LOC (column 0) over the same two tokens.
    assert.deepEqual(run.entityExamples.cells, [{ gold: 1, predicted: 0, items: [{ sentence: 0, start: 0, end: 1 }] }]);
    assert.deepEqual(run.entityExamples.sentences[0].tokens, ['w0', 'w1', 'w2']);
  });

  it('exits 2 with file:line on a bad tagged file, and rejects an unknown scheme', async () => {
    const bad = io();
    assert.equal(await runEval([tempFile('t.conll', 'a O O\nb O\n')], bad.io), 2);
    assert.match(bad.err.join(''), /t\.conll:2:/);
    const usage = io();
    assert.equal(await runEval(['x.conll', '--scheme', 'XYZ'], usage.io), 2);
  });
});

describe('the new report sections in HTML', () => {
  it('draws the entity table and both confusion matrices for a tagged file, escaping tags', async () => {
    const { formatTaggingHtml } = await import('../../../src/evaluation/report/tagging');
    const path = tempFile('t.conll', conll([[['B-<X>', 'B-<X>'], ['O', 'I-<X>']]]));
    const html = formatTaggingHtml(await evaluateTaggingFile(path));
    assert.match(html, /<h2>Entities<\/h2>/);
    assert.match(html, /<h2>Entity types<\/h2>/);
    assert.match(html, /B-&lt;X&gt;/);
    assert.doesNotMatch(html, /<X>/);
  });

  it('adds calibration and errors by length to a classification page', async () => {
    const { evaluate } = await import('../../../src/evaluation/evaluate');
    const { formatHtml } = await import('../../../src/evaluation/report/html');
    const rows = Array.from({ length: 80 }, (_, i) => `${'w '.repeat(3 + (i % 40))},${i % 2},${((i * 37) % 100) / 100}`);
    const html = formatHtml(await evaluate(tempFile('p.csv', `text,y_true,score\n${rows.join('\n')}\n`), { backend: 'cpu' }));
    assert.match(html, /<h2>Calibration<\/h2>/);
    assert.match(html, /fitted on this same data/);
    assert.match(html, /<h2>By sequence length<\/h2>/);
  });
});
