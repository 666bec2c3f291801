import type { Expr } from '../../parse/ast';
import type { SequenceTag, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { layerName, sameRange } from './describe';

/** The (output, h_n) or (output, (h_n, c_n)) tuple an nn.RNN, nn.GRU or nn.LSTM returned, as the interpreter tags it. */
function rnnOutput(value: Value | undefined): SequenceTag | undefined {
  return value?.kind === 'tuple' && value.tag?.kind === 'rnn-output' ? value.tag : undefined;
}

/** Built-in modules that pass any value through or hand it to other modules: they do not need a tensor themselves. */
const PASS_THROUGH = new Set(['Identity', 'Sequential', 'ModuleList', 'ModuleDict', 'alternatives']);

/** Attributes a tuple has: reading them is not the mistake. */
const TUPLE_ATTRIBUTES = new Set(['count', 'index', '__len__', '__getitem__', '__iter__', '__class__']);

function pair(tag: SequenceTag): string {
  return tag.layer.kind === 'LSTM' ? '(output, (h_n, c_n))' : '(output, h_n)';
}

function report(ctx: RuleContext, at: Expr, subject: string, tag: SequenceTag, what: string, raises: string): void {
  ctx.report({
    range: at.range,
    message:
      `${subject} is the whole ${pair(tag)} tuple that ${layerName(tag.layer)} returns, not its output tensor: ${what}, so PyTorch raises ${raises}` +
      (sameRange(tag.call.range, at.range)
        ? '; an nn.Sequential hands each layer\'s whole result to the next, so write a Module whose forward unpacks the recurrent layer\'s output'
        : `; unpack it first (output, _ = ${ctx.text(tag.call.range)})`),
    related: [{ range: tag.call.range, message: `${tag.layer.kind} returns ${pair(tag)} here` }],
    fixes: [],
  });
}

export const rnnOutputTupleAsTensor: Rule = {
  code: 'SL149',
  name: 'rnn-output-tuple-as-tensor',
  severity: 'error',
  framework: 'torch',
  summary: 'The (output, state) tuple an nn.RNN/GRU/LSTM returns is used as a tensor: given to another layer (an LSTM inside nn.Sequential), combined with a tensor, or asked for .view/.size.',
  docs: {
    whatItDoes:
      'Follows the value an `nn.RNN`, `nn.GRU` or `nn.LSTM` call returns when it is not unpacked. That value is a tuple, `(output, h_n)` or `(output, (h_n, c_n))`; the rule reports it where a tensor is needed: as the input of a built-in layer (including the next layer of an `nn.Sequential`), as an operand of `+`, `-`, `*`, `/` or `@` with a tensor, or when a tensor attribute or method (`.view`, `.size`, `.shape`, …) is read from it.',
    whyIsThisBad:
      'PyTorch raises at once: `TypeError: linear(): argument \'input\' (position 1) must be Tensor, not tuple`, `TypeError: can only concatenate tuple (not "Tensor") to tuple`, `AttributeError: \'tuple\' object has no attribute \'view\'`. An `nn.Sequential(nn.LSTM(...), nn.Linear(...))` never runs: Sequential hands the LSTM\'s whole tuple to the Linear.',
    example: 'model = nn.Sequential(nn.LSTM(10, 20), nn.Linear(20, 1))\ny = model(x)',
    useInstead:
      'class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(10, 20)\n        self.linear = nn.Linear(20, 1)\n\n    def forward(self, x):\n        output, _ = self.lstm(x)\n        return self.linear(output)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://github.com/pytorch/pytorch/issues/3349'],
  },
  fixTitles: [],
  hooks: {
    layerCall(event, ctx) {
      const layer = event.layer;
      const tag = rnnOutput(event.args[0]);
      if (!tag || layer.framework !== 'torch' || layer.module || PASS_THROUGH.has(layer.kind) || !layer.qualname.startsWith('torch.nn.')) return;
      // Inside an nn.Sequential the call site is the container's, whose argument is the container's input: the
      // finding names the layer's input, not the argument's text.
      report(ctx, event.call, `the input of ${layerName(layer)}`, tag, `${layer.kind} needs a tensor`, "TypeError (argument 'input' must be Tensor, not tuple)");
    },
    binary(event, ctx) {
      const op = event.node.op;
      if (!['+', '-', '*', '/', '@', '//'].includes(op)) return;
      const leftTag = rnnOutput(event.left);
      const rightTag = rnnOutput(event.right);
      const tag = leftTag ?? rightTag;
      const other = leftTag ? event.right : event.left;
      // tuple * 2 repeats the tuple and tuple + tuple joins them: only a tensor on the other side raises.
      if (!tag || other.kind !== 'tensor') return;
      const side = leftTag ? event.node.left : event.node.right;
      report(ctx, side, ctx.text(side.range), tag, `${op} with the tensor ${ctx.text((leftTag ? event.node.right : event.node.left).range)} is not defined for a tuple`, 'TypeError');
    },
    attribute(event, ctx) {
      const tag = rnnOutput(event.value);
      if (!tag || TUPLE_ATTRIBUTES.has(event.node.attr)) return;
      report(ctx, event.node.object, ctx.text(event.node.object.range), tag, `a tuple has no attribute .${event.node.attr}`, 'AttributeError');
    },
  },
};
