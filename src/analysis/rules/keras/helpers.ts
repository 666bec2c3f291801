// Shared by the Keras rules: which layer produced a tensor, and where a keyword sits.
import type { Range } from '../../findings';
import type { LayerDesc } from '../../layers/layer';
import { argBool } from '../../layers/layer';
import { isKerasRecurrent } from '../../layers/keras/recurrent';
import { lastDim } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import { argValue } from '../../layers/layer';
import { knownProduct } from '../../shapes/dim';
import { intValue } from '../../values/value';
import { producerLayer } from '../torch/describe';

/** Losses computed element by element, which broadcast a size-1 axis against any other. */
export const ELEMENTWISE_LOSS = /^(binary_crossentropy|binary_focal_crossentropy|mean_squared_error|mse|mean_absolute_error|mae|mean_absolute_percentage_error|mape|mean_squared_logarithmic_error|msle|hinge|squared_hinge|log_cosh|logcosh|huber|poisson)$/;

/** The recurrent layer behind a tensor: itself, or the one a Bidirectional wraps. */
export function recurrentBehind(value: Value | undefined): LayerDesc | undefined {
  if (value?.kind !== 'tensor') return undefined;
  const producer = producerLayer(lastDim(value.shape));
  if (!producer) return undefined;
  if (isKerasRecurrent(producer)) return producer;
  if (producer.kind === 'Bidirectional' && producer.children[0] && isKerasRecurrent(producer.children[0])) return producer.children[0];
  return undefined;
}

export function returnsSequences(layer: LayerDesc): boolean {
  return argBool(layer, 'return_sequences') ?? false;
}

export function keywordRange(layer: LayerDesc, name: string): Range | undefined {
  return layer.call.keywords.find((k) => k.name === name)?.range;
}

/** `layers.LSTM` (line 8) */
export function kerasLayerName(layer: LayerDesc): string {
  return `${layer.kind} (line ${layer.call.range.start.line + 1})`;
}

/**
 * A Keras Reshape applied to a tensor known on every axis after the batch, with a target of int sizes: the input, its
 * number of values per sample, and the target's sizes (-1 included). Undefined for anything else.
 */
export function knownReshape(layer: LayerDesc, input: Value | undefined): { input: TensorValue; total: number; sizes: number[] } | undefined {
  if (layer.framework !== 'keras' || layer.kind !== 'Reshape') return undefined;
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length < 2) return undefined;
  const rest = input.shape.dims.slice(1);
  if (!rest.every((d) => d.kind === 'int')) return undefined;
  const given = argValue(layer, 'target_shape');
  if (given.kind !== 'tuple' && given.kind !== 'list') return undefined;
  const sizes = given.items.map(intValue);
  if (sizes.length === 0 || sizes.some((n) => n === undefined)) return undefined;
  return { input, total: knownProduct(rest), sizes: sizes as number[] };
}
