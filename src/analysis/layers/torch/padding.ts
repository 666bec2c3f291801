// Padding layers: nn.ZeroPad2d, nn.ConstantPad{1,2,3}d, nn.ReflectionPad{1,2,3}d, nn.ReplicationPad{1,2,3}d.
// Each pads its input as F.pad does with the layer's padding: an int pads both sides of the last N axes (N from the
// class name), a tuple (left, right, top, bottom, …) pads the last axes from the last one backwards. The rank is kept.
import { UNKNOWN_SHAPE } from '../../shapes/shape';
import { pad } from '../../ops/torch-functions';
import { UNKNOWN, Value, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';

const KINDS = [
  'ZeroPad2d', 'ConstantPad1d', 'ConstantPad2d', 'ConstantPad3d',
  'ReflectionPad1d', 'ReflectionPad2d', 'ReflectionPad3d', 'ReplicationPad1d', 'ReplicationPad2d', 'ReplicationPad3d',
];

/** The number of padded axes an int padding stands for: 2 for ZeroPad2d, N for the NPadNd classes. */
function axesOf(kind: string): number {
  return Number(/(\d)d$/.exec(kind)?.[1] ?? 2);
}

/** The layer's padding as F.pad's pad sequence: an int repeated for both sides of each padded axis. */
function padSequence(kind: string, padding: Value): Value | undefined {
  if (padding.kind === 'tuple' || padding.kind === 'list') return padding;
  const n = intValue(padding);
  if (n === undefined) return undefined;
  return { kind: 'tuple', items: Array.from({ length: 2 * axesOf(kind) }, () => padding) };
}

function applyPadding(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor') return UNKNOWN;
  const unknown = { kind: 'tensor' as const, dtype: input.dtype, origin: ctx.origin, shape: UNKNOWN_SHAPE };
  const nonConstant = layer.kind.startsWith('Reflection') || layer.kind.startsWith('Replication');
  if (nonConstant && input.shape.rankKnown) {
    // PyTorch 1.13 pads N axes in reflect or replicate mode only for inputs of rank N + 1 or N + 2.
    const rank = input.shape.dims.length;
    const n = axesOf(layer.kind);
    if (rank !== n + 1 && rank !== n + 2) return unknown;
  }
  const seq = padSequence(layer.kind, argValue(layer, 'padding'));
  const out = pad(input, seq, ctx.origin);
  if (layer.kind.startsWith('Reflection') && seq && (seq.kind === 'tuple' || seq.kind === 'list') && !seq.element && out.shape.rankKnown) {
    // Reflection raises for a pad not below the axis it pads.
    const dims = input.shape.dims;
    for (let i = 0; i < seq.items.length; i++) {
      const d = dims[dims.length - 1 - Math.floor(i / 2)];
      const p = intValue(seq.items[i]);
      if (d?.kind === 'int' && p !== undefined && p >= d.value) return unknown;
    }
  }
  return out;
}

export const torchPadding: LayerFamily = {
  framework: 'torch',
  kinds: KINDS,
  params: (kind) => (kind.startsWith('Constant') ? [{ name: 'padding' }, { name: 'value' }] : [{ name: 'padding' }]),
  apply: applyPadding,
  hover: (layer) => `**nn.${layer.kind}** — pads the input's last ${axesOf(layer.kind)} axes (a tuple pads the last axes from the last one backwards, two sides each); the rank is kept.`,
};
