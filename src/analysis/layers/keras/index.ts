// Every Keras layer family SeqLens understands, and the input a first layer declares.
import type { Origin } from '../../shapes/dim';
import { TensorValue, intValue } from '../../values/value';
import type { LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';
import { kerasAttention, kerasDotAttention } from './attention';
import { CONV_1D, kerasConv } from './conv';
import { kerasConv2D } from './conv2d';
import { kerasLambda } from './lambda';
import { kerasTextVectorization } from './text-vectorization';
import { kerasCore } from './core';
import { kerasTensor, noneDim, shapeFromTuple, withBatchSize } from './dims';
import { kerasEmbedding } from './embedding';
import { isKerasRecurrent, kerasRecurrent } from './recurrent';
import { kerasWrappers } from './wrappers';
import { shapeOf } from '../../shapes/shape';
import { intDim } from '../../shapes/dim';

const FAMILIES: LayerFamily[] = [kerasRecurrent, kerasEmbedding, kerasCore, kerasConv, kerasConv2D, kerasAttention, kerasDotAttention, kerasLambda, kerasTextVectorization, kerasWrappers];
const BY_KIND = new Map<string, LayerFamily>();
for (const family of FAMILIES) for (const kind of family.kinds) BY_KIND.set(kind, family);

export function kerasFamily(kind: string): LayerFamily | undefined {
  return BY_KIND.get(kind);
}

/** The input a layer declares with input_shape / batch_input_shape / input_dim / input_length (Sequential's first layer). */
export function declaredInput(layer: LayerDesc): TensorValue | undefined {
  const inner = layer.children[0];
  const origin: Origin = { range: layer.call.range, text: layer.label };
  const shape = argValue(layer, 'input_shape');
  if (shape.kind === 'tuple' || shape.kind === 'list' || shape.kind === 'size') {
    const s = withBatchSize(shapeFromTuple(shape, origin, true), argValue(layer, 'batch_size'), origin);
    return s ? kerasTensor(s, origin) : undefined;
  }
  const batchShape = argValue(layer, 'batch_input_shape');
  if (batchShape.kind === 'tuple' || batchShape.kind === 'list' || batchShape.kind === 'size') {
    const s = shapeFromTuple(batchShape, origin, false);
    return s ? kerasTensor(s, origin) : undefined;
  }
  const inputDim = intValue(argValue(layer, 'input_dim'));
  const inputLength = intValue(argValue(layer, 'input_length'));
  if (layer.kind === 'Embedding' && inputLength !== undefined) return kerasTensor(shapeOf([noneDim('batch'), intDim(inputLength, { origin })]), origin, 'long');
  if (layer.kind !== 'Embedding' && inputDim !== undefined) {
    // Recurrent layers read input_dim as the features of each step: (None, input_length or None, input_dim). So does
    // a 1-D convolution in Keras 1 (`Convolution1D(input_dim=4, input_length=1000)` is input_shape=(1000, 4)) and in
    // standalone Keras 2 (its conv1d_args_preprocessor), while tf.keras reads a bare `Conv1D(input_dim=4)` as
    // input_shape=(4,) and refuses input_length=. With input_length= the program is written for a Keras that reads
    // the pair per step; without it, which Keras runs the layer is not known here, so its input is not either (a
    // one-axis reading would turn a Keras 1 program into a false SL216).
    const time = inputLength !== undefined ? intDim(inputLength, { origin }) : noneDim('time');
    const conv1d = CONV_1D.includes(layer.kind);
    if (conv1d && inputLength === undefined) return undefined;
    // Keras 1's TimeDistributedDense(input_dim=, input_length=) reads them per step too: (None, input_length, input_dim).
    const perStep = isKerasRecurrent(layer) || conv1d || layer.kind === 'TimeDistributedDense';
    const dims = perStep ? [noneDim('batch'), time, intDim(inputDim, { origin })] : [noneDim('batch'), intDim(inputDim, { origin })];
    return kerasTensor(shapeOf(dims), origin);
  }
  return inner ? declaredInput(inner) : undefined;
}
