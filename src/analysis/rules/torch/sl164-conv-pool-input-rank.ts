import { formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { FUNCTION_RANKS, LAYER_RANKS } from '../../ops/rank-from-use';
import type { Call } from '../../parse/ast';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { argValue, type LayerDesc } from '../../layers/layer';
import { layerName, originNote, relatedOrigin } from './describe';

/**
 * What PyTorch 1.13 raises when each op is given a rank it refuses, by the op's functional name (a layer runs its
 * functional form). `{shape}` is the input's sizes as PyTorch prints them, `{rank}` its number of axes. The ranks each
 * op accepts are RANK_DEMANDS' (src/analysis/ops/rank-from-use.ts), measured by test/oracle/op_shapes.py.
 */
const RAISED: Record<string, string> = {
  conv1d: 'Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: {shape}',
  conv2d: 'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {shape}',
  conv3d: 'Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: {shape}',
  max_pool1d: 'max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:{shape}',
  avg_pool1d: "Expected 2 to 3 dimensions, but got {rank}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)",
  adaptive_max_pool1d: "Expected 2 to 3 dimensions, but got {rank}-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_max_pool1d)",
  adaptive_avg_pool1d: "Expected 2 to 3 dimensions, but got {rank}-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_avg_pool1d)",
  max_pool2d: 'non-empty 3D or 4D (batch mode) tensor expected for input',
  avg_pool2d: 'Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{shape}',
  adaptive_max_pool2d: 'adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {shape}',
};

/** The layers checked, with the functional op each one runs. */
const LAYERS: Record<string, string> = {
  Conv1d: 'conv1d',
  Conv2d: 'conv2d',
  Conv3d: 'conv3d',
  MaxPool1d: 'max_pool1d',
  AvgPool1d: 'avg_pool1d',
  AdaptiveMaxPool1d: 'adaptive_max_pool1d',
  AdaptiveAvgPool1d: 'adaptive_avg_pool1d',
  MaxPool2d: 'max_pool2d',
  AvgPool2d: 'avg_pool2d',
};

/** What a shape's spatial axes are called in the message, by their number. */
const LAYOUTS: Record<number, string> = {
  1: '(channels, length) or (batch, channels, length)',
  2: '(channels, height, width) or (batch, channels, height, width)',
  3: '(channels, depth, height, width) or (batch, channels, depth, height, width)',
};

const FUNCTIONAL = 'torch.nn.functional.';

/**
 * What raises first for a convolution layer: its own rank check with the default zeros padding; its padding's with
 * any other padding_mode, which pads the input before the convolution runs (F.pad then refuses the rank).
 */
function raisedBy(layer: LayerDesc | undefined, convMessage: string): string {
  const mode = layer?.kind.startsWith('Conv') && layer.args.has('padding_mode') ? argValue(layer, 'padding_mode') : undefined;
  if (!mode || (mode.kind === 'str' && mode.value === 'zeros')) return `PyTorch raises "${convMessage}"`;
  if (mode.kind !== 'str') return 'PyTorch raises';
  return `its ${mode.value} padding raises "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now"`;
}

function sizes(t: TensorValue): string {
  return `[${t.shape.dims.map(formatDim).join(', ')}]`;
}

function describeAccepted(accepts: readonly number[]): string {
  return accepts.map((r) => `${r}-D`).join(' or ');
}

/** Reports `input` when its rank is known and not one `accepts` lists. */
function check(ctx: RuleContext, op: string, accepts: readonly number[] | undefined, input: Value | undefined, call: Call, what: string, related: { range: Call['range']; message: string }[], layer?: LayerDesc): void {
  if (!accepts || input?.kind !== 'tensor' || !input.shape.rankKnown) return;
  const rank = input.shape.dims.length;
  if (accepts.includes(rank)) return;
  const raised = raisedBy(layer, RAISED[op]!.replace('{shape}', sizes(input)).replace('{rank}', String(rank)));
  const layout = LAYOUTS[Math.min(...accepts) - 1];
  // A squeeze of a named axis leaves the tensor whole when that axis is not 1 (a conv output wider than meant).
  const squeezed = /\.squeeze\((-?\d+)\)$/.exec(input.origin?.text ?? '');
  const hint = rank !== Math.max(...accepts) + 1
    ? ''
    : squeezed
      ? `; the squeeze(${squeezed[1]}) it comes from removed nothing, as that axis is not of size 1`
      : '. One axis too many, often a batch axis added twice';
  ctx.report({
    range: call.range,
    message: `${what} takes ${layout} input (${describeAccepted(accepts)}), but receives ${rank}-D ${formatShape(input.shape)}${originNote(input)}: ${raised}${hint}`,
    related: [...related, ...relatedOrigin(input, call.range, `the ${rank}-D input comes from here`)],
    fixes: [],
  });
}

export const convPoolInputRank: Rule = {
  code: 'SL164',
  name: 'conv-pool-input-rank',
  severity: 'error',
  framework: 'torch',
  summary: 'A convolution or pooling (nn.Conv1d/2d/3d, nn.MaxPool2d, F.max_pool1d, F.conv2d…) receives a tensor of a rank it refuses: a conv output whose squeeze() removed nothing, or a batch axis added twice.',
  docs: {
    whatItDoes:
      'Checks the rank of the tensor reaching `nn.Conv1d`, `nn.Conv2d`, `nn.Conv3d`, the 1-D and 2-D max, average and adaptive pooling layers, and their functional forms (`F.conv1d`, `F.conv2d`, `F.max_pool1d`, `F.avg_pool1d`, `F.adaptive_max_pool1d`, `F.adaptive_avg_pool1d`, `F.max_pool2d`, `F.avg_pool2d`, `F.adaptive_max_pool2d`): the 1-D ones take (C, L) or (N, C, L), the 2-D ones (C, H, W) or (N, C, H, W), Conv3d (C, D, H, W) or (N, C, D, H, W). Only a rank the analysis knows is compared. A convolution with a padding_mode other than zeros pads first, so its padding is what raises.',
    whyIsThisBad:
      'PyTorch raises, e.g. `RuntimeError: max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[50, 100, 200, 3]`. In a text CNN the usual cause is a `Conv2d(1, n, (k, emb_dim))` whose output width is not 1 (padding given as an int pads the embedding axis too), so `.squeeze(3)` removes nothing and the max-over-time pooling receives a 4-D tensor. Another is a batch axis added twice: `conv(mel.unsqueeze(0))` on a mel spectrogram that is already a batch of one gives conv1d `[1, 1, 80, 133]`.',
    example: 'conv = nn.Conv2d(1, 100, (3, 300), padding=1)   # pads the 300 features too: width 3\nx = F.relu(conv(embeds.unsqueeze(1))).squeeze(3)   # still (N, 100, L, 3)\nx = F.max_pool1d(x, x.size(2))',
    useInstead: 'conv = nn.Conv2d(1, 100, (3, 300), padding=(1, 0))   # pad the words only: width 1\nx = F.relu(conv(embeds.unsqueeze(1))).squeeze(3)   # (N, 100, L)\nx = F.max_pool1d(x, x.size(2))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.functional.max_pool1d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => kind in LAYERS,
      functionCall: (qualname) => qualname.startsWith(FUNCTIONAL) && qualname.slice(FUNCTIONAL.length) in RAISED,
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'torch' || layer.broken) return;
      const op = LAYERS[layer.kind];
      if (!op) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      check(ctx, op, LAYER_RANKS[layer.kind]?.accepts, input, event.call, layerName(layer), [{ range: layer.call.range, message: `${layer.kind} defined here` }], layer);
    },
    functionCall(event, ctx) {
      if (!event.qualname.startsWith(FUNCTIONAL)) return;
      const op = event.qualname.slice(FUNCTIONAL.length);
      if (!(op in RAISED)) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      check(ctx, op, FUNCTION_RANKS[event.qualname]?.accepts, input, event.call, `F.${op}`, []);
    },
  },
};
