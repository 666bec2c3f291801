import type { Fix } from '../../findings';
import type { LayerDesc } from '../../layers/layer';
import { argInt } from '../../layers/layer';
import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';
import { Dim } from '../../shapes/dim';
import { lastDim } from '../../shapes/shape';
import { LayerCallEvent, RuleContext } from '../../interpret/events';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { expected, layerName, producerLayer, relatedArg, relatedDim } from './describe';

/** A Linear layer's mismatch between in_features and the features arriving, if both are known. */
export function linearMismatch(event: LayerCallEvent): { got: Extract<Dim, { kind: 'int' }>; want: number; producer?: LayerDesc } | undefined {
  if (event.layer.kind !== 'Linear' || event.layer.framework !== 'torch') return undefined;
  const input = event.args[0];
  if (input?.kind !== 'tensor') return undefined;
  const got = lastDim(input.shape);
  const want = argInt(event.layer, 'in_features');
  if (got.kind !== 'int' || want === undefined || got.value === want) return undefined;
  return { got, want, producer: producerLayer(got) };
}

/**
 * A Linear whose in_features is the very value a bidirectional recurrent layer was given as hidden_size, both not known
 * (`nn.LSTM(e, hidden, bidirectional=True)` and `nn.Linear(hidden, n)` of a parameter `hidden`), fed that layer's
 * 2 × hidden features: hidden_size is at least 1 (PyTorch refuses 0), so the two never agree.
 */
export function symbolicBidirectionalHalf(event: LayerCallEvent): { producer: LayerDesc; got: Dim } | undefined {
  if (event.layer.kind !== 'Linear' || event.layer.framework !== 'torch') return undefined;
  const input = event.args[0];
  if (input?.kind !== 'tensor') return undefined;
  const got = lastDim(input.shape);
  if (got.kind !== 'sym' || got.scaled?.by !== 2) return undefined;
  const producer = producerLayer(got);
  const want = event.layer.args.get('in_features')?.value;
  if (!producer || !isRecurrent(producer) || want?.kind !== 'symint' || want.dim.kind !== 'sym') return undefined;
  const config = recurrentConfig(producer);
  const proj = producer.args.get('proj_size')?.value;
  if (config.directions !== 2 || (proj && !(proj.kind === 'int' && proj.value === 0)) || producer.args.get('hidden_size')?.value !== want) return undefined;
  return { producer, got };
}

export function isBidirectionalHalf(m: { got: { value: number }; want: number; producer?: LayerDesc }): boolean {
  return !!m.producer && isRecurrent(m.producer) && recurrentConfig(m.producer).directions === 2 && m.want * 2 === m.got.value;
}

/** `hidden * 2` of the expression written for one direction's size, in parentheses unless it is a name. */
function twice(text: string): string {
  return `${/^[\w.]+$/.test(text) ? text : `(${text})`} * 2`;
}

export function inFeaturesFix(event: LayerCallEvent, got: number, want: number, ctx: RuleContext): Fix[] {
  const arg = event.layer.args.get('in_features');
  if (!arg?.expr) return [];
  const text = ctx.text(arg.expr.range);
  const doubled = got === want * 2 && !/^\d+$/.test(text) ? twice(text) : String(got);
  return [fix(`Set in_features=${doubled}`, [replace(arg.expr.range, doubled)], true)];
}

function reportSymbolic(event: LayerCallEvent, producer: LayerDesc, got: Dim, ctx: RuleContext): void {
  const arg = event.layer.args.get('in_features');
  const text = arg?.expr ? ctx.text(arg.expr.range) : 'hidden_size';
  const doubled = twice(text);
  ctx.report({
    range: event.call.args[0]?.range ?? event.call.range,
    message: `Linear expects in_features=${text} (line ${event.layer.call.range.start.line + 1}) but the bidirectional ${layerName(producer)}, built with hidden_size=${text}, outputs 2 × ${text} features (2 directions × hidden_size): whatever ${text} is, the two differ and it raises "mat1 and mat2 shapes cannot be multiplied"`,
    related: [relatedArg(event.layer, 'in_features', `in_features=${text} is set here`), { range: producer.call.range, message: 'bidirectional=True doubles the output features' }, ...relatedDim(got, `2 × ${text} features come from here`)],
    fixes: arg?.expr ? [fix(`Set in_features=${doubled}`, [replace(arg.expr.range, doubled)], true)] : [],
  });
}

export const bidirectionalOutputSize: Rule = {
  code: 'SL105',
  name: 'bidirectional-output-size',
  severity: 'error',
  framework: 'torch',
  summary: 'A layer after a bidirectional RNN is sized for one direction: its input has 2 × hidden_size features.',
  docs: {
    whatItDoes: 'Flags a `nn.Linear` whose `in_features` equals `hidden_size` when it receives the output (or the concatenated final states) of a bidirectional RNN, GRU or LSTM, which carry `2 * hidden_size` features.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x256 and 128x2)` at the first forward pass.',
    example: 'self.gru = nn.GRU(100, 128, batch_first=True, bidirectional=True)\nself.fc = nn.Linear(128, 2)',
    useInstead: 'self.gru = nn.GRU(100, 128, batch_first=True, bidirectional=True)\nself.fc = nn.Linear(128 * 2, 2)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: ['Set in_features=hidden_size * 2'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Linear',
    },
    layerCall(event, ctx) {
      const m = linearMismatch(event);
      if (!m) {
        const half = symbolicBidirectionalHalf(event);
        if (half) reportSymbolic(event, half.producer, half.got, ctx);
        return;
      }
      if (!isBidirectionalHalf(m)) return;
      const producer = m.producer!;
      const hidden = argInt(producer, 'hidden_size');
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        message: `Linear expects ${expected(event.layer, 'in_features', m.want)} but the bidirectional ${layerName(producer)} outputs ${m.got.value} features (2 directions × hidden_size=${hidden})`,
        related: [relatedArg(event.layer, 'in_features', `in_features=${m.want} is set here`), { range: producer.call.range, message: 'bidirectional=True doubles the output features' }, ...relatedDim(m.got, `${m.got.value} features come from here`)],
        fixes: inFeaturesFix(event, m.got.value, m.want, ctx),
      });
    },
  },
};
