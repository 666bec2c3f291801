import type { LayerDesc } from '../../layers/layer';
import { argInt, argValue } from '../../layers/layer';
import { lastDim } from '../../shapes/shape';
import type { KerasModel } from '../../values/value';
import type { Rule } from '../rule';
import { producerLayer } from '../torch/describe';
import { kerasLayerName } from './helpers';

/** The layer that makes the model's output: the Dense whose units are its last axis. */
export function finalLayer(model: KerasModel): LayerDesc | undefined {
  const out = model.output;
  const producer = out.kind === 'tensor' ? producerLayer(lastDim(out.shape)) : undefined;
  if (producer?.kind === 'Dense') return producer;
  const last = model.layers[model.layers.length - 1];
  return last?.kind === 'Dense' ? last : undefined;
}

export function activationOf(layer: LayerDesc): string {
  const v = argValue(layer, 'activation');
  return v.kind === 'str' ? v.value.toLowerCase() : v.kind === 'none' || v.kind === 'unknown' ? 'linear' : 'other';
}

/** The model methods that take labels beside the data, as (x, y) or y=. */
const LABEL_METHODS = new Set(['fit', 'evaluate', 'train_on_batch', 'test_on_batch']);

export const kerasLossActivationMismatch: Rule = {
  code: 'SL208',
  name: 'keras-loss-activation-mismatch',
  severity: 'warning',
  framework: 'keras',
  summary: 'The loss does not fit the output layer: sigmoid with categorical_crossentropy, softmax with one unit, binary_crossentropy on a softmax over several units, or sparse labels that are one-hot.',
  docs: {
    whatItDoes: 'Reads `model.compile(loss=…)` and the final `Dense` layer\'s units and activation, plus the labels given to `fit`, `evaluate`, `train_on_batch` or `test_on_batch`, and flags combinations that train silently to a wrong model.',
    whyIsThisBad: 'A softmax over one unit always outputs 1.0, so the model cannot learn. One sigmoid unit under categorical cross-entropy is divided by itself, so the loss is 0 and nothing is learned; several are renormalised, so the model trains, but its predictions do not sum to 1 (reported as information). Binary cross-entropy over a multi-class softmax treats each class as its own yes/no question. One-hot labels with `sparse_categorical_crossentropy` raise or silently read the wrong class.',
    example: 'model.add(Dense(1, activation="softmax"))\nmodel.compile(loss="binary_crossentropy", optimizer="adam")',
    useInstead: 'model.add(Dense(1, activation="sigmoid"))\nmodel.compile(loss="binary_crossentropy", optimizer="adam")',
    references: ['https://keras.io/api/losses/probabilistic_losses/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      const { model } = event;
      const compile = model.compile;
      const layer = finalLayer(model);
      if (!compile || !layer) return;
      const units = argInt(layer, 'units');
      const activation = activationOf(layer);
      const loss = compile.loss ?? '';
      const at = compile.lossRange ?? compile.call.range;
      const related = [{ range: layer.call.range, message: `the output layer: Dense(${units ?? '?'}, activation="${activation}")` }];
      const say = (message: string) => ctx.report({ range: at, message, related });
      if (event.method === 'compile') {
        if (activation === 'softmax' && units === 1) say(`${kerasLayerName(layer)} applies softmax to a single unit, which always outputs 1.0; use activation="sigmoid" for a binary output`);
        // categorical_crossentropy divides the outputs by their sum before the log (from_logits=False). One sigmoid unit
        // divided by itself is 1.0: the loss is 0 for every example and nothing is learned. Several sigmoid units are
        // renormalised into a distribution, so the model trains and its argmax is sound; only predict()'s rows, scores
        // that do not sum to 1, differ from class probabilities: said as information, since a program that reads the
        // argmax shows nothing wrong.
        else if (loss === 'categorical_crossentropy' && activation === 'sigmoid') {
          if (units === 1) say(`categorical_crossentropy over the single sigmoid unit of ${kerasLayerName(layer)}: Keras divides the output by its sum, so every prediction counts as 1.0, the loss is 0 and nothing is learned (older Keras refuses the (n, 1) labels at fit instead); use binary_crossentropy`);
          else ctx.report({ range: at, severity: 'information', related, message: `categorical_crossentropy over the sigmoid outputs of ${kerasLayerName(layer)}: Keras divides them by their sum, so the model trains, but predict() returns scores that do not sum to 1, not class probabilities; use softmax (or binary_crossentropy for multi-label outputs)` });
        }
        // A 2-way softmax under binary_crossentropy is the same model: its two outputs are p and 1 - p, so with one-hot labels
        // the mean of the two binary terms is -log p of the true class (categorical cross-entropy), and binary accuracy
        // (both outputs on the right side of 0.5) is categorical accuracy. From three units on, the losses and the
        // accuracy part (each wrong class counts as a right "no").
        else if (loss === 'binary_crossentropy' && activation === 'softmax' && units !== undefined && units > 2) say(`binary_crossentropy on a ${units}-way softmax (${kerasLayerName(layer)}) scores each class as a separate yes/no; use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy (integer labels)`);
        return;
      }
      if (!LABEL_METHODS.has(event.method)) return;
      const labels = event.args[1] ?? event.kwargs.get('y');
      if (loss !== 'sparse_categorical_crossentropy' || labels?.kind !== 'tensor' || !labels.shape.rankKnown || units === undefined || units < 2) return;
      const last = lastDim(labels.shape);
      if (labels.shape.dims.length >= 2 && last.kind === 'int' && last.value === units) {
        say(`sparse_categorical_crossentropy expects integer class ids, but the labels passed to ${event.method} (line ${event.call.range.start.line + 1}) have ${units} columns, i.e. they are one-hot; use categorical_crossentropy, or pass the class ids (argmax)`);
      }
    },
  },
};
