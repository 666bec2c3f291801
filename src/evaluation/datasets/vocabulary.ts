// Raw text to token ids with the user's vocabulary: a JSON object word → id (Keras'
// tokenizer.word_index, torchtext's stoi) or a text file with one token a line (id = line index).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../errors';

export interface Vocabulary {
  path: string;
  ids: Map<string, number>;
  /** The id given to words the vocabulary lacks. */
  oovId: number;
  lowercase: boolean;
}

const OOV_TOKENS = ['<unk>', '[UNK]', '<UNK>', '<oov>', '<OOV>', '[OOV]', 'UNK', '<unknown>'];
/** Keras' Tokenizer default filters: punctuation, tabs and newlines become spaces. */
const FILTERS = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~\t\n]/g;

export function readVocabulary(path: string, options: { oovId?: number; lowercase?: boolean } = {}): Vocabulary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(path, null, `cannot read the vocabulary (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const ids = new Map<string, number>();
  if (extname(path).toLowerCase() === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(path, null, `the vocabulary is not JSON (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError(path, null, 'a JSON vocabulary must be an object mapping each word to its id, e.g. {"the": 2, "movie": 3}');
    }
    for (const [word, id] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new InputError(path, null, `the id of '${word}' is ${JSON.stringify(id)}, not a non-negative integer`);
      ids.set(word, id);
    }
  } else {
    const lines = text.split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((token, i) => {
      if (!ids.has(token)) ids.set(token, i);
    });
  }
  if (ids.size === 0) throw new InputError(path, null, 'the vocabulary is empty');
  let oovId = options.oovId;
  if (oovId === undefined) {
    const token = OOV_TOKENS.find((t) => ids.has(t));
    if (token === undefined) throw new InputError(path, null, `the vocabulary has no out-of-vocabulary token (${OOV_TOKENS.slice(0, 4).join(', ')}, …); pass --oov-id N`);
    oovId = ids.get(token)!;
  }
  // Lower-case the text unless the vocabulary itself has capitalised words.
  const lowercase = options.lowercase ?? ![...ids.keys()].some((w) => !OOV_TOKENS.includes(w) && w !== w.toLowerCase());
  return { path, ids, oovId, lowercase };
}

/** Splits text the way Keras' Tokenizer does by default: filter punctuation, lower-case, split on whitespace. */
export function tokenize(text: string, vocabulary: Vocabulary): number[] {
  const cleaned = (vocabulary.lowercase ? text.toLowerCase() : text).replace(FILTERS, ' ');
  const out: number[] = [];
  for (const word of cleaned.split(/\s+/)) {
    if (word === '') continue;
    out.push(vocabulary.ids.get(word) ?? vocabulary.oovId);
  }
  return out;
}
