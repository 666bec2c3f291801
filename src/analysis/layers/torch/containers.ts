// nn.Sequential (applies its children in order) and nn.Flatten.
import { UNKNOWN_DIM, intDim, knownProduct } from '../../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../../shapes/shape';
import { UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argInt } from '../layer';

function applySequential(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  // nn.Sequential() built with no argument and given no child since applies no module: its forward returns the input
  // (a ResNet shortcut when the sizes already agree). Any other Sequential with no children seen was filled where the
  // analysis did not follow (Sequential(*layers) of a list not known): its output is unknown.
  if (!layer.children.length) return layer.builtEmpty && !layer.repeats ? args[0] ?? UNKNOWN : UNKNOWN;
  let value = args[0] ?? UNKNOWN;
  for (const child of layer.children) value = ctx.applyLayer(child, [value]);
  return value;
}

export const torchSequential: LayerFamily = {
  framework: 'torch',
  kinds: ['Sequential'],
  params: () => [],
  apply: applySequential,
  hover: (layer) =>
    layer.repeats
      ? `**nn.Sequential** — applies \`${layer.repeats.label}\` as many times as the list holds (not known here)`
      : ['**nn.Sequential** — applies its layers in order', '', ...layer.children.map((c, i) => `${i}. \`${c.label}\``)].join('\n'),
};

function applyFlatten(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: UNKNOWN_SHAPE };
  const rank = input.shape.dims.length;
  const start = normaliseAxis(argInt(layer, 'start_dim') ?? 1, rank);
  const end = normaliseAxis(argInt(layer, 'end_dim') ?? -1, rank);
  if (start === undefined || end === undefined || end < start) return { ...input, shape: UNKNOWN_SHAPE, origin: ctx.origin };
  const merged = input.shape.dims.slice(start, end + 1);
  const product = merged.every((d) => d.kind === 'int') ? intDim(knownProduct(merged), { origin: ctx.origin }) : UNKNOWN_DIM;
  return { ...input, origin: ctx.origin, shape: shapeOf([...input.shape.dims.slice(0, start), product, ...input.shape.dims.slice(end + 1)]) };
}

export const torchFlatten: LayerFamily = {
  framework: 'torch',
  kinds: ['Flatten'],
  params: () => [{ name: 'start_dim', default: { kind: 'int', value: 1 } }, { name: 'end_dim', default: { kind: 'int', value: -1 } }],
  apply: applyFlatten,
  hover: () => '**nn.Flatten** — merges dimensions `start_dim`…`end_dim` (by default all but the batch).',
};
