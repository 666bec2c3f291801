import type { LayerCallEvent } from '../../interpret/events';
import type { LayerDesc } from '../../layers/layer';
import { argOrigin } from '../../layers/layer';
import { isRecurrent, isRecurrentKind, recurrentConfig } from '../../layers/torch/recurrent';
import { formatDim, lineOf } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { known, originRelated } from './attention-helpers';
import { layerName, producerLayer } from './describe';

const CONVOLUTIONS = new Set(['Conv1d', 'MaxPool1d', 'AvgPool1d', 'AdaptiveMaxPool1d', 'AdaptiveAvgPool1d']);

/** A (batch, channels, length) tensor from a Conv1d reaching an RNN whose input_size is the channel count. */
export function convLayoutIntoRnn(event: LayerCallEvent): { input: TensorValue; conv: LayerDesc; channels: number; length?: number; want: number } | undefined {
  if (!isRecurrent(event.layer)) return undefined;
  const input = event.args[0];
  const want = recurrentConfig(event.layer).inputSize;
  if (input?.kind !== 'tensor' || want === undefined || !input.shape.rankKnown || input.shape.dims.length !== 3) return undefined;
  const channelDim = input.shape.dims[1];
  const conv = producerLayer(channelDim);
  const channels = known(channelDim);
  if (!conv || conv.framework !== 'torch' || !CONVOLUTIONS.has(conv.kind) || channels !== want) return undefined;
  // The last axis must not itself be the convolution's channels (then the tensor was permuted already).
  if (producerLayer(input.shape.dims[2]) === conv) return undefined;
  return { input, conv, channels, length: known(input.shape.dims[2]), want };
}

export const convOutputIntoRnn: Rule = {
  code: 'SL140',
  name: 'conv-output-into-rnn',
  severity: 'error',
  framework: 'torch',
  summary: 'A Conv1d output (batch, channels, length) reaches an RNN without being permuted back to (batch, length, channels).',
  docs: {
    whatItDoes: 'Follows the channel axis of `nn.Conv1d` (and 1-D pooling) outputs. When the tensor reaches `nn.RNN/GRU/LSTM` with the channels still on axis 1 while the layer\'s `input_size` is that channel count, the permute back was forgotten.',
    whyIsThisBad: 'The RNN reads the last axis as features: PyTorch raises `input.size(-1) must be equal to input_size. Expected 100, got 48` when the length differs from the channel count. When they happen to be equal nothing raises, and the RNN steps over the channels with the positions as features.',
    example: 'x = conv(emb(tokens).permute(0, 2, 1))   # (batch, 100, 48)\nout, _ = lstm(x)                         # nn.LSTM(100, 64, batch_first=True)',
    useInstead: 'x = conv(emb(tokens).permute(0, 2, 1)).permute(0, 2, 1)   # (batch, 48, 100)\nout, _ = lstm(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Permute back to (batch, seq, channels)'],
  hooks: {
    offers: {
      layerCall: isRecurrentKind,
    },
    layerCall(event, ctx) {
      const found = convLayoutIntoRnn(event);
      if (!found) return;
      const { input, conv, channels, length, want } = found;
      const silent = length === want;
      const expr = event.call.args[0];
      const config = recurrentConfig(event.layer);
      const at = argOrigin(event.layer, 'input_size');
      ctx.report({
        range: expr?.range ?? event.call.range,
        severity: silent ? 'warning' : 'error',
        message: `${layerName(event.layer)} receives ${formatShape(input.shape)} from ${conv.kind} (line ${conv.call.range.start.line + 1}), still laid out (batch, channels=${channels}, length=${formatDim(input.shape.dims[2])}): input_size=${want} (${lineOf(at)}) matches the ${channels} channels, but the ${config.batchFirst ? '' : 'sequence-first '}RNN reads the last axis as features${silent ? ': nothing raises because the length equals the channel count, and the RNN steps over channels instead of time' : `: PyTorch raises "input.size(-1) must be equal to input_size. Expected ${want}, got ${formatDim(input.shape.dims[2])}"`}. Permute back with .permute(0, 2, 1)`,
        related: [{ range: conv.call.range, message: `${conv.kind} outputs (batch, channels, length)` }, { range: at.range, message: `input_size=${want} is set here` }, ...originRelated(input, `${formatShape(input.shape)} comes from here`)],
        fixes: expr ? [fix('Permute back to (batch, seq, channels)', [replace(expr.range, `${ctx.text(expr.range)}.permute(0, 2, 1)`)], true)] : [],
      });
    },
  },
};
