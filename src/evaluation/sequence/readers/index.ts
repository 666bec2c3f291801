// Which files are tagged corpora, and reading them.
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../../errors';
import type { TaggedCorpus } from '../corpus';
import { readConll } from './conll';
import { GOLD_KEYS, PREDICTED_KEYS, readTagJsonLines } from './tag-jsonl';

export const CONLL_EXTENSIONS = ['.conll', '.conlleval', '.iob', '.iob1', '.iob2', '.bio', '.bioes', '.iobes', '.bilou'];
const PEEK_BYTES = 1 << 20;

export type TaggingFormat = 'conll' | 'jsonl';

/** `conll` by extension; `jsonl` when a .jsonl file's first record holds gold and predicted tag arrays. */
export function taggingFormatOf(path: string): TaggingFormat | null {
  const extension = extname(path).toLowerCase();
  if (CONLL_EXTENSIONS.includes(extension)) return 'conll';
  if (extension !== '.jsonl' && extension !== '.ndjson') return null;
  let head: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(PEEK_BYTES);
      const n = readSync(fd, buf, 0, PEEK_BYTES, 0);
      head = buf.toString('utf8', 0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null; // the predictions reader reports the unreadable file
  }
  const firstLine = head.split('\n').find((l) => l.trim() !== '');
  if (firstLine === undefined) return null;
  try {
    const record = JSON.parse(firstLine) as Record<string, unknown>;
    if (record === null || typeof record !== 'object') return null;
    const hasArray = (keys: string[]) => keys.some((k) => Array.isArray(record[k]));
    return hasArray(GOLD_KEYS) && hasArray(PREDICTED_KEYS) ? 'jsonl' : null;
  } catch {
    return null;
  }
}

export async function readTaggedCorpus(path: string, format: TaggingFormat | null = taggingFormatOf(path)): Promise<TaggedCorpus> {
  if (format === 'conll') return readConll(path);
  if (format === 'jsonl') return readTagJsonLines(path);
  throw new InputError(path, null, `not a tagged file: expected CoNLL (${CONLL_EXTENSIONS.join(', ')}) or JSON Lines with "tags" and "predictions" arrays`);
}
