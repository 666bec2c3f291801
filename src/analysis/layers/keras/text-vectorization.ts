// Keras' text preprocessing layers, as tf.keras 2.x and Keras 3 compute them:
//   TextVectorization(max_tokens, output_mode='int', output_sequence_length=None): strings of shape (batch,) or
//     (batch, 1) → (batch, output_sequence_length) int64 token ids, (batch, None) when no length is given (each
//     batch padded to its longest text). The other output modes give a vocabulary-sized axis: (batch, max_tokens)
//     with pad_to_max_tokens=True, else the adapted vocabulary's size, not known here.
//   StringLookup / IntegerLookup(output_mode='int'): one id per input element, the input's shape.
// The ids' range is left unbounded: max_tokens bounds the vocabulary, but the adapted vocabulary may be smaller.
import { UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';
import { kerasTensor, noneDim } from './dims';

const LOOKUPS = ['StringLookup', 'IntegerLookup'];

function mode(layer: LayerDesc): string | undefined {
  if (!layer.args.has('output_mode')) return 'int';
  const v = argValue(layer, 'output_mode');
  return v.kind === 'str' ? v.value : undefined;
}

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input: TensorValue | undefined = args[0]?.kind === 'tensor' ? args[0] : undefined;
  if (!input) return UNKNOWN;
  const out = mode(layer);
  if (LOOKUPS.includes(layer.kind)) return out === 'int' ? kerasTensor(input.shape, ctx.origin, 'long') : kerasTensor(UNKNOWN_SHAPE, ctx.origin);
  const dims = input.shape.rankKnown ? input.shape.dims : undefined;
  // (batch,) or (batch, 1): one text per row.
  const batch = dims && (dims.length === 1 || (dims.length === 2 && dims[1].kind === 'int' && dims[1].value === 1)) ? dims[0] : undefined;
  if (!batch) return kerasTensor(UNKNOWN_SHAPE, ctx.origin, out === 'int' ? 'long' : 'float');
  if (out === 'int') {
    const length = argValue(layer, 'output_sequence_length');
    const n = intValue(length);
    const steps = !layer.args.has('output_sequence_length') || length.kind === 'none' ? noneDim('time') : n !== undefined ? intDim(n, { origin: ctx.origin, role: 'time' }) : UNKNOWN_DIM;
    return kerasTensor(shapeOf([batch, steps]), ctx.origin, 'long');
  }
  const padded = argValue(layer, 'pad_to_max_tokens');
  const tokens = intValue(argValue(layer, 'max_tokens'));
  const width = padded.kind === 'bool' && padded.value && tokens !== undefined ? intDim(tokens, { origin: ctx.origin }) : UNKNOWN_DIM;
  return out === undefined ? kerasTensor(UNKNOWN_SHAPE, ctx.origin) : kerasTensor(shapeOf([batch, width]), ctx.origin, 'float');
}

export const kerasTextVectorization: LayerFamily = {
  framework: 'keras',
  kinds: ['TextVectorization', ...LOOKUPS],
  params: (kind) => (kind === 'TextVectorization' ? ['max_tokens', 'standardize', 'split', 'ngrams', 'output_mode', 'output_sequence_length', 'pad_to_max_tokens'] : ['max_tokens', 'num_oov_indices', 'mask_token', 'oov_token', 'vocabulary']).map((name) => ({ name })),
  apply,
  hover: (layer) => layer.kind === 'TextVectorization'
    ? "**layers.TextVectorization** — texts `(None,)` or `(None, 1)` → token ids `(None, output_sequence_length)` (`(None, None)` without it, each batch padded to its longest text). Ids run below the adapted vocabulary's size (0 is padding, 1 out-of-vocabulary), at most max_tokens."
    : `**layers.${layer.kind}** — one id per element: the output has the input's shape (output_mode='int').`,
};
