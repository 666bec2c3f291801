// nn.RNNCell, nn.GRUCell and nn.LSTMCell: one step of the recurrence, for models that loop over
// time themselves (decoders, hand-written taggers). PyTorch's gate order and biases: GRU r, z, n
// with the reset gate scaling (W_hn h + b_hn); LSTM i, f, g, o. Each call is one step of the
// shared recurrent kernel (../../../recurrent/kernels.ts), on weights prepared once when the model loads.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { disposeWeights, fromTorchLayout, ProjectionTables, projectInputs, recurrentStep, recurrentWeights, Tensor2D } from '../../../recurrent/kernels';
import { lookupOf } from '../lookups';
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
  const read = (name: string, shape: number[]) => weights.take(`${layer.path}.${name}`, shape);
  const arrays = {
    weight_ih: read('weight_ih', [gates * hidden, inputSize]),
    weight_hh: read('weight_hh', [gates * hidden, hidden]),
    bias_ih: hasBias ? read('bias_ih', [gates * hidden]) : null,
    bias_hh: hasBias ? read('bias_hh', [gates * hidden]) : null,
  };
  const cell = layer.type === 'LSTMCell' ? 'lstm' : layer.type === 'GRUCell' ? 'gru' : 'rnn';
  const prepared = recurrentWeights(fromTorchLayout(cell, hidden, inputSize, arrays.weight_ih, arrays.weight_hh, arrays.bias_ih, arrays.bias_hh, relu ? 'relu' : 'tanh'));
  const tables = new ProjectionTables(prepared);
  // The parameters as PyTorch holds them, for code that reads them (`self.cell.weight_hh`); made on first read.
  const attributes = new Map<string, Tensor>();
  const shapes: Record<string, number[]> = { weight_ih: [gates * hidden, inputSize], weight_hh: [gates * hidden, hidden], bias_ih: [gates * hidden], bias_hh: [gates * hidden] };
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
      const lookup = lookupOf(input.t);
      const projected = (lookup && tables.project(lookup.table, lookup.ids)) ?? { rows: projectInputs(x as Tensor2D, prepared), ids: null };
      if (layer.type === 'LSTMCell') {
        const pair = hx.kind === 'tuple' ? hx.items : hx.kind === 'none' ? [] : null;
        if (!pair) throw fail(site, 'nn.LSTMCell expects its state as a tuple (h, c)');
        const [h2, c2] = recurrentStep(prepared, projected, state(pair[0], 'hx[0]'), state(pair[1], 'hx[1]'));
        return { kind: 'tuple', items: [out(h2), out(c2!)] };
      }
      return out(recurrentStep(prepared, projected, state(hx, 'hx'), null)[0]);
    },
    attr: (name) => {
      const values = (arrays as Record<string, Float32Array | null>)[name];
      if (values === undefined) return undefined;
      if (values === null) return { kind: 'none' };
      // Kept: a read inside forward's tf.tidy would otherwise release it with the batch.
      if (!attributes.has(name)) attributes.set(name, tf().keep(tf().tensor(values, shapes[name])));
      return result(attributes.get(name)!);
    },
    parameterCount: arrays.weight_ih.length + arrays.weight_hh.length + (hasBias ? arrays.bias_ih!.length + arrays.bias_hh!.length : 0),
    dispose: () => {
      tables.dispose();
      disposeWeights(prepared);
      tf().dispose([...attributes.values()]);
      attributes.clear();
    },
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
