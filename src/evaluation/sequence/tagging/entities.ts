// Entities found in one side (gold or predicted) of a corpus: spans over global token indices,
// `end` inclusive. Within one side no two entities share an end token, in either mode, so an
// entity is found again from its end alone (see `matchEntities`).
import { GrowableInt32 } from '../../readers/growable';

export interface EntityList {
  start: Int32Array;
  end: Int32Array;
  /** Index into the corpus' entity types. */
  type: Int32Array;
}

export class EntityCollector {
  private readonly starts = new GrowableInt32();
  private readonly ends = new GrowableInt32();
  private readonly types = new GrowableInt32();

  add(start: number, end: number, type: number): void {
    this.starts.push(start);
    this.ends.push(end);
    this.types.push(type);
  }

  finish(): EntityList {
    return { start: this.starts.finish(), end: this.ends.finish(), type: this.types.finish() };
  }
}
