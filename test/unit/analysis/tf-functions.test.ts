// TensorFlow's tensor functions and Keras' backend (src/analysis/ops/tf-functions.ts) against tfjs-core, which ports
// TensorFlow's ops and their shape rules: each case runs the op in tfjs on random tensors from a fixed seed and
// compares the shape with what SeqLens infers for the same call written in Python (inside a function given a
// Keras Input, so every axis but the batch is known; the batch is None in SeqLens and 2 in tfjs).
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { run } from './helpers';
import { seededRandom } from '../evaluation/mutations';

const HEADER = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom keras import backend as K\n';
const BATCH = 2;

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function dims(r: () => number, rank: number): number[] {
  return Array.from({ length: rank }, () => int(r, 1, 6));
}

/** SeqLens' shape of `out` after `lines`, with `x` (and `y`) Keras inputs of these shapes (batch first). */
async function inferred(x: number[], lines: string, y?: number[]): Promise<string | undefined> {
  const input = (name: string, s: number[]) => `${name} = keras.Input(shape=(${s.slice(1).join(', ')}${s.length === 2 ? ',' : ''}))\n`;
  const result = await run(HEADER + input('x', x) + (y ? input('y', y) : '') + lines);
  return result.tensors.find((t) => t.name === 'out')?.shape;
}

/** What tfjs gives, with the batch axis printed as Keras does. */
function expected(shape: number[], batched = true): string {
  const d = shape.map((n, i) => (i === 0 && batched ? 'None' : String(n)));
  return `(${d.join(', ')}${d.length === 1 ? ',' : ''})`;
}

describe('TensorFlow and Keras backend functions against tfjs-core', function () {
  this.timeout(120000);
  let previous: string | undefined;
  before(async () => {
    tf.env().set('PROD', true);
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  after(async () => {
    if (previous && previous !== 'cpu') await tf.setBackend(previous);
  });

  it('reductions (tf.reduce_* and K.*) over one axis, several axes, keepdims, and every axis, on 24 random shapes', async () => {
    const r = seededRandom(3601);
    for (let i = 0; i < 24; i++) {
      const rank = int(r, 2, 4);
      const x = [BATCH, ...dims(r, rank - 1)];
      const axis = int(r, 1, rank - 1) * (r() < 0.3 ? -1 : 1);
      const axes = i % 4 === 1 && rank > 2 ? [1, rank - 1] : undefined;
      const keep = r() < 0.4;
      const [py, js] = [
        ['tf.reduce_sum', (t: tf.Tensor, a: number | number[], k: boolean) => tf.sum(t, a, k)],
        ['tf.reduce_mean', (t: tf.Tensor, a: number | number[], k: boolean) => tf.mean(t, a, k)],
        ['tf.reduce_max', (t: tf.Tensor, a: number | number[], k: boolean) => tf.max(t, a, k)],
        ['K.sum', (t: tf.Tensor, a: number | number[], k: boolean) => tf.sum(t, a, k)],
        ['K.mean', (t: tf.Tensor, a: number | number[], k: boolean) => tf.mean(t, a, k)],
        ['K.min', (t: tf.Tensor, a: number | number[], k: boolean) => tf.min(t, a, k)],
      ][i % 6] as [string, (t: tf.Tensor, a: number | number[], k: boolean) => tf.Tensor];
      const a = axes ?? (axis < 0 ? axis : axis);
      const written = Array.isArray(a) ? `[${a.join(', ')}]` : String(a);
      const want = js(tf.ones(x), a, keep).shape;
      assert.equal(await inferred(x, `out = ${py}(x, axis=${written}, keepdims=${keep ? 'True' : 'False'})\n`), expected(want), `${py} ${x} ${written} ${keep}`);
    }
    // No axis: every axis goes (a 0-D tensor), or stays as 1s with keepdims.
    assert.equal(await inferred([BATCH, 3, 4], 'out = tf.reduce_sum(x)\n'), '()');
    assert.equal(await inferred([BATCH, 3, 4], 'out = K.mean(x, keepdims=True)\n'), '(1, 1, 1)');
    // keepdims as Python reads it: 1 is True, None is False.
    assert.equal(await inferred([BATCH, 3, 4], 'out = tf.reduce_sum(x, axis=1, keepdims=1)\n'), '(None, 1, 4)');
    assert.equal(await inferred([BATCH, 3, 4], 'out = tf.reduce_sum(x, axis=1, keepdims=None)\n'), '(None, 4)');
  });

  it('tf.matmul with transpose_a / transpose_b and broadcast batch axes, K.dot of a 3-D input and a 2-D weight, on 20 random shapes', async () => {
    const r = seededRandom(3602);
    for (let i = 0; i < 20; i++) {
      const [m, k, n] = [int(r, 1, 6), int(r, 1, 6), int(r, 1, 6)];
      const ta = i % 3 === 1;
      const tb = i % 4 === 2;
      const extra = i % 5 === 0 ? [int(r, 2, 3)] : [];
      const a = [BATCH, ...extra, ...(ta ? [k, m] : [m, k])];
      const b = [BATCH, ...extra, ...(tb ? [n, k] : [k, n])];
      const want = tf.matMul(tf.ones(a), tf.ones(b), ta, tb).shape;
      const line = `out = tf.matmul(x, y${ta ? ', transpose_a=True' : ''}${tb ? ', transpose_b=True' : ''})\n`;
      assert.equal(await inferred(a, line, b), expected(want), `${line} ${a} ${b}`);
    }
    for (let i = 0; i < 6; i++) {
      const [t, d, u] = [int(r, 1, 7), int(r, 1, 7), int(r, 1, 7)];
      const want = tf.matMul(tf.ones([BATCH, t, d]), tf.ones([d, u])).shape;
      const body = `out = K.dot(x, tf.ones((${d}, ${u})))\n`;
      assert.equal(await inferred([BATCH, t, d], body), expected(want), body);
    }
  });

  it('expand_dims, squeeze (named axis and every 1), transpose (perm and reversed), permute_dimensions, on 24 random shapes', async () => {
    const r = seededRandom(3603);
    for (let i = 0; i < 24; i++) {
      const rank = int(r, 2, 4);
      const x = [BATCH, ...dims(r, rank - 1)];
      let line: string;
      let want: number[];
      let batched = true;
      switch (i % 4) {
        case 0: {
          const axis = int(r, 1, rank) * (r() < 0.3 ? -1 : 1);
          line = r() < 0.5 ? `out = tf.expand_dims(x, ${axis})\n` : `out = K.expand_dims(x, axis=${axis})\n`;
          want = tf.expandDims(tf.ones(x), axis).shape;
          break;
        }
        case 1: {
          const at = int(r, 1, rank - 1);
          x[at] = 1;
          line = `out = tf.squeeze(x, axis=${at})\n`;
          want = tf.squeeze(tf.ones(x), [at]).shape;
          break;
        }
        case 2: {
          const perm = [0, ...Array.from({ length: rank - 1 }, (_, j) => j + 1).sort(() => r() - 0.5)];
          line = r() < 0.5 ? `out = tf.transpose(x, perm=[${perm.join(', ')}])\n` : `out = K.permute_dimensions(x, (${perm.join(', ')}))\n`;
          want = tf.transpose(tf.ones(x), perm).shape;
          break;
        }
        default:
          line = 'out = tf.transpose(x)\n';
          want = tf.transpose(tf.ones(x)).shape;
          // The batch axis moves to the end.
          batched = false;
      }
      const got = await inferred(x, line);
      const wanted = batched ? expected(want) : `(${want.map((n, j) => (j === want.length - 1 ? 'None' : String(n))).join(', ')})`;
      assert.equal(got, wanted, `${line} ${x}`);
    }
  });

  it('concat / K.concatenate / stack along an axis, tile, one_hot, reshape with -1, broadcasting binary ops, on 24 random shapes', async () => {
    const r = seededRandom(3604);
    for (let i = 0; i < 24; i++) {
      const rank = int(r, 2, 4);
      const x = [BATCH, ...dims(r, rank - 1)];
      let line: string;
      let want: number[];
      let y: number[] | undefined;
      switch (i % 6) {
        case 0: {
          const axis = int(r, 1, rank - 1);
          y = [...x];
          y[axis] = int(r, 1, 5);
          line = r() < 0.5 ? `out = tf.concat([x, y], ${axis})\n` : `out = K.concatenate([x, y], axis=${axis})\n`;
          want = tf.concat([tf.ones(x), tf.ones(y)], axis).shape;
          break;
        }
        case 1: {
          const axis = int(r, 1, rank);
          line = `out = tf.stack([x, x], axis=${axis})\n`;
          want = tf.stack([tf.ones(x), tf.ones(x)], axis).shape;
          break;
        }
        case 2: {
          const reps = [1, ...dims(r, rank - 1)];
          line = `out = tf.tile(x, [${reps.join(', ')}])\n`;
          want = tf.tile(tf.ones(x), reps).shape;
          break;
        }
        case 3: {
          const depth = int(r, 2, 9);
          line = `out = tf.one_hot(tf.cast(x, "int32"), ${depth})\n`;
          const ids: tf.Tensor = tf.zeros(x, 'int32');
          want = [...tf.oneHot(ids as tf.Tensor1D, depth).shape];
          break;
        }
        case 4: {
          const total = x.slice(1).reduce((p, n) => p * n, 1);
          // The -1 takes the batch, None at graph time, as the other sizes leave each sample whole.
          line = `out = tf.reshape(x, [-1, ${total}])\n`;
          want = tf.reshape(tf.ones(x), [-1, total]).shape;
          break;
        }
        default: {
          y = x.map((n, j) => (j > 0 && r() < 0.4 ? 1 : n));
          const op = ['tf.add', 'tf.multiply', 'tf.maximum', 'tf.subtract'][int(r, 0, 3)];
          line = `out = ${op}(x, y)\n`;
          want = tf.add(tf.ones(x), tf.ones(y)).shape;
        }
      }
      assert.equal(await inferred(x, line, y), expected(want), `${line} ${x} ${y ?? ''}`);
    }
  });

  it('element-wise functions keep the shape; argmax defaults to axis 0 in tf and -1 in K', async () => {
    for (const op of ['tf.nn.softmax(x, axis=1)', 'tf.tanh(x)', 'tf.nn.relu(x)', 'K.exp(x)', 'K.sigmoid(x)', 'tf.math.log(x)', 'tf.nn.dropout(x, rate=0.2)', 'K.l2_normalize(x, axis=-1)', 'tf.cast(x, tf.float32)']) {
      assert.equal(await inferred([BATCH, 4, 5], `out = ${op}\n`), '(None, 4, 5)', op);
    }
    assert.deepEqual(tf.argMax(tf.ones([2, 4, 5])).shape, [4, 5]);
    assert.equal(await inferred([BATCH, 4, 5], 'out = tf.argmax(x)\n'), '(4, 5)');
    assert.equal(await inferred([BATCH, 4, 5], 'out = K.argmax(x)\n'), '(None, 4)');
  });

  it('tf.range and K.arange: one bound, two, a delta (negative too, and empty ranges), keywords, on 30 random ranges', async () => {
    const r = seededRandom(3619);
    for (let i = 0; i < 30; i++) {
      const start = int(r, -6, 6);
      const delta = (r() < 0.3 ? -1 : 1) * int(r, 1, 3);
      // TensorFlow raises when delta moves away from the limit (tfjs gives a range): those are checked below.
      const span = int(r, 0, 12);
      const limit = start + Math.sign(delta) * span;
      const forms: [string, tf.Tensor][] = [
        [`out = tf.range(${span})\n`, tf.range(0, span)],
        [`out = tf.range(${start}, ${start + span})\n`, tf.range(start, start + span)],
        [`out = tf.range(${start}, ${limit}, ${delta})\n`, tf.range(start, limit, delta)],
        [`out = tf.range(start=${start}, limit=${limit}, delta=${delta})\n`, tf.range(start, limit, delta)],
        [`out = K.arange(${start}, ${limit}, ${delta})\n`, tf.range(start, limit, delta)],
        [`out = K.arange(${span})\n`, tf.range(0, span)],
      ];
      const [line, js] = forms[i % forms.length];
      assert.equal(await inferred([BATCH, 4, 5], line), expected(js.shape, false), line);
    }
    // The positions of a positional embedding: as many as x has steps.
    assert.equal(await inferred([BATCH, 7], 'out = tf.range(start=0, limit=tf.shape(x)[1], delta=1)\n'), '(7,)');
    assert.equal(await inferred([BATCH, 7], 'n = int(input())\nout = tf.range(n)\n'), '(?,)');
    // K.arange of a negative bound is empty (Keras starts it at 0); tf.range of one raises, like a delta away from the limit.
    assert.equal(await inferred([BATCH, 4, 5], 'out = K.arange(-3)\n'), '(0,)');
    for (const line of ['out = tf.range(-3)\n', 'out = tf.range(5, 2)\n', 'out = tf.range(2, 5, -1)\n', 'out = tf.range(0, 5, 0)\n', 'out = tf.range("a")\n', 'out = tf.range()\n', 'out = K.arange([1, 2])\n']) {
      assert.equal(await inferred([BATCH, 4, 5], line), undefined, line);
    }
  });

  it('tf.range gives int32 ids from int bounds, whose values an Embedding checks (SL203), and float32 from a float bound', async () => {
    const body = (range: string) => `${HEADER}x = keras.Input(shape=(7,))\nemb = keras.layers.Embedding(5, 8)\npos = ${range}\nout = emb(pos)\n`;
    const findings = async (range: string) => (await run(body(range))).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
    // Positions 0..6 into an Embedding of 5 rows: TensorFlow raises "indices[5] = 5 is not in [0, 5)" on the CPU.
    assert.deepEqual(await findings('tf.range(7)'), ['SL203@7']);
    assert.deepEqual(await findings('tf.range(start=0, limit=tf.shape(x)[1], delta=1)'), ['SL203@7']);
    assert.deepEqual(await findings('tf.range(5)'), []);
    assert.deepEqual(await findings('tf.range(6, 0, -2)'), ['SL203@7']);
    assert.deepEqual(await findings('tf.range(4, 0, -2)'), []);
    // A float bound gives floats, whose values are not followed; an unknown bound gives unknown ids.
    assert.deepEqual(await findings('tf.range(7.0)'), []);
    assert.deepEqual(await findings('tf.range(int(input()))'), []);
  });

  it('what the analysis cannot know stays unknown: a 1-D matmul operand, an unknown axis, a squeeze of an axis known not to be 1', async () => {
    const cases = ['out = tf.matmul(x, tf.ones((5,)))\n', 'out = tf.reduce_sum(x, axis=int(input()))\n', 'out = tf.squeeze(x, axis=1)\n', 'out = tf.expand_dims(x)\n', 'out = tf.some_unmodelled_op(x)\n'];
    for (const line of cases) assert.equal(await inferred([BATCH, 4, 5], line), undefined, line);
  });
});
