// The wasm backend's replaced data-movement kernels (src/evaluation/wasm-kernels.ts) give exactly
// what the plain JavaScript cpu backend gives, on every shape and position they take.
import { strict as assert } from 'node:assert';
import { chooseBackend } from '../../../src/evaluation/backend';
import { tfjs } from '../../../src/evaluation/models/tf';

type Tensor = import('@tensorflow/tfjs').Tensor;

/** A deterministic pseudo-random generator, so that every run checks the same cases. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Runs `make` on the cpu backend and on wasm; both must give the same shapes, dtypes and values. */
async function sameOnBoth(make: () => Tensor | Tensor[]): Promise<void> {
  const tf = tfjs();
  const read = (out: Tensor | Tensor[]) => (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
  await chooseBackend('cpu');
  await tf.setBackend('cpu');
  const expected = tf.tidy(() => read(make()));
  await chooseBackend('wasm');
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const actual = tf.tidy(() => read(make()));
  assert.equal(tf.memory().numTensors, before, 'tensors left behind');
  assert.deepEqual(actual, expected);
}

describe('wasm data-movement kernels', () => {
  const random = generator(7);
  const int = (n: number) => Math.floor(random() * n);
  const shapes = [[7], [5, 6], [4, 3, 9], [3, 2, 5, 17], [2, 3, 2, 2, 20], [6, 1, 33]];
  const values = (shape: number[], dtype: 'float32' | 'int32' | 'bool'): number[] => {
    const n = shape.reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => (dtype === 'bool' ? Number(i % 3 === 0) : dtype === 'int32' ? i * 7 - 50 : i * 0.25 - 3));
  };

  after(async () => {
    await tfjs().setBackend('cpu');
  });

  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`slice gives the cpu backend's ${dtype} values for every rank and position`, async () => {
      for (const shape of shapes) {
        for (let k = 0; k < 8; k++) {
          const begin = shape.map((d) => int(d));
          const size = shape.map((d, i) => (k % 3 === 0 ? d - begin[i] : 1 + int(d - begin[i])));
          await sameOnBoth(() => tfjs().slice(tfjs().tensor(values(shape, dtype), shape, dtype), begin, size));
        }
      }
    });
  }

  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`one time step x[:, t, :] and concat of whole sixteen-byte rows (the SIMD row copy) give the cpu backend's ${dtype} values`, async () => {
      const width = dtype === 'bool' ? 16 : 4;
      const x = () => tfjs().tensor(values([5, 6, 2 * width], dtype), [5, 6, 2 * width], dtype);
      for (const t of [0, 3, 5]) await sameOnBoth(() => tfjs().slice(x(), [0, t, 0], [5, 1, 2 * width]));
      await sameOnBoth(() => tfjs().slice(x(), [1, 2, 0], [3, 2, 2 * width]));
      await sameOnBoth(() => tfjs().slice(x(), [2, 4, width], [2, 1, width]));
      const y = (w: number, shift: number) => tfjs().tensor(values([3 * w + shift], dtype).slice(shift), [3, w], dtype);
      await sameOnBoth(() => tfjs().concat([y(width, 1), y(2 * width, 2), y(3, 3), y(width, 4)], 1));
      await sameOnBoth(() => tfjs().stack([y(width, 1), y(width, 2), y(width, 3)], 1));
    });
  }

  it('mean and sum give exactly what the stock kernels give after moving the reduced axes last: middle runs (summed in place by the SIMD module) and every other case (the stock kernel)', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    const floats = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 8 - 4);
    const cases: [number[], number[]][] = [
      [[6, 50, 8], [1]], [[6, 50, 8], [-2]], [[3, 4, 5, 12], [1, 2]], [[3, 4, 5, 12], [2, 1]], [[7, 16], [0]], [[2, 3, 4, 8], [0, 1]],
      // The last axis, axes apart, an inner size that is not a whole group of four.
      [[6, 5, 8], [2]], [[3, 4, 5, 12], [1, 3]], [[4, 5, 6], [1]],
    ];
    for (const [shape, axis] of cases) {
      for (const [keepDims, dtype] of [[false, 'float32'], [true, 'float32'], [false, 'int32']] as const) {
        const data = dtype === 'int32' ? values(shape, 'int32') : floats(shape);
        const rank = shape.length;
        const reduced = axis.map((a) => (a < 0 ? a + rank : a)).sort();
        const kept = [...Array(rank).keys()].filter((a) => !reduced.includes(a));
        for (const op of ['mean', 'sum'] as const) {
          const [actual, expected] = tf.tidy(() => {
            const x = tf.tensor(data, shape, dtype);
            // The reduced axes moved last: the stock kernel sums them in place, in the same order.
            const stock = tf[op](tf.transpose(x, [...kept, ...reduced]), reduced.map((_, i) => kept.length + i), keepDims);
            const shaped = keepDims ? tf.reshape(stock, shape.map((d, a) => (reduced.includes(a) ? 1 : d))) : stock;
            return [tf[op](x, axis, keepDims), shaped].map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
          });
          assert.deepEqual(actual, expected, `${op} over ${axis} of ${dtype} [${shape}]${keepDims ? ', keepDims' : ''}`);
        }
      }
    }
  });

  it('mean and sum over an empty axis (first, middle or last) give NaN and 0, as PyTorch does', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    const cases: [number[], number, number[]][] = [[[4, 0, 8], 1, [4, 8]], [[4, 8, 0], 2, [4, 8]], [[4, 8, 0], -1, [4, 8]], [[0, 4, 8], 0, [4, 8]]];
    for (const [shape, axis, outShape] of cases) {
      for (const keepDims of [false, true]) {
        // Memory the output may take is first written with other values, so an unwritten output shows.
        tf.tidy(() => tf.fill([64], 7).dataSync());
        const [mean, sum] = tf.tidy(() => [tf.mean(tf.zeros(shape), axis, keepDims), tf.sum(tf.zeros(shape), axis, keepDims)].map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })));
        const kept = keepDims ? shape.map((d, a) => (a === (axis + shape.length) % shape.length ? 1 : d)) : outShape;
        assert.deepEqual(mean, { shape: kept, values: new Array(32).fill(NaN) }, `mean over axis ${axis} of [${shape}]`);
        assert.deepEqual(sum, { shape: kept, values: new Array(32).fill(0) }, `sum over axis ${axis} of [${shape}]`);
      }
    }
  });

  it('slice of zero elements and of the whole tensor', async () => {
    await sameOnBoth(() => tfjs().slice(tfjs().tensor(values([4, 5], 'float32'), [4, 5]), [1, 2], [0, 3]));
    await sameOnBoth(() => tfjs().slice(tfjs().tensor(values([4, 5], 'float32'), [4, 5]), [0, 0], [4, 5]));
  });

  it('stridedSlice: contiguous, shrinking, masked and stepped cases', async () => {
    const x = () => tfjs().tensor(values([4, 6, 5], 'float32'), [4, 6, 5]);
    await sameOnBoth(() => tfjs().stridedSlice(x(), [0, 2, 0], [4, 3, 5], [1, 1, 1]));
    await sameOnBoth(() => tfjs().stridedSlice(x(), [0, 2, 0], [4, 3, 5], [1, 1, 1], 0, 0, 0, 0, 2));
    await sameOnBoth(() => tfjs().stridedSlice(x(), [1, 0, 0], [3, 6, 5], [1, 1, 1]));
    await sameOnBoth(() => tfjs().stridedSlice(x(), [0, 0, 1], [0, 0, 4], [1, 1, 1], 3, 3));
    await sameOnBoth(() => tfjs().stridedSlice(x(), [0, 1, 0], [4, 6, 5], [1, 2, 2]));
    await sameOnBoth(() => tfjs().stridedSlice(x(), [3, 5, 4], [0, 0, 0], [-1, -2, -1]));
  });

  it('split into equal parts and into given sizes, on every axis', async () => {
    const x = () => tfjs().tensor(values([4, 6, 8], 'float32'), [4, 6, 8]);
    for (const axis of [0, 1, 2, -1]) await sameOnBoth(() => tfjs().split(x(), 2, axis));
    await sameOnBoth(() => tfjs().split(x(), [1, 5], 1));
    await sameOnBoth(() => tfjs().split(x(), [3, -1, 2], 2));
  });

  it('unstack along every axis', async () => {
    const x = () => tfjs().tensor(values([3, 4, 5], 'int32'), [3, 4, 5], 'int32');
    for (const axis of [0, 1, 2, -1]) await sameOnBoth(() => tfjs().unstack(x(), axis));
  });

  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    it(`concat and stack give the cpu backend's ${dtype} values on every axis, with short and long runs and empty parts`, async () => {
      // Each part's values start elsewhere, so that a part copied to the wrong place shows; every run starts from the same values.
      const parts = () => {
        let shift = 0;
        return (shape: number[]) => {
          shift += 5;
          return tfjs().tensor(values([shape.reduce((x, y) => x * y, 1) + shift], dtype).slice(shift), shape, dtype);
        };
      };
      for (const axis of [0, 1, 2, -1]) {
        await sameOnBoth(() => { const t = parts(); return tfjs().concat([t([3, 4, 5]), t([3, 4, 5]), t([3, 4, 5])], axis); });
      }
      // Runs of 2, 17 and 40 elements; an empty part in the middle; stacking.
      await sameOnBoth(() => { const t = parts(); return tfjs().concat([t([6, 2]), t([6, 17]), t([6, 0]), t([6, 40])], 1); });
      await sameOnBoth(() => { const t = parts(); return tfjs().concat([t([0, 3]), t([2, 3])], 0); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([4, 20]), t([4, 20]), t([4, 20])], 1); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([5, 3]), t([5, 3])], 2); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([5, 3]), t([5, 3]), t([5, 3])], 0); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([2, 5, 3]), t([2, 5, 3])], -2); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([0, 3]), t([0, 3])], 1); });
      await sameOnBoth(() => { const t = parts(); return tfjs().stack([t([4])], 0); });
    });

    it(`gather gives the cpu backend's ${dtype} values on every axis, with repeated and multi-dimensional indices`, async () => {
      for (const shape of shapes) {
        for (let axis = 0; axis < shape.length; axis++) {
          const indexShape = axis % 2 === 0 ? [5] : [2, 3];
          const ids = Array.from({ length: indexShape.reduce((a, b) => a * b, 1) }, () => int(shape[axis]));
          await sameOnBoth(() => tfjs().gather(tfjs().tensor(values(shape, dtype), shape, dtype), tfjs().tensor(ids, indexShape, 'int32'), axis));
        }
      }
    });
  }

  it('gather with no indices, and with batch dimensions (the stock kernel)', async () => {
    await sameOnBoth(() => tfjs().gather(tfjs().tensor(values([4, 5], 'float32'), [4, 5]), tfjs().tensor1d([], 'int32'), 1));
    await sameOnBoth(() => tfjs().gather(tfjs().tensor(values([2, 4, 3], 'float32'), [2, 4, 3]), tfjs().tensor([[0, 3], [2, 2]], [2, 2], 'int32'), 1, 1));
  });

  it('gather refuses an index out of range as the stock kernel does', async () => {
    const tf = tfjs();
    await chooseBackend('wasm');
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    assert.throws(() => tf.tidy(() => tf.gather(tf.tensor([[1, 2], [3, 4]]), tf.tensor1d([0, 2], 'int32'))), /GatherV2: the index value 2 is not in \[0, 1\]/);
    assert.throws(() => tf.tidy(() => tf.gather(tf.tensor([[1, 2], [3, 4]]), tf.tensor1d([-1], 'int32'), 1)), /GatherV2: the index value -1 is not in \[0, 1\]/);
    assert.equal(tf.memory().numTensors, before);
  });
});
