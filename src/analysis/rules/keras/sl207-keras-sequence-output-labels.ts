import type { LayerDesc } from '../../layers/layer';
import type { Dim } from '../../shapes/dim';
import type { KerasModel } from '../../values/value';
import { inputMismatch } from '../../interpret/keras';
import { isKerasRecurrent } from '../../layers/keras/recurrent';
import { formatShape } from '../../shapes/shape';
import { fix, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { ELEMENTWISE_LOSS, kerasLayerName, keywordRange, returnsSequences } from './helpers';

/** Layers applied to every time step alike: they keep the time axis as the recurrent layer left it. */
const PER_STEP = new Set(['Dense', 'TimeDistributed', 'Dropout', 'SpatialDropout1D', 'Activation', 'Masking', 'LayerNormalization', 'BatchNormalization', 'GaussianNoise', 'ReLU', 'Softmax', 'LeakyReLU']);

/** The last recurrent layer of a Sequential model, when only per-step layers follow it. */
function lastSequenceLayer(layers: LayerDesc[]): LayerDesc | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const inner = layer.kind === 'Bidirectional' ? layer.children[0] : layer;
    if (inner && isKerasRecurrent(inner)) return returnsSequences(inner) ? inner : undefined;
    if (!PER_STEP.has(layer.kind)) return undefined;
  }
  return undefined;
}

/**
 * Labels (samples, steps) beside a (batch, steps, units) output whose step count they repeat and whose units they do
 * not, among several units: one class id per step, not one label row per sample (a sequence autoencoder fitted with `fit(ids, ids)`). They
 * are per-step labels of the wrong form for a categorical loss, which is SL210's to report, not SL207's.
 */
export function perStepIds(labels: Dim[], output: Dim[]): boolean {
  if (labels.length !== 2 || output.length !== 3) return false;
  const steps = output[1];
  const units = output[2];
  const columns = labels[1];
  return steps.kind === 'int' && units.kind === 'int' && columns.kind === 'int' && columns.value === steps.value && units.value > 1 && units.value !== steps.value;
}

/**
 * Labels that are the output's shape without its last axis of 1, every other axis after the batch known and equal
 * ((samples, steps) beside (batch, steps, 1)): one value per step. tf.keras 2.x and Keras 3 drop an output's last
 * axis of 1 when the labels have one axis fewer (losses_utils.squeeze_or_expand_dimensions, and Keras 3's
 * squeeze_or_expand_to_same_rank), so an element-wise loss meets labels of its own shape and trains on each step, as
 * meant; only Keras 1 and 2.0–2.3 refused them. (A categorical loss would read the steps as classes, and is left to
 * be reported.)
 */
export function perStepValuesWithoutUnitAxis(labels: Dim[], output: Dim[]): boolean {
  if (output.length < 3 || labels.length !== output.length - 1) return false;
  const last = output[output.length - 1];
  if (last.kind !== 'int' || last.value !== 1) return false;
  for (let axis = 1; axis < labels.length; axis++) {
    const a = labels[axis];
    const b = output[axis];
    if (a.kind !== 'int' || b.kind !== 'int' || a.value !== b.value) return false;
  }
  return true;
}

/** The recurrent layer whose return_sequences=True makes the model's output per step, if that is the cause. */
export function sequenceOutputCause(model: KerasModel): LayerDesc | undefined {
  const output = model.output;
  if (output.kind !== 'tensor') return undefined;
  return model.layers.length ? lastSequenceLayer(model.layers) : output.seqFrom;
}

export const kerasSequenceOutputLabels: Rule = {
  code: 'SL207',
  name: 'keras-sequence-output-labels',
  severity: 'error',
  framework: 'keras',
  summary: 'A Dense after return_sequences=True gives 3-D predictions (batch, timesteps, units) while the labels are one per sample.',
  docs: {
    whatItDoes: 'When the last recurrent layer of a model keeps `return_sequences=True` and only per-step layers follow (`Dense`, `Dropout`, `TimeDistributed(...)`), the model predicts at every time step. It compares that 3-D output with the labels given to `fit`/`evaluate` (unless the data itself does not fit the model\'s input, which SL211 reports and Keras refuses first): labels with fewer axes than the output are one per sample, except that a sparse loss takes (batch, steps) class ids, and so may a loss function of the program\'s own (one not read as a Keras loss), so with those only 1-D labels are flagged. 2-D labels whose second axis has the output\'s number of steps and not its number of units are class ids per step, left to SL210; labels that are the output\'s shape without its last axis of 1 ((samples, steps) beside (batch, steps, 1)) are one value per step, which tf.keras 2.x and Keras 3 line up with the output by dropping that axis, and are not reported under an element-wise loss (binary cross-entropy, mean squared error). It is an error when the loss is known not to broadcast (a categorical cross-entropy), a warning when it broadcasts or is not known.',
    whyIsThisBad: 'With one label per sample Keras fails at `fit` (`Shapes (None, 1) and (None, 50, 1) are incompatible`, or "logits and labels must have the same first dimension"), or — for losses that broadcast — trains on a loss averaged over every step, which is not the classifier you meant.',
    example: 'model = Sequential([Embedding(5000, 64), LSTM(32, return_sequences=True), Dense(1, activation="sigmoid")])\nmodel.fit(x, y)   # y: (n_samples,)',
    useInstead: 'model = Sequential([Embedding(5000, 64), LSTM(32), Dense(1, activation="sigmoid")])\nmodel.fit(x, y)',
    references: ['https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: ['Set return_sequences=False on the last recurrent layer'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      if (!['fit', 'evaluate', 'fit_generator', 'evaluate_generator', 'train_on_batch', 'test_on_batch'].includes(event.method)) return;
      const { model } = event;
      const output = model.output;
      const labels = event.args[1] ?? event.kwargs.get('y');
      if (output.kind !== 'tensor' || !output.shape.rankKnown || output.shape.dims.length !== 3) return;
      if (labels?.kind !== 'tensor' || !labels.shape.rankKnown) return;
      // Data the model's input refuses never reaches the loss (SL211), and rows that are not samples leave labels one
      // per row, not one per sample: the labels are not judged.
      const data = event.args[0] ?? event.kwargs.get('x');
      if (model.input && data && inputMismatch(model.input, data)) return;
      // (batch, steps) labels fit a sparse loss; a loss function of the program's own that is not read as a Keras
      // loss may take them too (per-step class ids), so with it only 1-D labels are surely one per sample.
      const sparse = /sparse/.test(model.compile?.loss ?? '') || model.compile?.ownLoss === true;
      const expectedRank = sparse ? 2 : 3;
      if (labels.shape.dims.length >= expectedRank) return;
      if (perStepIds(labels.shape.dims, output.shape.dims)) return;
      const loss = model.compile?.loss;
      if (ELEMENTWISE_LOSS.test(loss ?? '') && perStepValuesWithoutUnitAxis(labels.shape.dims, output.shape.dims)) return;
      const layer = sequenceOutputCause(model);
      if (!layer) return;
      const broadcasts = /binary|mean_squared|mse|mae|mean_absolute/.test(loss ?? '') && labels.shape.dims.length <= 2;
      // Whether fit raises depends on the loss: with a loss that is not known (a variable not followed, no compile
      // read, a function of the program's own) it may broadcast over the steps, so no error is claimed.
      const unknownLoss = loss === undefined || model.compile?.ownLoss === true;
      // binary_crossentropy checks the shapes in Keras 3, and in tf.keras 2.x when it reads a sigmoid's input as logits.
      const checksShapes = broadcasts && /^(binary_crossentropy|binary_focal_crossentropy)$/.test(loss ?? '');
      const note = checksShapes
        ? `; ${loss} checks the shapes in Keras 3 ("Arguments \`target\` and \`output\` must have the same shape") and in tf.keras 2.x when the output comes from a sigmoid ("logits and labels must have the same shape"); after another activation tf.keras 2.x broadcasts it over the steps without an error`
        : broadcasts ? '; the loss broadcasts over the steps without an error' : unknownLoss ? '; a loss that broadcasts (mean squared error, binary cross-entropy) trains on every step without an error, another raises at fit' : '';
      ctx.report({
        range: keywordRange(layer, 'return_sequences') ?? layer.call.range,
        severity: broadcasts || unknownLoss ? 'warning' : 'error',
        message: `${kerasLayerName(layer)} keeps return_sequences=True, so the model predicts ${formatShape(output.shape)} — one output per time step — but the labels passed to ${event.method} (line ${event.call.range.start.line + 1}) are ${formatShape(labels.shape)}, one per sample${note}`,
        related: [{ range: event.call.range, message: `labels ${formatShape(labels.shape)} are passed here` }],
        fixes: [fix('Set return_sequences=False', [setKeyword(layer.call, 'return_sequences', 'False')], true)],
      });
    },
  },
};
