// Growable typed arrays. A reader that can guess the row count (file size over the bytes of
// the first rows) reserves it once, so a 10-million-row column is allocated once and handed
// over without a copy; without a guess, growth is by 1.5×. They start small: a file may
// declare thousands of columns before its first row, and none of them may cost memory
// before it holds values.

const INITIAL = 256;

type NumericArray = Float64Array | Int32Array;

class Growable<T extends NumericArray> {
  private data: T;
  length = 0;

  constructor(private readonly make: (length: number) => T) {
    this.data = make(INITIAL);
  }

  reserve(capacity: number): void {
    if (capacity > this.data.length) this.resize(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.resize(Math.ceil(this.data.length * 1.5));
    this.data[this.length++] = value;
  }

  /** The values, without copying; the builder must not be used afterwards. */
  finish(): T {
    const out = this.data.subarray(0, this.length) as T;
    this.data = this.make(0);
    return out;
  }

  private resize(capacity: number): void {
    const next = this.make(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor() {
    super((n) => new Float64Array(n));
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor() {
    super((n) => new Int32Array(n));
  }
}
