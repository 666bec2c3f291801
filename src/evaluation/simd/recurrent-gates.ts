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
import { Emit, F32, f32, f32x4, FunctionSpec, I32, i32, Lanes, local, moduleBytes, select, seq, V128, whileNot } from './encoder';
import { copyRowsFunction, gemmFunction } from './gemm';
import { sumMiddleFunction } from './reduce';

/**
 * Kernels of this module; each takes (a, b, state, hOut, cOut, rows, units, scale, ids), addresses in
 * bytes. a is (rows, gates·units); row r of b is b's row r, or its row ids[r] when ids is not 0
 * (a projection table picked by token ids: the rows are read where they are, never gathered).
 */
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
  const y = r(v * v);
  const y2 = r(y * y);
  const y4 = r(y2 * y2);
  const c = (k: number, cs: number[]) => r(cs[k]);
  const pair = (k: number, cs: number[]) => r(c(k, cs) + r(y * c(k + 1, cs)));
  const numerator = r(r(pair(0, NUMERATOR) + r(y2 * pair(2, NUMERATOR))) + r(y4 * r(pair(4, NUMERATOR) + r(y2 * c(6, NUMERATOR)))));
  const denominator = r(pair(0, DENOMINATOR) + r(y2 * pair(2, DENOMINATOR)));
  return r(r(v * numerator) / denominator);
}

// Parameters, then i32 locals, then eight temporaries of each lane type.
const [A, B, STATE, H_OUT, C_OUT, ROWS, UNITS, SCALE, IDS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
/** ROW_A, ROW_B: the current row of a and b; J: bytes into the row; STATE_AT: bytes into the (rows, units) blocks. */
const [ROW, ROW_A, ROW_B, J, STATE_AT, STRIDE, ROW_STRIDE] = [9, 10, 11, 12, 13, 14, 15];
const GATE_OFFSET = [-1, 16, 17, 18]; // gate k starts k·units floats into its row
const I32_LOCALS = 10;
const TEMPS = 10;
const VECTOR_TEMPS = 19;
const SCALAR_TEMPS = VECTOR_TEMPS + TEMPS;
const [T, T2, GI, GF, GG, GO, CELL, SCALED, Y2, Y4] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const temp = (L: Lanes, k: number) => (L.width === 4 ? VECTOR_TEMPS : SCALAR_TEMPS) + k;
const get = (L: Lanes, k: number) => local.get(temp(L, k));
const set = (L: Lanes, k: number, v: Emit) => local.set(temp(L, k), v);

function tanh(L: Lanes, x: Emit): Emit {
  const [y, y2, y4] = [get(L, T2), get(L, Y2), get(L, Y4)];
  const c = (k: number, cs: number[]) => L.constant(cs[k]);
  const pair = (k: number, cs: number[]) => L.add(c(k, cs), L.mul(y, c(k + 1, cs)));
  // Estrin's scheme in y = x²: short dependency chains, so that neighbouring groups overlap.
  const numerator = L.add(L.add(pair(0, NUMERATOR), L.mul(y2, pair(2, NUMERATOR))), L.mul(y4, L.add(pair(4, NUMERATOR), L.mul(y2, c(6, NUMERATOR)))));
  const denominator = L.add(pair(0, DENOMINATOR), L.mul(y2, pair(2, DENOMINATOR)));
  return seq(
    set(L, T, L.max(L.min(x, L.constant(CLAMP)), L.constant(-CLAMP))),
    set(L, T2, L.mul(get(L, T), get(L, T))),
    set(L, Y2, L.mul(y, y)),
    set(L, Y4, L.mul(y2, y2)),
    L.div(L.mul(get(L, T), numerator), denominator),
  );
}

const sigmoid = (L: Lanes, x: Emit): Emit => L.add(L.mul(L.constant(0.5), tanh(L, L.mul(L.constant(0.5), x))), L.constant(0.5));

/** Address of gate k of the current element in a (A) or b (B). */
const gateAt = (block: typeof A | typeof B, k: number): Emit => {
  const at = i32.add(local.get(block === A ? ROW_A : ROW_B), local.get(J));
  return k === 0 ? at : i32.add(at, local.get(GATE_OFFSET[k]));
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
  /** Elements of the current row, `L.width` at a time, while a whole group is left. */
  const pass = (L: Lanes) => whileNot(
    i32.gtS(i32.add(local.get(J), i32.const(4 * L.width)), local.get(STRIDE)),
    seq(body(L), local.increase(J, 4 * L.width), local.increase(STATE_AT, 4 * L.width)),
  );
  // b's row for this row: ids[row] when ids is given, else row.
  const rowOfB = select(i32.load(i32.add(local.get(IDS), i32.mul(local.get(ROW), i32.const(4)))), local.get(ROW), local.get(IDS));
  return {
    name,
    params: [I32, I32, I32, I32, I32, I32, I32, F32, I32],
    locals: [...new Array(I32_LOCALS).fill(I32), ...new Array(TEMPS).fill(V128), ...new Array(TEMPS).fill(F32)],
    body: seq(
      local.set(STRIDE, i32.mul(local.get(UNITS), i32.const(4))),
      ...[1, 2, 3].map((k) => local.set(GATE_OFFSET[k], i32.mul(local.get(STRIDE), i32.const(k)))),
      local.set(ROW_STRIDE, i32.mul(local.get(STRIDE), i32.const(gates))),
      set(f32x4, SCALED, f32x4.splat(local.get(SCALE))),
      set(f32, SCALED, local.get(SCALE)),
      local.set(ROW_A, local.get(A)),
      whileNot(
        i32.geS(local.get(ROW), local.get(ROWS)),
        seq(
          local.set(ROW_B, i32.add(local.get(B), i32.mul(rowOfB, local.get(ROW_STRIDE)))),
          local.set(J, i32.const(0)),
          pass(f32x4),
          pass(f32),
          local.increase(ROW_A, local.get(ROW_STRIDE)),
          local.increase(ROW, 1),
        ),
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
    const bytes = moduleBytes([...GATE_KERNELS.map(kernel), gemmFunction(), copyRowsFunction(), sumMiddleFunction()]);
    compiled = wasmApi().validate(bytes) ? new (wasmApi().Module)(bytes) : null;
  }
  return compiled;
}

export type GateFunction = (a: number, b: number, state: number, hOut: number, cOut: number, rows: number, units: number, scale: number, ids: number) => void;

/** The module's functions: the gate kernels, the packed-panel product (./gemm.ts), the strided row copy and the sum over middle axes (./reduce.ts). */
export type SimdKernels = Record<GateKernel, GateFunction> & {
  gemm(a: number, lda: number, packedB: number, bias: number, c: number, ldc: number, m: number, k: number, n: number): void;
  copy_rows(from: number, fromStride: number, to: number, toStride: number, rows: number, rowBytes: number): void;
  sum_middle(x: number, out: number, outer: number, reduce: number, inner: number, divisor: number): void;
};

const instances = new WeakMap<WasmMemory, SimdKernels>();

/** The kernels working on `memory` (instantiated once per memory); null without SIMD or on shared memory. */
export function gateKernels(memory: WasmMemory): SimdKernels | null {
  let found = instances.get(memory);
  if (!found) {
    const compiledModule = gateModule();
    if (!compiledModule || (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)) return null;
    const exports = new (wasmApi().Instance)(compiledModule, { env: { memory } }).exports as unknown as SimdKernels;
    found = exports;
    instances.set(memory, found);
  }
  return found;
}
