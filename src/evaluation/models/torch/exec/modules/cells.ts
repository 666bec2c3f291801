// nn.RNNCell, nn.GRUCell and nn.LSTMCell: one step of the recurrence, for models that loop over
// time themselves (decoders, hand-written taggers). PyTorch's gate order and biases: GRU r, z, n
// with the reset gate scaling (W_hn h + b_hn); LSTM i, f, g, o.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { result } from '../ops/registry';
import type { Value } from '../values';
import { argBool, argNumber, registerLayers } from './module';

const tf = () => tfjs();

const GATES: Record<string, number> = { RNNCell: 1, GRUCell: 3, LSTMCell: 4 };

registerLayers(['RNNCell', 'GRUCell', 'LSTMCell'], (layer, weights) => {
  const gates = GATES[layer.type];
  const inputSize = argNumber(layer, 'input_size');
  const hidden = argNumber(layer, 'hidden_size');
  const hasBias = argBool(layer, 'bias', true);
  const nonlinearity = layer.args.get('nonlinearity');
  const relu = nonlinearity?.kind === 'str' && nonlinearity.value === 'relu';
  if (layer.type === 'RNNCell' && nonlinearity?.kind === 'str' && !['tanh', 'relu'].includes(nonlinearity.value)) throw new Error(`nn.RNNCell: unknown nonlinearity '${nonlinearity.value}'`);
  const take = (name: string, shape: number[]) => tf().tensor(weights.take(`${layer.path}.${name}`, shape), shape);
  const wih = take('weight_ih', [gates * hidden, inputSize]);
  const whh = take('weight_hh', [gates * hidden, hidden]);
  const bih = hasBias ? take('bias_ih', [gates * hidden]) : null;
  const bhh = hasBias ? take('bias_hh', [gates * hidden]) : null;
  const project = (x: Tensor, w: Tensor, b: Tensor | null) => {
    const p = tf().matMul(x, w, false, true);
    return b ? tf().add(p, b) : p;
  };
  return {
    call: (args, kwargs, site) => {
      const input = args[0] ?? kwargs.get('input');
      const hx: Value = args[1] ?? kwargs.get('hx') ?? { kind: 'none' };
      if (input?.kind !== 'tensor') throw fail(site, `nn.${layer.type} expects a tensor`);
      let x = input.t;
      if (x.rank !== 1 && x.rank !== 2) throw fail(site, `${layer.type}: Expected input to be 1-D or 2-D but received ${x.rank}-D tensor`);
      if (x.shape[x.rank - 1] !== inputSize) throw fail(site, `input has inconsistent input_size: got ${x.shape[x.rank - 1]} expected ${inputSize}`);
      const unbatched = x.rank === 1;
      if (unbatched) x = x.reshape([1, -1]);
      if (x.dtype !== 'float32') x = tf().cast(x, 'float32');
      const batch = x.shape[0];
      const state = (v: Value | undefined, what: string): Tensor => {
        if (!v || v.kind === 'none') return tf().zeros([batch, hidden]);
        if (v.kind !== 'tensor') throw fail(site, `nn.${layer.type}'s ${what} must be a tensor`);
        const t = unbatched && v.t.rank === 1 ? v.t.reshape([1, -1]) : v.t;
        if (t.rank !== 2 || t.shape[0] !== batch || t.shape[1] !== hidden) throw fail(site, `${what} has inconsistent size: got ${JSON.stringify(v.t.shape)}, expected [${unbatched ? '' : `${batch}, `}${hidden}]`);
        return t;
      };
      const roles = unbatched ? undefined : input.roles ? [input.roles[0], null] : undefined;
      const out = (t: Tensor) => result(unbatched ? t.reshape([-1]) : t, roles);
      if (layer.type === 'LSTMCell') {
        const pair = hx.kind === 'tuple' ? hx.items : hx.kind === 'none' ? [] : null;
        if (!pair) throw fail(site, 'nn.LSTMCell expects its state as a tuple (h, c)');
        const h = state(pair[0], 'hx[0]');
        const c = state(pair[1], 'hx[1]');
        const all = tf().add(project(x, wih, bih), project(h, whh, bhh));
        const [i, f, g, o] = tf().split(all, 4, 1);
        const c2 = tf().add(tf().mul(tf().sigmoid(f), c), tf().mul(tf().sigmoid(i), tf().tanh(g)));
        const h2 = tf().mul(tf().sigmoid(o), tf().tanh(c2));
        return { kind: 'tuple', items: [out(h2), out(c2)] };
      }
      const h = state(hx, 'hx');
      if (layer.type === 'GRUCell') {
        const [xr, xz, xn] = tf().split(project(x, wih, bih), 3, 1);
        const [hr, hz, hn] = tf().split(project(h, whh, bhh), 3, 1);
        const r = tf().sigmoid(tf().add(xr, hr));
        const z = tf().sigmoid(tf().add(xz, hz));
        const n = tf().tanh(tf().add(xn, tf().mul(r, hn)));
        return out(tf().add(tf().mul(tf().sub(1, z), n), tf().mul(z, h)));
      }
      const pre = tf().add(project(x, wih, bih), project(h, whh, bhh));
      return out(relu ? tf().relu(pre) : tf().tanh(pre));
    },
    attr: (name) => ({ weight_ih: wih, weight_hh: whh, bias_ih: bih, bias_hh: bhh } as Record<string, Tensor | null>)[name] ? result(({ weight_ih: wih, weight_hh: whh, bias_ih: bih, bias_hh: bhh } as Record<string, Tensor>)[name]) : undefined,
    parameterCount: wih.size + whh.size + (bih ? bih.size + bhh!.size : 0),
    dispose: () => tf().dispose([wih, whh, ...(bih ? [bih, bhh!] : [])]),
  };
}, undefined, (layer) => {
  const rows = GATES[layer.type] * argNumber(layer, 'hidden_size');
  const bias = argBool(layer, 'bias', true) ? [rows] : null;
  return [
    { name: 'weight_ih', shape: [rows, argNumber(layer, 'input_size')] },
    { name: 'weight_hh', shape: [rows, argNumber(layer, 'hidden_size')] },
    { name: 'bias_ih', shape: bias },
    { name: 'bias_hh', shape: bias },
  ];
});
