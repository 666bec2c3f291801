// Per-token JSON Lines: one sentence a line, {"tokens": [...], "tags": [...], "predictions": [...]}.
// `tokens` is optional; the two tag arrays hold strings and have the sentence's length.
import { InputError } from '../../errors';
import type { TaggedCorpus } from '../corpus';
import { forEachLine } from './lines';
import { TagCollector } from './tag-collector';

export const GOLD_KEYS = ['tags', 'gold', 'labels', 'ner_tags', 'y_true'];
export const PREDICTED_KEYS = ['predictions', 'predicted', 'pred_tags', 'y_pred'];

function pick(record: Record<string, unknown>, keys: string[]): [string, unknown] | null {
  for (const key of keys) if (key in record) return [key, record[key]];
  return null;
}

export async function readTagJsonLines(path: string): Promise<TaggedCorpus> {
  const collector = new TagCollector(path, 'jsonl');
  await forEachLine(path, (raw, line) => {
    const text = raw.trim();
    if (text === '') return;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new InputError(path, line, `not valid JSON (${(error as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new InputError(path, line, 'each line must hold one JSON object');
    const object = record as Record<string, unknown>;
    const gold = pick(object, GOLD_KEYS);
    const predicted = pick(object, PREDICTED_KEYS);
    if (!gold) throw new InputError(path, line, `no gold tags (looked for ${GOLD_KEYS.join(', ')})`);
    if (!predicted) throw new InputError(path, line, `no predicted tags (looked for ${PREDICTED_KEYS.join(', ')})`);
    const goldTags = tagArray(gold, path, line);
    const predictedTags = tagArray(predicted, path, line);
    if (goldTags.length !== predictedTags.length) {
      throw new InputError(path, line, `'${gold[0]}' has ${goldTags.length} tags but '${predicted[0]}' has ${predictedTags.length}`);
    }
    const tokens = object.tokens;
    if (tokens !== undefined && (!Array.isArray(tokens) || tokens.length !== goldTags.length)) {
      throw new InputError(path, line, `'tokens' must be an array of the tags' length (${goldTags.length})`);
    }
    collector.beginSentence(line);
    for (let i = 0; i < goldTags.length; i++) collector.add(goldTags[i], predictedTags[i], line);
    collector.endSentence();
  });
  if (collector.tokens === 0) throw new InputError(path, null, 'no tagged tokens: each line needs "tags" and "predictions" arrays');
  return collector.finish();
}

function tagArray([key, value]: [string, unknown], path: string, line: number): string[] {
  if (!Array.isArray(value)) throw new InputError(path, line, `'${key}' must be an array of tag strings`);
  for (const tag of value) {
    if (typeof tag !== 'string') {
      throw new InputError(path, line, `'${key}' holds ${JSON.stringify(tag)?.slice(0, 20)}; tags must be strings such as "B-PER" (integer tag ids need their names)`);
    }
  }
  return value as string[];
}
