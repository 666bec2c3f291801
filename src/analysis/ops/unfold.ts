// nn.Unfold and F.unfold (im2col): (N, C, H, W) → (N, C·kh·kw, L), or unbatched (C, H, W) → (C·kh·kw, L), where L is
// the number of sliding blocks, the product over height and width of PyTorch's window arithmetic
// ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1. PyTorch 1.13 takes only 3-D or 4-D input, and raises
// when a block does not fit in the padded input: both give an unknown tensor here, as does any argument not known.
import { Dim, Origin, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { TensorValue, Value, intValue } from '../values/value';
import { batchAxis, windowOutputLength } from '../layers/torch/convolution';

/** An int for both spatial axes, or one per axis ((height, width)); undefined when one is not known. */
function pair(v: Value | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'tuple' || v.kind === 'list') {
    if (v.element || v.items.length !== 2) return undefined;
    const [a, b] = v.items.map(intValue);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const x = intValue(v);
  return x === undefined ? undefined : [x, x];
}

/** The window arguments of nn.Unfold / F.unfold, as given; those left out take PyTorch's defaults. */
export interface UnfoldArguments {
  kernel: Value | undefined;
  dilation: Value | undefined;
  padding: Value | undefined;
  stride: Value | undefined;
}

const ONE: Value = { kind: 'int', value: 1 };
const ZERO: Value = { kind: 'int', value: 0 };

/** The blocks nn.Unfold(kernel_size, dilation=1, padding=0, stride=1) or F.unfold cuts from `input`. */
export function unfoldBlocks(input: Value | undefined, a: UnfoldArguments, origin: Origin): TensorValue | undefined {
  if (input?.kind !== 'tensor') return undefined;
  const unknown: TensorValue = { kind: 'tensor', dtype: input.dtype, origin, shape: UNKNOWN_SHAPE };
  const dims = input.shape.dims;
  if (!input.shape.rankKnown || (dims.length !== 3 && dims.length !== 4)) return unknown;
  const kernel = pair(a.kernel);
  const dilation = pair(a.dilation ?? ONE);
  const padding = pair(a.padding ?? ZERO);
  const stride = pair(a.stride ?? ONE);
  const lead = dims.length === 4 ? [batchAxis(dims[0])] : [];
  const [channels, height, width] = dims.slice(dims.length - 3);
  if (!kernel || !dilation || !padding || !stride || kernel.some((k) => k < 1) || dilation.some((d) => d < 1) || stride.some((s) => s < 1) || padding.some((p) => p < 0)) {
    return { ...unknown, shape: shapeOf([...lead, UNKNOWN_DIM, UNKNOWN_DIM]) };
  }
  const blocks = [height, width].map((size, i) =>
    size.kind === 'int' ? windowOutputLength(size.value, { kernel: kernel[i], stride: stride[i], padding: padding[i], dilation: dilation[i], ceilMode: false }) : undefined,
  );
  // A block that does not fit raises in PyTorch: nothing is said of what follows.
  if ([height, width].some((size, i) => size.kind === 'int' && blocks[i] === undefined)) return unknown;
  const length: Dim = blocks[0] !== undefined && blocks[1] !== undefined ? intDim(blocks[0] * blocks[1], { origin }) : UNKNOWN_DIM;
  const features: Dim = channels.kind === 'int' ? intDim(channels.value * kernel[0] * kernel[1], { origin }) : UNKNOWN_DIM;
  return { kind: 'tensor', dtype: input.dtype, origin, shape: shapeOf([...lead, features, length]) };
}

/** F.unfold(input, kernel_size, dilation=1, padding=0, stride=1). */
export function functionalUnfold(args: Value[], kwargs: Map<string, Value>, origin: Origin): TensorValue | undefined {
  const get = (i: number, key: string) => args[i] ?? kwargs.get(key);
  return unfoldBlocks(get(0, 'input'), { kernel: get(1, 'kernel_size'), dilation: get(2, 'dilation'), padding: get(3, 'padding'), stride: get(4, 'stride') }, origin);
}
