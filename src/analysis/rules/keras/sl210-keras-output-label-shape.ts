import { Dim, exactProduct, intDim } from '../../shapes/dim';
import { formatShape, shapeOf } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { Range } from '../../findings';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { ELEMENTWISE_LOSS as ELEMENTWISE } from './helpers';
import { perStepIds, sequenceOutputCause } from './sl207-keras-sequence-output-labels';

/** Losses that compare a distribution over the last axis and check that both shapes agree. */
const CATEGORICAL = /^(categorical_crossentropy|categorical_hinge|kl_divergence|kld|kullback_leibler_divergence)$/;

/**
 * Losses whose kernels check the shapes themselves in Keras 3 (keras.ops.binary_crossentropy: "Arguments `target` and
 * `output` must have the same shape"), and in tf.keras 2.x when the output comes from a sigmoid, whose input it then
 * takes as logits (tf.nn.sigmoid_cross_entropy_with_logits: "logits and labels must have the same shape").
 */
const CHECKS_SHAPES = /^(binary_crossentropy|binary_focal_crossentropy)$/;

type Mismatch = {
  kind: 'rank' | 'width' | 'ids' | 'axis' | 'rows';
  silent: boolean;
  labels: Dim[];
  output: Dim[];
  axis?: number;
  /** 'rows': the ids each sample's labels hold, against the rows its output has. */
  counts?: { ids: number; rows: number };
};

const known = (d: Dim | undefined): number | undefined => (d?.kind === 'int' ? d.value : undefined);

/**
 * How tf.keras 2.x / Keras 3 line labels up with predictions before the loss: a rank-1 label beside a rank-2
 * output gains an axis, and a rank difference of one is bridged by a trailing axis of size 1
 * (losses_utils.squeeze_or_expand_dimensions). What is left must have the same rank; the last axes must be equal,
 * except that element-wise losses broadcast a size-1 axis without an error; so must every axis between the batch and
 * the last (Keras 1 and 2.0–2.3 checked each one: "expected dense_1 to have shape (None, 800, 1)").
 */
export function compareLabels(labels: Dim[], output: Dim[], loss: string): Mismatch | undefined {
  let l = labels;
  let o = output;
  if (/sparse/.test(loss)) {
    if (l.length === o.length - 1) {
      // Ids in the output's shape without its class axis. tf.keras 2.x flattens both to rows (labels to their count of
      // ids, scores to (rows, classes)) and raises when the counts differ ("logits and labels must have the same first
      // dimension"); Keras 3 and Keras 1/2.0–2.3 compare the axes. Only counts known to differ are claimed: ids laid
      // out in another order but as many pass tf.keras 2.x.
      const ids = exactProduct(l.slice(1));
      const rows = exactProduct(o.slice(1, -1));
      return ids !== undefined && rows !== undefined && ids !== rows ? { kind: 'rows', silent: false, labels, output, counts: { ids, rows } } : undefined;
    }
    if (l.length === o.length) {
      // The same rank: a trailing axis of 1 holds the one class id; as many columns as classes are one-hot labels,
      // which are SL208's. Any other number of ids per row is flattened to more rows than the output has (tf.keras
      // 2.x: "logits and labels must have the same first dimension"; Keras 3: "must have the same shape up until
      // the last dimension").
      const ids = known(l[l.length - 1]);
      if (ids === undefined) return undefined;
      if (ids === 1 || ids === known(o[o.length - 1])) {
        // One id per row, or one-hot rows (SL208's mistake), still label the output's rows: an axis between the batch
        // and the last that holds another number of them fails on its own (Keras 3: "must have the same shape up
        // until the last dimension"; Keras 1/2.0–2.3 compare the axes), and in tf.keras 2.x when the labels flatten
        // to another count than the rows.
        const flat = exactProduct(l.slice(1));
        const rows = exactProduct(o.slice(1, -1));
        if (flat === undefined || rows === undefined || flat === rows) return undefined;
        for (let axis = 1; axis < l.length - 1; axis++) {
          const x = known(l[axis]);
          const y = known(o[axis]);
          if (x !== undefined && y !== undefined && x !== y) return { kind: 'axis', axis, silent: false, labels, output };
        }
        return undefined;
      }
      return { kind: 'ids', silent: false, labels, output };
    }
    return { kind: 'rank', silent: false, labels, output };
  }
  if (!CATEGORICAL.test(loss) && !ELEMENTWISE.test(loss)) return undefined;
  if (l.length === 1 && o.length === 2) l = [...l, intDim(1)];
  // A rank difference of one is bridged when the longer shape's last axis is 1; unknown, that axis may be 1.
  const longer = l.length === o.length - 1 ? o : l.length === o.length + 1 ? l : undefined;
  if (longer) {
    const last = known(longer[longer.length - 1]);
    if (last === undefined) return undefined;
    if (last === 1 && longer === o) o = o.slice(0, -1);
    else if (last === 1) l = l.slice(0, -1);
  }
  if (l.length !== o.length) return { kind: 'rank', silent: false, labels, output };
  const a = known(l[l.length - 1]);
  const b = known(o[o.length - 1]);
  if (a !== undefined && b !== undefined && a !== b) {
    return { kind: 'width', silent: ELEMENTWISE.test(loss) && (a === 1 || b === 1), labels: l, output: o };
  }
  for (let axis = 1; axis < l.length - 1; axis++) {
    const x = known(l[axis]);
    const y = known(o[axis]);
    if (x === undefined || y === undefined || x === y) continue;
    return { kind: 'axis', axis, silent: ELEMENTWISE.test(loss) && (x === 1 || y === 1), labels: l, output: o };
  }
  return undefined;
}

/**
 * The model's output with the axes after the batch that it leaves unknown read from its output for the data given to
 * the same call: an Embedding without input_length declares (None, None) ids, so the model outputs (None, None, 127),
 * but for x (1, 30) it outputs 30 steps. Undefined when no axis is filled in.
 */
function withDataAxes(output: TensorValue, dataOutput: Value | undefined): TensorValue | undefined {
  if (dataOutput?.kind !== 'tensor' || !dataOutput.shape.rankKnown || dataOutput.shape.dims.length !== output.shape.dims.length) return undefined;
  let filled = false;
  const dims = output.shape.dims.map((d, i) => {
    const g = dataOutput.shape.dims[i];
    if (i === 0 || d.kind === 'int' || g.kind !== 'int') return d;
    filled = true;
    return g;
  });
  return filled ? { ...output, shape: shapeOf(dims) } : undefined;
}

/** Labels of one value per row against several outputs under a categorical loss: class ids where one-hot rows go. */
function classIdsForOneHot(mismatch: Mismatch, loss: string): boolean {
  return mismatch.kind === 'width' && CATEGORICAL.test(loss) && /crossentropy/.test(loss) && known(mismatch.labels[mismatch.labels.length - 1]) === 1;
}

export const kerasOutputLabelShape: Rule = {
  code: 'SL210',
  name: 'keras-output-label-shape',
  severity: 'error',
  framework: 'keras',
  summary: 'The labels given to fit/evaluate do not have the shape of the model\'s output: another rank (per-step labels for a per-sample output, or the reverse) or another width.',
  docs: {
    whatItDoes: 'At `fit`, `evaluate`, `train_on_batch` and `test_on_batch` (and `fit_generator`/`evaluate_generator`; for data given as a stream of (x, y) batches, a `TimeseriesGenerator` or a generator function, it reads one batch), compares the shape of the labels with the model\'s output shape as tf.keras 2.x and Keras 3 line them up for the loss: a sparse loss takes one integer per output row; other losses take the output\'s shape, give or take a trailing axis of size 1. A loss passed as a function of the program that returns a Keras loss of its two arguments (`def loss(labels, logits): return sparse_categorical_crossentropy(labels, logits, from_logits=True)`) is read as that loss; other loss functions are not compared. An axis after the batch that the model leaves unknown (an Embedding without input_length gives `(None, None, 127)`) is read from the model\'s output for the `x` given to the same call.',
    whyIsThisBad: 'tf.keras 2.x and Keras 3 raise at `fit` (`Shapes (None, 22) and (None, 3) are incompatible`, `Incompatible shapes`); Keras 1 and 2.0–2.3 raised `Error when checking target: expected dense_2 to have shape (3,) but got array with shape (22,)`. With an element-wise loss (mse, mae) and an axis of size 1, tf.keras 2.x and Keras 3 broadcast it silently: 96 outputs per step against 1 target trains on a loss that means nothing. binary_crossentropy checks the shapes in Keras 3, and in tf.keras 2.x when the output comes from a sigmoid ("logits and labels must have the same shape"); after any other activation tf.keras 2.x broadcasts it as mse does.',
    example: 'model = Sequential([LSTM(32, input_shape=(10, 8)), Dense(5, activation="softmax")])\nmodel.compile(loss="categorical_crossentropy", optimizer="adam")\nmodel.fit(x, y)   # y: (n, 10, 5), a class per step',
    useInstead: 'model = Sequential([LSTM(32, input_shape=(10, 8), return_sequences=True), Dense(5, activation="softmax")])\nmodel.compile(loss="categorical_crossentropy", optimizer="adam")\nmodel.fit(x, y)',
    references: ['https://keras.io/api/losses/', 'https://keras.io/api/models/model_training_apis/#fit-method'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      if (!['fit', 'evaluate', 'fit_generator', 'evaluate_generator', 'train_on_batch', 'test_on_batch'].includes(event.method)) return;
      const { model } = event;
      const loss = model.compile?.loss;
      const declared = model.output;
      const given = event.args[1] ?? event.kwargs.get('y');
      if (!loss || !given) return;
      const heads = outputHeads(declared);
      if (heads) {
        // A model of several outputs under one loss: each output is compared with its own labels (a list of as many
        // arrays), or with the one array given, which tf.keras 2.2+ hands to every output. The first mismatch is
        // reported.
        for (const [i, head] of heads.entries()) {
          const labels = labelsFor(given, i, heads.length);
          if (!labels) continue;
          const mismatch = compareLabels(labels.shape.dims, head.shape.dims, loss);
          if (!mismatch) continue;
          const which = `the ${ORDINALS[i] ?? `number ${i + 1}`} of the model's ${heads.length} outputs is`;
          const from = given.kind === 'tensor' ? ` (one array for ${heads.length} outputs, which tf.keras 2.2+ gives to each of them; tf.keras 2.0–2.1 and Keras 1 and 2 raise "Expected to see ${heads.length} array(s)")` : '';
          report(ctx, event.method, event.call.range, loss, mismatch, head, labels, formatShape(head.shape), which, from);
          return;
        }
        return;
      }
      const labels = given;
      if (declared.kind !== 'tensor' || !declared.shape.rankKnown || labels.kind !== 'tensor' || !labels.shape.rankKnown) return;
      const forData = withDataAxes(declared, event.dataOutput);
      const output = forData ?? declared;
      // A 3-D output from return_sequences=True against per-sample labels is SL207's, on the layer that causes it.
      const idsPerStep = perStepIds(labels.shape.dims, output.shape.dims);
      if (output.shape.dims.length > labels.shape.dims.length && sequenceOutputCause(model) && !idsPerStep) return;
      const mismatch = compareLabels(labels.shape.dims, output.shape.dims, loss);
      if (!mismatch) return;
      const out = forData ? `${formatShape(output.shape)} for the x given to ${event.method}` : formatShape(output.shape);
      report(ctx, event.method, event.call.range, loss, mismatch, output, labels, out, 'the model outputs', '', idsPerStep);
    },
  },
};

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

/** The outputs of a model of several: the list it was given as outputs, each a tensor of known rank. */
function outputHeads(output: Value): TensorValue[] | undefined {
  if ((output.kind !== 'list' && output.kind !== 'tuple') || output.element || output.items.length < 2) return undefined;
  return output.items.every((t) => t.kind === 'tensor' && t.shape.rankKnown) ? (output.items as TensorValue[]) : undefined;
}

/** The labels of output i: the i-th array of a list of as many, or the one array given for all. */
function labelsFor(given: Value, i: number, n: number): TensorValue | undefined {
  const pick = (v: Value | undefined) => (v?.kind === 'tensor' && v.shape.rankKnown ? v : undefined);
  if (given.kind === 'tensor') return pick(given);
  if ((given.kind === 'list' || given.kind === 'tuple') && !given.element && given.items.length === n) return pick(given.items[i]);
  return undefined;
}

function report(
  ctx: RuleContext,
  method: string,
  range: Range,
  loss: string,
  mismatch: Mismatch,
  output: TensorValue,
  labels: TensorValue,
  out: string,
  subject: string,
  from: string,
  idsPerStep = false,
): void {
  const lab = formatShape(labels.shape);
  const what = mismatch.kind === 'rank'
    ? `${subject} ${out} (${output.shape.dims.length}-D) but the labels passed to ${method} are ${lab} (${labels.shape.dims.length}-D)${from}${/sparse/.test(loss) ? ` and ${loss} takes one class id per output row` : idsPerStep && CATEGORICAL.test(loss) ? `, one class id per step, while ${loss} takes one-hot labels of the output's shape (sparse_categorical_crossentropy takes the ids)` : ''}`
    : mismatch.kind === 'ids'
    ? `${subject} ${out} but the labels passed to ${method} are ${lab}${from}: ${loss} takes one class id per output row, and these labels have ${known(mismatch.labels[mismatch.labels.length - 1])} per row`
    : mismatch.kind === 'rows'
    ? `${subject} ${out} but the labels passed to ${method} are ${lab}${from}: ${loss} takes one class id per output row, labels shaped as the output without its class axis, ${formatShape(shapeOf([labels.shape.dims[0], ...output.shape.dims.slice(1, -1)]))}, and these labels hold ${mismatch.counts!.ids} id${mismatch.counts!.ids === 1 ? '' : 's'} per sample against ${mismatch.counts!.rows} output row${mismatch.counts!.rows === 1 ? '' : 's'}`
    : mismatch.kind === 'axis'
    ? `${subject} ${out} but the labels passed to ${method} are ${lab}${from}: axis ${mismatch.axis} holds ${known(mismatch.output[mismatch.axis!])} ${mismatch.axis === 1 && mismatch.output.length === 3 ? 'steps' : 'entries'} in the output against ${known(mismatch.labels[mismatch.axis!])} in the labels`
    : `${subject} ${out} but the labels passed to ${method} are ${lab}${from}: ${known(mismatch.output[mismatch.output.length - 1])} outputs against ${known(mismatch.labels[mismatch.labels.length - 1])} target${known(mismatch.labels[mismatch.labels.length - 1]) === 1 ? '' : 's'} per ${mismatch.output.length > 2 ? 'step' : 'sample'}${classIdsForOneHot(mismatch, loss) ? `, one class id where ${loss} takes one-hot labels (to_categorical makes them; sparse_categorical_crossentropy takes the ids)` : ''}`;
  // Keras 3 has no fit_generator and its kin: the versions named are those that have the method.
  // One array for several outputs is read so by tf.keras 2.2+ only (see labelsFor).
  const modern = from ? 'tf.keras 2.2+' : method.endsWith('_generator') ? 'tf.keras 2.x' : 'tf.keras 2.x and Keras 3';
  const consequence = mismatch.silent && CHECKS_SHAPES.test(loss)
    ? `; ${method.endsWith('_generator') ? '' : 'Keras 3 raises "Arguments `target` and `output` must have the same shape", and '}tf.keras 2.x raises "logits and labels must have the same shape" when the output comes from a sigmoid; after any other activation tf.keras 2.x broadcasts the size-1 axis without an error (Keras 1 and 2.0–2.3 raised "Error when checking target"), and the model trains on a meaningless loss`
    : mismatch.silent
    ? `; ${loss} broadcasts the size-1 axis without an error in ${modern} (Keras 1 and 2.0–2.3 raised "Error when checking target"), so the model trains on a meaningless loss`
    : `: Keras raises at ${method} (${modern}: incompatible shapes in the loss; Keras 1 and 2.0–2.3: "Error when checking target")`;
  ctx.report({
    range,
    severity: mismatch.silent ? 'warning' : 'error',
    message: `${what}${consequence}`,
    related: [
      ...(output.origin ? [{ range: output.origin.range, message: `the output ${out} comes from here` }] : []),
      ...(labels.origin ? [{ range: labels.origin.range, message: `the labels ${lab} come from here` }] : []),
    ],
  });
}
