import type { Dim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { intValue } from '../../values/value';
import type { Value } from '../../values/value';
import { argValue } from '../../layers/layer';
import { fix, replace } from '../edits';
import type { Fix } from '../../findings';
import type { Rule } from '../rule';
import { expected, producerLayer, relatedArg, relatedDim, whereFrom } from './describe';
import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';

/** normalized_shape as numbers: an int is one trailing axis, a list or tuple of ints several. Undefined when not all known. */
export function normalizedShape(value: Value): number[] | undefined {
  const one = intValue(value);
  if (one !== undefined) return [one];
  if ((value.kind !== 'list' && value.kind !== 'tuple') || value.element || value.items.length === 0) return undefined;
  const sizes = value.items.map(intValue);
  return sizes.every((n): n is number => n !== undefined) ? sizes : undefined;
}

/**
 * The first trailing axis of `dims` whose known size differs from normalized_shape's, aligned from the last axis; or the
 * whole shape when it has fewer axes than normalized_shape. Undefined when every known size agrees.
 */
export function layerNormClash(dims: readonly Dim[], rankKnown: boolean, sizes: number[]): { axis: number; got?: Extract<Dim, { kind: 'int' }>; want: number } | 'rank' | undefined {
  if (rankKnown && dims.length < sizes.length) return 'rank';
  for (let k = 1; k <= sizes.length && k <= dims.length; k++) {
    const d = dims[dims.length - k];
    const want = sizes[sizes.length - k];
    if (d.kind === 'int' && d.value !== want) return { axis: dims.length - k, got: d, want };
  }
  return undefined;
}

/** Where a size came from; a bidirectional layer's output features are said to be both directions. */
function origin(d: Extract<Dim, { kind: 'int' }>): string {
  const producer = producerLayer(d);
  if (producer && isRecurrent(producer) && recurrentConfig(producer).directions === 2 && d.origin) {
    return ` (2 directions × ${d.origin.text}, line ${d.origin.range.start.line + 1})`;
  }
  return whereFrom(d);
}

export const layerNormShapeMismatch: Rule = {
  code: 'SL161',
  name: 'layernorm-shape-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: "An nn.LayerNorm receives a tensor whose last axes are not its normalized_shape, often the features of a recurrent layer of another size.",
  docs: {
    whatItDoes:
      "Compares nn.LayerNorm's `normalized_shape` (an int for the last axis, or a tuple for the last several) with the trailing sizes of the tensor it receives, when both are known: a LayerNorm sized for the input features placed after an LSTM of another hidden_size, or for one direction after a bidirectional layer.",
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Given normalized_shape=[12], expected input with shape [*, 12], but got input of size[3, 20, 48]` at the first forward pass.',
    example: 'self.lstm = nn.LSTM(12, 48, batch_first=True)\nself.norm = nn.LayerNorm(12)\n...\nout, _ = self.lstm(x)\nreturn self.norm(out)',
    useInstead: 'self.lstm = nn.LSTM(12, 48, batch_first=True)\nself.norm = nn.LayerNorm(48)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html'],
  },
  fixTitles: ['Set normalized_shape=N'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'LayerNorm',
    },
    layerCall(event, ctx) {
      if (event.layer.kind !== 'LayerNorm' || event.layer.framework !== 'torch') return;
      const input = event.args[0];
      if (input?.kind !== 'tensor') return;
      const sizes = normalizedShape(argValue(event.layer, 'normalized_shape'));
      if (!sizes) return;
      const clash = layerNormClash(input.shape.dims, input.shape.rankKnown, sizes);
      if (!clash) return;
      const written = sizes.length === 1 ? String(sizes[0]) : `(${sizes.join(', ')})`;
      const pytorch = `"Given normalized_shape=[${sizes.join(', ')}], expected input with shape [*, ${sizes.join(', ')}], but got input of size${formatShape(input.shape).replace(/^\(/, '[').replace(/,?\)$/, ']')}"`;
      const range = event.call.args[0]?.range ?? event.call.range;
      if (clash === 'rank') {
        ctx.report({
          range,
          message: `LayerNorm normalises the last ${sizes.length} axes, normalized_shape=${written}, but receives ${formatShape(input.shape)} with ${input.shape.dims.length}: PyTorch raises ${pytorch}`,
          related: [relatedArg(event.layer, 'normalized_shape', `normalized_shape=${written} is set here`)],
        });
        return;
      }
      const fixes: Fix[] = [];
      const arg = event.layer.args.get('normalized_shape');
      if (sizes.length === 1 && clash.got && arg?.expr && input.shape.rankKnown) {
        fixes.push(fix(`Set normalized_shape=${clash.got.value}`, [replace(arg.expr.range, String(clash.got.value))], true));
      }
      const fromEnd = clash.axis - input.shape.dims.length;
      const where = fromEnd === -1 ? 'on the last axis' : `on axis ${fromEnd}`;
      ctx.report({
        range,
        message: `LayerNorm expects ${sizes.length === 1 ? expected(event.layer, 'normalized_shape', clash.want) : `${clash.want} (normalized_shape=${written})`} ${where}, but receives ${formatShape(input.shape)} with ${clash.got!.value} there${origin(clash.got!)}: PyTorch raises ${pytorch}`,
        related: [relatedArg(event.layer, 'normalized_shape', `normalized_shape=${written} is set here`), ...relatedDim(clash.got!, `${clash.got!.value} comes from here`)],
        fixes,
      });
    },
  },
};
