// Seeded mutations of input files, for fuzzing any reader: bit flips, boundary bytes and
// 32-bit values, cuts, repeats, inserted syntax, numbers in text swapped for extreme ones, and
// damage aimed at the end of a file (where a zip keeps its directory). Deterministic for a seed.
//
//   const random = seededRandom(13);
//   for (const bytes of mutants(seedFiles, 500, random)) { ... read bytes, expect a result or a clean error ... }

export type Random = () => number;

/** mulberry32: a small, fast, seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)];

const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x22, 0x2c, 0x0a, 0x5c];
const BOUNDARY_WORDS = [0, 1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 0xffff, 0x10000];
const TOKENS = ['"', ',', '\n', '\r', '{', '}', '[', ']', ':', '\\', '\\u', 'null', 'true', 'nul', 'txxx', 'NaN', 'inf', '-', '1e309', '-1', '\u0000', '\u00ff', 'y_true', 'score', 'p_0', '(', ')', "'", '\ufffd'];
const NUMBERS = ['-1', '0', '-100', '4294967295', '4294967296', '9007199254740993', '99999999999999999999', '1e9', '0x10', 'abc', ''];

/** Each mutation returns a new buffer; none changes its input. */
export const MUTATIONS: Record<string, (input: Buffer, random: Random) => Buffer> = {
  flipBit(input, random) {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    const at = int(random, out.length);
    out[at] ^= 1 << int(random, 8);
    return out;
  },
  boundaryByte(input, random) {
    if (input.length === 0) return input;
    const out = Buffer.from(input);
    out[int(random, out.length)] = pick(random, BOUNDARY_BYTES);
    return out;
  },
  boundaryWord(input, random) {
    if (input.length < 4) return input;
    const out = Buffer.from(input);
    out.writeUInt32LE(pick(random, BOUNDARY_WORDS) >>> 0, int(random, out.length - 3));
    return out;
  },
  /** Damage within the last 128 bytes, where a zip's central directory and end record sit. */
  tailWord(input, random) {
    if (input.length < 4) return input;
    const out = Buffer.from(input);
    const from = Math.max(0, out.length - 128);
    out.writeUInt32LE(pick(random, BOUNDARY_WORDS) >>> 0, from + int(random, out.length - 3 - from));
    return out;
  },
  truncate(input, random) {
    return input.subarray(0, int(random, input.length));
  },
  deleteRange(input, random) {
    const start = int(random, input.length);
    const length = 1 + int(random, Math.min(64, input.length - start));
    return Buffer.concat([input.subarray(0, start), input.subarray(start + length)]);
  },
  repeatRange(input, random) {
    const start = int(random, input.length);
    const length = 1 + int(random, Math.min(256, input.length - start));
    const times = 1 + int(random, 8);
    const piece = input.subarray(start, start + length);
    return Buffer.concat([input.subarray(0, start + length), ...Array.from({ length: times }, () => piece), input.subarray(start + length)]);
  },
  insertToken(input, random) {
    const at = int(random, input.length + 1);
    return Buffer.concat([input.subarray(0, at), Buffer.from(pick(random, TOKENS), 'utf8'), input.subarray(at)]);
  },
  /** A run of ASCII digits (a value, a size in a header) swapped for an extreme or malformed number. */
  swapNumber(input, random) {
    const runs: [number, number][] = [];
    for (let p = 0; p < input.length && runs.length < 256; p++) {
      if (input[p] >= 0x30 && input[p] <= 0x39) {
        const start = p;
        while (p < input.length && input[p] >= 0x30 && input[p] <= 0x39) p++;
        runs.push([start, p]);
      }
    }
    if (runs.length === 0) return input;
    const [start, end] = pick(random, runs);
    return Buffer.concat([input.subarray(0, start), Buffer.from(pick(random, NUMBERS)), input.subarray(end)]);
  },
};

const NAMES = Object.keys(MUTATIONS);

/** One to four mutations applied in turn. */
export function mutate(input: Buffer, random: Random): { bytes: Buffer; applied: string[] } {
  let bytes = input;
  const applied: string[] = [];
  const count = 1 + int(random, 4);
  for (let i = 0; i < count; i++) {
    const name = pick(random, NAMES);
    bytes = MUTATIONS[name](bytes, random);
    applied.push(name);
  }
  return { bytes, applied };
}

/** `count` mutants of the seed files, taken in turn. */
export function* mutants(seeds: Buffer[], count: number, random: Random): Generator<{ bytes: Buffer; seed: number; applied: string[] }> {
  for (let i = 0; i < count; i++) {
    const seed = i % seeds.length;
    yield { seed, ...mutate(seeds[seed], random) };
  }
}
