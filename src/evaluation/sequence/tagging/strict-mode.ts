// seqeval 1.2.2's strict mode (`mode='strict'` with a scheme; seqeval.scheme.Tokens.entities):
// an entity starts on a start pattern, runs while tokens match an inside pattern, and counts only
// if the token after it matches an end pattern. Each sentence is read apart, followed by an `O`.
// So an `I-` with no `B-` never starts an IOB2 entity, and an entity cut short (B-PER I-LOC under
// IOBES) is dropped rather than guessed.
import { InputError } from '../../errors';
import { lineOfToken, sentenceOfToken, TaggedCorpus } from '../corpus';
import { EntityCollector, EntityList } from './entities';
import { Pattern, PREFIX_BITS, Scheme, SCHEMES, SchemeName } from './schemes';
import { Interner, strictPrefixAndType } from './tags';

const LETTERS = ['I', 'O', 'B', 'E', 'S', 'U', 'L'];
const MATCH_ANY = 1;
const MATCH_SAME = 2;
const MATCH_DIFF = 4;

/** For each (previous prefix, current prefix) pair, which type conditions make a pattern match. */
function patternTable(patterns: readonly Pattern[]): Uint8Array {
  const table = new Uint8Array(7 * 7);
  for (let p = 0; p < 7; p++) {
    for (let c = 0; c < 7; c++) {
      let bits = 0;
      for (const [prev, current, type] of patterns) {
        if ((prev & (1 << p)) && (current & (1 << c))) bits |= type === 'any' ? MATCH_ANY : type === 'same' ? MATCH_SAME : MATCH_DIFF;
      }
      table[p * 7 + c] = bits;
    }
  }
  return table;
}

function matches(table: Uint8Array, prevPrefix: number, prevType: number, prefix: number, type: number): boolean {
  const bits = table[prevPrefix * 7 + prefix];
  if (bits === 0) return false;
  if (bits & MATCH_ANY) return true;
  return prevType === type ? (bits & MATCH_SAME) !== 0 : (bits & MATCH_DIFF) !== 0;
}

/** Index (0..6) of each letter's bit, as the tables use it. */
function prefixIndex(letter: string): number {
  const bit = PREFIX_BITS[letter];
  return bit === undefined ? -1 : Math.log2(bit);
}

export function strictModeEntities(corpus: TaggedCorpus, side: Int32Array, schemeName: SchemeName, types: Interner, which: string): EntityList {
  const scheme: Scheme = SCHEMES[schemeName];
  const k = corpus.tags.length;
  const tagPrefix = new Int32Array(k);
  const tagType = new Int32Array(k);
  const used = new Uint8Array(k);
  for (let i = 0; i < side.length; i++) used[side[i]] = 1;
  corpus.tags.forEach((tag, id) => {
    const [letter, type] = strictPrefixAndType(tag);
    const index = prefixIndex(letter);
    if (used[id] && (index < 0 || !(scheme.allowed & (1 << index)))) {
      const allowed = LETTERS.filter((l) => scheme.allowed & PREFIX_BITS[l]).join(', ');
      const token = side.indexOf(id);
      const s = sentenceOfToken(corpus, token);
      throw new InputError(corpus.path, lineOfToken(corpus, s, token),
        `strict mode with ${schemeName}: the ${which} tag '${tag}' has ${index < 0 ? 'no known prefix' : `the prefix ${letter}-, which ${schemeName} does not use`} (${schemeName} tags start with ${allowed}); use the right --scheme, or the default mode`);
    }
    tagPrefix[id] = index;
    tagType[id] = types.id(type);
  });
  const outsidePrefix = prefixIndex('O');
  const outsideType = types.id('_');
  const start = patternTable(scheme.start);
  const inside = patternTable(scheme.inside);
  const end = patternTable(scheme.end);
  const out = new EntityCollector();
  const starts = corpus.sentenceStarts;
  for (let s = 0; s + 1 < starts.length; s++) {
    const first = starts[s];
    const last = starts[s + 1]; // index of the `O` after the sentence
    const prefixAt = (i: number) => (i < last ? tagPrefix[side[i]] : outsidePrefix);
    const typeAt = (i: number) => (i < last ? tagType[side[i]] : outsideType);
    let prevPrefix = outsidePrefix;
    let prevType = outsideType;
    let i = first;
    while (i <= last) {
      const prefix = prefixAt(i);
      const type = typeAt(i);
      if (matches(start, prevPrefix, prevType, prefix, type)) {
        let j = i + 1;
        let p = prefix;
        let t = type;
        while (j <= last && matches(inside, p, t, prefixAt(j), typeAt(j))) {
          p = prefixAt(j);
          t = typeAt(j);
          j++;
        }
        // seqeval's _forward falls back to len(tokens) - 1 when nothing stops the run; the closing `O`
        // is never inside an entity, so j <= last always.
        if (matches(end, prefixAt(j - 1), typeAt(j - 1), prefixAt(j), typeAt(j))) out.add(i, j - 1, type);
        i = j;
      } else {
        i++;
      }
      prevPrefix = prefixAt(i - 1);
      prevType = typeAt(i - 1);
    }
  }
  return out.finish();
}
