// nn.LayerNorm and nn.BatchNorm1d in eval mode (running statistics, never the batch's own).
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { layerNorm } from '../ops/functional';
import { result } from '../ops/registry';
import type { Layer } from '../values';
import { argBool, argNumber, registerLayers, singleInput } from './module';

const tf = () => tfjs();

function normalizedShape(layer: Layer): number[] {
  const shapeArg = layer.args.get('normalized_shape');
  const shape = shapeArg?.kind === 'int' ? [shapeArg.value] : shapeArg?.kind === 'tuple' || shapeArg?.kind === 'list' ? shapeArg.items.map((v) => (v.kind === 'int' ? v.value : NaN)) : [NaN];
  if (shape.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`nn.LayerNorm (line ${layer.line}): normalized_shape is not a constant`);
  return shape;
}

registerLayers(['LayerNorm'], (layer, weights) => {
  const shape = normalizedShape(layer);
  const eps = argNumber(layer, 'eps', 1e-5);
  const affine = argBool(layer, 'elementwise_affine', true);
  const weight = affine ? tf().tensor(weights.take(`${layer.path}.weight`, shape), shape) : null;
  const bias = affine ? tf().tensor(weights.take(`${layer.path}.bias`, shape), shape) : null;
  return {
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      if (shape.some((s, i) => t.shape[t.rank - shape.length + i] !== s)) throw fail(site, `Given normalized_shape=[${shape.join(', ')}], expected input with shape [*, ${shape.join(', ')}], but got input of size[${t.shape.join(', ')}]`);
      return result(layerNorm(t, shape.length, weight, bias, eps), roles);
    },
    attr: (name) => (name === 'weight' && weight ? result(weight) : name === 'bias' && bias ? result(bias) : undefined),
    parameterCount: affine ? 2 * shape.reduce((p, s) => p * s, 1) : 0,
    dispose: () => tf().dispose([...(weight ? [weight, bias!] : [])]),
  };
}, 'normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None', (layer) => {
  const shape = argBool(layer, 'elementwise_affine', true) ? normalizedShape(layer) : null;
  return [{ name: 'weight', shape }, { name: 'bias', shape }];
});

registerLayers(['BatchNorm1d'], (layer, weights) => {
  const features = argNumber(layer, 'num_features');
  const eps = argNumber(layer, 'eps', 1e-5);
  const affine = argBool(layer, 'affine', true);
  if (!argBool(layer, 'track_running_stats', true)) throw new Error(`nn.BatchNorm1d (line ${layer.line}) with track_running_stats=False normalises with each batch's own statistics, which SeqLens does not run`);
  const take = (name: string) => tf().tensor1d(weights.take(`${layer.path}.${name}`, [features]));
  const weight = affine ? take('weight') : null;
  const bias = affine ? take('bias') : null;
  const mean = take('running_mean');
  const variance = take('running_var');
  return {
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      if ((t.rank !== 2 && t.rank !== 3) || t.shape[1] !== features) throw fail(site, t.rank !== 2 && t.rank !== 3 ? `expected 2D or 3D input (got ${t.rank}D input)` : `running_mean should contain ${t.shape[1]} elements not ${features}`);
      const along = (v: Tensor) => (t.rank === 3 ? v.reshape([1, features, 1]) : v.reshape([1, features]));
      let out = tf().mul(tf().sub(t, along(mean)), along(tf().rsqrt(tf().add(variance, eps))));
      if (weight) out = tf().add(tf().mul(out, along(weight)), along(bias!));
      return result(out, roles);
    },
    attr: (name) => ({ weight, bias, running_mean: mean, running_var: variance } as Record<string, Tensor | null>)[name] ? result(({ weight, bias, running_mean: mean, running_var: variance } as Record<string, Tensor>)[name]) : undefined,
    parameterCount: affine ? 2 * features : 0,
    dispose: () => tf().dispose([mean, variance, ...(weight ? [weight, bias!] : [])]),
  };
}, 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None', (layer) => {
  const features = [argNumber(layer, 'num_features')];
  const affine = argBool(layer, 'affine', true);
  const stats = argBool(layer, 'track_running_stats', true);
  return [
    { name: 'weight', shape: affine ? features : null },
    { name: 'bias', shape: affine ? features : null },
    { name: 'running_mean', shape: stats ? features : null, buffer: true },
    { name: 'running_var', shape: stats ? features : null, buffer: true },
    { name: 'num_batches_tracked', shape: stats ? [] : null, buffer: true },
  ];
});
