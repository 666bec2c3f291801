// The sentences the panel lists behind each cell of the entity-type confusion: every listed entity
// really is in its cell, the tokens are the file's, and every bound holds.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateTaggingFile } from '../../../src/evaluation/sequence/tagging/evaluate';
import type { ExampleLimits, TaggingResult } from '../../../src/evaluation/sequence/tagging/types';
import { tempFile } from './helpers';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sequence');
const WIDE: ExampleLimits = { perCell: 3, limit: 10_000, window: 10_000, tokenChars: 1000 };

/** Sentences of a CoNLL file as written: each a list of [word, gold, predicted]. */
function conllSentences(path: string): string[][][] {
  return readFileSync(path, 'utf8').split(/\n\s*\n/).map((block) => block.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/[ \t]+/))).filter((s) => s.length > 0);
}

function checkCells(result: TaggingResult): void {
  const examples = result.examples!;
  const names = [...result.entities.confusion.types, null];
  const matrix = result.entities.confusion.matrix;
  for (let g = 0; g < names.length; g++) {
    for (let p = 0; p < names.length; p++) {
      const cell = examples.cells.find((c) => c.gold === g && c.predicted === p);
      assert.equal(cell?.items.length ?? 0, Math.min(examples.perCell, matrix[g][p]), `cell ${names[g]} → ${names[p]}`);
      for (const item of cell?.items ?? []) {
        const sentence = examples.sentences[item.sentence];
        const at = (spans: { start: number; end: number; type: string }[]) => spans.find((s) => s.start === item.start && s.end === item.end);
        if (names[g] === null) assert.equal(at(sentence.gold), undefined);
        else assert.equal(at(sentence.gold)?.type, names[g]);
        if (names[p] === null) assert.equal(at(sentence.predicted), undefined);
        else assert.equal(at(sentence.predicted)?.type, names[p]);
      }
    }
  }
}

describe('sequence labelling: the sentences behind each entity-type cell', () => {
  it('lists, for every cell, its first entities with the sentence\'s words and both sides\' entities (CoNLL)', async () => {
    const path = join(FIXTURES, 'well_formed_iob2.conll');
    const result = await evaluateTaggingFile(path, { examples: WIDE });
    checkCells(result);
    const file = conllSentences(path);
    for (const sentence of result.examples!.sentences) {
      assert.deepEqual(sentence.tokens, file[sentence.sentence].map((parts) => parts[0]));
      assert.equal(sentence.offset, 0);
      assert.equal(sentence.length, file[sentence.sentence].length);
    }
  });

  it('reads the words of a JSON Lines file from its "tokens", in strict mode too', async () => {
    const path = join(FIXTURES, 'random_iob2.jsonl');
    const result = await evaluateTaggingFile(path, { examples: WIDE, mode: 'strict', scheme: 'IOB2' });
    checkCells(result);
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { tokens: string[] });
    for (const sentence of result.examples!.sentences) assert.deepEqual(sentence.tokens, lines[sentence.line - 1].tokens);
  });

  it('keeps at most the limit of sentences in all, a window of tokens around the entity, and cuts long words', async () => {
    const long = 'x'.repeat(500);
    const tokens = Array.from({ length: 300 }, (_, i) => (i === 200 ? long : `w${i}`));
    const tags = tokens.map((_, i) => (i === 200 ? 'B-PER' : 'O'));
    const predicted = tokens.map((_, i) => (i === 200 ? 'B-LOC' : 'O'));
    const lines = Array.from({ length: 5 }, () => JSON.stringify({ tokens, tags, predictions: predicted }));
    const path = tempFile('long.jsonl', `${lines.join('\n')}\n`);
    const limits: ExampleLimits = { perCell: 10, limit: 2, window: 12, tokenChars: 40 };
    const result = await evaluateTaggingFile(path, { examples: limits });
    const examples = result.examples!;
    assert.equal(examples.sentences.length, 2);
    const [cell] = examples.cells;
    assert.equal(cell.items.length, 2, 'the cell holds 5 entities, but only 2 sentences are kept');
    for (const sentence of examples.sentences) {
      assert.equal(sentence.tokens!.length, 12);
      assert.ok(sentence.offset > 0 && sentence.offset <= 200 && sentence.offset + 12 > 200);
      const word = sentence.tokens![200 - sentence.offset];
      assert.equal(word.length, 40);
      assert.ok(word.endsWith('…'));
      assert.deepEqual(sentence.gold, [{ start: 200 - sentence.offset, end: 200 - sentence.offset, type: 'PER' }]);
    }
  });

  it('gives null words when the file has none, and keeps no examples unless asked', async () => {
    const path = tempFile('tags-only.conll', 'B-PER B-PER\nI-PER O\nO B-LOC\n');
    const result = await evaluateTaggingFile(path, { examples: true });
    assert.ok(result.examples!.sentences.length > 0);
    for (const sentence of result.examples!.sentences) assert.equal(sentence.tokens, null);
    checkCells({ ...result, examples: { ...result.examples!, perCell: result.examples!.perCell } });
    assert.equal((await evaluateTaggingFile(path)).examples, undefined);
  });
});
