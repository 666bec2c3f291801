// nn.Conv1d and the 1-D pooling layers over (N, C, L) or unbatched (C, L).
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { adaptivePool1d, pool1d } from '../ops/functional';
import { result } from '../ops/registry';
import type { Layer } from '../values';
import { argBool, argNumber, registerLayers, singleInput } from './module';

const tf = () => tfjs();

function batchRole(roles: import('../values').Role[] | undefined, rank: number): import('../values').Role[] | undefined {
  return roles && rank === 3 ? [roles[0], null, null] : undefined;
}

registerLayers(['Conv1d'], (layer, weights) => {
  const inC = argNumber(layer, 'in_channels');
  const outC = argNumber(layer, 'out_channels');
  const k = argNumber(layer, 'kernel_size');
  const stride = argNumber(layer, 'stride', 1);
  const dilation = argNumber(layer, 'dilation', 1);
  const groups = argNumber(layer, 'groups', 1);
  const hasBias = argBool(layer, 'bias', true);
  const mode = layer.args.get('padding_mode');
  if (groups !== 1) throw new Error(`nn.Conv1d (line ${layer.line}) with groups=${groups} is not something SeqLens runs`);
  if (mode?.kind === 'str' && mode.value !== 'zeros') throw new Error(`nn.Conv1d (line ${layer.line}) with padding_mode='${mode.value}' is not something SeqLens runs`);
  if (stride > 1 && dilation > 1) throw new Error(`nn.Conv1d (line ${layer.line}) with both stride and dilation above 1 is not something SeqLens runs`);
  const padArg = layer.args.get('padding');
  let left: number;
  let right: number;
  if (padArg?.kind === 'str') {
    if (padArg.value === 'valid') left = right = 0;
    else {
      const total = dilation * (k - 1);
      left = Math.floor(total / 2);
      right = total - left;
    }
  } else left = right = argNumber(layer, 'padding', 0);
  // PyTorch (out, in, k) → tfjs (k, in, out).
  const w = tf().tidy(() => tf().transpose(tf().tensor3d(weights.take(`${layer.path}.weight`, [outC, inC, k]), [outC, inC, k]), [2, 1, 0])) as import('@tensorflow/tfjs').Tensor3D;
  const bias = hasBias ? tf().tensor1d(weights.take(`${layer.path}.bias`, [outC])) : null;
  return {
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      if (t.rank !== 2 && t.rank !== 3) throw fail(site, `Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [${t.shape.join(', ')}]`);
      if (t.shape[t.rank - 2] !== inC) throw fail(site, `Given groups=1, weight of size [${outC}, ${inC}, ${k}], expected input[${t.shape.join(', ')}] to have ${inC} channels, but got ${t.shape[t.rank - 2]} channels instead`);
      const length = t.shape[t.rank - 1] + left + right;
      if (length < dilation * (k - 1) + 1) throw fail(site, `Calculated padded input size per channel: (${length}). Kernel size: (${dilation * (k - 1) + 1}). Kernel size can't be greater than actual input size`);
      const x = (t.rank === 3 ? t : t.expandDims(0)) as import('@tensorflow/tfjs').Tensor3D;
      const nwc = tf().transpose(x, [0, 2, 1]) as import('@tensorflow/tfjs').Tensor3D;
      const padded = left + right > 0 ? tf().pad(nwc, [[0, 0], [left, right], [0, 0]]) : nwc;
      let y: Tensor = tf().conv1d(padded, w, stride, 'valid', 'NWC', dilation);
      if (bias) y = tf().add(y, bias);
      y = tf().transpose(y, [0, 2, 1]);
      return result(t.rank === 3 ? y : y.squeeze([0]), batchRole(roles, t.rank));
    },
    attr: (name) => (name === 'weight' ? result(tf().transpose(w, [2, 1, 0])) : name === 'bias' && bias ? result(bias) : undefined),
    parameterCount: outC * inC * k + (bias ? outC : 0),
    dispose: () => tf().dispose([w, ...(bias ? [bias] : [])]),
  };
}, undefined, (layer) => {
  const outC = argNumber(layer, 'out_channels');
  return [
    { name: 'weight', shape: [outC, argNumber(layer, 'in_channels') / argNumber(layer, 'groups', 1), argNumber(layer, 'kernel_size')] },
    { name: 'bias', shape: argBool(layer, 'bias', true) ? [outC] : null },
  ];
});

function pool(kind: 'max' | 'avg') {
  return (layer: Layer) => {
    const k = argNumber(layer, 'kernel_size');
    const strideArg = layer.args.get('stride');
    const stride = !strideArg || strideArg.kind === 'none' ? k : argNumber(layer, 'stride');
    const padding = argNumber(layer, 'padding', 0);
    const ceil = argBool(layer, 'ceil_mode', false);
    if (kind === 'max' && (argNumber(layer, 'dilation', 1) !== 1 || argBool(layer, 'return_indices', false))) throw new Error(`nn.MaxPool1d (line ${layer.line}) with dilation or return_indices is not something SeqLens runs`);
    return {
      call: (args: import('../values').Value[], kwargs: Map<string, import('../values').Value>, site: import('../errors').CallSite) => {
        const { t, roles } = singleInput(layer, args, kwargs, site);
        return result(pool1d(null, site, t, kind, k, stride, padding, ceil, argBool(layer, 'count_include_pad', true)), batchRole(roles, t.rank));
      },
      parameterCount: 0,
      dispose: () => undefined,
    };
  };
}
registerLayers(['MaxPool1d'], pool('max'));
registerLayers(['AvgPool1d'], pool('avg'));

function adaptive(kind: 'max' | 'avg') {
  return (layer: Layer) => {
    const size = argNumber(layer, 'output_size');
    if (kind === 'max' && argBool(layer, 'return_indices', false)) throw new Error(`nn.AdaptiveMaxPool1d (line ${layer.line}) with return_indices is not something SeqLens runs`);
    return {
      call: (args: import('../values').Value[], kwargs: Map<string, import('../values').Value>, site: import('../errors').CallSite) => {
        const { t, roles } = singleInput(layer, args, kwargs, site);
        if (t.rank !== 2 && t.rank !== 3) throw fail(site, `adaptive_${kind}_pool1d(): Expected 2D or 3D tensor, but got: [${t.shape.join(', ')}]`);
        return result(adaptivePool1d(t, size, kind), batchRole(roles, t.rank));
      },
      parameterCount: 0,
      dispose: () => undefined,
    };
  };
}
registerLayers(['AdaptiveMaxPool1d'], adaptive('max'));
registerLayers(['AdaptiveAvgPool1d'], adaptive('avg'));
