// Growable typed arrays. A reader that can guess the row count (file size over the bytes of
// the first rows) reserves it once, so a 10-million-row column is allocated once and handed
// over without a copy; without a guess, growth is by 1.5×.

const INITIAL = 1 << 16;

export class GrowableFloat64 {
  private data = new Float64Array(INITIAL);
  length = 0;

  reserve(capacity: number): void {
    if (capacity > this.data.length) this.resize(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.resize(Math.ceil(this.data.length * 1.5));
    this.data[this.length++] = value;
  }

  /** The values, without copying; the builder must not be used afterwards. */
  finish(): Float64Array {
    const out = this.data.subarray(0, this.length);
    this.data = new Float64Array(0);
    return out;
  }

  private resize(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class GrowableInt32 {
  private data = new Int32Array(INITIAL);
  length = 0;

  reserve(capacity: number): void {
    if (capacity > this.data.length) this.resize(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.resize(Math.ceil(this.data.length * 1.5));
    this.data[this.length++] = value;
  }

  finish(): Int32Array {
    const out = this.data.subarray(0, this.length);
    this.data = new Int32Array(0);
    return out;
  }

  private resize(capacity: number): void {
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
