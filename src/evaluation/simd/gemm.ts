// A float32 matrix product for recurrent weights, C = A · B + bias (the bias added to every row), in
// WebAssembly SIMD. B is packed once, when a model loads, into panels of eight columns (each panel
// k-major, eight floats per k); a 4 × 8 block of C is held in eight f32x4 accumulators and built from
// one panel and four rows of A, whose elements are splatted one at a time. A recurrent step's
// product h (batch, units) · U (units, gates·units) then runs without a TensorFlow.js dispatch, an
// allocation or a repacking of U.
import { Emit, f32x4, FunctionSpec, I32, i32, local, seq, V128, v128, whileNot } from './encoder';

/** Columns of a packed panel. */
export const PANEL = 8;

/**
 * `b` (rows, columns), row-major, as panels of PANEL columns: panel p holds, for each row k in order,
 * the PANEL floats b[k][p·PANEL …]. Columns must be a multiple of PANEL.
 */
export function packPanels(b: Float32Array, rows: number, columns: number): Float32Array {
  if (columns % PANEL !== 0) throw new Error(`packPanels: ${columns} columns are not a multiple of ${PANEL}`);
  const out = new Float32Array(rows * columns);
  let at = 0;
  for (let p = 0; p < columns; p += PANEL) {
    for (let k = 0; k < rows; k++) {
      for (let j = 0; j < PANEL; j++) out[at++] = b[k * columns + p + j];
    }
  }
  return out;
}

// Parameters: a, lda, packed b, bias (n floats), c, ldc, then m rows, k depth, n columns. Addresses and strides in bytes.
const [A, LDA, B, BIAS, C, LDC, M, K, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// i32 locals: the panel's start in b, c and the bias; the row; row pointers into A; the b pointer; k left; the block's first row in c.
const [PANEL_B, PANEL_C, PANEL_BIAS, ROW, A0, A1, A2, A3, BP, LEFT, ROW_C, END_C] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const I32_LOCALS = 12;
// v128 locals: 4 × 2 accumulators, the two b vectors of a k, the current splat.
const ACC = 9 + I32_LOCALS;
const [B0, B1, SPLAT] = [ACC + 8, ACC + 9, ACC + 10];
const V128_LOCALS = 11;
const acc = (r: number, half: number) => ACC + 2 * r + half;

/** `rows` rows of C (1 or 4) from the row ROW, for the current panel, over all of k. */
function block(rows: number): Emit {
  const pointers = [A0, A1, A2, A3].slice(0, rows);
  const mulAdd = (r: number, half: number, b: number, splat: Emit) => local.set(acc(r, half), f32x4.add(local.get(acc(r, half)), f32x4.mul(splat, local.get(b))));
  /** One depth step: two b vectors, and each row's a element in all lanes. */
  const oneK = seq(
    local.set(B0, v128.load(local.get(BP))),
    local.set(B1, v128.load(local.get(BP), 16)),
    ...pointers.map((p, r) => seq(
      mulAdd(r, 0, B0, local.tee(SPLAT, v128.loadSplat(local.get(p)))),
      mulAdd(r, 1, B1, local.get(SPLAT)),
    )),
  );
  const advance = seq(
    ...pointers.map((p) => local.set(p, i32.add(local.get(p), i32.const(4)))),
    local.set(BP, i32.add(local.get(BP), i32.const(32))),
    local.set(LEFT, i32.sub(local.get(LEFT), i32.const(1))),
  );
  const rowOfC = (r: number) => (r === 0 ? local.get(ROW_C) : i32.add(local.get(ROW_C), i32.mul(local.get(LDC), i32.const(r))));
  return seq(
    local.set(A0, i32.add(local.get(A), i32.mul(local.get(ROW), local.get(LDA)))),
    ...pointers.slice(1).map((p, r) => local.set(p, i32.add(local.get(pointers[r]), local.get(LDA)))),
    local.set(BP, local.get(PANEL_B)),
    local.set(LEFT, local.get(K)),
    ...pointers.map((_, r) => seq(local.set(acc(r, 0), v128.load(local.get(PANEL_BIAS))), local.set(acc(r, 1), v128.load(local.get(PANEL_BIAS), 16)))),
    // One depth step per turn. Unrolled (four steps a turn), V8's optimising compiler hoists the
    // sixteen splat loads to the top of the loop and spills them to the stack, and the product of
    // (256, 128) by (128, 512) took 1.0 ms instead of 0.63 ms (best CPU time of 600 runs, Node 20).
    whileNot(i32.gtS(i32.const(1), local.get(LEFT)), seq(oneK, advance)),
    local.set(ROW_C, i32.add(local.get(PANEL_C), i32.mul(local.get(ROW), local.get(LDC)))),
    ...pointers.map((_, r) => seq(v128.store(rowOfC(r), local.get(acc(r, 0))), v128.store(rowOfC(r), local.get(acc(r, 1)), 16))),
  );
}

/** gemm(a, lda, packedB, bias, c, ldc, m, k, n): n must be a multiple of PANEL; bias holds n floats. */
export function gemmFunction(): FunctionSpec {
  const panels = (body: Emit) => seq(
    local.set(PANEL_B, local.get(B)),
    local.set(PANEL_C, local.get(C)),
    local.set(PANEL_BIAS, local.get(BIAS)),
    whileNot(
      i32.geS(local.get(PANEL_C), local.get(END_C)),
      seq(body, local.increase(PANEL_B, i32.mul(local.get(K), i32.const(4 * PANEL))), local.increase(PANEL_C, i32.const(4 * PANEL)), local.increase(PANEL_BIAS, i32.const(4 * PANEL))),
    ),
  );
  return {
    name: 'gemm',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [...new Array(I32_LOCALS).fill(I32), ...new Array(V128_LOCALS).fill(V128)],
    body: seq(
      local.set(END_C, i32.add(local.get(C), i32.mul(local.get(N), i32.const(4)))),
      // Four rows at a time, then the rows left one by one; for each, every panel of eight columns.
      local.set(ROW, i32.const(0)),
      whileNot(i32.gtS(i32.add(local.get(ROW), i32.const(4)), local.get(M)), seq(panels(block(4)), local.increase(ROW, i32.const(4)))),
      whileNot(i32.geS(local.get(ROW), local.get(M)), seq(panels(block(1)), local.increase(ROW, i32.const(1)))),
    ),
  };
}

// copy_rows(from, fromStride, to, toStride, rows, rowBytes): rows of rowBytes (a multiple of 16) between
// two strided blocks, sixteen bytes at a time; a recurrent run's state rows into its output sequence.
const [FROM, FROM_STRIDE, TO, TO_STRIDE, ROWS, ROW_BYTES, AT, ROWS_LEFT] = [0, 1, 2, 3, 4, 5, 6, 7];

export function copyRowsFunction(): FunctionSpec {
  return {
    name: 'copy_rows',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [I32, I32],
    body: seq(
      local.set(ROWS_LEFT, local.get(ROWS)),
      whileNot(
        i32.gtS(i32.const(1), local.get(ROWS_LEFT)),
        seq(
          local.set(AT, i32.const(0)),
          whileNot(
            i32.geS(local.get(AT), local.get(ROW_BYTES)),
            seq(v128.store(i32.add(local.get(TO), local.get(AT)), v128.load(i32.add(local.get(FROM), local.get(AT)))), local.increase(AT, i32.const(16))),
          ),
          local.increase(FROM, local.get(FROM_STRIDE)),
          local.increase(TO, local.get(TO_STRIDE)),
          local.set(ROWS_LEFT, i32.sub(local.get(ROWS_LEFT), i32.const(1))),
        ),
      ),
    ),
  };
}
