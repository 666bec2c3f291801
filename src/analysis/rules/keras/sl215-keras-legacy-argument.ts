import { fix, replace } from '../edits';
import type { Rule } from '../rule';

/** Keras 1 keyword arguments of the training methods, and what Keras 2 calls them. */
const RENAMED: Record<string, { to: string; methods: string[] }> = {
  nb_epoch: { to: 'epochs', methods: ['fit'] },
  X: { to: 'x', methods: ['fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch', 'predict_on_batch'] },
};

export const kerasLegacyArgument: Rule = {
  code: 'SL215',
  name: 'keras-legacy-argument',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras 1 keyword argument that tf.keras 2.x and Keras 3 reject: fit(nb_epoch=…) is epochs=, fit(X=…) is x=.',
  docs: {
    whatItDoes: 'Reads the keyword arguments of `fit`, `evaluate` and `predict` for Keras 1 spellings still found in tutorials.',
    whyIsThisBad: 'tf.keras 2.x and Keras 3 raise `TypeError: fit() got an unexpected keyword argument \'nb_epoch\'`. Standalone Keras 2.0–2.3 still accepted `nb_epoch` with `UserWarning: The nb_epoch argument in fit has been renamed epochs`; `X=` was never accepted by Keras 2.',
    example: 'model.fit(X_train, Y_train, batch_size=32, nb_epoch=10)',
    useInstead: 'model.fit(X_train, Y_train, batch_size=32, epochs=10)',
    references: ['https://keras.io/api/models/model_training_apis/#fit-method'],
  },
  fixTitles: ['Rename the argument'],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    modelMethod(event, ctx) {
      for (const keyword of event.call.keywords) {
        const renamed = keyword.name ? RENAMED[keyword.name] : undefined;
        if (!renamed || !renamed.methods.includes(event.method)) continue;
        const name = keyword.name!;
        ctx.report({
          range: event.call.range,
          message: `${event.method}(${name}=…) is the Keras 1 spelling of ${renamed.to}=: tf.keras 2.x and Keras 3 raise "TypeError: ${event.method}() got an unexpected keyword argument '${name}'"${name === 'nb_epoch' ? ' (standalone Keras 2.0–2.3 only warned)' : ''}`,
          fixes: [fix(`Rename ${name} to ${renamed.to}`, [replace(keyword.nameRange, renamed.to)], true)],
        });
      }
    },
  },
};
