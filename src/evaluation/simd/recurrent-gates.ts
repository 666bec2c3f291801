// A recurrent step's gate arithmetic as one WebAssembly SIMD function per cell, run in place on the
// TensorFlow.js wasm backend's heap. On that backend a step of an LSTM was a matrix product followed
// by some fifteen element-wise kernels (add, sigmoid, split, mul, sub, …), each its own dispatch and
// allocation over the (batch, units) block, which cost as much as the product itself. Here the
// step's gates are read where the product and the input projection left them (the projection of
// every time step sits in one tensor: the step's rows are read at their offset, never sliced out),
// and h (and c) are written directly.
//
// tanh is Eigen's float rational approximation (a degree-13 odd numerator over a degree-6 even
// denominator, input clamped to ±7.9053): within 4e-7 of tanh everywhere, and sigmoid(x) is
// 0.5·tanh(x/2) + 0.5, within 3e-7. The wasm backend's own Tanh calls std::tanh one element at a time,
// ten times slower than its sigmoid; the same function serves as its replacement (wasm-kernels.ts).
import { Emit, F32, f32, f32x4, FunctionSpec, I32, i32, Lanes, local, moduleBytes, seq, V128, whileNot } from './encoder';

/** Kernels of this module; each takes (a, b, state, hOut, cOut, rows, units, scale) — addresses in bytes. */
export type GateKernel = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu' | 'tanh';
export const GATE_COUNT: Record<GateKernel, number> = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1, tanh: 1 };

/** Eigen's generic_fast_tanh_float coefficients: numerator (odd powers 1…13), denominator (even powers 0…6). */
const CLAMP = 7.90531110763549805;
const NUMERATOR = [4.89352455891786e-3, 6.37261928875436e-4, 1.48572235717979e-5, 5.12229709037114e-8, -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16];
const DENOMINATOR = [4.89352518554385e-3, 2.2684346324390e-3, 1.18534705686654e-4, 1.19825839466702e-6];

/** The same approximation in JavaScript, rounding to float32 after each operation as the SIMD code does. */
export function tanhApproximation(x: number): number {
  const r = Math.fround;
  const v = Math.max(Math.min(r(x), r(CLAMP)), r(-CLAMP));
  const v2 = r(v * v);
  const horner = (cs: number[]) => cs.slice(0, -1).reduceRight((acc, c) => r(r(v2 * acc) + r(c)), r(cs[cs.length - 1]));
  return r(r(v * horner(NUMERATOR)) / horner(DENOMINATOR));
}

// Parameters, then i32 locals, then eight temporaries of each lane type.
const [A, B, STATE, H_OUT, C_OUT, ROWS, UNITS, SCALE] = [0, 1, 2, 3, 4, 5, 6, 7];
const [GATE_AT, STATE_AT, ROW_END, TOTAL, STRIDE, SKIP] = [8, 9, 10, 11, 12, 13];
const GATE_OFFSET = [-1, 14, 15, 16]; // gate k starts k·units floats into its row
const VECTOR_TEMPS = 17;
const SCALAR_TEMPS = 25;
const [T, T2, GI, GF, GG, GO, CELL, SCALED] = [0, 1, 2, 3, 4, 5, 6, 7];

const temp = (L: Lanes, k: number) => (L.width === 4 ? VECTOR_TEMPS : SCALAR_TEMPS) + k;
const get = (L: Lanes, k: number) => local.get(temp(L, k));
const set = (L: Lanes, k: number, v: Emit) => local.set(temp(L, k), v);

function tanh(L: Lanes, x: Emit): Emit {
  const v2 = get(L, T2);
  const horner = (cs: number[]) => cs.slice(0, -1).reduceRight((acc: Emit, c) => L.add(L.mul(v2, acc), L.constant(c)), L.constant(cs[cs.length - 1]));
  return seq(
    set(L, T, L.max(L.min(x, L.constant(CLAMP)), L.constant(-CLAMP))),
    set(L, T2, L.mul(get(L, T), get(L, T))),
    L.div(L.mul(get(L, T), horner(NUMERATOR)), horner(DENOMINATOR)),
  );
}

const sigmoid = (L: Lanes, x: Emit): Emit => L.add(L.mul(L.constant(0.5), tanh(L, L.mul(L.constant(0.5), x))), L.constant(0.5));

/** Address of gate k of the current element in a (rows, gates·units) block at parameter `base`. */
const gateAt = (base: number, k: number): Emit => {
  const row = i32.add(local.get(base), local.get(GATE_AT));
  return k === 0 ? row : i32.add(row, local.get(GATE_OFFSET[k]));
};
/** Address of the current element in a (rows, units) block at parameter `base`. */
const stateAt = (base: number): Emit => i32.add(local.get(base), local.get(STATE_AT));

/** Pre-activation of gate k: the recurrent product's column plus the input projection's. */
const preActivation = (L: Lanes, k: number): Emit => L.add(L.load(gateAt(A, k)), L.load(gateAt(B, k)));

/** The element formula of each kernel, for one lane type. `scale` multiplies the candidate's pre-activation. */
const BODIES: Record<GateKernel, (L: Lanes) => Emit> = {
  // PyTorch LSTM, gates i, f, g, o: c' = f·c + i·g, h' = o·tanh(c').
  lstm: (L) => seq(
    set(L, GI, sigmoid(L, preActivation(L, 0))),
    set(L, GF, sigmoid(L, preActivation(L, 1))),
    set(L, GG, tanh(L, L.mul(get(L, SCALED), preActivation(L, 2)))),
    set(L, GO, sigmoid(L, preActivation(L, 3))),
    set(L, CELL, L.add(L.mul(get(L, GF), L.load(stateAt(STATE))), L.mul(get(L, GI), get(L, GG)))),
    L.store(stateAt(C_OUT), get(L, CELL)),
    L.store(stateAt(H_OUT), L.mul(get(L, GO), tanh(L, get(L, CELL)))),
  ),
  // PyTorch GRU, gates r, z, n, reset after the product (a holds h·U_n + b_hn): h' = n + z·(h − n).
  gru: (L) => seq(
    set(L, GI, sigmoid(L, preActivation(L, 0))),
    set(L, GF, sigmoid(L, preActivation(L, 1))),
    set(L, GG, tanh(L, L.mul(get(L, SCALED), L.add(L.load(gateAt(B, 2)), L.mul(get(L, GI), L.load(gateAt(A, 2))))))),
    L.store(stateAt(H_OUT), L.add(get(L, GG), L.mul(get(L, GF), L.sub(L.load(stateAt(STATE)), get(L, GG))))),
  ),
  rnn_tanh: (L) => L.store(stateAt(H_OUT), tanh(L, L.mul(get(L, SCALED), preActivation(L, 0)))),
  rnn_relu: (L) => L.store(stateAt(H_OUT), L.max(preActivation(L, 0), L.constant(0))),
  // Element-wise tanh of `rows · units` floats at a into hOut.
  tanh: (L) => L.store(stateAt(H_OUT), tanh(L, L.load(gateAt(A, 0)))),
};

function kernel(name: GateKernel): FunctionSpec {
  const gates = GATE_COUNT[name];
  const body = BODIES[name];
  const add = (target: number, n: number | Emit) => local.set(target, i32.add(local.get(target), typeof n === 'number' ? i32.const(n) : n));
  /** Elements of the current row, `L.width` at a time, while a whole group is left. */
  const pass = (L: Lanes) => whileNot(
    i32.gtS(i32.add(local.get(STATE_AT), i32.const(4 * L.width)), local.get(ROW_END)),
    seq(body(L), add(GATE_AT, 4 * L.width), add(STATE_AT, 4 * L.width)),
  );
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32, F32],
    locals: [...new Array(9).fill(I32), ...new Array(8).fill(V128), ...new Array(8).fill(F32)],
    body: seq(
      local.set(STRIDE, i32.mul(local.get(UNITS), i32.const(4))),
      ...[1, 2, 3].map((k) => local.set(GATE_OFFSET[k], i32.mul(local.get(STRIDE), i32.const(k)))),
      local.set(SKIP, i32.mul(local.get(STRIDE), i32.const(gates - 1))),
      local.set(TOTAL, i32.mul(local.get(ROWS), local.get(STRIDE))),
      set(f32x4, SCALED, f32x4.splat(local.get(SCALE))),
      set(f32, SCALED, local.get(SCALE)),
      local.set(ROW_END, local.get(STRIDE)),
      whileNot(
        i32.geS(local.get(STATE_AT), local.get(TOTAL)),
        seq(pass(f32x4), pass(f32), add(GATE_AT, local.get(SKIP)), add(ROW_END, local.get(STRIDE))),
      ),
    ),
  };
}

export const GATE_KERNELS: readonly GateKernel[] = ['lstm', 'gru', 'rnn_tanh', 'rnn_relu', 'tanh'];

/** What this module uses of the WebAssembly global (absent from the ES2022 lib's typings). */
export interface WasmMemory { readonly buffer: ArrayBuffer | SharedArrayBuffer }
interface WasmModule { readonly compiled: unique symbol }
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where this WebAssembly engine has no SIMD. */
export function gateModule(): WasmModule | null {
  if (compiled === undefined) {
    const bytes = moduleBytes(GATE_KERNELS.map(kernel));
    compiled = wasmApi().validate(bytes) ? new (wasmApi().Module)(bytes) : null;
  }
  return compiled;
}

export type GateFunction = (a: number, b: number, state: number, hOut: number, cOut: number, rows: number, units: number, scale: number) => void;

const instances = new WeakMap<WasmMemory, Record<GateKernel, GateFunction>>();

/** The kernels working on `memory` (instantiated once per memory); null without SIMD or on shared memory. */
export function gateKernels(memory: WasmMemory): Record<GateKernel, GateFunction> | null {
  let found = instances.get(memory);
  if (!found) {
    const compiledModule = gateModule();
    if (!compiledModule || (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)) return null;
    const exports = new (wasmApi().Instance)(compiledModule, { env: { memory } }).exports as unknown as Record<GateKernel, GateFunction>;
    found = exports;
    instances.set(memory, found);
  }
  return found;
}
