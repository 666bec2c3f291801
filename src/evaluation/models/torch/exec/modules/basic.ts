// Layers with no state beyond their weight matrices: Linear, Embedding, Identity/Dropout,
// activation modules, Softmax/LogSoftmax, Flatten.
import { tfjs } from '../../../tf';
import { buildLayer, WeightSource } from '../../layers';
import { fail } from '../errors';
import { noteLookup } from '../lookups';
import { gelu } from '../ops/elementwise';
import { renormed } from '../ops/functional';
import { alongLast } from '../ops/softmax';
import { linear } from '../ops/products';
import { result } from '../ops/registry';
import { isNumber, type Layer, type Value } from '../values';
import { argNumber, layerTensors, LayerRuntime, plainArgs, registerLayers, replaceableLayers, singleInput } from './module';

const tf = () => tfjs();

const linearBias = (layer: Layer) => layer.args.get('bias')?.kind !== 'bool' || (layer.args.get('bias') as { value: boolean }).value;

registerLayers(['Linear'], (layer: Layer, weights: WeightSource): LayerRuntime => {
  // Shapes as the layer holds them: a weight tied to another layer's (`self.decoder.weight = self.encoder.weight`) has that one's.
  const tensors = layerTensors(layer)!;
  if (!tensors[0].shape) throw new Error(`nn.Linear (line ${layer.line}): its weight was set to None`);
  const [outFeatures, inFeatures] = tensors[0].shape;
  const biasShape = tensors[1].shape;
  if (biasShape && biasShape[0] !== outFeatures) throw new Error(`nn.Linear (line ${layer.line}): its bias has ${biasShape[0]} values for ${outFeatures} outputs`);
  const hasBias = biasShape !== null;
  const weight = tf().tensor2d(weights.take(`${layer.path}.weight`, [outFeatures, inFeatures]), [outFeatures, inFeatures]);
  const bias = hasBias ? tf().tensor1d(weights.take(`${layer.path}.bias`, [outFeatures])) : null;
  const kernel = tf().transpose(weight);
  return {
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      if (t.dtype !== 'float32') throw fail(site, `nn.Linear expects float input, got ${t.dtype === 'int32' ? 'Long' : 'Bool'} (mat1 and mat2 must have the same dtype)`);
      return result(linear(site, t, weight, bias, kernel), roles?.map((r, i) => (i === roles.length - 1 ? null : r)));
    },
    attr: (name) => (name === 'weight' ? result(weight) : name === 'bias' ? (bias ? result(bias) : { kind: 'none' }) : undefined),
    parameterCount: inFeatures * outFeatures + (bias ? outFeatures : 0),
    dispose: () => tf().dispose([weight, kernel, ...(bias ? [bias] : [])]),
  };
}, undefined, (layer) => {
  const [inFeatures, outFeatures] = [argNumber(layer, 'in_features'), argNumber(layer, 'out_features')];
  return [{ name: 'weight', shape: [outFeatures, inFeatures] }, { name: 'bias', shape: linearBias(layer) ? [outFeatures] : null }];
});

registerLayers(['Embedding'], (layer, weights) => {
  const maxNormArg = layer.args.get('max_norm');
  const normTypeArg = layer.args.get('norm_type');
  const maxNorm = isNumber(maxNormArg) ? maxNormArg.value : null;
  const normType = isNumber(normTypeArg) ? normTypeArg.value : 2;
  // A table replaced by assignment (`= nn.Parameter(vectors)`, tied to a Linear's weight) has its own shape.
  const [rowsHeld, widthHeld] = layerTensors(layer)![0].shape ?? [];
  const args = { ...plainArgs(layer), ...(rowsHeld !== undefined ? { num_embeddings: rowsHeld, embedding_dim: widthHeld } : {}) };
  const built = buildLayer({ path: layer.path!, kind: 'Embedding', args, children: [] }, weights);
  const table = built.table!;
  const rows = table.shape[0];
  return {
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      if (t.dtype === 'float32') throw fail(site, 'Expected tensor for argument #1 \'indices\' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead');
      const ids = t.dtype === 'int32' ? t : tf().cast(t, 'int32');
      if (ids.size > 0) {
        const [lo, hi] = [tf().min(ids).dataSync()[0], tf().max(ids).dataSync()[0]];
        if (lo < 0 || hi >= rows) throw fail(site, `index out of range in self (an id of ${lo < 0 ? lo : hi} in an Embedding of ${rows} rows)`);
      }
      if (maxNorm === null) {
        const picked = tf().gather(table, ids);
        noteLookup(picked, { table, ids });
        return result(picked, roles ? [...roles, null] : undefined);
      }
      const picked = renormed(tf().gather(table, ids), maxNorm, normType);
      return result(picked, roles ? [...roles, null] : undefined);
    },
    attr: (name) => (name === 'weight' ? result(table) : undefined),
    parameterCount: built.parameterCount,
    dispose: () => built.dispose(),
  };
  // In full, so that code reading `embed.max_norm` or `embed.sparse` (embedding dropout helpers) gets the defaults.
}, 'num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False', (layer) => [{ name: 'weight', shape: [argNumber(layer, 'num_embeddings'), argNumber(layer, 'embedding_dim')] }]);
replaceableLayers(['Linear', 'Embedding']);

function elementwise(kinds: string[], f: (x: import('../../../tf').Tensor, layer: Layer) => import('../../../tf').Tensor, act?: 'softmax' | 'sigmoid' | 'log_softmax'): void {
  registerLayers(kinds, (layer) => ({
    call: (args, kwargs, site) => {
      const { t, roles } = singleInput(layer, args, kwargs, site);
      const out = result(f(t, layer), roles);
      if (act) out.act = act;
      return out as Value;
    },
    parameterCount: 0,
    dispose: () => undefined,
  }));
}

const float = (x: import('../../../tf').Tensor) => (x.dtype === 'float32' ? x : tf().cast(x, 'float32'));
const dimOf = (layer: Layer, x: import('../../../tf').Tensor) => {
  const v = layer.args.get('dim');
  // nn.Softmax() without dim: PyTorch's legacy implicit dim.
  const d = v?.kind === 'int' ? v.value : x.rank === 0 || x.rank === 1 || x.rank === 3 ? 0 : 1;
  return d < 0 ? d + x.rank : d;
};

elementwise(['Identity', 'Dropout', 'Dropout1d', 'Dropout2d', 'AlphaDropout', 'FeatureAlphaDropout'], (x) => x);
elementwise(['ReLU'], (x) => tf().relu(x));
elementwise(['ReLU6'], (x) => tf().relu6(x));
elementwise(['Tanh'], (x) => tf().tanh(float(x)));
elementwise(['Sigmoid'], (x) => tf().sigmoid(float(x)), 'sigmoid');
elementwise(['GELU'], (x) => gelu(float(x)));
elementwise(['SiLU'], (x) => tf().mul(x, tf().sigmoid(float(x))));
elementwise(['ELU'], (x, layer) => {
  const alpha = argNumber(layer, 'alpha', 1);
  return tf().where(tf().greater(x, 0), x, tf().mul(alpha, tf().sub(tf().exp(x), 1)));
});
elementwise(['LeakyReLU'], (x, layer) => tf().leakyRelu(x, argNumber(layer, 'negative_slope', 0.01)));
elementwise(['Softplus'], (x, layer) => {
  const beta = argNumber(layer, 'beta', 1);
  const bx = tf().mul(float(x), beta);
  return tf().where(tf().greater(bx, argNumber(layer, 'threshold', 20)), x, tf().div(tf().softplus(bx), beta));
});
elementwise(['Softmax'], (x, layer) => alongLast(float(x), dimOf(layer, x), (t) => tf().softmax(t)), 'softmax');
elementwise(['LogSoftmax'], (x, layer) => alongLast(float(x), dimOf(layer, x), (t) => tf().logSoftmax(t)), 'log_softmax');
elementwise(['Flatten'], (x, layer) => {
  const start = argNumber(layer, 'start_dim', 1);
  const end = argNumber(layer, 'end_dim', -1);
  const s = start < 0 ? start + x.rank : start;
  const e = end < 0 ? end + x.rank : end;
  return tf().reshape(x, [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1), ...x.shape.slice(e + 1)]);
});
