// A tagged corpus once read: gold and predicted tag ids per token, sentence boundaries, and where
// each sentence sits in the file (for messages and for showing examples).

export interface TaggedCorpus {
  path: string;
  format: 'conll' | 'jsonl';
  /** Distinct tag strings; `gold` and `predicted` index into it. */
  tags: string[];
  gold: Int32Array;
  predicted: Int32Array;
  /** Sentence s holds tokens `sentenceStarts[s] .. sentenceStarts[s + 1] - 1`; one more entry than sentences. */
  sentenceStarts: Int32Array;
  /** The 1-based file line where each sentence begins (CoNLL: its first token; JSONL: its record). */
  sentenceLines: Int32Array;
}

export function sentenceCount(corpus: TaggedCorpus): number {
  return corpus.sentenceStarts.length - 1;
}

/** The file line of token `t` of sentence `s` (CoNLL has one token a line; JSONL one sentence a line). */
export function lineOfToken(corpus: TaggedCorpus, s: number, t: number): number {
  return corpus.format === 'conll' ? corpus.sentenceLines[s] + (t - corpus.sentenceStarts[s]) : corpus.sentenceLines[s];
}

/** The sentence holding token `t` (binary search over the starts). */
export function sentenceOfToken(corpus: TaggedCorpus, t: number): number {
  let lo = 0;
  let hi = corpus.sentenceStarts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (corpus.sentenceStarts[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
