// The sentences behind each cell of the entity-type confusion, for the panel: click a cell (gold
// PER predicted as ORG, a missed LOC, a spurious MISC…) and read the sentences where it happened,
// with the gold and predicted entities marked. Bounded whatever the corpus: a few sentences per
// cell, a cap on all sentences, a window of tokens around the entity, and each token cut short.
import { lineOfToken, sentenceOfToken, TaggedCorpus } from '../corpus';
import { forEachLine } from '../readers/lines';
import type { EntityList } from './entities';
import type { EntityCellVisitor } from './metrics';
import type { EntityExamples, ExampleLimits, ExampleSentence, ExampleSpan } from './types';

export type { EntityExamples, ExampleLimits };

export const DEFAULT_EXAMPLE_LIMITS: ExampleLimits = { perCell: 10, limit: 200, window: 60, tokenChars: 40 };

/**
 * A visitor for `entityScores` that keeps, per cell, the first sentences where the cell's entities
 * lie; `finish` turns them into windows once the confusion's type order is known.
 */
export class ExampleCollector {
  private readonly kept = new Map<number, number>();
  private readonly order: number[] = [];
  private readonly cells = new Map<string, { goldType: number; predictedType: number; items: { sentence: number; start: number; end: number }[] }>();

  constructor(private readonly corpus: TaggedCorpus, private readonly limits: ExampleLimits = DEFAULT_EXAMPLE_LIMITS) {}

  readonly visit: EntityCellVisitor = (goldType, predictedType, start, end) => {
    const key = `${goldType},${predictedType}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { goldType, predictedType, items: [] };
      this.cells.set(key, cell);
    }
    if (cell.items.length >= this.limits.perCell) return;
    const sentence = sentenceOfToken(this.corpus, start);
    if (!this.kept.has(sentence)) {
      if (this.order.length >= this.limits.limit) return;
      this.kept.set(sentence, this.order.length);
      this.order.push(sentence);
    }
    cell.items.push({ sentence, start, end });
  };

  /** The examples, with the windows' tokens read back from the file. */
  async finish(gold: EntityList, predicted: EntityList, typeNames: string[], confusionTypes: string[]): Promise<EntityExamples> {
    const { corpus, limits } = this;
    const starts = corpus.sentenceStarts;
    // One window per kept sentence, around the first entity it was kept for.
    const windows = new Map<number, { from: number; to: number }>();
    for (const cell of this.cells.values()) {
      for (const item of cell.items) {
        if (windows.has(item.sentence)) continue;
        const first = starts[item.sentence];
        const last = starts[item.sentence + 1];
        const from = Math.max(first, Math.min(item.start - Math.floor(limits.window / 3), last - limits.window));
        windows.set(item.sentence, { from, to: Math.min(last, from + limits.window) });
      }
    }
    const tokens = await readWindowTokens(corpus, this.order.map((s) => ({ sentence: s, ...windows.get(s)! })), limits.tokenChars);
    const spansIn = (list: EntityList, from: number, to: number): ExampleSpan[] => {
      const spans: ExampleSpan[] = [];
      // Entities come in token order with increasing ends: the first ending at or after `from`.
      let lo = 0;
      let hi = list.end.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list.end[mid] < from) lo = mid + 1;
        else hi = mid;
      }
      for (let e = lo; e < list.end.length && list.start[e] < to; e++) {
        spans.push({ start: Math.max(list.start[e], from) - from, end: Math.min(list.end[e], to - 1) - from, type: typeNames[list.type[e]] });
      }
      return spans;
    };
    const sentences = this.order.map((s, i): ExampleSentence => {
      const { from, to } = windows.get(s)!;
      return {
        sentence: s,
        line: corpus.sentenceLines[s],
        offset: from - starts[s],
        length: starts[s + 1] - starts[s],
        tokens: tokens[i],
        gold: spansIn(gold, from, to),
        predicted: spansIn(predicted, from, to),
      };
    });
    const index = (type: number) => (type < 0 ? confusionTypes.length : confusionTypes.indexOf(typeNames[type]));
    const cells = [...this.cells.values()]
      .filter((c) => c.items.length > 0)
      .map((c) => ({
        gold: index(c.goldType),
        predicted: index(c.predictedType),
        items: c.items.map((item) => {
          const from = windows.get(item.sentence)!.from;
          return { sentence: this.kept.get(item.sentence)!, start: item.start - from, end: item.end - from };
        }),
      }))
      .sort((a, b) => a.gold - b.gold || a.predicted - b.predicted);
    return { ...limits, sentences, cells };
  }
}

/**
 * The text of each window's tokens, read again from the file (the corpus keeps only tag ids):
 * CoNLL's first field when a line has more than the two tags, JSONL's "tokens". A sentence whose
 * lines no longer match (the file changed) gets null.
 */
async function readWindowTokens(corpus: TaggedCorpus, windows: { sentence: number; from: number; to: number }[], tokenChars: number): Promise<(string[] | null)[]> {
  const out: (string[] | null)[] = windows.map(() => null);
  if (windows.length === 0) return out;
  const cut = (text: string) => (text.length > tokenChars ? `${text.slice(0, tokenChars - 1)}…` : text);
  if (corpus.format === 'conll') {
    // line → (window, position)
    const wanted = new Map<number, [number, number]>();
    windows.forEach((w, i) => {
      for (let t = w.from; t < w.to; t++) wanted.set(lineOfToken(corpus, w.sentence, t), [i, t - w.from]);
    });
    const texts = windows.map((w) => new Array<string>(w.to - w.from).fill(''));
    const complete = windows.map(() => true);
    await forEachLine(corpus.path, (raw, line) => {
      const at = wanted.get(line);
      if (!at) return;
      const parts = raw.trim().split(/[ \t]+/);
      if (parts.length < 3) complete[at[0]] = false;
      else texts[at[0]][at[1]] = cut(parts[0]);
    });
    return texts.map((t, i) => (complete[i] ? t : null));
  }
  const byLine = new Map<number, number>();
  windows.forEach((w, i) => byLine.set(corpus.sentenceLines[w.sentence], i));
  await forEachLine(corpus.path, (raw, line) => {
    const i = byLine.get(line);
    if (i === undefined) return;
    try {
      const record = JSON.parse(raw) as { tokens?: unknown };
      const w = windows[i];
      const first = corpus.sentenceStarts[w.sentence];
      if (Array.isArray(record.tokens) && record.tokens.length === corpus.sentenceStarts[w.sentence + 1] - first) {
        out[i] = record.tokens.slice(w.from - first, w.to - first).map((token) => cut(typeof token === 'string' ? token : JSON.stringify(token) ?? ''));
      }
    } catch {
      // The file changed since it was read: no text for this sentence.
    }
  });
  return out;
}
