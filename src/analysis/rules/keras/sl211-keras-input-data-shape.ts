import { embeddingDefaultInput, inputMismatch } from '../../interpret/keras';
import { formatShape } from '../../shapes/shape';
import type { Value } from '../../values/value';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

const DATA_METHODS = new Set(['fit', 'evaluate', 'predict', 'fit_generator', 'evaluate_generator', 'predict_generator', 'train_on_batch', 'test_on_batch', 'predict_on_batch']);

function pairs(declared: Value, data: Value): [Value, Value][] {
  const many = (v: Value) => (v.kind === 'list' || v.kind === 'tuple') && !v.element;
  if (many(declared) && many(data)) {
    const a = (declared as Extract<Value, { kind: 'list' | 'tuple' }>).items;
    const b = (data as Extract<Value, { kind: 'list' | 'tuple' }>).items;
    return a.length === b.length ? a.map((d, i) => [d, b[i]]) : [];
  }
  // A model given its one input as a list (Model(inputs=[x], ...)) takes a single array for it: Keras flattens both
  // (standalone Keras 2's standardize_input_data wraps a lone array for a one-input model; tf.keras 2.x and Keras 3
  // flatten the inputs and the data alike), so the array is that input's data.
  if (many(declared) && (declared as Extract<Value, { kind: 'list' | 'tuple' }>).items.length === 1 && isArray(data)) {
    return [[(declared as Extract<Value, { kind: 'list' | 'tuple' }>).items[0], data]];
  }
  return [[declared, data]];
}

/** An array: a tensor of one axis or more. */
const isArray = (v: Value | undefined): boolean => v?.kind === 'tensor' && v.shape.rankKnown && v.shape.dims.length > 0;

/**
 * How many arrays a Python list (or tuple) of arrays given as x holds, when known. Keras reads such a list as one
 * array per model input (tf.keras 2.x's ListsOfScalarsDataAdapter takes only lists whose first items lead to
 * numbers), so its length is the number of inputs it feeds. Undefined for anything else: a list of numbers (read as
 * one array), a list whose items are not all known arrays, or one of unknown length.
 */
function arraysInList(data: Value): number | undefined {
  if (data.kind !== 'list' && data.kind !== 'tuple') return undefined;
  if (data.element) return data.items.length === 0 && data.length !== undefined && isArray(data.element) ? data.length : undefined;
  return data.items.length > 0 && data.items.every(isArray) ? data.items.length : undefined;
}

/**
 * The number of inputs a model declares: one Input (or a Sequential model's input), or the list it was given. A
 * tensor made by a layer call stands for inputs not counted here: Keras 1's Merge of several models, the first item
 * of a Sequential model, joins as many inputs as models.
 */
function declaredInputs(declared: Value): number | undefined {
  if (declared.kind === 'tensor') return declared.kerasNode ? undefined : 1;
  if ((declared.kind === 'list' || declared.kind === 'tuple') && !declared.element && declared.items.every((i) => i.kind === 'tensor')) return declared.items.length;
  return undefined;
}

/**
 * The model was built through to a known output: one tensor of known rank, or the list a functional model is given
 * as its outputs (outputs=[out], or several heads), each a tensor of known rank. The data is compared with the
 * inputs only then, so a model whose building was lost gives no finding on its data.
 */
function builtOutput(output: Value): boolean {
  if (output.kind === 'tensor') return output.shape.rankKnown;
  if ((output.kind === 'list' || output.kind === 'tuple') && !output.element) {
    return output.items.length > 0 && output.items.every((item) => item.kind === 'tensor' && item.shape.rankKnown);
  }
  return false;
}

export const kerasInputDataShape: Rule = {
  code: 'SL211',
  name: 'keras-input-data-shape',
  severity: 'error',
  framework: 'keras',
  summary: 'The data given to fit/evaluate/predict does not match the input the model declares: another number of axes, or another number of features.',
  docs: {
    whatItDoes: 'Compares the arrays passed to `fit`, `evaluate`, `predict` and `train_on_batch` (positionally or as `x=`; for a stream of (x, y) batches, a `TimeseriesGenerator` or a generator function given to them or to `fit_generator`, one batch) with the input the model declares: the first layer\'s `input_shape` / `input_dim` in a `Sequential` model, or the `Input` tensors of a functional one, input by input. A nested Python list of numbers is read as tf.keras 2.x reads it, one array, np.asarray of the whole list (so `fit([windows], y)` is one array with an axis of 1 in front, not a list of inputs). Data of one axis fewer against an input whose last size is 1, or of one axis more ending in 1, is conformed first as Keras does (a last axis of 1 added or dropped) and then compared on every axis after the batch. Data of a Sequential model that matches the input\'s number of axes and features but not another axis (the steps of `input_shape=(15, 512)`) is run through the model\'s layers, and flagged where it reaches a layer built for another number of features (a `Dense` after `Flatten`).',
    whyIsThisBad: 'Keras refuses the data before any layer runs: `Error when checking model input: expected lstm_input_1 to have 3 dimensions, but got array with shape (100, 9)` (Keras 1 and 2), `Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2` (tf.keras 2.x, Keras 3), or a matrix-size error for a wrong number of features. Table-shaped data for a recurrent layer needs a time axis: `X.reshape(n, steps, features)`.',
    example: 'X, y = make_regression(100, 9)\nmodel = Sequential([LSTM(32, input_dim=9), Dense(1)])\nmodel.fit(X, y)',
    useInstead: 'X, y = make_regression(100, 9)\nX = X.reshape(X.shape + (1,))\nmodel = Sequential([LSTM(32, input_shape=(9, 1)), Dense(1)])\nmodel.fit(X, y)',
    references: ['https://keras.io/api/models/model_training_apis/#fit-method', 'https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      if (!DATA_METHODS.has(event.method)) return;
      const declared = event.model.input;
      const data = event.args[0] ?? event.kwargs.get('x');
      if (!declared || !data) return;
      // A model that fails while it is built (a finding on a layer) never reaches fit: no cascade.
      if (event.model.layers.some((l) => l.broken) || !builtOutput(event.model.output)) return;
      const refused = event.refused;
      if (refused && declared.kind === 'tensor' && data.kind === 'tensor' && !inputMismatch(declared, data)) {
        const w = formatShape(declared.shape);
        const g = formatShape(data.shape);
        ctx.report({
          range: event.call.range,
          message: `the model's input is declared ${w} but ${event.method} gets data of shape ${g}: ${kerasLayerName(refused.layer)} was built for ${refused.built} features by the declared input and gets ${refused.got} from this data, so Keras raises (tf.keras 2.x and Keras 3 run the layers before it on the data, then: "expected axis -1 of input shape to have value ${refused.built}"; Keras 1 and 2 refuse the data at the input: "expected … to have shape")`,
          related: [
            { range: refused.layer.call.range, message: `${refused.layer.kind} is built for ${refused.built} features here` },
            ...(declared.origin ? [{ range: declared.origin.range, message: `the input ${w} is declared here` }] : []),
            ...(data.origin ? [{ range: data.origin.range, message: `the data ${g} comes from here` }] : []),
          ],
        });
        return;
      }
      const given = arraysInList(data);
      const inputs = declaredInputs(declared);
      if (given !== undefined && inputs !== undefined && given !== inputs) {
        ctx.report({
          range: event.call.range,
          message: `${event.method} gets x as a Python list of ${given} arrays, which Keras reads as one array per model input, but the model has ${inputs} input${inputs === 1 ? '' : 's'}: it raises (tf.keras 2.x: "expects ${inputs} input(s), but it received ${given} input tensors", or "Failed to find data adapter" when the labels are a Python list too; Keras 1 and 2: "Expected to see ${inputs} array(s), but instead got the following list of ${given} arrays"); np.array(list) stacks the list into one array`,
          related: declared.kind === 'tensor' && declared.origin ? [{ range: declared.origin.range, message: `the model's input is declared here` }] : [],
        });
        return;
      }
      for (const [want, got] of pairs(declared, data)) {
        const mismatch = inputMismatch(want, got);
        if (!mismatch || want.kind !== 'tensor' || got.kind !== 'tensor') continue;
        // Padded sequences whose steps may be vectors may have the axes the input declares.
        if (got.trailingAxesOpen && got.shape.rankKnown && want.shape.rankKnown && got.shape.dims.length < want.shape.dims.length) continue;
        const w = formatShape(want.shape);
        const g = formatShape(got.shape);
        // Keras 3 has no fit_generator and its kin: the versions named are those that have the method.
        const versions = event.method.endsWith('_generator') ? 'tf.keras 2.x' : 'tf.keras 2.x, Keras 3';
        ctx.report({
          range: event.call.range,
          message: mismatch.conformed
            ? `the model's input is declared ${w} but ${event.method} gets data of shape ${g}: ${got.shape.dims.length > want.shape.dims.length ? 'Keras drops the last axis of 1 of data with one axis more than the input' : 'Keras adds a last axis of 1 to data one axis short of an input whose last size is 1'}, and ${formatShape(mismatch.conformed.shape)} still differs from ${w} after the batch, so it raises (${versions}: "expected shape=${w}, found shape=${g}"; Keras 1 and tf.keras up to 2.3: "expected … to have ${want.shape.dims.length} dimensions")`
            : mismatch.rank && event.listData
            ? `the model's input is declared ${w} (${want.shape.dims.length}-D with the batch) but ${event.method} gets a nested Python list of numbers, which tf.keras 2.x reads as one array, np.asarray of the whole list, of shape ${g} (${got.shape.dims.length}-D): it raises "expected ndim=${want.shape.dims.length}, found ndim=${got.shape.dims.length}" (with labels that are not a list of numbers it finds no data adapter for the list and raises too; standalone Keras 2.3 and older took a list as the list of the model's inputs)`
            : mismatch.rank && embeddingDefaultInput(event.model)
            ? `the model's first layer is an Embedding without input_length or input_shape, which declares the input ${w}, ids of one axis after the batch, but ${event.method} gets data of shape ${g} (${got.shape.dims.length}-D): tf.keras 2.x raises on the input ("expected ndim=${want.shape.dims.length}, found ndim=${got.shape.dims.length}"; standalone Keras 2: "expected embedding_input to have ${want.shape.dims.length} dimensions"), while Keras 3, which builds the model from the data, hands the Embedding's ${got.shape.dims.length + 1}-D output to the next layers`
            : mismatch.rank
            ? `the model's input is declared ${w} (${want.shape.dims.length}-D with the batch) but ${event.method} gets data of shape ${g} (${got.shape.dims.length}-D): Keras raises "expected ndim=${want.shape.dims.length}, found ndim=${got.shape.dims.length}" (${versions}; Keras 1 and 2.0–2.3: "expected … to have ${want.shape.dims.length} dimensions")`
            : `the model's input is declared ${w} but ${event.method} gets data of shape ${g}: ${want.shape.dims[want.shape.dims.length - 1].kind === 'int' ? (want.shape.dims[want.shape.dims.length - 1] as { value: number }).value : '?'} features expected, ${(got.shape.dims[got.shape.dims.length - 1] as { value: number }).value} given; Keras raises on the input shape${event.method.endsWith('_generator') ? ` (${versions})` : ''}`,
          related: [
            ...(want.origin ? [{ range: want.origin.range, message: `the input ${w} is declared here` }] : []),
            ...(got.origin ? [{ range: got.origin.range, message: `the data ${g} comes from here` }] : []),
          ],
        });
        return;
      }
    },
  },
};
