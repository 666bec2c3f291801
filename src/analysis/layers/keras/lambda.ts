// keras.layers.Lambda(function, output_shape=None, mask=None, arguments=None): the layer's output is what the
// function returns for its input (a list of tensors stays one argument), with `arguments` as keyword arguments.
// TensorFlow's Keras finds the output shape by calling the function, and so does the analysis: a function the
// program defines runs through the interpreter (ops/tf-functions.ts gives K.* and tf.* their shapes).
// output_shape is only read by the backends of old (Theano, CNTK) and is not used. A `lambda` expression is the
// function it makes (parse/lower.ts); a function the analysis cannot follow gives an unknown output.
import { UNKNOWN, Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const fn = argValue(layer, 'function');
  const input = args[0];
  if (!input || !ctx.callValue || fn.kind !== 'function') return UNKNOWN;
  const extra = argValue(layer, 'arguments');
  if (layer.args.has('arguments') && (extra.kind !== 'dict' || extra.partial)) return UNKNOWN;
  const kwargs = extra.kind === 'dict' ? new Map(extra.entries) : new Map<string, Value>();
  const out = ctx.callValue(fn, [input], kwargs);
  return out.kind === 'tensor' ? { ...out, origin: ctx.origin } : out;
}

export const kerasLambda: LayerFamily = {
  framework: 'keras',
  kinds: ['Lambda'],
  params: () => ['function', 'output_shape', 'mask', 'arguments'].map((name) => ({ name })),
  apply,
  hover: () => "**layers.Lambda** — its output is what the function returns for the layer's input; Keras finds the shape by calling it (output_shape is for the old Theano and CNTK backends).",
};
