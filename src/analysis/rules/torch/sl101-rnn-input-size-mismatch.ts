import type { Fix } from '../../findings';
import { LayerDesc, argInt } from '../../layers/layer';
import type { Dim } from '../../shapes/dim';
import { isRecurrent, isRecurrentKind, recurrentConfig } from '../../layers/torch/recurrent';
import { lastDim } from '../../shapes/shape';
import { LayerCallEvent, RuleContext } from '../../interpret/events';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { expected, producerLayer, relatedArg, relatedDim, whereFrom } from './describe';
import { convLayoutIntoRnn } from './sl140-conv-output-into-rnn';

/** The feature size reaching a recurrent layer: the last dimension of a tensor or of a packed batch. */
export function incomingFeatures(event: LayerCallEvent) {
  const input = event.args[0];
  // Input of another rank than 2 or 3 is rnn-input-rank's (SL116): PyTorch raises on the rank first.
  if (input?.kind === 'tensor' && input.shape.rankKnown && input.shape.dims.length !== 2 && input.shape.dims.length !== 3) return undefined;
  if (input?.kind === 'tensor') return lastDim(input.shape);
  if (input?.kind === 'packed') return lastDim(input.padded.shape);
  return undefined;
}

const CELLS = new Set(['RNNCell', 'GRUCell', 'LSTMCell']);

/** True for nn.RNNCell, nn.GRUCell and nn.LSTMCell: one step, input (batch, input_size) or (input_size,). */
export function isRecurrentCell(layer: LayerDesc): boolean {
  return layer.framework === 'torch' && CELLS.has(layer.kind);
}

/** The kinds inputSizeMismatch reads: the recurrent layers and cells. */
export function isRecurrentOrCellKind(kind: string): boolean {
  return CELLS.has(kind) || isRecurrentKind(kind);
}

/** The feature size reaching a recurrent cell: the last dimension of its 1-D or 2-D input (other ranks raise first). */
function cellIncomingFeatures(event: LayerCallEvent) {
  const input = event.args[0];
  if (input?.kind !== 'tensor' || !input.shape.rankKnown || (input.shape.dims.length !== 1 && input.shape.dims.length !== 2)) return undefined;
  return lastDim(input.shape);
}

/** A recurrent layer or cell receiving a known feature size other than its known input_size. */
export function inputSizeMismatch(event: LayerCallEvent): { got: Extract<Dim, { kind: 'int' }>; want: number; producer?: LayerDesc } | undefined {
  const cell = isRecurrentCell(event.layer);
  if (!cell && !isRecurrent(event.layer)) return undefined;
  const got = cell ? cellIncomingFeatures(event) : incomingFeatures(event);
  const want = cell ? argInt(event.layer, 'input_size') : recurrentConfig(event.layer).inputSize;
  if (!got || got.kind !== 'int' || want === undefined || got.value === want) return undefined;
  return { got, want, producer: producerLayer(got) };
}

export function inputSizeFixes(event: LayerCallEvent, got: number, ctx: RuleContext): Fix[] {
  const { layer } = event;
  const input = layer.args.get('input_size');
  const hidden = layer.args.get('hidden_size');
  const fixes: Fix[] = [];
  // Positional arguments whose values fit the other way round were most likely swapped.
  const swapped = input?.expr !== undefined && hidden?.expr !== undefined && argInt(layer, 'hidden_size') === got && input.position !== undefined;
  if (input?.expr) fixes.push(fix(`Set input_size=${got}`, [replace(input.expr.range, String(got))], !swapped));
  if (input?.expr && hidden?.expr && argInt(layer, 'hidden_size') === got) {
    fixes.push(fix('Swap input_size and hidden_size', [replace(input.expr.range, ctx.text(hidden.expr.range)), replace(hidden.expr.range, ctx.text(input.expr.range))], swapped));
  }
  return fixes;
}

export const rnnInputSizeMismatch: Rule = {
  code: 'SL101',
  name: 'rnn-input-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'The input to an RNN/GRU/LSTM (or one of their cells) has a feature size other than its input_size.',
  docs: {
    whatItDoes: 'Checks that the last dimension of the tensor fed to `nn.RNN`, `nn.GRU` or `nn.LSTM` equals the layer\'s `input_size`, including when `input_size` and `hidden_size` were passed in the wrong order. The same holds for one step of `nn.RNNCell`, `nn.GRUCell` or `nn.LSTMCell`, whose input is (batch, input_size) or (input_size,).',
    whyIsThisBad: 'PyTorch raises at the first forward pass: `RuntimeError: input.size(-1) must be equal to input_size. Expected 50, got 100`, or for a cell `RuntimeError: input has inconsistent input_size: got 812 expected 556`. The usual causes are an embedding size that changed, a context vector concatenated to the input whose width is not the one the cell was built for, or positional arguments swapped.',
    example: 'gru = nn.GRU(input_size=50, hidden_size=100)\nout, h = gru(torch.randn(32, 10, 100))',
    useInstead: 'gru = nn.GRU(input_size=100, hidden_size=50)\nout, h = gru(torch.randn(32, 10, 100))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: ['Set input_size=N', 'Swap input_size and hidden_size'],
  hooks: {
    offers: {
      layerCall: isRecurrentOrCellKind,
    },
    layerCall(event, ctx) {
      const mismatch = inputSizeMismatch(event);
      if (!mismatch || (mismatch.producer && isRecurrent(mismatch.producer))) return; // stacked-rnn-size-mismatch explains that case
      if (convLayoutIntoRnn(event)) return; // conv-output-into-rnn explains a Conv1d output not permuted back
      const { got, want } = mismatch;
      const { layer, call } = event;
      const swapped = argInt(layer, 'hidden_size') === got.value && layer.args.get('input_size')?.position !== undefined;
      ctx.report({
        range: call.args[0]?.range ?? call.range,
        message: `${layer.kind} expects ${expected(layer, 'input_size', want)} but receives ${got.value} features per step${whereFrom(got)}${swapped ? '; input_size and hidden_size look swapped' : ''}`,
        related: [relatedArg(layer, 'input_size', `input_size=${want} is set here`), ...relatedDim(got, `${got.value} features come from here`)],
        fixes: inputSizeFixes(event, got.value, ctx),
      });
    },
  },
};
