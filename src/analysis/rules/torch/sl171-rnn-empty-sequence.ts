import { isRecurrent, isRecurrentKind, recurrentConfig } from '../../layers/torch/recurrent';
import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { layerName, originNote, relatedOrigin } from './describe';

export const rnnEmptySequence: Rule = {
  code: 'SL171',
  name: 'rnn-empty-sequence',
  severity: 'error',
  framework: 'torch',
  summary: 'An RNN/GRU/LSTM is given a sequence of no steps (its time axis has size 0).',
  docs: {
    whatItDoes:
      "Reads the time axis of the tensor reaching `nn.RNN`, `nn.GRU` or `nn.LSTM`: axis 1 of batch-first 3-D input, axis 0 of sequence-first 3-D input or of an unbatched 2-D sequence. It reports a time axis known to hold 0 steps, when the layer's batch_first is known, every other size is known and not 0, and the features are the layer's input_size. An empty sequence beside a size not known is not reported: it may stand for an empty batch that an earlier view only allows then. A batch of 0 sequences is not reported: PyTorch runs it. A call that another run shows may receive steps is not reported either: a loop's first pass sees a list the loop fills still empty, which the iterations its tests let through do not.",
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Expected sequence length to be larger than 0 in RNN`. The empty sequence usually comes from windows or patches cut from an input shorter than one window (`torch.arange(w, n, w)` of a sequence shorter than w lists none), or from a slice past the end of the data.',
    example: 'ends = torch.arange(11, len(seq), 11)            # a 10-step sequence: no patch end\nz = torch.zeros(1, len(ends), 512)\nout, h = gru(z)',
    useInstead: 'ends = torch.arange(11, len(seq), 11)\nif len(ends) > 0:\n    out, h = gru(torch.zeros(1, len(ends), 512))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: isRecurrentKind,
    },
    layerCall(event, ctx) {
      const { layer, call } = event;
      if (!isRecurrent(layer)) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      const inputExpr = call.args[0];
      const range = inputExpr?.range ?? call.range;
      // A run where the sequence may hold steps shows that it is not empty every time the call runs: a loop's first
      // pass sees the list the loop fills still empty (`sent = []`, then under a test not decided `lstm(emb(
      // torch.LongTensor(sent)))` before `sent.append(w)`), which a later iteration, the one the test lets through,
      // does not.
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) {
        ctx.refute(range);
        return;
      }
      const dims = input.shape.dims;
      const config = recurrentConfig(layer);
      if (dims.length !== 2 && dims.length !== 3) return;
      if (dims.length === 3 && config.batchFirst === undefined) return;
      const timeAxis = dims.length === 3 && config.batchFirst ? 1 : 0;
      const steps = dims[timeAxis];
      if (steps.kind !== 'int' || steps.value !== 0) {
        ctx.refute(range);
        return;
      }
      // Every other axis known and not empty: an empty sequence next to a size not known may stand for an empty batch
      // that an earlier view only allows then (`s.view(batch, c, 0, skip)` of a tensor with elements raises there).
      if (dims.some((d, i) => i !== timeAxis && (d.kind !== 'int' || d.value < 1))) return;
      // Features that are not the layer's input_size raise another error first (SL101 reports it).
      const features = dims[dims.length - 1];
      if (features.kind === 'int' && config.inputSize !== undefined && features.value !== config.inputSize) return;
      const layout = dims.length === 2 ? 'an unbatched sequence (steps, features)' : config.batchFirst ? 'batch-first (batch, steps, features)' : 'sequence-first (steps, batch, features)';
      ctx.report({
        range,
        message: `${layerName(layer)} receives ${inputExpr ? `${ctx.text(inputExpr.range).slice(0, 40)} ` : ''}${formatShape(input.shape)}${originNote(input)}, read as ${layout}: its axis ${timeAxis} holds 0 steps. PyTorch raises "Expected sequence length to be larger than 0 in RNN"`,
        related: relatedOrigin(input, range, `the ${formatShape(input.shape)} input comes from here`),
      });
    },
  },
};
