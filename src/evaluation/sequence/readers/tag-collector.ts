// What both tagging readers build: interned tags, gold and predicted ids, sentence boundaries.
import { InputError } from '../../errors';
import { GrowableInt32 } from '../../readers/growable';
import type { TaggedCorpus } from '../corpus';
import { Interner } from '../tagging/tags';

/** More distinct tags than this is not a tag set (the tag confusion matrix is k × k). */
export const MAX_TAGS = 2000;
/** A tag longer than this is not a tag. */
export const MAX_TAG_LENGTH = 200;

export class TagCollector {
  private readonly tags = new Interner();
  private readonly gold = new GrowableInt32();
  private readonly predicted = new GrowableInt32();
  private readonly starts = new GrowableInt32();
  private readonly lines = new GrowableInt32();
  private open = false;

  constructor(private readonly path: string, private readonly format: 'conll' | 'jsonl') {}

  get tokens(): number {
    return this.gold.length;
  }

  /** Begins a sentence at `line` (the sentence may stay empty in JSONL). */
  beginSentence(line: number): void {
    this.starts.push(this.gold.length);
    this.lines.push(line);
    this.open = true;
  }

  get inSentence(): boolean {
    return this.open;
  }

  endSentence(): void {
    this.open = false;
  }

  add(gold: string, predicted: string, line: number): void {
    this.gold.push(this.tagId(gold, line, 'gold'));
    this.predicted.push(this.tagId(predicted, line, 'predicted'));
  }

  private tagId(tag: string, line: number, which: string): number {
    if (tag.length === 0) throw new InputError(this.path, line, `the ${which} tag is empty`);
    if (tag.length > MAX_TAG_LENGTH) throw new InputError(this.path, line, `the ${which} tag is ${tag.length} characters long; tags are at most ${MAX_TAG_LENGTH}`);
    const id = this.tags.id(tag);
    if (this.tags.size > MAX_TAGS) throw new InputError(this.path, line, `more than ${MAX_TAGS} distinct tags: this does not look like a tagged file`);
    return id;
  }

  finish(): TaggedCorpus {
    const sentenceLines = this.lines.finish();
    const starts = this.starts.finish();
    const sentenceStarts = new Int32Array(starts.length + 1);
    sentenceStarts.set(starts);
    sentenceStarts[starts.length] = this.gold.length;
    return {
      path: this.path,
      format: this.format,
      tags: this.tags.names,
      gold: this.gold.finish(),
      predicted: this.predicted.finish(),
      sentenceStarts,
      sentenceLines,
    };
  }
}
