// Faster copies of seven TensorFlow.js 4.22 wasm kernels that move data without computing on it:
// Slice, StridedSlice (its contiguous cases), SplitV, Unpack, GatherV2, Concat and Pack (tf.stack,
// whose stock kernel calls the stock Concat directly: stacking 50 steps' (256, 128) states took 5 ms).
//
// The stock wasm Slice reads its input with readSync, which copies the whole input tensor out of
// the wasm heap on every call: taking one time step `x[:, t, :]` of a (256, 50, 64) batch copied
// 3.2 MB, so a Python loop over 50 steps spent seconds there. StridedSlice, SplitV and Unpack call
// that same Slice. GatherV2's C++ kernel computes every element's offset one by one (about 100 ns
// an element here, 86 ms for one Embedding lookup of 256 × 50 tokens). These versions read the
// input in place through a view of the heap and copy whole contiguous runs, with the same results,
// shapes and index checks; a slice with one axis before its runs, and each input of a Concat, whose runs
// are whole sixteen-byte groups, is one strided copy by the SIMD module (copy_rows) instead of a
// copyWithin per run. Everything else (strings, batch_dims, strided steps) goes to the stock kernel.
//
// Computing kernels run SeqLens' own WebAssembly SIMD code (./simd/recurrent-gates.ts) on the same
// heap: Tanh (the stock one calls std::tanh per element, ten times slower than its Sigmoid); Mean and
// Sum over axes in the middle (the stock ones transpose the whole input first); and RecurrentGates
// and RecurrentRun, a recurrent step's gate arithmetic, or whole runs of steps, in one call.
import type { TensorInfo } from '@tensorflow/tfjs';
import { PANEL } from './simd/gemm';
import { GATE_COUNT, GateKernel, gateKernels, gateModule, WasmMemory } from './simd/recurrent-gates';

type Tf = typeof import('@tensorflow/tfjs');
type Typed = Float32Array | Int32Array | Uint8Array;

/** What these kernels use of the wasm backend (public methods of BackendWasm). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Typed;
  disposeData(dataId: object): void;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  /** The Emscripten module; `asm.memory` is its heap (absent before the backend starts). */
  wasm: { asm?: { memory?: WasmMemory } } | null;
}

/** Name of the fused recurrent-step kernel: inputs a, b, state and optionally ids; attrs kernel, row, scale. */
export const RECURRENT_GATES = 'SeqLensRecurrentGates';

/**
 * Name of the fused recurrent run: inputs weights (U packed in panels, ./simd/gemm.ts), bias (added to
 * h · U), rows and optionally ids (the input projections, as for RecurrentGates), h and, for an LSTM, c;
 * attrs kernel, scale, row (the first step's first projection row), steps, reverse and sequence.
 * Outputs [sequence (batch, steps, units) when asked, last h, last c for an LSTM].
 */
export const RECURRENT_RUN = 'SeqLensRecurrentRun';

/** The SIMD kernels on this backend's heap, or null (no SIMD here, or a shared, threaded heap). */
function simdOn(backend: WasmBackend) {
  const memory = backend.wasm?.asm?.memory;
  return memory ? gateKernels(memory) : null;
}

/**
 * Whether the active backend runs RecurrentGates: the wasm backend with this module's kernels
 * installed and SIMD available. Elsewhere a step runs as separate TensorFlow.js ops.
 */
export function recurrentGatesAvailable(tf: Tf): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(RECURRENT_GATES, 'wasm') !== undefined && simdOn(tf.backend() as unknown as WasmBackend) !== null;
}

/** Whether the active backend runs RecurrentRun (installed with RecurrentGates). */
export function recurrentRunAvailable(tf: Tf): boolean {
  return recurrentGatesAvailable(tf) && tf.getKernel(RECURRENT_RUN, 'wasm') !== undefined;
}

type KernelArgs = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackend };
type KernelFunc = (args: KernelArgs) => TensorInfo | TensorInfo[];

const installed = new WeakSet<object>();

/**
 * One view of the whole heap with the element offsets of two views of it: runs are copied with
 * copyWithin, without a subarray object per run (an Embedding lookup of 256 × 50 tokens made 12,800).
 */
function wholeHeap(from: Typed, to: Typed): [Typed, number, number] {
  const View = from.constructor as new (buffer: ArrayBufferLike) => Typed;
  const size = from.BYTES_PER_ELEMENT;
  return [new View(from.buffer), from.byteOffset / size, to.byteOffset / size];
}

/** Replaces the kernels once per TensorFlow.js module; the wasm backend package must be loaded. */
export function installWasmKernels(tf: Tf): void {
  if (installed.has(tf)) return;
  const stock = (name: string): KernelFunc => {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`the wasm backend registers no ${name} kernel`);
    return config.kernelFunc as unknown as KernelFunc;
  };
  const original = {
    slice: stock('Slice'), stridedSlice: stock('StridedSlice'), splitV: stock('SplitV'), unpack: stock('Unpack'), gather: stock('GatherV2'), reshape: stock('Reshape'),
    tanh: stock('Tanh'), concat: stock('Concat'), pack: stock('Pack'), mean: stock('Mean'), sum: stock('Sum'),
  };
  const { util } = tf;

  /** x[begin : begin + size] as a new tensor, copied from the heap in contiguous runs. */
  /**
   * `rows` runs of `width` elements from x (the first at element `from`, then every `fromStride`) into
   * out (from element `to`, every `toStride`) by the SIMD module's copy_rows, when it runs here and
   * a run is whole sixteen-byte groups; false, having copied nothing, otherwise.
   */
  const copyRows = (backend: WasmBackend, x: TensorInfo, from: number, fromStride: number, out: TensorInfo, to: number, toStride: number, rows: number, width: number): boolean => {
    const simd = simdOn(backend);
    const size = x.dtype === 'bool' ? 1 : 4;
    if (!simd || (width * size) % 16 !== 0 || x.dtype === 'string' || x.dtype === 'complex64') return false;
    simd.copy_rows(address(backend, x) + from * size, fromStride * size, address(backend, out) + to * size, toStride * size, rows, width * size);
    return true;
  };

  const slice = (backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo => {
    const out = backend.makeOutput(size, x.dtype);
    const count = util.sizeFromShape(size);
    if (count === 0) return out;
    // Views taken after makeOutput: allocating may grow the heap and detach older views.
    const from = backend.typedArrayFromHeap(x);
    const to = backend.typedArrayFromHeap(out);
    const [heap, fromBase, toBase] = wholeHeap(from, to);
    const shape = x.shape;
    const rank = shape.length;
    // Trailing axes taken whole, plus the first one that is not, form one contiguous run.
    let run = 1;
    let axis = rank - 1;
    while (axis >= 0 && size[axis] === shape[axis]) run *= shape[axis--];
    if (axis < 0) {
      to.set(from);
      return out;
    }
    const strides = util.computeStrides(shape);
    const inner = axis; // the axis whose part is taken: its `size[axis]` rows of `run` are contiguous
    const block = run * size[inner];
    const outer = inner; // axes before it are walked one index at a time
    // One axis before the runs (one time step `x[:, t, :]`): a single strided copy in SIMD code.
    if (outer === 1 && copyRows(backend, x, (begin[0] * strides[0] + begin[inner] * run), strides[0], out, 0, block, size[0], block)) return out;
    const index = new Array<number>(outer).fill(0);
    let written = 0;
    for (;;) {
      let offset = begin[inner] * run;
      for (let a = 0; a < outer; a++) offset += (begin[a] + index[a]) * strides[a];
      if (block >= 16) heap.copyWithin(toBase + written, fromBase + offset, fromBase + offset + block);
      else for (let k = 0; k < block; k++) to[written + k] = from[offset + k];
      written += block;
      let a = outer - 1;
      while (a >= 0 && ++index[a] === size[a]) index[a--] = 0;
      if (a < 0) break;
    }
    return out;
  };

  const sliceKernel: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return original.slice(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x, args.attrs.begin as number[], args.attrs.size as number[]);
    return slice(args.backend, x, begin, size);
  };

  const stridedSliceKernel: KernelFunc = (args) => {
    const { x } = args.inputs;
    const a = args.attrs as Record<string, number & number[]>;
    if (x.dtype === 'string') return original.stridedSlice(args);
    const info = tf.slice_util.sliceInfo(x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
    if (info.isIdentity || !(info.sliceDim0 || info.isSimpleSlice)) return original.stridedSlice(args);
    const size = tf.slice_util.computeOutShape(info.begin, info.end, info.strides);
    const sliced = slice(args.backend, x, info.begin, size);
    const reshaped = original.reshape({ inputs: { x: sliced }, attrs: { shape: info.finalShape }, backend: args.backend }) as TensorInfo;
    args.backend.disposeData(sliced.dataId);
    return reshaped;
  };

  const splitVKernel: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return original.splitV(args);
    const axis = util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as never, args.attrs.numOrSizeSplits as number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const part = slice(args.backend, x, begin, size);
      begin[axis] += s;
      return part;
    });
  };

  const unpackKernel: KernelFunc = (args) => {
    const value = args.inputs.value;
    if (value.dtype === 'string') return original.unpack(args);
    const rank = value.shape.length;
    const axis = (args.attrs.axis as number) < 0 ? (args.attrs.axis as number) + rank : (args.attrs.axis as number);
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      begin[axis] = i;
      const part = slice(args.backend, value, begin, size);
      outs.push({ dataId: part.dataId, dtype: part.dtype, shape: outShape });
    }
    return outs;
  };

  const gatherKernel: KernelFunc = (args) => {
    const { x, indices } = args.inputs;
    if (x.dtype === 'string' || indices.dtype !== 'int32' || (args.attrs.batchDims as number) !== 0) return original.gather(args);
    const axis = util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const dim = x.shape[axis];
    const picks = args.backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < picks.length; i++) {
      const index = picks[i];
      // The stock kernel's own check and message.
      util.assert(index <= dim - 1 && index >= 0, () => `GatherV2: the index value ${index} is not in [0, ${dim - 1}]`);
    }
    const outer = util.sizeFromShape(x.shape.slice(0, axis));
    const inner = util.sizeFromShape(x.shape.slice(axis + 1));
    const n = picks.length;
    const out = args.backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
    if (util.sizeFromShape(x.shape) === 0 || n === 0 || outer === 0 || inner === 0) return out;
    const from = args.backend.typedArrayFromHeap(x);
    const to = args.backend.typedArrayFromHeap(out);
    const [heap, fromBase, toBase] = wholeHeap(from, to);
    const ids = args.backend.typedArrayFromHeap(indices) as Int32Array;
    let written = 0;
    for (let o = 0; o < outer; o++) {
      const base = o * dim * inner;
      for (let j = 0; j < n; j++) {
        const offset = base + ids[j] * inner;
        if (inner >= 16) heap.copyWithin(toBase + written, fromBase + offset, fromBase + offset + inner);
        else for (let k = 0; k < inner; k++) to[written + k] = from[offset + k];
        written += inner;
      }
    }
    return out;
  };

  /** The stock kernel's copy loop (a subarray per run), with copyWithin; strings and single inputs go to it. */
  const concatKernel: KernelFunc = (args) => {
    const all = args.inputs as unknown as TensorInfo[];
    const inputs = all.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (inputs.length <= 1 || inputs[0].dtype === 'string') return original.concat(args);
    const axis = util.parseAxisParam(args.attrs.axis as number, all[0].shape)[0];
    tf.backend_util.assertParamsConsistent(all.map((t) => t.shape), axis);
    const out = args.backend.makeOutput(tf.backend_util.computeOutShape(all.map((t) => t.shape), axis), all[0].dtype);
    const rows = util.sizeFromShape(inputs[0].shape.slice(0, axis));
    const widths = inputs.map((t) => util.sizeFromShape(t.shape.slice(axis)));
    const total = widths.reduce((a, b) => a + b, 0);
    const to = args.backend.typedArrayFromHeap(out);
    inputs.forEach((t, i) => {
      if (copyRows(args.backend, t, 0, widths[i], out, widths.slice(0, i).reduce((a, b) => a + b, 0), total, rows, widths[i])) return;
      const from = args.backend.typedArrayFromHeap(t);
      const [heap, fromBase, toBase] = wholeHeap(from, to);
      const width = widths[i];
      let at = widths.slice(0, i).reduce((a, b) => a + b, 0);
      for (let r = 0; r < rows; r++, at += total) {
        if (width >= 16) heap.copyWithin(toBase + at, fromBase + r * width, fromBase + (r + 1) * width);
        else for (let k = 0; k < width; k++) to[at + k] = from[r * width + k];
      }
    });
    return out;
  };

  /** tf.stack: each input seen with a unit axis inserted (the same data), then the Concat above. */
  const packKernel: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    if (inputs.length <= 1 || inputs[0].dtype === 'string') return original.pack(args);
    const shape = inputs[0].shape;
    for (const t of inputs) {
      util.assertShapesMatch(shape, t.shape, 'All tensors passed to stack must have matching shapes');
      util.assert(t.dtype === inputs[0].dtype, () => 'All tensors passed to stack must have matching dtypes');
    }
    const given = args.attrs.axis as number;
    const axis = given < 0 ? given + shape.length + 1 : given;
    const expanded = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
    return concatKernel({ inputs: inputs.map((t) => ({ dataId: t.dataId, dtype: t.dtype, shape: expanded })) as never, attrs: { axis }, backend: args.backend });
  };

  const address = (backend: WasmBackend, t: TensorInfo): number => {
    const data = backend.dataIdMap.get(t.dataId);
    if (!data) throw new Error('RecurrentGates: a tensor has no data on the wasm heap');
    return data.memoryOffset;
  };

  const tanhKernel: KernelFunc = (args) => {
    const { x } = args.inputs;
    const simd = simdOn(args.backend);
    const size = util.sizeFromShape(x.shape);
    // Byte offsets are i32 inside the SIMD code.
    if (x.dtype !== 'float32' || !simd || size >= 2 ** 28) return original.tanh(args);
    const out = args.backend.makeOutput(x.shape, 'float32');
    if (size > 0) simd.tanh(address(args.backend, x), 0, 0, address(args.backend, out), 0, 1, size, 1, 0);
    return out;
  };

  /**
   * One recurrent step from a = h · U (+ the GRU's b_hn), rows (batch, gates·units), and the input
   * projections b: [h'] or, for an LSTM, [h', c']. The step's projections are b's rows row … row + batch − 1,
   * or, given int32 ids, b's rows ids[row] … ids[row + batch − 1] (a projection table and token ids).
   * `state` is c for an LSTM and h for a GRU; `scale` multiplies the candidate's pre-activation.
   */
  const gatesKernel: KernelFunc = (args) => {
    const { a, b, state, ids } = args.inputs;
    const kernel = args.attrs.kernel as GateKernel;
    const row = args.attrs.row as number;
    const scale = args.attrs.scale as number;
    const simd = simdOn(args.backend);
    if (!simd) throw new Error('RecurrentGates: this wasm backend has no SIMD kernels');
    const gates = GATE_COUNT[kernel];
    if (kernel === 'tanh' || !gates) throw new Error(`RecurrentGates: unknown kernel ${String(kernel)}`);
    const [rows, width] = a.shape;
    const units = width / gates;
    const float = (t: TensorInfo) => t.dtype === 'float32';
    const available = ids ? util.sizeFromShape(ids.shape) : b.shape[0];
    const ok = a.shape.length === 2 && Number.isInteger(units) && b.shape.length === 2 && b.shape[1] === width
      && Number.isInteger(row) && row >= 0 && row + rows <= available && float(a) && float(b) && float(state)
      && (!ids || ids.dtype === 'int32') && state.shape.length === 2 && state.shape[0] === rows && state.shape[1] === units && b.shape[0] * width < 2 ** 28;
    if (!ok) throw new Error(`RecurrentGates: inputs [${a.shape}], [${b.shape}] at row ${row}${ids ? ` of ${available} ids` : ''}, [${state.shape}] do not fit a ${kernel} step`);
    if (ids) {
      const picks = args.backend.typedArrayFromHeap(ids) as Int32Array;
      for (let r = row; r < row + rows; r++) {
        if (!(picks[r] >= 0 && picks[r] < b.shape[0])) throw new Error(`RecurrentGates: the id ${picks[r]} is not a row of the [${b.shape}] projections`);
      }
    }
    const h = args.backend.makeOutput([rows, units], 'float32');
    const c = kernel === 'lstm' ? args.backend.makeOutput([rows, units], 'float32') : null;
    if (rows > 0 && units > 0) {
      const at = (t: TensorInfo) => address(args.backend, t);
      const bRows = ids ? at(b) : at(b) + row * width * 4;
      simd[kernel](at(a), bRows, at(state), at(h), c ? at(c) : 0, rows, units, scale, ids ? at(ids) + row * 4 : 0);
    }
    return c ? [h, c] : [h];
  };

  /**
   * Whole recurrent steps, one after another, inside one kernel call: for each step the product
   * h · U + bias into a scratch block by the packed-panel gemm, then the step's gate kernel, which
   * updates h (and c) in place, then h copied to its time step of the sequence. No tensor is made per
   * step, and nothing goes back to TensorFlow.js between steps.
   */
  const runKernel: KernelFunc = (args) => {
    const { weights, bias, rows, ids, h, c } = args.inputs;
    const kernel = args.attrs.kernel as GateKernel;
    const row = args.attrs.row as number;
    const steps = args.attrs.steps as number;
    const scale = args.attrs.scale as number;
    const reverse = args.attrs.reverse === true;
    const sequence = args.attrs.sequence === true;
    const simd = simdOn(args.backend);
    if (!simd) throw new Error('RecurrentRun: this wasm backend has no SIMD kernels');
    const gates = GATE_COUNT[kernel];
    if (kernel === 'tanh' || !gates) throw new Error(`RecurrentRun: unknown kernel ${String(kernel)}`);
    const [batch, units] = h.shape;
    const width = gates * units;
    const lstm = kernel === 'lstm';
    const float = (t: TensorInfo) => t.dtype === 'float32';
    const size = (t: TensorInfo) => util.sizeFromShape(t.shape);
    const available = ids ? size(ids) : rows.shape[0];
    const ok = h.shape.length === 2 && width % PANEL === 0 && units % 4 === 0 && float(h) && float(weights) && float(bias) && float(rows)
      && size(weights) === units * width && size(bias) === width && rows.shape.length === 2 && rows.shape[1] === width
      && Number.isInteger(row) && Number.isInteger(steps) && row >= 0 && steps >= 0 && row + steps * batch <= available
      && (!ids || ids.dtype === 'int32') && (lstm ? !!c && float(c) && c.shape.length === 2 && c.shape[0] === batch && c.shape[1] === units : !c)
      && rows.shape[0] * width < 2 ** 28 && batch * Math.max(steps, 1) * width < 2 ** 28;
    if (!ok) throw new Error(`RecurrentRun: inputs [${weights.shape}], [${bias.shape}], [${rows.shape}]${ids ? ` through ${available} ids` : ''}, h [${h.shape}]${c ? `, c [${c.shape}]` : ''} from row ${row} for ${steps} steps do not fit a ${kernel} run`);
    if (ids) {
      const picks = args.backend.typedArrayFromHeap(ids) as Int32Array;
      for (let r = row; r < row + steps * batch; r++) {
        if (!(picks[r] >= 0 && picks[r] < rows.shape[0])) throw new Error(`RecurrentRun: the id ${picks[r]} is not a row of the [${rows.shape}] projections`);
      }
    }
    const out = sequence ? args.backend.makeOutput([batch, steps, units], 'float32') : null;
    const hOut = args.backend.makeOutput([batch, units], 'float32');
    const cOut = lstm ? args.backend.makeOutput([batch, units], 'float32') : null;
    const scratch = args.backend.makeOutput([batch, width], 'float32');
    try {
      if (steps === 0 || batch === 0 || units === 0) {
        // Views taken after the last allocation, which may have grown the heap.
        args.backend.typedArrayFromHeap(hOut).set(args.backend.typedArrayFromHeap(h));
        if (cOut) args.backend.typedArrayFromHeap(cOut).set(args.backend.typedArrayFromHeap(c));
      } else {
        const at = (t: TensorInfo) => address(args.backend, t);
        const [w, b, a, hAt, cAt, projections] = [at(weights), at(bias), at(scratch), at(hOut), cOut ? at(cOut) : 0, at(rows)];
        const idsAt = ids ? at(ids) : 0;
        const step = simd[kernel];
        // The first step reads the given state and writes the outputs; later steps update the outputs in place.
        let [hFrom, cFrom] = [at(h), c ? at(c) : 0];
        for (let s = 0; s < steps; s++) {
          const t = reverse ? steps - 1 - s : s;
          const first = row + t * batch;
          simd.gemm(hFrom, units * 4, w, b, a, width * 4, batch, units, width);
          step(a, ids ? projections : projections + first * width * 4, lstm ? cFrom : hFrom, hAt, cAt, batch, units, scale, ids ? idsAt + first * 4 : 0);
          if (out) simd.copy_rows(hAt, units * 4, at(out) + t * units * 4, steps * units * 4, batch, units * 4);
          [hFrom, cFrom] = [hAt, cAt];
        }
      }
    } finally {
      args.backend.disposeData(scratch.dataId);
    }
    return [...(out ? [out] : []), hOut, ...(cOut ? [cOut] : [])];
  };

  /**
   * Mean or Sum of float32 over axes that are next to each other and not the last one (the time axis of
   * (batch, time, units)): summed in place by the SIMD module, where the stock kernel transposes the
   * input first. Other reductions, dtypes and inner sizes that are not whole groups of four go to it.
   * An empty reduced run gives 0 for a sum and NaN for a mean, as in PyTorch (the stock kernels leave
   * the output unwritten).
   */
  const middleReduction = (stockKernel: KernelFunc, mean: boolean): KernelFunc => (args) => {
    const { x } = args.inputs;
    const simd = simdOn(args.backend);
    const rank = x.shape.length;
    const requested = args.attrs.axis as number | number[] | null | undefined;
    // The stock kernels read the axes the same way (and refuse one out of range with the same error).
    const axes = [...new Set(util.parseAxisParam(requested as number | number[], x.shape))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    const shape = args.attrs.keepDims === true ? x.shape.map((d, a) => (axes.includes(a) ? 1 : d)) : x.shape.filter((_, a) => !axes.includes(a));
    if (x.dtype === 'float32' && axes.some((a) => x.shape[a] === 0)) {
      // Over an empty axis the stock kernels leave their output unwritten; PyTorch gives NaN (mean) and 0 (sum).
      const out = args.backend.makeOutput(shape, 'float32');
      args.backend.typedArrayFromHeap(out).fill(mean ? NaN : 0);
      return out;
    }
    const contiguous = axes.length > 0 && axes.every((a, i) => a === first + i) && first >= 0 && last < rank - 1;
    if (!simd || x.dtype !== 'float32' || !contiguous) return stockKernel(args);
    const product = (from: number, to: number) => x.shape.slice(from, to).reduce((p, d) => p * d, 1);
    const [outer, reduce, inner] = [product(0, first), product(first, last + 1), product(last + 1, rank)];
    const size = outer * reduce * inner;
    if (inner % 4 !== 0 || size >= 2 ** 28) return stockKernel(args);
    const out = args.backend.makeOutput(shape, 'float32');
    if (outer * inner > 0) simd.sum_middle(address(args.backend, x), address(args.backend, out), outer, reduce, inner, mean ? reduce : 1);
    return out;
  };

  const replace = (kernelName: string, kernelFunc: KernelFunc) => {
    const config = tf.getKernel(kernelName, 'wasm')!;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: kernelFunc as unknown as typeof config.kernelFunc });
  };
  replace('Slice', sliceKernel);
  replace('StridedSlice', stridedSliceKernel);
  replace('SplitV', splitVKernel);
  replace('Unpack', unpackKernel);
  replace('GatherV2', gatherKernel);
  replace('Concat', concatKernel);
  replace('Pack', packKernel);
  replace('Mean', middleReduction(original.mean, true));
  replace('Sum', middleReduction(original.sum, false));
  if (gateModule()) {
    replace('Tanh', tanhKernel);
    tf.registerKernel({ kernelName: RECURRENT_GATES, backendName: 'wasm', kernelFunc: gatesKernel as never });
    tf.registerKernel({ kernelName: RECURRENT_RUN, backendName: 'wasm', kernelFunc: runKernel as never });
  }
  installed.add(tf);
}
