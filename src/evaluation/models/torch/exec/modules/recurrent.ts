// nn.RNN, nn.GRU and nn.LSTM: the shared recurrent kernels (../../recurrent/kernels.ts, through
// layers.ts), with PyTorch's argument checks, an initial state when one is given (zeros otherwise),
// unbatched (T, F) input, and the (output, h_n) / (output, (h_n, c_n)) results.
import { tfjs, Tensor } from '../../../tf';
import { buildLayer } from '../../layers';
import { fail, TimeMajorInput } from '../errors';
import { result } from '../ops/registry';
import type { Role, Value } from '../values';
import { argBool, argNumber, plainArgs, registerLayers } from './module';

const tf = () => tfjs();

registerLayers(['RNN', 'GRU', 'LSTM'], (layer, weights) => {
  const built = buildLayer({ path: layer.path!, kind: layer.type, args: plainArgs(layer), children: [] }, weights);
  const isLstm = layer.type === 'LSTM';
  const inputSize = argNumber(layer, 'input_size');
  const hidden = argNumber(layer, 'hidden_size');
  const directions = argBool(layer, 'bidirectional', false) ? 2 : 1;
  const rows = argNumber(layer, 'num_layers', 1) * directions;
  const batchFirst = argBool(layer, 'batch_first', false);
  return {
    call: (args, kwargs, site) => {
      const input = args[0] ?? kwargs.get('input');
      const hx = args[1] ?? kwargs.get('hx') ?? { kind: 'none' };
      if (args.length > 2 || [...kwargs.keys()].some((k) => k !== 'input' && k !== 'hx')) throw fail(site, `nn.${layer.type} takes (input, hx)`);
      if (input?.kind === 'tensor' && input.t.dtype !== 'float32') throw fail(site, `nn.${layer.type} expects float input, got ${input.t.dtype === 'int32' ? 'Long' : 'Bool'} (did the input skip its Embedding?)`);
      if (input?.kind !== 'tensor') {
        if (input?.kind === 'object' || input?.kind === 'tuple') throw fail(site, `nn.${layer.type} given ${input.kind === 'tuple' ? 'a tuple' : 'an object'}: packed sequences (pack_padded_sequence) are not something SeqLens runs`);
        throw fail(site, `nn.${layer.type} expects a tensor`);
      }
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
      if (hx.kind === 'none') outputs = built.apply(x);
      else if (isLstm) {
        if (hx.kind !== 'tuple' || hx.items.length !== 2) throw fail(site, 'nn.LSTM expects its state as a tuple (h_0, c_0)');
        outputs = built.applyWithState!(x, state(hx.items[0], 'hidden[0]'), state(hx.items[1], 'hidden[1]'));
      } else outputs = built.applyWithState!(x, state(hx, 'hidden'), null);
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
});
