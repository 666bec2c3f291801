// The few pieces of the WebAssembly binary format that the SIMD kernels need (./recurrent-gates.ts):
// one module that imports its memory, functions over i32/f32/v128 locals, loops, loads, stores and
// float arithmetic, emitted either four lanes at a time (f32x4) or one (f32) from the same formula.
// The module is built in memory when first needed; there is no toolchain and no .wasm file to ship.

/** Code that appends its bytes; an expression leaves one value on the wasm stack. */
export type Emit = (out: number[]) => void;

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function uleb(n: number, out: number[] = []): number[] {
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** Several pieces of code in order. */
export const seq = (...parts: Emit[]): Emit => (out) => { for (const p of parts) p(out); };
export const raw = (...bytes: number[]): Emit => (out) => { out.push(...bytes); };

export const local = {
  get: (i: number): Emit => raw(0x20, ...uleb(i)),
  set: (i: number, v: Emit): Emit => seq(v, raw(0x21, ...uleb(i))),
  /** Sets the local and leaves the value on the stack. */
  tee: (i: number, v: Emit): Emit => seq(v, raw(0x22, ...uleb(i))),
  /** Adds to an i32 local (a pointer or a counter): a constant, or an expression. */
  increase: (i: number, by: number | Emit): Emit => local.set(i, i32.add(local.get(i), typeof by === 'number' ? i32.const(by) : by)),
};

/** i32 arithmetic for addresses and counters. */
export const i32 = {
  const: (n: number): Emit => raw(0x41, ...sleb(n)),
  add: (a: Emit, b: Emit): Emit => seq(a, b, raw(0x6a)),
  sub: (a: Emit, b: Emit): Emit => seq(a, b, raw(0x6b)),
  mul: (a: Emit, b: Emit): Emit => seq(a, b, raw(0x6c)),
  gtS: (a: Emit, b: Emit): Emit => seq(a, b, raw(0x4a)),
  load: (address: Emit): Emit => seq(address, raw(0x28, 2, 0)),
  geS: (a: Emit, b: Emit): Emit => seq(a, b, raw(0x4e)),
};

/** `condition ? a : b` for i32 values; both are evaluated. */
export const select = (a: Emit, b: Emit, condition: Emit): Emit => seq(a, b, condition, raw(0x1b));

/** `while (!exit) { body }` — `exit` is an i32 condition checked before each pass. */
export function whileNot(exit: Emit, body: Emit): Emit {
  return seq(raw(0x02, 0x40, 0x03, 0x40), exit, raw(0x0d, 1), body, raw(0x0c, 0, 0x0b, 0x0b));
}

/** Float arithmetic on one lane type: f32x4 (four lanes) or f32 (one), so one formula serves both loops. */
export interface Lanes {
  readonly width: 4 | 1;
  readonly type: number;
  load(address: Emit): Emit;
  store(address: Emit, value: Emit): Emit;
  constant(v: number): Emit;
  /** A scalar f32 expression copied to every lane. */
  splat(scalar: Emit): Emit;
  add(a: Emit, b: Emit): Emit;
  sub(a: Emit, b: Emit): Emit;
  mul(a: Emit, b: Emit): Emit;
  div(a: Emit, b: Emit): Emit;
  /** b < a ? b : a, and max a < b ? b : a: a NaN in a stays (one instruction, where IEEE min/max take several). */
  min(a: Emit, b: Emit): Emit;
  max(a: Emit, b: Emit): Emit;
}

const f32Bytes = (v: number) => [...new Uint8Array(new Float32Array([v]).buffer)];
const simd = (op: number) => raw(0xfd, ...uleb(op));

export const f32x4: Lanes = {
  width: 4,
  type: V128,
  load: (a) => seq(a, simd(0x00), raw(0, 0)),
  store: (a, v) => seq(a, v, simd(0x0b), raw(0, 0)),
  constant: (v) => seq(raw(0x43, ...f32Bytes(v)), simd(0x13)),
  splat: (s) => seq(s, simd(0x13)),
  add: (a, b) => seq(a, b, simd(0xe4)),
  sub: (a, b) => seq(a, b, simd(0xe5)),
  mul: (a, b) => seq(a, b, simd(0xe6)),
  div: (a, b) => seq(a, b, simd(0xe7)),
  min: (a, b) => seq(a, b, simd(0xea)),
  max: (a, b) => seq(a, b, simd(0xeb)),
};

export const f32: Lanes = {
  width: 1,
  type: F32,
  load: (a) => seq(a, raw(0x2a, 2, 0)),
  store: (a, v) => seq(a, v, raw(0x38, 2, 0)),
  constant: (v) => raw(0x43, ...f32Bytes(v)),
  splat: (s) => s,
  add: (a, b) => seq(a, b, raw(0x92)),
  sub: (a, b) => seq(a, b, raw(0x93)),
  mul: (a, b) => seq(a, b, raw(0x94)),
  div: (a, b) => seq(a, b, raw(0x95)),
  min: (a, b) => seq(a, b, raw(0x96)),
  max: (a, b) => seq(a, b, raw(0x97)),
};

export interface FunctionSpec {
  name: string;
  params: number[];
  /** Extra locals, in order after the parameters. */
  locals: number[];
  body: Emit;
}

/** A module importing `env.memory` (unshared, any size) and exporting the given functions, which return nothing. */
export function moduleBytes(functions: FunctionSpec[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const name = (s: string) => [...uleb(utf8(s).length), ...utf8(s)];
  // Memory type: limits flag 0 (no maximum), at least 0 pages.
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]];
  const bodies = functions.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const code: number[] = [];
    f.body(code);
    const body = [...vec(groups.map(([n, t]) => [...uleb(n), t])), ...code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ];
  return Uint8Array.from(bytes);
}

/** v128 memory access with a constant byte offset (folded into the instruction, no address arithmetic). */
export const v128 = {
  load: (address: Emit, offset = 0): Emit => seq(address, simd(0x00), raw(0, ...uleb(offset))),
  store: (address: Emit, value: Emit, offset = 0): Emit => seq(address, value, simd(0x0b), raw(0, ...uleb(offset))),
  /** One f32 read from memory into all four lanes. */
  loadSplat: (address: Emit, offset = 0): Emit => seq(address, simd(0x09), raw(0, ...uleb(offset))),
};
