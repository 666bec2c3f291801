import type { Dim } from '../../shapes/dim';
import { formatDim, lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { LayerDesc } from '../../layers/layer';
import { argInt, argOrigin } from '../../layers/layer';
import type { FunctionCallEvent, LayerCallEvent, RuleContext } from '../../interpret/events';
import { intValue, type Value } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { known, originRelated } from './attention-helpers';
import { layerName, producerLayer } from './describe';

const SEQUENCE_PRODUCERS = new Set(['Embedding', 'RNN', 'GRU', 'LSTM', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder', 'TransformerDecoderLayer', 'TransformerDecoder', 'Transformer']);

/** The layer that made a (batch, seq, features) tensor's features, when it is one that always puts features last. */
export function sequenceProducer(d: Dim): LayerDesc | undefined {
  const p = producerLayer(d);
  return p && p.framework === 'torch' && SEQUENCE_PRODUCERS.has(p.kind) ? p : undefined;
}

/** The functional convolutions checked, by qualname: each one's weight layout and positional index of `groups`. */
const FUNCTIONS: Record<string, { name: string; transposed: boolean; spatial: number; groupsAt: number }> = {
  'torch.nn.functional.conv1d': { name: 'F.conv1d', transposed: false, spatial: 1, groupsAt: 6 },
  'torch.conv1d': { name: 'torch.conv1d', transposed: false, spatial: 1, groupsAt: 6 },
  'torch.nn.functional.conv2d': { name: 'F.conv2d', transposed: false, spatial: 2, groupsAt: 6 },
  'torch.conv2d': { name: 'torch.conv2d', transposed: false, spatial: 2, groupsAt: 6 },
  'torch.nn.functional.conv_transpose1d': { name: 'F.conv_transpose1d', transposed: true, spatial: 1, groupsAt: 6 },
  'torch.conv_transpose1d': { name: 'torch.conv_transpose1d', transposed: true, spatial: 1, groupsAt: 6 },
};

/** The 2-D and 3-D convolution layers checked, by kind: how many spatial axes follow their channel axis. */
const SPATIAL_CONVS: Record<string, number> = { Conv2d: 2, Conv3d: 3, ConvTranspose2d: 2, ConvTranspose3d: 3 };

/**
 * nn.Conv2d, nn.Conv3d and their transposed forms read their channels on the axis before the spatial ones, of a
 * batched (N, C, ...) or unbatched (C, ...) input, and PyTorch raises when that axis has another count than
 * in_channels. Reported only when the input's rank is one of the two and both counts are known.
 */
function spatialChannels(event: LayerCallEvent, ctx: RuleContext): void {
  const { layer } = event;
  const spatial = SPATIAL_CONVS[layer.kind];
  const input = event.args[0];
  const want = argInt(layer, 'in_channels');
  if (input?.kind !== 'tensor' || want === undefined || !input.shape.rankKnown) return;
  const dims = input.shape.dims;
  if (dims.length !== spatial + 2 && dims.length !== spatial + 1) return;
  const axis = dims.length - spatial - 1;
  const channels = known(dims[axis]);
  if (channels === undefined || channels === want) return;
  const expr = event.call.args[0];
  const inArg = layer.args.get('in_channels');
  const at = argOrigin(layer, 'in_channels');
  const inputShown = `${formatShape(input.shape)}${input.origin ? ` (${input.origin.text}, ${lineOf(input.origin)})` : ''}`;
  ctx.report({
    range: expr?.range ?? event.call.range,
    message: `${layerName(layer)} expects in_channels=${want} (${lineOf(at)}) on axis ${axis} of its input, but receives ${inputShown} with ${channels} there: PyTorch raises "expected input[${dims.map(formatDim).join(', ')}] to have ${want} channels, but got ${channels} channels instead"`,
    related: [{ range: at.range, message: `in_channels=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
    fixes: inArg?.expr ? [fix(`Set in_channels=${channels}`, [replace(inArg.expr.range, String(channels))], true)] : [],
  });
}

/**
 * A functional convolution given its weight: PyTorch asks the input's channel axis (the first after an optional batch
 * axis) for weight.size(1) × groups channels, or for a transposed one weight.size(0). Reported only when the input's
 * rank is the weight's (or one less, an unbatched input), groups is a known positive int dividing weight.size(0), and
 * both counts are known: PyTorch's checks before the channel count then pass, and it raises on the count.
 */
function functionalChannels(event: FunctionCallEvent, ctx: RuleContext): void {
  const spec = FUNCTIONS[event.qualname];
  if (!spec) return;
  const input = event.args[0] ?? event.kwargs.get('input');
  const weight = event.args[1] ?? event.kwargs.get('weight');
  if (input?.kind !== 'tensor' || weight?.kind !== 'tensor' || !input.shape.rankKnown || !weight.shape.rankKnown) return;
  const rank = spec.spatial + 2;
  const dims = input.shape.dims;
  const w = weight.shape.dims;
  if (w.length !== rank || (dims.length !== rank && dims.length !== rank - 1)) return;
  const groupsValue: Value | undefined = event.args[spec.groupsAt] ?? event.kwargs.get('groups');
  const groups = groupsValue === undefined || groupsValue.kind === 'none' ? 1 : intValue(groupsValue);
  const out = known(w[0]);
  const perGroup = known(w[1]);
  const channels = known(dims[dims.length - spec.spatial - 1]);
  if (groups === undefined || !(groups >= 1) || out === undefined || perGroup === undefined || channels === undefined || out % groups !== 0) return;
  const want = spec.transposed ? out : perGroup * groups;
  if (channels === want) return;
  const expr = event.call.args[0] ?? event.call.keywords.find((k) => k.name === 'input')?.value;
  const weightExpr = event.call.args[1] ?? event.call.keywords.find((k) => k.name === 'weight')?.value;
  const shownInput = dims.length === rank ? dims : [1, ...dims];
  const raised = `Given ${spec.transposed ? 'transposed=1' : `groups=${groups}`}, weight of size [${w.map(formatDim).join(', ')}], expected input[${shownInput.map((d) => (typeof d === 'number' ? String(d) : formatDim(d))).join(', ')}] to have ${want} channels, but got ${channels} channels instead`;
  const source = spec.transposed ? 'weight.size(0)' : groups === 1 ? 'weight.size(1)' : `weight.size(1) × groups = ${perGroup} × ${groups}`;
  ctx.report({
    range: expr?.range ?? event.call.range,
    message: `${spec.name} with a weight ${formatShape(weight.shape)}${weight.origin ? ` (${weight.origin.text}, ${lineOf(weight.origin)})` : ''} expects ${want} channels (${source}) on axis ${dims.length - spec.spatial - 1} of its input, but receives ${formatShape(input.shape)}${input.origin ? ` (${input.origin.text}, ${lineOf(input.origin)})` : ''} with ${channels} there: PyTorch raises "${raised}"`,
    related: [...(weightExpr ? [{ range: weightExpr.range, message: `the weight ${formatShape(weight.shape)}` }] : []), ...originRelated(input, `input ${formatShape(input.shape)}`)],
    fixes: [],
  });
}

export const conv1dChannelsLayout: Rule = {
  code: 'SL139',
  name: 'conv1d-channels-layout',
  severity: 'error',
  framework: 'torch',
  summary: 'A Conv1d receives (batch, seq, features) instead of (batch, channels, seq), or another channel count than in_channels; a ConvTranspose1d, a Conv2d or Conv3d (or their transposed forms) or a functional convolution given its weight (F.conv1d, F.conv2d, F.conv_transpose1d) receives another channel count than it asks for.',
  docs: {
    whatItDoes: 'Checks that the channel axis (the second of three, or the first of two) of the tensor given to `nn.Conv1d` or `nn.ConvTranspose1d` has `in_channels` entries, and recognises embeddings and RNN outputs, which keep their features last, and `F.one_hot` codes, whose classes are last, fed without `permute(0, 2, 1)`. For `nn.Conv2d`, `nn.Conv3d`, `nn.ConvTranspose2d` and `nn.ConvTranspose3d`, the axis before the spatial ones (axis 1 of a batched input, axis 0 of an unbatched one) must have `in_channels` entries. For `F.conv1d`, `F.conv2d` and `F.conv_transpose1d` given a weight of known shape, the channel axis must have `weight.size(1) × groups` entries (`weight.size(0)` for the transposed convolution).',
    whyIsThisBad: 'PyTorch raises `RuntimeError: Given groups=1, weight of size [100, 300, 3], expected input[32, 50, 300] to have 300 channels, but got 50 channels instead`. When the sequence length happens to equal `in_channels`, nothing raises: the convolution slides along the embedding features and treats every word as a channel.',
    example: 'emb = nn.Embedding(5000, 300)\nconv = nn.Conv1d(300, 100, kernel_size=3)\nout = conv(emb(tokens))                  # (batch, seq, 300)',
    useInstead: 'out = conv(emb(tokens).permute(0, 2, 1))  # (batch, 300, seq)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html'],
  },
  fixTitles: ['Permute to (batch, channels, seq)', 'Set in_channels=N'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Conv1d' || kind === 'ConvTranspose1d' || kind in SPATIAL_CONVS,
      functionCall: (qualname) => qualname in FUNCTIONS,
    },
    functionCall: functionalChannels,
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework === 'torch' && layer.kind in SPATIAL_CONVS) return spatialChannels(event, ctx);
      if (layer.framework !== 'torch' || (layer.kind !== 'Conv1d' && layer.kind !== 'ConvTranspose1d')) return;
      const input = event.args[0];
      const want = argInt(layer, 'in_channels');
      if (input?.kind !== 'tensor' || want === undefined || !input.shape.rankKnown || (input.shape.dims.length !== 3 && input.shape.dims.length !== 2)) return;
      const dims = input.shape.dims;
      const channelDim = dims[dims.length - 2];
      const lastDim = dims[dims.length - 1];
      const channels = known(channelDim);
      const last = known(lastDim);
      if (channels === undefined) return;
      const producer = sequenceProducer(lastDim);
      // A features axis no layer made (F.one_hot's classes). One a layer made that is not a sequence producer (a
      // Linear's out_features) may have been applied along the time axis on purpose: not read as features here.
      const featureAxis = !producerLayer(lastDim) && lastDim.kind !== 'unknown' && lastDim.role === 'feature';
      const featuresLast = (last === want && channels !== want) || ((!!producer || featureAxis) && channelDim.role !== 'feature');
      const expr = event.call.args[0];
      const permuted = expr && dims.length === 3 ? `${ctx.text(expr.range)}.permute(0, 2, 1)` : expr ? `${ctx.text(expr.range)}.t()` : undefined;
      const inArg = layer.args.get('in_channels');
      const at = argOrigin(layer, 'in_channels');
      // The input as the messages show it: its shape, and where it was made.
      const inputShown = `${formatShape(input.shape)}${input.origin ? ` (${input.origin.text}, ${lineOf(input.origin)})` : ''}`;
      if (channels !== want) {
        const fixes = [];
        if (featuresLast && permuted && last === want) fixes.push(fix('Permute to (batch, channels, seq)', [replace(expr!.range, permuted)], true));
        if (inArg?.expr && !featuresLast) fixes.push(fix(`Set in_channels=${channels}`, [replace(inArg.expr.range, String(channels))], fixes.length === 0));
        ctx.report({
          range: expr?.range ?? event.call.range,
          message: `${layerName(layer)} expects in_channels=${want} (${lineOf(at)}) on axis ${dims.length - 2} of a (batch, channels, length) input, but receives ${inputShown} with ${channels} there: PyTorch raises "expected input[${dims.map(formatDim).join(', ')}] to have ${want} channels, but got ${channels} channels instead"${featuresLast && last === want ? `. The ${want} features are last: the input is (batch, seq, features) and needs .permute(0, 2, 1)` : ''}`,
          related: [{ range: at.range, message: `in_channels=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
          fixes,
        });
        return;
      }
      // The sizes fit, but the features are last: the convolution runs along the features, not the sequence.
      if ((!producer && !featureAxis) || channelDim.role === 'feature' || dims.length !== 3) return;
      const madeAt = lastDim.kind !== 'unknown' ? lastDim.origin : undefined;
      const made = madeAt && (!input.origin || madeAt.range.start.line !== input.origin.range.start.line) ? ` (${madeAt.text}, ${lineOf(madeAt)})` : '';
      ctx.report({
        range: expr?.range ?? event.call.range,
        severity: 'warning',
        message: producer
          ? `${layerName(layer)} receives ${formatShape(input.shape)} straight from ${producer.kind} (line ${producer.call.range.start.line + 1}), which puts its ${formatDim(lastDim)} features last: the ${channels} sequence positions are read as channels and the kernel slides along the features. Nothing raises because the sequence length equals in_channels=${want}; permute to (batch, channels, seq)`
          : `${layerName(layer)} receives ${inputShown}, whose last axis holds the ${formatDim(lastDim)} classes of F.one_hot${made}: the ${channels} positions on axis 1 are read as channels and the kernel slides along the classes. Nothing raises because axis 1 has in_channels=${want} entries; permute to (batch, ${formatDim(lastDim)}, length) and set in_channels=${formatDim(lastDim)}`,
        related: producer
          ? [{ range: producer.call.range, message: `${producer.kind} outputs (batch, seq, ${formatDim(lastDim)})` }, { range: at.range, message: `in_channels=${want} is set here` }]
          : [{ range: at.range, message: `in_channels=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
        fixes: permuted ? [fix('Permute to (batch, channels, seq)', [replace(expr!.range, permuted)], true)] : [],
      });
    },
  },
};
