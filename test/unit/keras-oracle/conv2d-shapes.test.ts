// Keras' 2-D image layers (src/analysis/layers/keras/conv2d.ts) against tfjs-layers, which ports Keras'
// conv_utils: each layer is built in tfjs with the same arguments and applied to a symbolic input of the same
// shape (computeOutputShape, nothing is run), on random sizes from a fixed seed. Where tfjs lacks an argument
// (output_padding, dilation on the transposed convolution) the case is left out and the rule is read from Keras'
// deconv_output_length in the layer file's header.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { run } from '../analysis/helpers';
import { seededRandom } from '../evaluation/mutations';

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

const kerasShape = (shape: readonly (number | null)[]) => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;

async function seqlensShape(body: string, name: string): Promise<string | undefined> {
  const result = await run(HEADER + body);
  return result.tensors.find((t) => t.name === name)?.shape;
}

function symbolic(layer: tf.layers.Layer, shape: number[]): (number | null)[] {
  return (layer.apply(tf.input({ shape })) as tf.SymbolicTensor).shape;
}

/** A 2-D window that fits `valid` padding. */
function windowCase(r: () => number) {
  const rows = int(r, 5, 40);
  const cols = int(r, 5, 40);
  const channels = int(r, 1, 6);
  const kernel: [number, number] = [int(r, 1, 5), int(r, 1, 5)];
  const padding = pick(r, ['valid', 'same'] as const);
  const dilated = r() < 0.3;
  const dilation: [number, number] = dilated ? [int(r, 1, 3), int(r, 2, 3)] : [1, 1];
  // Keras refuses strides > 1 together with dilation_rate > 1.
  const strides: [number, number] = dilated ? [1, 1] : [int(r, 1, 3), int(r, 1, 3)];
  const fits = padding === 'same' || (rows >= (kernel[0] - 1) * dilation[0] + 1 && cols >= (kernel[1] - 1) * dilation[1] + 1);
  return { rows, cols, channels, kernel, padding, dilation, strides, fits };
}

const t2 = (p: readonly number[]) => `(${p[0]}, ${p[1]})`;

describe('Keras 2-D image layers against tfjs-layers', function () {
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

  it('Conv2D: kernel, strides, padding, dilation_rate, channels last and first, on 24 random shapes', async () => {
    const r = seededRandom(3501);
    let checked = 0;
    while (checked < 24) {
      const c = windowCase(r);
      if (!c.fits) continue;
      const filters = int(r, 1, 16);
      const first = checked % 4 === 3;
      const shape = first ? [c.channels, c.rows, c.cols] : [c.rows, c.cols, c.channels];
      const layer = tf.layers.conv2d({ filters, kernelSize: c.kernel, strides: c.strides, padding: c.padding, dilationRate: c.dilation, dataFormat: first ? 'channelsFirst' : 'channelsLast' });
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.Conv2D(${filters}, ${t2(c.kernel)}, strides=${t2(c.strides)}, padding="${c.padding}", dilation_rate=${t2(c.dilation)}${first ? ', data_format="channels_first"' : ''})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
      checked++;
    }
  });

  it('MaxPooling2D / AveragePooling2D: pool_size, strides (default pool_size), padding, on 24 random shapes', async () => {
    const r = seededRandom(3502);
    let checked = 0;
    while (checked < 24) {
      const c = windowCase(r);
      const pool = c.kernel;
      const strides = r() < 0.5 ? undefined : c.strides;
      if (c.padding === 'valid' && (c.rows < pool[0] || c.cols < pool[1])) continue;
      const max = r() < 0.5;
      const args = { poolSize: pool, strides, padding: c.padding };
      const layer = max ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
      const shape = [c.rows, c.cols, c.channels];
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.${max ? 'MaxPooling2D' : 'AveragePooling2D'}(pool_size=${t2(pool)}${strides ? `, strides=${t2(strides)}` : ''}, padding="${c.padding}")(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
      checked++;
    }
  });

  // tfjs' DepthwiseConv2D leaves dilation_rate out of its output shape (Keras' depthwise_conv2d.py passes it to
  // conv_output_length, as Conv2D does): its dilated cases are Conv2D's rule, checked above.
  it('SeparableConv2D and DepthwiseConv2D (depth_multiplier), on 20 random shapes', async () => {
    const r = seededRandom(3503);
    let checked = 0;
    while (checked < 20) {
      const c = windowCase(r);
      if (!c.fits) continue;
      const shape = [c.rows, c.cols, c.channels];
      const separable = checked % 2 === 0;
      if (!separable && (c.dilation[0] > 1 || c.dilation[1] > 1)) continue;
      const multiplier = int(r, 1, 3);
      const filters = int(r, 1, 12);
      const layer = separable
        ? tf.layers.separableConv2d({ filters, kernelSize: c.kernel, strides: c.strides, padding: c.padding, dilationRate: c.dilation, depthMultiplier: multiplier })
        : tf.layers.depthwiseConv2d({ kernelSize: c.kernel, strides: c.strides, padding: c.padding, dilationRate: c.dilation, depthMultiplier: multiplier });
      const call = separable
        ? `SeparableConv2D(${filters}, ${t2(c.kernel)}, strides=${t2(c.strides)}, padding="${c.padding}", dilation_rate=${t2(c.dilation)}, depth_multiplier=${multiplier})`
        : `DepthwiseConv2D(${t2(c.kernel)}, strides=${t2(c.strides)}, padding="${c.padding}", dilation_rate=${t2(c.dilation)}, depth_multiplier=${multiplier})`;
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.${call}(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
      checked++;
    }
  });

  it('Conv2DTranspose: kernel, strides, padding, on 20 random shapes', async () => {
    const r = seededRandom(3504);
    for (let i = 0; i < 20; i++) {
      const c = windowCase(r);
      const strides: [number, number] = [int(r, 1, 3), int(r, 1, 3)];
      const filters = int(r, 1, 12);
      const shape = [c.rows, c.cols, c.channels];
      const layer = tf.layers.conv2dTranspose({ filters, kernelSize: c.kernel, strides, padding: c.padding });
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.Conv2DTranspose(${filters}, ${t2(c.kernel)}, strides=${t2(strides)}, padding="${c.padding}")(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
    }
  });

  it('GlobalAveragePooling2D / GlobalMaxPooling2D, channels last and first', async () => {
    const r = seededRandom(3505);
    for (let i = 0; i < 8; i++) {
      const shape = [int(r, 1, 20), int(r, 1, 20), int(r, 1, 9)];
      const max = i % 2 === 0;
      const first = i % 4 >= 2;
      const args = { dataFormat: first ? 'channelsFirst' as const : 'channelsLast' as const };
      const layer = max ? tf.layers.globalMaxPooling2d(args) : tf.layers.globalAveragePooling2d(args);
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.${max ? 'GlobalMaxPooling2D' : 'GlobalAveragePooling2D'}(${first ? 'data_format="channels_first"' : ''})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
    }
  });

  it('UpSampling2D, ZeroPadding2D and Cropping2D in their int, pair and pair-of-pairs forms, on 24 random shapes', async () => {
    const r = seededRandom(3506);
    for (let i = 0; i < 24; i++) {
      const shape = [int(r, 8, 30), int(r, 8, 30), int(r, 1, 5)];
      const kind = i % 3;
      const form = Math.floor(i / 3) % 3;
      const a = [int(r, 0, 3), int(r, 0, 3), int(r, 0, 3), int(r, 0, 3)];
      let layer: tf.layers.Layer;
      let call: string;
      if (kind === 0) {
        const size = form === 0 ? [a[0] + 1, a[0] + 1] : [a[0] + 1, a[1] + 1];
        layer = tf.layers.upSampling2d({ size });
        call = form === 0 ? `UpSampling2D(size=${size[0]})` : `UpSampling2D(size=${t2(size)})`;
      } else {
        const pairs: [[number, number], [number, number]] = form === 0 ? [[a[0], a[0]], [a[0], a[0]]] : form === 1 ? [[a[0], a[0]], [a[1], a[1]]] : [[a[0], a[1]], [a[2], a[3]]];
        const written = form === 0 ? `${a[0]}` : form === 1 ? t2([a[0], a[1]]) : `(${t2(pairs[0])}, ${t2(pairs[1])})`;
        layer = kind === 1 ? tf.layers.zeroPadding2d({ padding: pairs }) : tf.layers.cropping2D({ cropping: pairs });
        call = kind === 1 ? `ZeroPadding2D(padding=${written})` : `Cropping2D(cropping=${written})`;
      }
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\nout = layers.${call}(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(symbolic(layer, shape)), body);
    }
  });

  it('TimeDistributed(Conv2D) and TimeDistributed(MaxPooling2D) over (batch, steps, rows, cols, channels)', async () => {
    const r = seededRandom(3507);
    for (let i = 0; i < 6; i++) {
      const shape = [int(r, 2, 12), int(r, 8, 32), int(r, 8, 32), int(r, 1, 4)];
      const filters = int(r, 1, 8);
      const conv = tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters, kernelSize: 3 }) });
      const pooled = tf.layers.timeDistributed({ layer: tf.layers.maxPooling2d({ poolSize: 2 }) });
      const convOut = symbolic(conv, shape);
      const pooledOut = (pooled.apply(conv.apply(tf.input({ shape }))) as tf.SymbolicTensor).shape;
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\na = layers.TimeDistributed(layers.Conv2D(${filters}, 3))(inp)\nb = layers.TimeDistributed(layers.MaxPooling2D(2))(a)\n`;
      assert.equal(await seqlensShape(body, 'a'), kerasShape(convOut), body);
      assert.equal(await seqlensShape(body, 'b'), kerasShape(pooledOut), body);
    }
  });

  it('ConvLSTM2D: kernel, strides, padding, return_sequences and return_state, channels last and first, on 20 random shapes', async () => {
    const r = seededRandom(3508);
    let checked = 0;
    while (checked < 20) {
      const c = windowCase(r);
      if (!c.fits || c.dilation[0] > 1 || c.dilation[1] > 1) continue;
      const steps = int(r, 1, 8);
      const filters = int(r, 1, 8);
      const sequences = r() < 0.5;
      const states = checked % 5 === 4;
      const first = checked % 4 === 3;
      const shape = first ? [steps, c.channels, c.rows, c.cols] : [steps, c.rows, c.cols, c.channels];
      const layer = tf.layers.convLstm2d({ filters, kernelSize: c.kernel, strides: c.strides, padding: c.padding, returnSequences: sequences, returnState: states, dataFormat: first ? 'channelsFirst' : 'channelsLast' });
      const outs = layer.apply(tf.input({ shape })) as tf.SymbolicTensor | tf.SymbolicTensor[];
      const [o, h] = Array.isArray(outs) ? outs : [outs];
      const py = (b: boolean) => (b ? 'True' : 'False');
      const call = `layers.ConvLSTM2D(${filters}, ${t2(c.kernel)}, strides=${t2(c.strides)}, padding="${c.padding}", return_sequences=${py(sequences)}, return_state=${py(states)}${first ? ', data_format="channels_first"' : ''})(inp)`;
      const body = `inp = keras.Input(shape=(${shape.join(', ')}))\n${states ? 'out, h, cs' : 'out'} = ${call}\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape(o.shape), body);
      if (states) assert.equal(await seqlensShape(body, 'h'), kerasShape(h.shape), body);
      checked++;
    }
  });

  it("Conv2DTranspose with output_padding follows Keras' deconv_output_length (tfjs has no output_padding)", async () => {
    // (n - 1) * stride + kernel - 2 * pad + output_padding, pad = kernel // 2 for 'same', 0 for 'valid'.
    for (const [n, k, s, padding, op, want] of [[7, 3, 2, 'same', 1, 14], [7, 3, 2, 'valid', 0, 15], [5, 4, 3, 'same', 2, 14], [6, 5, 1, 'valid', 0, 10]] as const) {
      const body = `inp = keras.Input(shape=(${n}, ${n}, 2))\nout = layers.Conv2DTranspose(4, ${k}, strides=${s}, padding="${padding}", output_padding=${op})(inp)\n`;
      assert.equal(await seqlensShape(body, 'out'), kerasShape([null, want, want, 4]), body);
    }
  });

  it('an unknown layout keeps the rank and the batch only: Keras 1 spelling, set_image_data_format, three positional ints', async () => {
    const cases = [
      'out = layers.Convolution2D(32, 3, 3, border_mode="same")(inp)\n',
      'out = layers.Conv2D(32, 3, 3)(inp)\n',
      'keras.backend.set_image_data_format("channels_first")\nout = layers.Conv2D(32, 3)(inp)\n',
      'out = layers.Conv2D(32, 3, data_format=fmt)(inp)\n',
    ];
    for (const line of cases) {
      const body = `fmt = input()\ninp = keras.Input(shape=(3, 32, 32))\n${line}`;
      assert.equal(await seqlensShape(body, 'out'), '(None, ?, ?, ?)', line);
    }
    // Arguments whose values are not known leave the spatial sizes unknown, not at their defaults.
    for (const call of ['Conv2D(8, 3, strides=fmt)', 'Conv2D(8, k)', 'MaxPooling2D(pool_size=k)', 'Conv2D(8, 3, padding=fmt)', 'UpSampling2D(size=k)', 'ZeroPadding2D(k)']) {
      const body = `fmt = input()\nk = int(input())\ninp = keras.Input(shape=(32, 32, 3))\nout = layers.${call}(inp)\n`;
      const shape = await seqlensShape(body, 'out');
      assert.match(shape ?? '', /^\(None, \?, \?, (8|3)\)$/, call);
    }
    // A global pooling drops both spatial axes whatever the layout: only where the channels are is unknown.
    const pooled = 'keras.backend.set_image_data_format("channels_first")\ninp = keras.Input(shape=(3, 32, 32))\nout = layers.GlobalAveragePooling2D(keepdims=False)(inp)\n';
    assert.equal(await seqlensShape(pooled, 'out'), '(None, ?)', pooled);
    const kept = pooled.replace('keepdims=False', 'keepdims=True');
    assert.equal(await seqlensShape(kept, 'out'), '(None, ?, ?, ?)', kept);
    // Keras 1's dim_ordering says where the channels are.
    const th = `inp = keras.Input(shape=(3, 32, 32))\nout = layers.Convolution2D(8, 3, 3, dim_ordering="th")(inp)\n`;
    assert.equal(await seqlensShape(th, 'out'), '(None, 8, 30, 30)', th);
  });

  it('a CNN front end reaches the LSTM after it: 4-D maps straight into an LSTM are reported, reshaped ones are not', async () => {
    const bad = await run(`${HEADER}inp = keras.Input(shape=(32, 128, 1))\nx = layers.Conv2D(16, 3, padding="same")(inp)\nx = layers.MaxPooling2D(2)(x)\nout = layers.LSTM(32)(x)\n`);
    assert.deepEqual(bad.findings.map((f) => f.code), ['SL202']);
    const good = await run(`${HEADER}inp = keras.Input(shape=(32, 128, 1))\nx = layers.Conv2D(16, 3, padding="same")(inp)\nx = layers.MaxPooling2D(2)(x)\nx = layers.Reshape((16, 64 * 16))(x)\nout = layers.LSTM(32)(x)\n`);
    assert.deepEqual(good.findings.map((f) => f.code), []);
    assert.equal(good.tensors.find((t) => t.name === 'out' && t.range.start.line === 6)?.shape, '(None, 32)');
  });
});
