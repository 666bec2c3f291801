// A float32 sum over axes in the middle of a tensor, in WebAssembly SIMD: x viewed as (outer, reduce,
// inner) gives out (outer, inner), out[o, i] = (x[o, 0, i] + x[o, 1, i] + … + x[o, reduce − 1, i]) / divisor.
// The TensorFlow.js wasm backend's Mean and Sum transpose such an input first so that the reduced axes
// come last (`torch.stack(steps, 1).mean(1)` on (256, 50, 128) copied the whole tensor for that);
// here each group of four inner elements is summed down its column where it is, in the same order
// (reduced index 0 first), and divided once, as the stock kernel does after its transpose.
import { F32, f32x4, FunctionSpec, I32, i32, local, seq, V128, v128, whileNot } from './encoder';

// Parameters: x, out, outer, reduce, inner (floats, a multiple of 4), divisor (f32). Addresses in bytes.
const [X, OUT, OUTER, REDUCE, INNER, DIVISOR] = [0, 1, 2, 3, 4, 5];
// i32 locals: the current slab of x, the column's byte offset in it, the column pointer, rows left, out's pointer, inner in bytes, slab end.
const [SLAB, COLUMN, P, LEFT, O, ROW_BYTES, OUTER_LEFT] = [6, 7, 8, 9, 10, 11, 12];
const I32_LOCALS = 7;
const [SUM, DIVIDE] = [6 + I32_LOCALS, 7 + I32_LOCALS];

export function sumMiddleFunction(): FunctionSpec {
  return {
    name: 'sum_middle',
    params: [I32, I32, I32, I32, I32, F32],
    locals: [...new Array(I32_LOCALS).fill(I32), V128, V128],
    body: seq(
      local.set(ROW_BYTES, i32.mul(local.get(INNER), i32.const(4))),
      local.set(DIVIDE, f32x4.splat(local.get(DIVISOR))),
      local.set(SLAB, local.get(X)),
      local.set(O, local.get(OUT)),
      local.set(OUTER_LEFT, local.get(OUTER)),
      whileNot(
        i32.gtS(i32.const(1), local.get(OUTER_LEFT)),
        seq(
          local.set(COLUMN, i32.const(0)),
          whileNot(
            i32.geS(local.get(COLUMN), local.get(ROW_BYTES)),
            seq(
              local.set(SUM, f32x4.constant(0)),
              local.set(P, i32.add(local.get(SLAB), local.get(COLUMN))),
              local.set(LEFT, local.get(REDUCE)),
              whileNot(
                i32.gtS(i32.const(1), local.get(LEFT)),
                seq(
                  local.set(SUM, f32x4.add(local.get(SUM), v128.load(local.get(P)))),
                  local.increase(P, local.get(ROW_BYTES)),
                  local.set(LEFT, i32.sub(local.get(LEFT), i32.const(1))),
                ),
              ),
              v128.store(i32.add(local.get(O), local.get(COLUMN)), f32x4.div(local.get(SUM), local.get(DIVIDE))),
              local.increase(COLUMN, i32.const(16)),
            ),
          ),
          local.increase(SLAB, i32.mul(local.get(ROW_BYTES), local.get(REDUCE))),
          local.increase(O, local.get(ROW_BYTES)),
          local.set(OUTER_LEFT, i32.sub(local.get(OUTER_LEFT), i32.const(1))),
        ),
      ),
    ),
  };
}
