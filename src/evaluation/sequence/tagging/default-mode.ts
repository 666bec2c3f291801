// seqeval 1.2.2's default mode, `get_entities`, which follows conlleval: a chunk ends and starts
// according to the prefix letters B, I, E, S and O and a change of type. Every sentence is
// followed by an `O`, as seqeval flattens the sentences with one between each, so no chunk
// crosses a sentence.
//
// What this mode does with tags it does not know is part of the contract, because seqeval's
// figures are what users compare with:
// - An `I-` with no `B-` before it starts a chunk (after `O`, or on a type change).
// - BILOU's `L-` and `U-` are not prefixes here: `L-X` continues the chunk it follows and never
//   ends it, `U-X` only starts one through the type change, and `B-X L-X B-X L-X` yields one
//   entity, not two. Strict mode with the BILOU scheme reads them properly.
// - A type change ends and starts a chunk whatever the prefix, except for `O` and `.`.
import type { TaggedCorpus } from '../corpus';
import { EntityCollector, EntityList } from './entities';
import { defaultPrefixAndType, Interner } from './tags';

const B = 1;
const I = 2;
const E = 3;
const S = 4;
const O = 5;
const DOT = 6;
const OTHER = 7;
/** The type before the first token: seqeval starts with `prev_type = ''`, which no tag's type equals. */
const NO_TYPE = -1;

function prefixCode(prefix: string): number {
  switch (prefix) {
    case 'B': return B;
    case 'I': return I;
    case 'E': return E;
    case 'S': return S;
    case 'O': return O;
    case '.': return DOT;
    default: return OTHER;
  }
}

function endOfChunk(prevTag: number, tag: number, prevType: number, type: number): boolean {
  if (prevTag === E || prevTag === S) return true;
  if ((prevTag === B || prevTag === I) && (tag === B || tag === S || tag === O)) return true;
  return prevTag !== O && prevTag !== DOT && prevType !== type;
}

function startOfChunk(prevTag: number, tag: number, prevType: number, type: number): boolean {
  if (tag === B || tag === S) return true;
  if ((prevTag === E || prevTag === S || prevTag === O) && (tag === E || tag === I)) return true;
  return tag !== O && tag !== DOT && prevType !== type;
}

/** Entities of one side of the corpus; types are interned into `types`. */
export function defaultModeEntities(corpus: TaggedCorpus, side: Int32Array, types: Interner): EntityList {
  const k = corpus.tags.length;
  const tagPrefix = new Int32Array(k);
  const tagType = new Int32Array(k);
  corpus.tags.forEach((tag, id) => {
    const [prefix, type] = defaultPrefixAndType(tag);
    tagPrefix[id] = prefixCode(prefix);
    tagType[id] = types.id(type);
  });
  const outsideType = types.id('_');
  const out = new EntityCollector();
  const starts = corpus.sentenceStarts;
  let prevTag = O;
  let prevType = NO_TYPE;
  let begin = 0;
  for (let s = 0; s + 1 < starts.length; s++) {
    const last = starts[s + 1];
    // Tokens of the sentence, then the `O` that follows it (at index `last`, never inside a chunk).
    for (let i = starts[s]; i <= last; i++) {
      let tag: number;
      let type: number;
      if (i < last) {
        const id = side[i];
        tag = tagPrefix[id];
        type = tagType[id];
      } else {
        tag = O;
        type = outsideType;
      }
      if (endOfChunk(prevTag, tag, prevType, type)) out.add(begin, i - 1, prevType);
      if (startOfChunk(prevTag, tag, prevType, type)) begin = i;
      prevTag = tag;
      prevType = type;
    }
  }
  return out.finish();
}
