// The Keras layer table against tfjs-layers: Conv1D, the 1-D poolings, the global 1-D poolings, Permute and
// MultiHeadAttention, each built in tfjs with the same arguments and applied to the same input, on random sizes
// drawn from a fixed seed. tfjs-layers ports Keras' shape code (convOutputLength is conv_utils.conv_output_length,
// MultiHeadAttention._masked_softmax widens the mask as Keras does). Where tfjs lacks an argument
// (data_format='channels_first' and keepdims on the poolings) the case is left out and the rule is read from the
// Keras source in the layer file's header. tfjs also differs from Keras in two ways checked here for what they are:
// it has no 'causal' Conv1D (NotImplementedError; Keras keeps the length, as 'same'), and a window longer than the
// steps gives it a length of 0 or less where TensorFlow raises "Negative dimension size".
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { run } from '../analysis/helpers';
import { seededRandom } from '../evaluation/mutations';
import { REPO } from './oracle';
import { expandedMask } from '../../../src/analysis/rules/keras/sl218-keras-attention-shapes';

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

/** The cases come from a fixed seed, so they are the same on every run. */
const rng = seededRandom;

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

const kerasShape = (shape: readonly (number | null)[]) => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;

async function seqlensShape(body: string, name: string): Promise<string | undefined> {
  const result = await run(HEADER + body);
  return result.tensors.find((t) => t.name === name)?.shape;
}

interface AttentionCase {
  query: number[];
  value: number[];
  key?: number[];
  mask?: number[];
  heads: number;
  keyDim: number;
  outputShape?: number;
  axes?: number[];
}

interface AttentionRun {
  out?: number[];
  scores?: number[];
  error?: string;
}

/**
 * tfjs-layers' MultiHeadAttention is not in its node bundle: a child process bundles the module against the
 * tfjs-core it loads and runs every case there. A second copy of tfjs-layers registers its own layer classes with
 * tfjs-core, so it must not share a process with the model loaders the other tests use.
 */
function runMultiHeadAttention(cases: AttentionCase[]): AttentionRun[] {
  const script = `
    const tf = require('@tensorflow/tfjs');
    const esbuild = require('esbuild');
    const entry = require.resolve('@tensorflow/tfjs-layers/dist/layers/nlp/multihead_attention.js');
    const built = esbuild.buildSync({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', write: false, external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/*'], logLevel: 'silent' });
    const mod = { exports: {} };
    new Function('module', 'exports', 'require', built.outputFiles[0].text)(mod, mod.exports, require);
    const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    tf.env().set('PROD', true);
    tf.setBackend('cpu').then(() => {
      const runs = cases.map((c) => {
        try {
          const layer = new mod.exports.MultiHeadAttention({ numHeads: c.heads, keyDim: c.keyDim, outputShape: c.outputShape ? [c.outputShape] : undefined, attentionAxes: c.axes });
          const kw = { value: tf.randomNormal(c.value) };
          if (c.key) kw.key = tf.randomNormal(c.key);
          if (c.mask) kw.attentionMask = tf.ones(c.mask);
          const [o, s] = layer.callAndReturnAttentionScores(tf.randomNormal(c.query), kw);
          return { out: o.shape, scores: s.shape };
        } catch (e) {
          return { error: String(e && e.message).slice(0, 200) };
        }
      });
      process.stdout.write(JSON.stringify(runs));
    });
  `;
  const child = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify(cases), encoding: 'utf8', cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`the tfjs MultiHeadAttention run failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as AttentionRun[];
}

describe('Keras layer shapes against tfjs-layers', function () {
  this.timeout(120000);
  let previousBackend: string | undefined;

  before(async () => {
    tf.env().set('PROD', true);
    previousBackend = tf.getBackend();
    await tf.setBackend('cpu');
  });

  after(async () => {
    if (previousBackend && previousBackend !== 'cpu') await tf.setBackend(previousBackend);
  });

  it('Conv1D: padding valid/same, strides, dilation_rate, on 24 random shapes', async () => {
    const r = rng(1501);
    let checked = 0;
    while (checked < 24) {
      const steps = int(r, 4, 60);
      const channels = int(r, 1, 12);
      const filters = int(r, 1, 16);
      const kernel = int(r, 1, 7);
      const padding = pick(r, ['valid', 'same'] as const);
      // Keras refuses strides > 1 together with dilation_rate > 1.
      const dilation = r() < 0.4 ? int(r, 2, 4) : 1;
      const strides = dilation > 1 ? 1 : int(r, 1, 3);
      if (padding === 'valid' && steps < (kernel - 1) * dilation + 1) continue;
      const layer = tf.layers.conv1d({ filters, kernelSize: kernel, strides, padding, dilationRate: dilation });
      const out = layer.apply(tf.input({ shape: [steps, channels] })) as tf.SymbolicTensor;
      const body = `inp = keras.Input(shape=(${steps}, ${channels}))\nout = layers.Conv1D(${filters}, ${kernel}, strides=${strides}, padding="${padding}", dilation_rate=${dilation})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(out.shape), body);
      checked++;
    }
  });

  it('MaxPooling1D / AveragePooling1D: pool_size, strides (default pool_size), padding, on 24 random shapes', async () => {
    const r = rng(1502);
    let checked = 0;
    while (checked < 24) {
      const steps = int(r, 2, 50);
      const channels = int(r, 1, 10);
      const pool = int(r, 1, 6);
      const strides = r() < 0.5 ? undefined : int(r, 1, 4);
      const padding = pick(r, ['valid', 'same'] as const);
      const max = r() < 0.5;
      if (padding === 'valid' && steps < pool) continue;
      const args = { poolSize: pool, strides, padding };
      const layer = max ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args);
      const out = layer.apply(tf.input({ shape: [steps, channels] })) as tf.SymbolicTensor;
      const body = `inp = keras.Input(shape=(${steps}, ${channels}))\nout = layers.${max ? 'MaxPooling1D' : 'AveragePooling1D'}(pool_size=${pool}${strides ? `, strides=${strides}` : ''}, padding="${padding}")(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(out.shape), body);
      checked++;
    }
  });

  it('GlobalMaxPooling1D / GlobalAveragePooling1D drop the steps axis', async () => {
    const r = rng(1503);
    for (let i = 0; i < 8; i++) {
      const steps = int(r, 1, 40);
      const channels = int(r, 1, 20);
      const max = i % 2 === 0;
      const layer = max ? tf.layers.globalMaxPooling1d({}) : tf.layers.globalAveragePooling1d({});
      const out = layer.apply(tf.input({ shape: [steps, channels] })) as tf.SymbolicTensor;
      const body = `inp = keras.Input(shape=(${steps}, ${channels}))\nout = layers.${max ? 'GlobalMaxPooling1D' : 'GlobalAveragePooling1D'}()(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(out.shape), body);
    }
  });

  it('Dot(axes) on 2-D and 3-D pairs, as the functional layers.dot too', async () => {
    const cases: [number[], number[], number | [number, number]][] = [[[5], [5], 1], [[7, 4], [7, 6], 1], [[7, 4], [9, 4], 2], [[3, 8], [8, 5], [2, 1]], [[6, 3], [6, 2], -2]];
    for (const [sa, sb, axes] of cases) {
      const out = tf.layers.dot({ axes }).apply([tf.input({ shape: sa }), tf.input({ shape: sb })]) as tf.SymbolicTensor;
      const ax = Array.isArray(axes) ? `(${axes.join(', ')})` : String(axes);
      const body = `a = keras.Input(shape=(${sa.join(', ')},))\nb = keras.Input(shape=(${sb.join(', ')},))\nout = layers.Dot(axes=${ax})([a, b])\nout2 = layers.dot([a, b], axes=${ax})\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(out.shape), body);
      assert.equal(await seqlensShape(body, 'out2'), kerasShape(out.shape), body);
    }
  });

  it('Permute(dims) reorders the axes after the batch, on 16 random shapes of 2 to 4 axes', async () => {
    const r = rng(1504);
    for (let i = 0; i < 16; i++) {
      const shape = Array.from({ length: int(r, 2, 4) }, () => int(r, 1, 30));
      const dims = shape.map((_, k) => k + 1);
      for (let k = dims.length - 1; k > 0; k--) {
        const j = int(r, 0, k);
        [dims[k], dims[j]] = [dims[j], dims[k]];
      }
      const out = tf.layers.permute({ dims }).apply(tf.input({ shape })) as tf.SymbolicTensor;
      const body = `inp = keras.Input(shape=${kerasShape(shape)})\nout = layers.Permute(${kerasShape(dims)})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(out.shape), body);
    }
  });

  it("Conv1D padding='causal' keeps the steps as 'same' does (Keras' conv_output_length; tfjs has no causal conv)", async () => {
    assert.throws(() => (tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal' }).apply(tf.ones([1, 9, 3])) as tf.Tensor).dataSync(), /CAUSAL/);
    for (const [steps, kernel, strides, dilation] of [[9, 3, 1, 1], [9, 3, 2, 1], [20, 4, 1, 3], [7, 8, 3, 1]]) {
      const same = tf.layers.conv1d({ filters: 2, kernelSize: kernel, strides, padding: 'same', dilationRate: dilation }).apply(tf.ones([1, steps, 3])) as tf.Tensor;
      const body = `inp = keras.Input(shape=(${steps}, 3))\nout = layers.Conv1D(2, ${kernel}, strides=${strides}, padding="causal", dilation_rate=${dilation})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape([null, ...same.shape.slice(1)]), body);
    }
  });

  it('a window longer than the steps: tfjs computes no positive length (TensorFlow raises), SL217 reports it, one step more is fine', async () => {
    const r = rng(1504);
    for (let i = 0; i < 6; i++) {
      const kernel = int(r, 3, 7);
      const steps = kernel - int(r, 1, 2);
      const conv = i % 2 === 0;
      const make = (n: number) => (conv ? tf.layers.conv1d({ filters: 2, kernelSize: kernel }) : tf.layers.maxPooling1d({ poolSize: kernel })).apply(tf.input({ shape: [n, 3] })) as tf.SymbolicTensor;
      assert.ok((make(steps).shape[1] ?? 1) <= 0);
      assert.equal(make(kernel).shape[1], 1);
      const layer = conv ? `Conv1D(2, ${kernel})` : `MaxPooling1D(${kernel})`;
      const result = await run(`${HEADER}inp = keras.Input(shape=(${steps}, 3))\nout = layers.${layer}(inp)\n`);
      assert.deepEqual(result.findings.map((f) => f.code), ['SL217'], layer);
      const fine = await run(`${HEADER}inp = keras.Input(shape=(${kernel}, 3))\nout = layers.${layer}(inp)\n`);
      assert.deepEqual(fine.findings.map((f) => f.code), [], layer);
    }
  });

  describe('MultiHeadAttention', () => {
    const r = rng(1505);
    const shapes: AttentionCase[] = [];
    for (let i = 0; i < 12; i++) {
      const [b, t, src, dim] = [int(r, 1, 4), int(r, 1, 9), int(r, 1, 9), int(r, 2, 12)];
      shapes.push({ query: [b, t, dim], value: [b, src, dim], heads: int(r, 1, 4), keyDim: int(r, 1, 8), outputShape: i % 3 === 0 ? int(r, 1, 10) : undefined });
    }
    const axes: AttentionCase[] = [];
    for (let i = 0; i < 4; i++) {
      const [b, x, y, dim] = [int(r, 1, 3), int(r, 2, 5), int(r, 2, 5), int(r, 2, 8)];
      axes.push({ query: [b, x, y, dim], value: [b, x, y, dim], heads: int(r, 1, 3), keyDim: 3, axes: i % 2 === 0 ? [2] : [1, 2] });
    }
    const masks: AttentionCase[] = [];
    for (let i = 0; i < 8; i++) {
      const [t, src] = [int(r, 2, 6), int(r, 2, 6)];
      const b = i < 2 ? t : t + int(r, 1, 3);
      for (const mask of [[b, src], [b, 1, src], [b, t, src]]) masks.push({ query: [b, t, 8], value: [b, src, 8], mask, heads: 2, keyDim: 4 });
    }
    const keyValue: AttentionCase[] = [{ query: [2, 5, 8], value: [2, 7, 8], key: [2, 6, 8], heads: 2, keyDim: 4 }, { query: [2, 5, 8], value: [2, 7, 8], key: [2, 7, 3], heads: 2, keyDim: 4 }];
    let runs: AttentionRun[] = [];
    before(function () {
      this.timeout(120000);
      runs = runMultiHeadAttention([...shapes, ...axes, ...masks, ...keyValue]);
    });
    const runOf = (c: AttentionCase) => runs[[...shapes, ...axes, ...masks, ...keyValue].indexOf(c)];
    const withBatch = (shape: number[] | undefined) => kerasShape([null, ...(shape ?? []).slice(1)]);

    it('output and attention scores for query (B, T, dim) and value (B, S, dim), output_shape, on 12 random shapes', async () => {
      for (const c of shapes) {
        const run = runOf(c);
        const body = `q = keras.Input(shape=(${c.query.slice(1).join(', ')}))\nv = keras.Input(shape=(${c.value.slice(1).join(', ')}))\nout, scores = layers.MultiHeadAttention(num_heads=${c.heads}, key_dim=${c.keyDim}${c.outputShape ? `, output_shape=${c.outputShape}` : ''})(q, v, return_attention_scores=True)\n`;
        assert.equal(await seqlensShape(body, 'out'), withBatch(run.out), body);
        assert.equal(await seqlensShape(body, 'scores'), withBatch(run.scores), body);
      }
    });

    it('attention_axes on a 4-D query', async () => {
      for (const c of axes) {
        const run = runOf(c);
        const body = `q = keras.Input(shape=(${c.query.slice(1).join(', ')}))\nout, scores = layers.MultiHeadAttention(num_heads=${c.heads}, key_dim=3, attention_axes=(${c.axes!.join(', ')},))(q, q, return_attention_scores=True)\n`;
        assert.equal(await seqlensShape(body, 'out'), withBatch(run.out), body);
        assert.equal(await seqlensShape(body, 'scores'), withBatch(run.scores), body);
      }
    });

    it('attention_mask: Keras widens it as SL218 does; (B, S) raises unless B equals T, (B, 1, S) and (B, T, S) run', () => {
      for (const c of masks) {
        const [b, t] = c.query;
        const widened = expandedMask(c.mask!.map((n) => ({ kind: 'int' as const, value: n })), 4, 1);
        const fits = widened.every((d, k) => d.kind === 'int' && (d.value === 1 || d.value === [b, 2, t, c.value[1]][k]));
        assert.equal(fits, runOf(c).error === undefined, `mask ${c.mask} with query ${c.query}, value ${c.value}: ${runOf(c).error ?? 'ran'}`);
      }
    });

    it('key and value that differ outside the last axis: tfjs raises and SL218 reports it', async () => {
      assert.ok(runOf(keyValue[0]).error);
      assert.equal(runOf(keyValue[1]).error, undefined);
      const result = await run(`${HEADER}q = keras.Input(shape=(5, 8))\nv = keras.Input(shape=(7, 8))\nk = keras.Input(shape=(6, 8))\nout = layers.MultiHeadAttention(2, 4)(q, v, key=k)\n`);
      assert.deepEqual(result.findings.map((f) => f.code), ['SL218']);
      const fine = await run(`${HEADER}q = keras.Input(shape=(5, 8))\nv = keras.Input(shape=(7, 8))\nk = keras.Input(shape=(7, 3))\nout = layers.MultiHeadAttention(2, 4)(q, v, key=k)\n`);
      assert.deepEqual(fine.findings.map((f) => f.code), []);
    });
  });
});
