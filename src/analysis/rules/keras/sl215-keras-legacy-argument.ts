import { withoutComments } from '../../parse/comments';
import { foreignFileOf } from '../../workspace/modules';
import { fix, replace } from '../edits';
import type { Range } from '../../findings';
import type { Rule } from '../rule';

/** Keras 1 keyword arguments of the training methods, and what Keras 2 calls them. */
const RENAMED: Record<string, { to: string; methods: string[] }> = {
  nb_epoch: { to: 'epochs', methods: ['fit'] },
  X: { to: 'x', methods: ['fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch', 'predict_on_batch'] },
};

/**
 * Keyword arguments that only Keras 1 layers take: Keras 2 renamed them (dropout_W is dropout, nb_filter is filters,
 * border_mode is padding, W_regularizer is kernel_regularizer, ...) and rejects the old names. A program that passes
 * them is written for Keras 1, where fit(nb_epoch=…) is the right spelling, not a mistake of its own.
 */
const KERAS1_LAYER_KEYWORD = /\b(?:dropout_W|dropout_U|nb_filter|filter_length|border_mode|subsample_length|pool_length|nb_row|nb_col|W_regularizer|U_regularizer|b_regularizer|inner_init|consume_less)\s*=/;
/**
 * A Dense or recurrent layer given a number as its second positional argument: Keras 0.x took (input_dim, output_dim)
 * there (LSTM(128, 512), Dense(512, 64)), Keras 1 takes init= and Keras 2 activation= in that place, so the call
 * only works with the pre-1.0 API, where fit(nb_epoch=…) is the right spelling too.
 */
const KERAS0_LAYER_CALL = /\b(?:Dense|LSTM|GRU|SimpleRNN)\(\s*[\w.]+(?:\([^()]*\))?\s*,\s*\d+\s*[,)]/;
/**
 * A Dense or recurrent layer given output_dim=, or a layer given init=: Keras 1's names for units= and
 * kernel_initializer= (Keras 2.0–2.3 still converted them with a warning, tf.keras rejects them). Embedding's
 * output_dim= is its Keras 2 name too, so it is no sign; init= is looked for only inside a layer's call (a t-SNE's
 * init='pca' says nothing of Keras).
 */
const KERAS1_LAYER_NAMES = [
  /\b(?:Dense|LSTM|GRU|SimpleRNN)\((?:[^()]|\([^()]*\))*?\boutput_dim\s*=(?!=)/,
  /\b\w*(?:Dense|LSTM|GRU|SimpleRNN|Embedding|Convolution[123]D|Conv[123]D)\((?:[^()]|\([^()]*\))*?\binit\s*=(?!=)/,
];
/**
 * What only Keras 1 (or 0.x) had: the keras.initializations module (Keras 2 named it initializers),
 * keras.utils.visualize_util (vis_utils), the merge() function and the Merge layer with a mode= (Keras 2 has add(),
 * concatenate(), dot(), ...), a functional Model given input= or output= (Keras 1's names for inputs= and outputs=:
 * Keras 2.0–2.3 still converted them with a warning, tf.keras rejects them), the TimeDistributedDense layer (Keras 2
 * has TimeDistributed(Dense)) and fit(show_accuracy=) of Keras 0.x.
 */
const KERAS1_API = /^[ \t]*(?:from[ \t]+keras[ \t]+import[ \t][^\n]*\binitializations\b|import[ \t]+keras\.initializations\b|from[ \t]+keras\.utils\.visualize_util\b)|\b[Mm]erge\(\s*\[(?:[^()]|\([^()]*\))*?\bmode\s*=(?!=)|\bModel\((?:[^()]|\([^()]*\))*?\b(?:input|output)\s*=(?!=)|\bTimeDistributedDense\b|\bshow_accuracy\s*=(?!=)/m;
/**
 * A Python 2 print statement (print x, print "text", print >>f, x): the program runs only under Python 2, hence with
 * standalone Keras 2.3 or older (Keras 2.4 and later, and Keras 3, need Python 3), all of which take fit(nb_epoch=…).
 */
const PYTHON2_PRINT = /^[ \t]*print[ \t]+(?:["'>]|[A-Za-z_][\w.]*[ \t]*(?:[,%+]|$))/m;
/**
 * An unconditional import of a standard module that only Python 2 has (cPickle, urllib2, ConfigParser, StringIO, ...;
 * Python 3 renamed or merged them) or of itertools' izip/imap/ifilter: under Python 3 the program stops with an
 * ImportError on that line, so it too runs only under Python 2. Only an import at the start of a line counts: one
 * indented under `try:` (with `except ImportError: import pickle`) or under a version test also runs on Python 3.
 */
const PYTHON2_ONLY_IMPORT = /^(?:import[ \t]+(?:[\w.]+[ \t]*(?:as[ \t]+\w+[ \t]*)?,[ \t]*)*|from[ \t]+)(?:cPickle|cStringIO|urllib2|urlparse|ConfigParser|StringIO|HTMLParser|httplib|cookielib|Tkinter|tkMessageBox|__builtin__|copy_reg|SocketServer|SimpleHTTPServer|xmlrpclib|Queue)\b(?![ \t]*\.)|^from[ \t]+itertools[ \t]+import[ \t][^\n]*\b(?:izip|izip_longest|imap|ifilter|ifilterfalse)\b/m;
/**
 * Keras taken from TensorFlow (from tensorflow import keras, from tensorflow.keras… import, tf.keras.…): tf.keras never
 * took the Keras 1 names, whatever else the file says. TensorFlow imported for its own ops (tf.exp in a loss written
 * for standalone Keras on the TensorFlow backend) says nothing of the Keras version.
 */
const KERAS_FROM_TENSORFLOW = /^[ \t]*(?:from[ \t]+tensorflow(?:\.\w+)*[ \t]+import[ \t][^\n]*\bkeras\b|from[ \t]+tensorflow(?:\.\w+)*\.keras\b|import[ \t]+tensorflow(?:\.\w+)*\.keras\b)|\b(?:tf|tensorflow)(?:\.compat\.v[12])?(?:\.contrib)?\.keras\b/m;

/**
 * Standalone Keras written against the Keras 1 (or older) API throughout (only the source can tell the version meant),
 * read without its comments: one that names tf.keras (`# under tf.keras this raises`) says nothing of the program.
 */
function writtenForKeras1(text: string): boolean {
  const source = withoutComments(text);
  return !KERAS_FROM_TENSORFLOW.test(source) && (KERAS1_LAYER_KEYWORD.test(source) || KERAS1_LAYER_NAMES.some((r) => r.test(source)) || KERAS1_API.test(source) || KERAS0_LAYER_CALL.test(source) || PYTHON2_PRINT.test(source) || PYTHON2_ONLY_IMPORT.test(source));
}

/**
 * The model was built in another file of the project (a function of model.py that train.py imports and fits) written
 * against the Keras 1 API: the program runs only where that file does, a Keras taking fit(nb_epoch=…), unless the
 * fitting file itself takes Keras from TensorFlow.
 */
function builtForKeras1(built: Range, source: string): boolean {
  const file = foreignFileOf(built);
  return file !== undefined && !KERAS_FROM_TENSORFLOW.test(withoutComments(source)) && writtenForKeras1(file.source);
}

export const kerasLegacyArgument: Rule = {
  code: 'SL215',
  name: 'keras-legacy-argument',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras 1 keyword argument that tf.keras 2.x and Keras 3 reject: fit(nb_epoch=…) is epochs=, fit(X=…) is x=.',
  docs: {
    whatItDoes: 'Reads the keyword arguments of `fit`, `evaluate` and `predict` for Keras 1 spellings still found in tutorials. `nb_epoch` is left alone in a standalone-Keras program whose layers take Keras 1 arguments too (`dropout_W=`, `nb_filter=`, `border_mode=`, `Dense(output_dim=)`, `init=`, ...) or that uses what only Keras 1 had (`keras.initializations`, `merge([...], mode=...)`, `Model(input=..., output=...)`) or the Keras 0.x (input_dim, output_dim) pair (`LSTM(128, 512)`, `Dense(512, 64)`), or that is Python 2 (`print x`, or an unconditional `import cPickle`, `import urllib2`, `from itertools import izip`), which only standalone Keras 2.3 and older ran on, or whose fitted model was built by a function of another project file written that way: that program is written for a Keras where `nb_epoch` is right. Keras taken from TensorFlow (`tensorflow.keras`, `tf.keras`) is always reported.',
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
        if (name === 'nb_epoch' && (writtenForKeras1(ctx.source) || builtForKeras1(event.model.call.range, ctx.source))) continue;
        ctx.report({
          range: event.call.range,
          message: `${event.method}(${name}=…) is the Keras 1 spelling of ${renamed.to}=: tf.keras 2.x and Keras 3 raise "TypeError: ${event.method}() got an unexpected keyword argument '${name}'"${name === 'nb_epoch' ? ' (standalone Keras 2.0–2.3 only warned)' : ''}`,
          fixes: [fix(`Rename ${name} to ${renamed.to}`, [replace(keyword.nameRange, renamed.to)], true)],
        });
      }
    },
  },
};
