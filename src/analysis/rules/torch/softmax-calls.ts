// The softmax calls SL127 and SL151 read, each with its input, its axis as PyTorch takes it and how a message names
// it: torch.softmax / F.softmax and their log forms, the tensor methods, and nn.Softmax / nn.LogSoftmax.
import type { Call, Expr } from '../../parse/ast';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext, RuleHooks } from '../../interpret/events';
import { keywordExpr } from './describe';
import { axisArgument, functionAxes, methodAxes } from './sl123-dim-out-of-range';

/** softmax / log_softmax as torch and torch.nn.functional functions (the tensor first, the axis second). */
const FUNCTIONS = new Set(['torch.softmax', 'torch.log_softmax', 'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax']);
const METHODS = new Set(['softmax', 'log_softmax']);
const LAYERS = new Set(['Softmax', 'LogSoftmax']);

export interface SoftmaxCall {
  call: Call;
  input: TensorValue;
  /** The axis argument as given (undefined when left out: the implicit legacy dim). */
  dim: Value | undefined;
  /** How a message names the call: "F.softmax", ".log_softmax()", "nn.Softmax (line 4)"; built only when reported. */
  what: () => string;
  /** log_softmax / nn.LogSoftmax. */
  log: boolean;
  inputExpr: Expr | undefined;
}

/** The hooks that hand every softmax call on a tensor to `judge`. */
export function softmaxHooks(judge: (ctx: RuleContext, softmax: SoftmaxCall) => void): RuleHooks {
  return {
    offers: {
      layerCall: (kind) => LAYERS.has(kind),
      functionCall: (qualname) => FUNCTIONS.has(qualname),
      tensorMethod: (name) => METHODS.has(name),
    },
    functionCall(event, ctx) {
      if (!FUNCTIONS.has(event.qualname) || event.call.hasStarArgs) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      if (input?.kind !== 'tensor') return;
      // The axis as SL123 reads it: torch.softmax also takes it as axis=, F.softmax only as dim=.
      const spec = functionAxes(event.qualname);
      if (!spec) return;
      judge(ctx, {
        call: event.call,
        input,
        dim: axisArgument(spec, event.args, event.kwargs),
        what: () => event.qualname.replace(/^torch\.nn\.functional\./, 'F.'),
        log: event.qualname.includes('log_'),
        inputExpr: event.call.args[0] ?? keywordExpr(event.call, 'input'),
      });
    },
    tensorMethod(event, ctx) {
      if (!METHODS.has(event.name) || event.call.hasStarArgs) return;
      const spec = methodAxes(event.name);
      if (!spec) return;
      const func = event.call.func;
      judge(ctx, {
        call: event.call,
        input: event.receiver,
        dim: axisArgument(spec, event.args, event.kwargs),
        what: () => `.${event.name}()`,
        log: event.name.startsWith('log_'),
        inputExpr: func.kind === 'attribute' ? func.object : undefined,
      });
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || !LAYERS.has(layer.kind) || layer.call.hasStarArgs) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor') return;
      judge(ctx, {
        call: event.call,
        input,
        dim: layer.args.get('dim')?.value,
        what: () => `nn.${layer.kind} (line ${layer.call.range.start.line + 1})`,
        log: layer.kind === 'LogSoftmax',
        inputExpr: event.call.args[0],
      });
    },
  };
}
