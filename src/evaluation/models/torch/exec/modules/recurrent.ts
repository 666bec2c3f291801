// nn.RNN, nn.GRU and nn.LSTM: the shared recurrent kernels (../../recurrent/kernels.ts, through
// layers.ts), with PyTorch's argument checks, an initial state when one is given (zeros otherwise),
// unbatched (T, F) input, and the (output, h_n) / (output, (h_n, c_n)) results.
import { tfjs, Tensor } from '../../../tf';
import { buildLayer } from '../../layers';
import { fail, TimeMajorInput } from '../errors';
import { lookupOf } from '../lookups';
import { result } from '../ops/registry';
import type { Layer, Role, Value } from '../values';
import { argBool, argNumber, LayerTensor, plainArgs, registerLayers } from './module';

const tf = () => tfjs();

registerLayers(['RNN', 'GRU', 'LSTM'], (layer, weights) => {
  const built = buildLayer({ path: layer.path!, kind: layer.type, args: plainArgs(layer), children: [] }, weights);
  const isLstm = layer.type === 'LSTM';
  const inputSize = argNumber(layer, 'input_size');
  const hidden = argNumber(layer, 'hidden_size');
  const directions = argBool(layer, 'bidirectional', false) ? 2 : 1;
  const rows = argNumber(layer, 'num_layers', 1) * directions;
  const batchFirst = argBool(layer, 'batch_first', false);
  /** hx as (h0, c0) tensors in PyTorch's layout, checked against this batch; nulls for zeros. */
  const states = (hx: Value, batch: number, site: import('../errors').CallSite): [Tensor | null, Tensor | null] => {
    if (hx.kind === 'none') return [null, null];
    const expected = [rows, batch, hidden];
    const check = (v: Value, what: string): Tensor => {
      if (v.kind !== 'tensor') throw fail(site, `nn.${layer.type}'s ${what} must be a tensor, not ${v.kind}`);
      if (v.t.rank !== 3 || v.t.shape.some((d, i) => d !== expected[i])) throw fail(site, `Expected ${what} size (${expected.join(', ')}), got [${v.t.shape.join(', ')}]`);
      return v.t.dtype === 'float32' ? v.t : tf().cast(v.t, 'float32');
    };
    if (!isLstm) return [check(hx, 'hidden'), null];
    if (hx.kind !== 'tuple' || hx.items.length !== 2) throw fail(site, 'nn.LSTM expects its state as a tuple (h_0, c_0)');
    return [check(hx.items[0], 'hidden[0]'), check(hx.items[1], 'hidden[1]')];
  };

  /** A packed batch: the sequences of each length run together, only for their own steps. */
  const runPacked = (input: Extract<Value, { kind: 'packed' }>, hx: Value, site: import('../errors').CallSite): Value => {
    const x = input.data.t;
    if (x.rank !== 3 || x.shape[2] !== inputSize) throw fail(site, `input.size(-1) must be equal to input_size. Expected ${inputSize}, got ${x.shape[x.rank - 1]}`);
    const batch = x.shape[0];
    const longest = Math.max(...input.lengths);
    const [h0, c0] = states(hx, batch, site);
    const outs: Tensor[] = new Array(batch);
    const hs: Tensor[] = new Array(batch);
    const cs: Tensor[] = new Array(batch);
    for (const length of [...new Set(input.lengths)]) {
      const members = input.lengths.map((l, i) => (l === length ? i : -1)).filter((i) => i >= 0);
      const idx = tf().tensor1d(members, 'int32');
      const part = tf().slice(tf().gather(x, idx, 0), [0, 0, 0], [-1, length, -1]);
      const laid = batchFirst ? part : tf().transpose(part, [1, 0, 2]);
      const ran = h0 ? built.applyWithState!(laid, tf().gather(h0, idx, 1), c0 ? tf().gather(c0, idx, 1) : null) : built.apply(laid);
      const out = batchFirst ? ran[0] : tf().transpose(ran[0], [1, 0, 2]);
      const padded = length < longest ? tf().pad(out, [[0, 0], [0, longest - length], [0, 0]]) : out;
      tf().unstack(padded, 0).forEach((row, k) => { outs[members[k]] = row; });
      tf().unstack(ran[1], 1).forEach((row, k) => { hs[members[k]] = row; });
      if (ran[2]) tf().unstack(ran[2], 1).forEach((row, k) => { cs[members[k]] = row; });
    }
    const data = result(tf().stack(outs, 0), input.data.roles ? [input.data.roles[0], input.data.roles[1], null] : undefined);
    const stateRoles: Role[] | undefined = input.data.roles ? [null, input.data.roles[0], null] : undefined;
    const hn = { ...result(tf().stack(hs, 1), stateRoles), state: 'hidden' as const };
    const packed: Value = { kind: 'packed', data, lengths: input.lengths };
    if (!isLstm) return { kind: 'tuple', items: [packed, hn] };
    return { kind: 'tuple', items: [packed, { kind: 'tuple', items: [hn, { ...result(tf().stack(cs, 1), stateRoles), state: 'cell' as const }] }] };
  };

  return {
    call: (args, kwargs, site) => {
      const input = args[0] ?? kwargs.get('input');
      const hx = args[1] ?? kwargs.get('hx') ?? { kind: 'none' };
      if (args.length > 2 || [...kwargs.keys()].some((k) => k !== 'input' && k !== 'hx')) throw fail(site, `nn.${layer.type} takes (input, hx)`);
      if (input?.kind === 'tensor' && input.t.dtype !== 'float32') throw fail(site, `nn.${layer.type} expects float input, got ${input.t.dtype === 'int32' ? 'Long' : 'Bool'} (did the input skip its Embedding?)`);
      if (input?.kind === 'packed') return runPacked(input, hx, site);
      if (input?.kind !== 'tensor') throw fail(site, `nn.${layer.type} expects a tensor or a packed sequence, not ${input ? input.kind : 'nothing'}`);
      let x = input.t;
      const roles = input.roles;
      if (x.rank !== 2 && x.rank !== 3) throw fail(site, `${layer.type}: Expected input to be 2-D or 3-D but received ${x.rank}-D tensor`);
      if (x.shape[x.rank - 1] !== inputSize) throw fail(site, `input.size(-1) must be equal to input_size. Expected ${inputSize}, got ${x.shape[x.rank - 1]}`);
      if (!batchFirst && x.rank === 3 && roles?.[0] === 'B' && roles[1] === 'T') throw new TimeMajorInput();
      const unbatched = x.rank === 2;
      if (unbatched) x = tf().expandDims(x, batchFirst ? 0 : 1);
      const batch = x.shape[batchFirst ? 0 : 1];
      const expected = [rows, batch, hidden];
      const state = (v: Value, what: string): Tensor => {
        if (v.kind !== 'tensor') throw fail(site, `nn.${layer.type}'s ${what} must be a tensor, not ${v.kind}`);
        const t = unbatched && v.t.rank === 2 ? tf().expandDims(v.t, 1) : v.t;
        if (t.rank !== 3 || t.shape.some((d, i) => d !== expected[i])) {
          throw fail(site, `Expected ${what} size (${expected.join(', ')}), got [${v.t.shape.join(', ')}]`);
        }
        return t.dtype === 'float32' ? t : tf().cast(t, 'float32');
      };
      let outputs: Tensor[];
      const lookup = unbatched ? null : lookupOf(x);
      if (hx.kind === 'none') outputs = built.apply(x, lookup);
      else if (isLstm) {
        if (hx.kind !== 'tuple' || hx.items.length !== 2) throw fail(site, 'nn.LSTM expects its state as a tuple (h_0, c_0)');
        outputs = built.applyWithState!(x, state(hx.items[0], 'hidden[0]'), state(hx.items[1], 'hidden[1]'), lookup);
      } else outputs = built.applyWithState!(x, state(hx, 'hidden'), null, lookup);
      const [out, h, c] = unbatched ? outputs.map((t, i) => tf().squeeze(t, [i === 0 ? (batchFirst ? 0 : 1) : 1])) : outputs;
      const outRoles: Role[] | undefined = roles && !unbatched ? [roles[0], roles[1], null] : undefined;
      const batchRole: Role = roles && !unbatched ? roles[batchFirst ? 0 : 1] : null;
      const stateRoles: Role[] | undefined = unbatched ? undefined : [null, batchRole, null];
      const hn = { ...result(h, stateRoles), state: 'hidden' as const };
      const cn = isLstm ? { ...result(c, stateRoles), state: 'cell' as const } : null;
      return { kind: 'tuple', items: [result(out, outRoles), cn ? { kind: 'tuple', items: [hn, cn] } : hn] };
    },
    parameterCount: built.parameterCount,
    dispose: () => built.dispose(),
  };
}, undefined, recurrentTensors);

/** weight_ih_l{k}{_reverse}, weight_hh_…, bias_ih_…, bias_hh_…, weight_hr_… in PyTorch's order (RNNBase._flat_weights_names). */
function recurrentTensors(layer: Layer): LayerTensor[] {
  const hidden = argNumber(layer, 'hidden_size');
  const proj = argNumber(layer, 'proj_size', 0);
  const rows = ({ RNN: 1, GRU: 3, LSTM: 4 } as Record<string, number>)[layer.type] * hidden;
  const directions = argBool(layer, 'bidirectional', false) ? 2 : 1;
  const bias = argBool(layer, 'bias', true);
  const out = proj > 0 ? proj : hidden;
  const tensors: LayerTensor[] = [];
  for (let k = 0; k < argNumber(layer, 'num_layers', 1); k++) {
    for (let d = 0; d < directions; d++) {
      const suffix = `_l${k}${d === 1 ? '_reverse' : ''}`;
      tensors.push({ name: `weight_ih${suffix}`, shape: [rows, k === 0 ? argNumber(layer, 'input_size') : out * directions] });
      tensors.push({ name: `weight_hh${suffix}`, shape: [rows, out] });
      if (bias) tensors.push({ name: `bias_ih${suffix}`, shape: [rows] }, { name: `bias_hh${suffix}`, shape: [rows] });
      if (proj > 0) tensors.push({ name: `weight_hr${suffix}`, shape: [proj, hidden] });
    }
  }
  return tensors;
}
