// nn.ConvTranspose1d, 2d and 3d: (N, C, spatial…) → (N, C', spatial′…), the upsampling half of a convolutional
// autoencoder, a waveform decoder or a U-Net over spectrograms. Each spatial axis grows by PyTorch's rule
//   size′ = (size − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1,
// and a forward given `output_size` takes that size instead, within the one stride of sizes the rule allows.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argDim, argInt, argValue } from '../layer';
import { dimsFromSizeArgs } from '../../ops/dims-from-values';
import { batchAxis } from './convolution';
import { perAxis } from './convolution2d';

const int = (value: number): Value => ({ kind: 'int', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });

/** The number of spatial axes of a transposed convolution. */
function spatialRank(kind: string): 1 | 2 | 3 {
  return kind.endsWith('3d') ? 3 : kind.endsWith('2d') ? 2 : 1;
}

export interface TransposedWindow {
  kernel: number;
  stride: number;
  padding: number;
  outputPadding: number;
  dilation: number;
}

/** Each spatial axis' window of a transposed convolution; an axis whose arguments are not all known is undefined. */
export function transposedWindows(layer: LayerDesc): (TransposedWindow | undefined)[] {
  const n = spatialRank(layer.kind);
  const read = (name: string) => perAxis(argValue(layer, name), n);
  const [kernel, stride, padding, outputPadding, dilation] = ['kernel_size', 'stride', 'padding', 'output_padding', 'dilation'].map(read);
  if (!kernel || !stride || !padding || !outputPadding || !dilation) return Array(n).fill(undefined);
  return kernel.map((k, i) => ({ kernel: k, stride: stride[i], padding: padding[i], outputPadding: outputPadding[i], dilation: dilation[i] }));
}

/**
 * PyTorch's output size of one axis, or undefined where PyTorch raises: a kernel, stride or dilation under 1, a
 * negative padding, an output padding not smaller than the stride or the dilation, or an output of no positions.
 */
export function transposedLength(size: number, w: TransposedWindow): number | undefined {
  const { kernel, stride, padding, outputPadding, dilation } = w;
  if (!(kernel >= 1 && stride >= 1 && dilation >= 1 && padding >= 0 && outputPadding >= 0)) return undefined;
  if (outputPadding >= stride && outputPadding >= dilation) return undefined;
  const out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  return out >= 1 ? out : undefined;
}

/**
 * The sizes a forward's `output_size` names for the spatial axes: its last n items when it lists n, or n after the
 * batch and channel axes (the channel axis alone for an unbatched input), as PyTorch reads it. Undefined when it cannot
 * be read, or lists another count (PyTorch raises).
 */
function requestedSizes(v: Value, n: number, batched: boolean): Dim[] | undefined {
  const dims = dimsFromSizeArgs([v], undefined);
  if (!dims || (dims.length !== n && dims.length !== n + (batched ? 2 : 1))) return undefined;
  return dims.slice(dims.length - n);
}

function spatialSize(size: Dim, w: TransposedWindow | undefined, requested: Dim | undefined, origin: ApplyContext['origin']): Dim {
  if (requested !== undefined) {
    // PyTorch takes output_size between the rule's size without output padding and one stride more, and raises
    // otherwise; every run that goes on has the size asked for.
    if (requested.kind !== 'int' || size.kind !== 'int' || !w) return requested.kind === 'int' ? intDim(requested.value, { origin }) : requested;
    const least = transposedLength(size.value, { ...w, outputPadding: 0 });
    if (least === undefined || requested.value < least || requested.value > least + w.stride - 1) return UNKNOWN_DIM;
    return intDim(requested.value, { origin });
  }
  if (!w) return UNKNOWN_DIM;
  if (size.kind === 'int') {
    const out = transposedLength(size.value, w);
    return out === undefined ? UNKNOWN_DIM : intDim(out, { origin, role: size.role });
  }
  // A named size keeps its name where the rule adds nothing to it: stride 1 and dilation·(kernel − 1) = 2·padding.
  if (size.kind === 'sym' && w.stride === 1 && transposedLength(1, w) !== undefined && w.dilation * (w.kernel - 1) + w.outputPadding === 2 * w.padding) return size;
  return UNKNOWN_DIM;
}

function apply(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const n = spatialRank(layer.kind);
  const unknown = { kind: 'tensor' as const, dtype: 'float' as const, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  // Batched (N, C, spatial…) or unbatched (C, spatial…); PyTorch raises on any other rank.
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== n + 2 && input.shape.dims.length !== n + 1)) return unknown;
  const dims = input.shape.dims;
  const lead = dims.slice(0, dims.length - n - 1).map(batchAxis);
  const sizeArg = args[1] ?? kwargs.get('output_size');
  const asked = sizeArg === undefined || sizeArg.kind === 'none' ? undefined : sizeArg;
  const requested = asked && requestedSizes(asked, n, dims.length === n + 2);
  const windows = transposedWindows(layer);
  // An output_size the analysis cannot read leaves every spatial axis unknown.
  const spatial = dims.slice(dims.length - n).map((size, i) => (asked && !requested ? UNKNOWN_DIM : spatialSize(size, windows[i], requested?.[i], ctx.origin)));
  return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...lead, argDim(layer, 'out_channels', 'feature'), ...spatial]) };
}

function params(): ParamSpec[] {
  return [
    { name: 'in_channels' },
    { name: 'out_channels' },
    { name: 'kernel_size' },
    { name: 'stride', default: int(1) },
    { name: 'padding', default: int(0) },
    { name: 'output_padding', default: int(0) },
    { name: 'groups', default: int(1) },
    { name: 'bias', default: bool(true) },
    { name: 'dilation', default: int(1) },
    { name: 'padding_mode', default: { kind: 'str', value: 'zeros' } },
  ];
}

function hover(layer: LayerDesc): string {
  const n = spatialRank(layer.kind);
  const axes = n === 1 ? 'length' : n === 2 ? 'H, W' : 'D, H, W';
  const outAxes = n === 1 ? 'length′' : n === 2 ? 'H′, W′' : 'D′, H′, W′';
  const i = argInt(layer, 'in_channels');
  const o = argInt(layer, 'out_channels');
  const [w] = transposedWindows(layer);
  const same = w && transposedWindows(layer).every((x) => x && x.kernel === w.kernel && x.stride === w.stride && x.padding === w.padding && x.outputPadding === w.outputPadding && x.dilation === w.dilation);
  const v = same && w ? w : undefined;
  return [
    `**nn.${layer.kind}** — the transpose of a convolution: it upsamples ${n === 1 ? 'the length' : 'each spatial axis'}, channels second`,
    '',
    '```',
    `input (batch, ${i ?? 'in_channels'}, ${axes}) → output (batch, ${o ?? 'out_channels'}, ${outAxes})`,
    '```',
    '',
    `size′ = (size − 1)·${v?.stride ?? 'stride'} − 2·${v?.padding ?? 'padding'} + ${v?.dilation ?? 'dilation'}·(${v?.kernel ?? 'kernel_size'} − 1) + ${v?.outputPadding ?? 'output_padding'} + 1${n > 1 ? ', for each axis' : ''}`,
    '',
    '**Common mistakes**',
    `- A decoder that must give back its encoder's ${n === 1 ? 'length' : 'size'} needs \`output_padding\` (or \`output_size=\` in the call) when the encoder's stride did not divide it: one size′ is reached from several input sizes.`,
  ].join('\n');
}

export const torchTransposedConvolution: LayerFamily = {
  framework: 'torch',
  kinds: ['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'],
  params,
  apply,
  hover,
};
