import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { activationOf, finalLayer } from './sl208-keras-loss-activation-mismatch';
import { argInt } from '../../layers/layer';

const CLASSIFICATION = /crossentropy|hinge/;

export const kerasAccuracyOnlyMetrics: Rule = {
  code: 'SL209',
  name: 'keras-accuracy-only-metrics',
  severity: 'information',
  framework: 'keras',
  summary: 'A classifier is compiled with accuracy as its only metric; on imbalanced data accuracy hides a useless model.',
  docs: {
    whatItDoes: 'Flags `metrics=["accuracy"]` alone on a classifier and suggests precision and recall (and AUC for a binary output) next to it. With a sparse loss (class ids as labels) it offers no metric as a fix, since Keras\' Precision and Recall raise on class ids, and points to per-class figures after training instead.',
    whyIsThisBad: 'The accuracy paradox: with 98% negative samples, a model that always predicts "negative" scores 98% accuracy and 0% recall on the class you care about. A spam filter can report 98% accuracy while catching 12% of the spam. Precision, recall and the confusion matrix (SeqLens: Evaluate Model) show it.',
    example: 'model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])',
    useInstead: 'model.compile(optimizer="adam", loss="binary_crossentropy",\n              metrics=["accuracy", "Precision", "Recall", "AUC"])',
    references: ['https://keras.io/api/metrics/classification_metrics/', 'https://en.wikipedia.org/wiki/Accuracy_paradox'],
  },
  fixTitles: ['Add precision and recall (and AUC)'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      if (event.method !== 'compile') return;
      const compile = event.model.compile;
      if (!compile?.metrics || !compile.metricsRange || !CLASSIFICATION.test(compile.loss ?? '')) return;
      if (compile.metrics.length !== 1 || !/^(acc|accuracy)$/i.test(compile.metrics[0])) return;
      if (/sparse/.test(compile.loss ?? '')) {
        // Keras' Precision and Recall take labels shaped like the output: given a sparse loss's class ids they raise
        // at fit (tensorflow#28259), so no metric can be offered as the fix.
        ctx.report({
          range: compile.metricsRange,
          message: 'Accuracy alone can hide a classifier that ignores a rare class (98% accuracy with 12% recall on it); with sparse class-id labels Keras\' Precision and Recall metrics do not apply (they take labels shaped like the output), so report per-class precision and recall of the predictions\' argmax after training (scikit-learn\'s classification_report, or SeqLens: Evaluate Model)',
        });
        return;
      }
      const layer = finalLayer(event.model);
      const binary = /binary/.test(compile.loss ?? '') || (layer !== undefined && argInt(layer, 'units') === 1 && activationOf(layer) === 'sigmoid');
      const replacement = `["accuracy", "Precision", "Recall"${binary ? ', "AUC"' : ''}]`;
      ctx.report({
        range: compile.metricsRange,
        message: `Accuracy alone can hide a classifier that ignores a rare class (98% accuracy with 12% recall on it); track precision and recall${binary ? ' and AUC' : ''} too`,
        fixes: [fix(`Use metrics=${replacement}`, [replace(compile.metricsRange, replacement)], true)],
      });
    },
  },
};
