// keras.preprocessing.text.Tokenizer (tf.keras 2.x): fit_on_texts counts the words of the texts, word_index numbers
// them from 1 in decreasing count (ties in the order first seen; an oov_token takes 1), and texts_to_sequences turns
// each text into the ids of its words. Followed only for texts written in the code (a literal list of strings): the
// counts, the word index and the sequences are then exact, so `len(tokenizer.word_index)` is a number and the ids
// keep their range into pad_sequences and an Embedding. Texts from anywhere else leave the tokenizer unknown.
import { UNKNOWN, Value, sequence } from '../values/value';

/** Keras' default `filters`: removed from each text before it is split. */
const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';
/** Distinct words kept at most: past it the tokenizer is no longer followed. */
const MAX_WORDS = 10_000;

export interface TokenizerState {
  /** Word counts in the order each word was first seen; undefined once texts not written in the code were read. */
  counts: Map<string, number> | undefined;
  /** `num_words`: ids ≥ it are left out of the sequences (or become the oov id); undefined for all words. */
  numWords: number | undefined;
  oovToken: string | undefined;
  filters: string;
  lower: boolean;
  split: string;
}

type Qualname = Extract<Value, { kind: 'qualname' }>;

/** `Tokenizer(num_words=None, filters=…, lower=True, split=' ', char_level=False, oov_token=None)`. */
export function kerasTokenizer(args: Value[], kwargs: Map<string, Value>): Value {
  const arg = (i: number, name: string) => args[i] ?? kwargs.get(name);
  const numWords = arg(0, 'num_words');
  const filters = arg(1, 'filters');
  const lower = arg(2, 'lower');
  const split = arg(3, 'split');
  const charLevel = arg(4, 'char_level');
  const oov = arg(5, 'oov_token');
  const known =
    (numWords === undefined || numWords.kind === 'none' || numWords.kind === 'int') &&
    (filters === undefined || filters.kind === 'str') &&
    (lower === undefined || lower.kind === 'bool') &&
    (split === undefined || (split.kind === 'str' && split.value.length > 0)) &&
    (charLevel === undefined || (charLevel.kind === 'bool' && !charLevel.value)) &&
    (oov === undefined || oov.kind === 'none' || oov.kind === 'str') &&
    args.length <= 6;
  const state: TokenizerState = {
    counts: known ? new Map() : undefined,
    numWords: numWords?.kind === 'int' ? numWords.value : undefined,
    oovToken: oov?.kind === 'str' ? oov.value : undefined,
    filters: filters?.kind === 'str' ? filters.value : DEFAULT_FILTERS,
    lower: lower?.kind === 'bool' ? lower.value : true,
    split: split?.kind === 'str' ? split.value : ' ',
  };
  return { kind: 'qualname', name: 'keras.preprocessing.text.Tokenizer', tokenizer: state };
}

/** Keras' text_to_word_sequence: lower-cased, each filter character made a separator, split, empty words dropped. */
export function textToWords(text: string, state: Pick<TokenizerState, 'filters' | 'lower' | 'split'>): string[] {
  let t = state.lower ? text.toLowerCase() : text;
  for (const c of state.filters) t = t.split(c).join(state.split);
  return t.split(state.split).filter((w) => w.length > 0);
}

/** The texts of a literal list of strings, or undefined for anything else (a summary, a text not known). */
function literalTexts(v: Value | undefined): string[] | undefined {
  if (!v || (v.kind !== 'list' && v.kind !== 'tuple') || v.element) return undefined;
  const texts: string[] = [];
  for (const item of v.items) {
    if (item.kind !== 'str') return undefined;
    texts.push(item.value);
  }
  return texts;
}

/** word → id, as word_index: 1 for the oov token when set, then the words in decreasing count (stable). */
function wordIndex(state: TokenizerState): Map<string, number> | undefined {
  if (!state.counts) return undefined;
  const sorted = [...state.counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const vocabulary = state.oovToken !== undefined ? [state.oovToken, ...sorted] : sorted;
  const index = new Map<string, number>();
  vocabulary.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i + 1);
  });
  return index;
}

/** fit_on_texts and texts_to_sequences on a Tokenizer; undefined for a method not modelled. */
export function tokenizerMethod(receiver: Qualname, name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const state = receiver.tokenizer;
  if (!state) return undefined;
  if (name === 'fit_on_texts') {
    const texts = literalTexts(args[0] ?? kwargs.get('texts'));
    if (!texts || !state.counts) {
      state.counts = undefined;
      return { kind: 'none' };
    }
    for (const text of texts) for (const w of textToWords(text, state)) state.counts.set(w, (state.counts.get(w) ?? 0) + 1);
    if (state.counts.size > MAX_WORDS) state.counts = undefined;
    return { kind: 'none' };
  }
  if (name === 'texts_to_sequences') {
    const texts = literalTexts(args[0] ?? kwargs.get('texts'));
    const index = wordIndex(state);
    if (!texts || !index) return UNKNOWN;
    const oovId = state.oovToken !== undefined ? index.get(state.oovToken) : undefined;
    const rows = texts.map((text) => {
      const ids: Value[] = [];
      for (const w of textToWords(text, state)) {
        const i = index.get(w);
        const inRange = i !== undefined && (state.numWords === undefined || i < state.numWords);
        if (inRange) ids.push({ kind: 'int', value: i });
        else if (oovId !== undefined) ids.push({ kind: 'int', value: oovId });
      }
      return sequence('list', ids);
    });
    return sequence('list', rows);
  }
  return undefined;
}

/** word_index, index_word and word_counts of a Tokenizer whose texts are known; undefined for another attribute. */
export function tokenizerAttribute(object: Qualname, name: string): Value | undefined {
  const state = object.tokenizer;
  if (!state) return undefined;
  if (name !== 'word_index' && name !== 'index_word' && name !== 'word_counts') return undefined;
  const index = wordIndex(state);
  if (!index || !state.counts) return UNKNOWN;
  const entries = new Map<string, Value>();
  if (name === 'word_index') for (const [w, i] of index) entries.set(w, { kind: 'int', value: i });
  else if (name === 'word_counts') for (const [w, n] of state.counts) entries.set(w, { kind: 'int', value: n });
  // index_word's keys are ints, which a dict value here does not key by: only its length is kept.
  else for (const [w, i] of index) entries.set(String(i), { kind: 'str', value: w });
  return { kind: 'dict', entries };
}

/** A Tokenizer method not followed (or called with arguments not all seen): fit_on_texts then leaves the counts unknown. */
export function forgetTokenizer(receiver: Qualname, name: string): Value {
  if (receiver.tokenizer && name === 'fit_on_texts') receiver.tokenizer.counts = undefined;
  return UNKNOWN;
}
