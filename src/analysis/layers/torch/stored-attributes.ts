// What a torch layer stores for some of its arguments, when that is not the argument as given (torch 1.13,
// torch/nn/modules/conv.py and pooling.py):
// - nn.ConvNd and nn.ConvTransposeNd keep kernel_size, stride, padding (unless a string such as 'same'), dilation and
//   output_padding as n-tuples (_single, _pair, _triple): nn.Conv2d(3, 64, 7, stride=2).stride is (2, 2), a list
//   becomes a tuple;
// - nn.AvgPool1d does the same for kernel_size, stride and padding, its stride defaulting to kernel_size;
// - the other poolings (MaxPool1d/2d/3d, AvgPool2d/3d) keep what they were given, a stride left None being kernel_size.
// `layer.stride[0] == 2` is then read as PyTorch reads it, and `layer.stride == 2` on a convolution is False.
import { UNKNOWN, Value, sequence, summary } from '../../values/value';
import type { LayerDesc } from '../layer';

const CONV_RANK: Record<string, number> = { Conv1d: 1, Conv2d: 2, Conv3d: 3, ConvTranspose1d: 1, ConvTranspose2d: 2, ConvTranspose3d: 3 };
const CONV_TUPLES = new Set(['kernel_size', 'stride', 'padding', 'dilation', 'output_padding']);
const POOL_TUPLES = new Set(['kernel_size', 'stride', 'padding']);
const STRIDE_IS_KERNEL = new Set(['MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d']);

/** `_ntuple(n)(value)`: an int repeated n times, a sequence made a tuple; anything else is not known. */
function ntuple(n: number, value: Value): Value {
  if (value.kind === 'int') return sequence('tuple', Array.from({ length: n }, () => value));
  // An int not known stands for itself n times, unless it only stands for a parameter a caller may give a tuple.
  if (value.kind === 'symint' && !value.assumed) return sequence('tuple', Array.from({ length: n }, () => value));
  if (value.kind === 'tuple' || value.kind === 'list') return value.element ? summary('tuple', value.length, value.element) : sequence('tuple', value.items);
  return UNKNOWN;
}

/**
 * The attribute `name` of a layer of this kind built with these arguments, when PyTorch stores something other than
 * the argument; undefined when the argument is what it stores (or the layer is not one of these).
 */
export function storedLayerAttribute(kind: string, name: string, arg: (name: string) => Value | undefined): Value | undefined {
  const rank = CONV_RANK[kind];
  if (rank !== undefined) {
    if (!CONV_TUPLES.has(name)) return undefined;
    const value = arg(name);
    if (value === undefined) return undefined;
    return name === 'padding' && value.kind === 'str' ? value : ntuple(rank, value);
  }
  if (!STRIDE_IS_KERNEL.has(kind) || !POOL_TUPLES.has(name)) return undefined;
  let value = arg(name);
  if (name === 'stride' && value?.kind === 'none') value = arg('kernel_size');
  if (value === undefined) return undefined;
  return kind === 'AvgPool1d' ? ntuple(1, value) : value;
}

/** The attribute `name` of a layer as its arguments give it: what PyTorch stores for a torch layer, else the argument. */
export function argumentAttribute(layer: LayerDesc, name: string): Value | undefined {
  const stored = layer.framework === 'torch' ? storedLayerAttribute(layer.kind, name, (arg) => layer.args.get(arg)?.value) : undefined;
  return stored ?? layer.args.get(name)?.value;
}
