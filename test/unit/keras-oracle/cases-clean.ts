// tfjs twins of the clean_*.py Keras fixtures: correct programs that must build, fit and predict.
import * as tf from '@tensorflow/tfjs';
import type { Program } from './cases-rules';
import { K, N, kerasShape, short, padSequences, rand, randint, randlabels, rowSums, toCategorical } from './oracle';

const L = tf.layers;
const sym = (t: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => t as tf.SymbolicTensor;

function sequential(layers: tf.layers.Layer[]): tf.Sequential {
  return tf.sequential({ layers });
}

function added(...layers: tf.layers.Layer[]): tf.Sequential {
  const model = tf.sequential();
  for (const layer of layers) model.add(layer);
  return model;
}

/**
 * keras.preprocessing.text.Tokenizer(): lower-cased words split on spaces after the default filters,
 * ids from 1 by descending count, ties in order of first appearance (Python's sort is stable).
 */
function kerasTokenizer(texts: string[]): { vocabSize: number; toSequences: (t: string[]) => number[][] } {
  const filters = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';
  const words = (text: string) => [...text.toLowerCase()].map((c) => (filters.includes(c) ? ' ' : c)).join('').split(' ').filter(Boolean);
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const index = new Map([...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w], i) => [w, i + 1]));
  return {
    vocabSize: index.size + 1,
    toSequences: (ts) => ts.map((t) => words(t).filter((w) => index.has(w)).map((w) => index.get(w)!)),
  };
}

/** Sparse labels (N, T) for a (N, T, C) output: Keras takes them, tfjs wants (N, T, 1). */
function withTrailingAxis(y: tf.Tensor): tf.Tensor {
  return y.expandDims(-1);
}

export const CLEAN_PROGRAMS: Record<string, Program> = {
  clean_sentiment_lstm: async (o) => {
    const [VOCAB_SIZE, MAX_LEN, EMBEDDING_DIM] = [10000, 100, 128];
    const xTrain = randint(1, VOCAB_SIZE, [N, short(MAX_LEN)]);
    const yTrain = randlabels(0, 2, [N]);
    const xTest = randint(1, VOCAB_SIZE, [N, short(MAX_LEN)]);
    const yTest = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM }),
      K.lstm({ units: 64, dropout: 0.2, recurrentDropout: 0.2 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 64, validationData: [xTest, yTest] });
    await o.evaluate(model, xTest, yTest);
  },

  clean_stacked_lstm_forecast: async (o) => {
    const [lookback, nFeatures] = [60, 1];
    const XTrain = rand([N, lookback, nFeatures]);
    const yTrain = rand([N, 1]);
    const model = await o.build(() => added(
      K.lstm({ units: 50, returnSequences: true, inputShape: [lookback, nFeatures] }),
      L.dropout({ rate: 0.2 }),
      K.lstm({ units: 50, returnSequences: true }),
      L.dropout({ rate: 0.2 }),
      K.lstm({ units: 50 }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mean_squared_error' });
    await o.fit(model, XTrain, yTrain, { batchSize: 32 });
    await o.predict(model, XTrain.slice([N - 1], [1]));
  },

  clean_bigru_intent_classifier: async (o) => {
    const [NUM_WORDS, MAXLEN, NUM_INTENTS] = [3000, 25, 7];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [MAXLEN], dtype: 'int32' });
      let x = sym(K.embedding({ inputDim: NUM_WORDS, outputDim: 64, maskZero: true }).apply(inputs));
      x = sym(L.bidirectional({ layer: K.gru({ units: 48 }) }).apply(x));
      x = sym(L.dropout({ rate: 0.3 }).apply(x));
      const outputs = sym(L.dense({ units: NUM_INTENTS, activation: 'softmax' }).apply(x));
      return tf.model({ inputs, outputs, name: 'intent_classifier' });
    });
    const xTrain = randint(0, NUM_WORDS, [N, MAXLEN]);
    const yTrain = toCategorical(randint(0, NUM_INTENTS, [N]), NUM_INTENTS);
    await o.compile(model, { optimizer: tf.train.adam(1e-3), loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
    await o.step('output_shape', () => model.outputShape as (number | null)[], kerasShape);
  },

  clean_ner_tagger_timedistributed: async (o) => {
    const [nWords, nTags, maxLen] = [4000, 9, 40];
    const X = randint(1, nWords, [N, short(maxLen)]);
    const Y = randlabels(0, nTags, [N, short(maxLen)]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: nWords, outputDim: 50, maskZero: true }),
      L.bidirectional({ layer: K.lstm({ units: 64, returnSequences: true, recurrentDropout: 0.1 }) }),
      L.timeDistributed({ layer: L.dense({ units: nTags, activation: 'softmax' }) }),
    ]));
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    await o.attempt(`fit with labels ${kerasShape(Y.shape)}`, () => model.fit(X, Y, { epochs: 1, verbose: 0, batchSize: 32, validationSplit: 0.1 }));
    const Y3 = withTrailingAxis(Y);
    await o.fit(model, X, Y3, { batchSize: 32, validationSplit: 0.1 }, `fit with labels ${kerasShape(Y3.shape)}`);
    await o.predict(model, X.slice(0, 2));
  },

  clean_conv1d_lstm_imdb: async (o) => {
    const [maxFeatures, maxlen, embeddingSize] = [20000, 100, 128];
    const xTrain = randint(0, maxFeatures, [N, maxlen]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => added(
      K.embedding({ inputDim: maxFeatures, outputDim: embeddingSize, inputLength: maxlen }),
      L.dropout({ rate: 0.25 }),
      K.conv1d({ filters: 64, kernelSize: 5, padding: 'valid', activation: 'relu', strides: 1 }),
      L.maxPooling1d({ poolSize: 4 }),
      K.lstm({ units: 70 }),
      L.dense({ units: 1 }),
      L.activation({ activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 30 });
  },

  clean_bilstm_global_average_pooling: async (o) => {
    const [vocabSize, sequenceLength] = [12000, 60];
    const model = await o.build(() => {
      // dtype="int64": tfjs has no int64, int32 holds the same ids.
      const inputs = tf.input({ shape: [sequenceLength], dtype: 'int32' });
      let x = sym(K.embedding({ inputDim: vocabSize, outputDim: 64 }).apply(inputs));
      x = sym(L.bidirectional({ layer: K.lstm({ units: 32, returnSequences: true }) }).apply(x));
      x = sym(L.globalAveragePooling1d({}).apply(x));
      x = sym(L.dense({ units: 16, activation: 'relu' }).apply(x));
      const outputs = sym(L.dense({ units: 1, activation: 'sigmoid' }).apply(x));
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const reviews = randint(0, vocabSize, [N, sequenceLength]);
    const sentiment = randlabels(0, 2, [N, 1]);
    await o.fit(model, reviews, sentiment, { batchSize: 32 });
  },

  clean_lstm_autoencoder_repeatvector: async (o) => {
    const [timesteps, nFeatures] = [30, 3];
    const sequences = rand([N, timesteps, nFeatures]);
    const model = await o.build(() => added(
      K.lstm({ units: 64, activation: 'relu', inputShape: [timesteps, nFeatures] }),
      L.repeatVector({ n: timesteps }),
      K.lstm({ units: 64, activation: 'relu', returnSequences: true }),
      L.timeDistributed({ layer: L.dense({ units: nFeatures }) }),
    ));
    await o.compile(model, { loss: 'mse' });
    await o.fit(model, sequences, sequences);
    await o.predict(model, sequences.slice(0, 4));
  },

  clean_gru_timeseries_regression: async (o) => {
    const [timesteps, features] = [48, 5];
    const X = rand([N, timesteps, features]);
    const y = rand([N]);
    const model = await o.build(() => added(
      K.gru({ units: 32, inputShape: [timesteps, features] }),
      L.dense({ units: 16, activation: 'relu' }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mse', metrics: ['mae'] });
    await o.fit(model, X, y, { batchSize: 64, validationSplit: 0.2 });
    await o.predict(model, X.slice([N - 1], [1]));
  },

  clean_multiclass_onehot_softmax: async (o) => {
    const [numClasses, vocabSize, seqLen] = [5, 2000, 30];
    const texts = randint(1, vocabSize, [N, short(seqLen)]);
    const labels = randint(0, numClasses, [N]);
    const y = toCategorical(labels, numClasses);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: vocabSize, outputDim: 64 }),
      K.lstm({ units: 64 }),
      L.dense({ units: 32, activation: 'relu' }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, texts, y, { batchSize: 32 });
    const probs = await o.predict(model, texts.slice(0, 3));
    o.note(`predictions: ${await rowSums(probs)}`);
  },

  clean_binary_spam_gru_auc: async (o) => {
    const [maxTokens, seqLen] = [8000, 60];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [seqLen], dtype: 'int32' });
      let x = sym(K.embedding({ inputDim: maxTokens, outputDim: 32 }).apply(inputs));
      x = sym(K.gru({ units: 32, dropout: 0.2 }).apply(x));
      const outputs = sym(L.dense({ units: 1, activation: 'sigmoid' }).apply(x));
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall', 'AUC'] });
    const xTrain = randint(0, maxTokens, [N, seqLen]);
    const yTrain = rand([N]).less(0.1).toFloat();
    await o.fit(model, xTrain, yTrain, { batchSize: 32, classWeight: { 0: 1.0, 1: 9.0 } });
  },

  clean_masking_padded_sensor_lstm: async (o) => {
    const [maxSteps, nChannels] = [50, 3];
    // batch[:, 40:, :] = 0.0
    const batch = tf.concat([rand([N, 40, nChannels]), tf.zeros([N, maxSteps - 40, nChannels])], 1);
    const labels = randlabels(0, 2, [N, 1]);
    const model = await o.build(() => sequential([
      L.masking({ maskValue: 0.0, inputShape: [maxSteps, nChannels] }),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, batch, labels, { batchSize: 32 });
  },

  clean_mask_zero_embedding_gru: async (o) => {
    const vocabSize = 30;
    const sentences = [[5, 12, 7], [3, 9], [14, 2, 2, 8, 21], [6], [19, 4, 11, 25], [1, 13]];
    const labels = tf.tensor1d([1, 0, 1, 0, 1, 0]);
    const padded = padSequences(sentences, 6, 'post');
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: vocabSize, outputDim: 8, maskZero: true }),
      K.gru({ units: 16, goBackwards: true }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, padded, labels);
    await o.predict(model, padded);
  },

  clean_subclassed_bilstm_classifier: async (o) => {
    // ReviewClassifier(keras.Model) as the functional model its call() describes.
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [null] });
      let x = sym(K.embedding({ inputDim: 5000, outputDim: 64, maskZero: true }).apply(inputs));
      x = sym(L.bidirectional({ layer: K.lstm({ units: 64 }) }).apply(x));
      x = sym(L.dropout({ rate: 0.3 }).apply(x));
      const outputs = sym(L.dense({ units: 1, activation: 'sigmoid' }).apply(x));
      return tf.model({ inputs, outputs });
    }, 'build (subclass as functional)');
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const x = randint(0, 5000, [N, short(60)]);
    const y = randlabels(0, 2, [N]);
    await o.fit(model, x, y, { batchSize: 32 });
    await o.step('call', () => model.apply(x.slice(0, 2)) as tf.Tensor, (t) => kerasShape(t.shape));
  },

  clean_seq2seq_encoder_decoder: async (o) => {
    const [numEncoderTokens, numDecoderTokens, latentDim, maxEncoderSeqLength, maxDecoderSeqLength] = [71, 93, 64, 16, 59];
    const encoderInputData = tf.zeros([N, maxEncoderSeqLength, numEncoderTokens]);
    const decoderInputData = tf.zeros([N, maxDecoderSeqLength, numDecoderTokens]);
    const decoderTargetData = tf.zeros([N, maxDecoderSeqLength, numDecoderTokens]);
    const model = await o.build(() => {
      const encoderInputs = tf.input({ shape: [null, numEncoderTokens] });
      const encoder = K.lstm({ units: latentDim, returnState: true });
      const [, stateH, stateC] = encoder.apply(encoderInputs) as tf.SymbolicTensor[];
      const decoderInputs = tf.input({ shape: [null, numDecoderTokens] });
      const decoderLstm = K.lstm({ units: latentDim, returnSequences: true, returnState: true });
      const [decoderSequence] = decoderLstm.apply(decoderInputs, { initialState: [stateH, stateC] }) as tf.SymbolicTensor[];
      const decoderOutputs = sym(L.dense({ units: numDecoderTokens, activation: 'softmax' }).apply(decoderSequence));
      return tf.model({ inputs: [encoderInputs, decoderInputs], outputs: decoderOutputs });
    });
    await o.compile(model, { optimizer: 'rmsprop', loss: 'categorical_crossentropy' });
    await o.fit(model, [encoderInputData, decoderInputData], decoderTargetData, { batchSize: 64, validationSplit: 0.2 });
  },

  clean_simplernn_char_language_model: async (o) => {
    const [vocab, seqLength] = [65, 40];
    const textIds = randint(0, vocab, [N, short(seqLength) + 1]);
    const inputs = textIds.slice([0, 0], [N, short(seqLength)]);
    const targets = textIds.slice([0, 1], [N, short(seqLength)]).toFloat();
    const model = await o.build(() => added(
      K.embedding({ inputDim: vocab, outputDim: 16 }),
      K.simpleRNN({ units: 64, returnSequences: true }),
      L.dense({ units: vocab, activation: 'softmax' }),
    ));
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    await o.attempt(`fit with labels ${kerasShape(targets.shape)}`, () => model.fit(inputs, targets, { epochs: 1, verbose: 0, batchSize: 64 }));
    const targets3 = withTrailingAxis(targets);
    await o.fit(model, inputs, targets3, { batchSize: 64 }, `fit with labels ${kerasShape(targets3.shape)}`);
  },

  clean_bilstm_sum_merge_reshape: async (o) => {
    const [MAXLEN, UNITS, VOCAB] = [20, 32, 2500];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [MAXLEN] });
      let x = sym(K.embedding({ inputDim: VOCAB, outputDim: 32 }).apply(inputs));
      x = sym(L.bidirectional({ layer: K.lstm({ units: UNITS, returnSequences: true }), mergeMode: 'sum' }).apply(x));
      x = sym(L.reshape({ targetShape: [MAXLEN * UNITS] }).apply(x));
      x = sym(L.dense({ units: 64, activation: 'relu' }).apply(x));
      const outputs = sym(L.dense({ units: 1, activation: 'sigmoid' }).apply(x));
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const xTrain = randint(0, VOCAB, [N, MAXLEN]);
    const yTrain = randlabels(0, 2, [N]);
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  },

  clean_tf_keras_stacked_bigru: async (o) => {
    const [numClasses, vocabSize, maxLen] = [6, 7000, 25];
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: vocabSize, outputDim: 64, inputLength: maxLen }),
      L.bidirectional({ layer: K.gru({ units: 64, returnSequences: true }) }),
      L.bidirectional({ layer: K.gru({ units: 32 }) }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ]));
    await o.compile(model, { optimizer: tf.train.adam(1e-4), loss: 'sparse_categorical_crossentropy' });
    const xTrain = randint(0, vocabSize, [N, maxLen]);
    const yTrain = randlabels(0, numClasses, [N]);
    await o.fit(model, xTrain, yTrain, { validationSplit: 0.1 });
  },

  clean_lstm_legacy_input_dim: async (o) => {
    const [dataDim, timesteps, numClasses] = [16, 8, 10];
    const xTrain = rand([N, timesteps, dataDim]);
    const yTrain = rand([N, numClasses]);
    const rest = () => [
      K.lstm({ units: 32, returnSequences: true }),
      K.lstm({ units: 32 }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ];
    // tfjs declares inputDim/inputLength on RNN layers but ignores them; Keras turns them into
    // input_shape=(input_length, input_dim).
    await o.attempt('build with inputDim/inputLength', () => added(K.lstm({ units: 32, returnSequences: true, inputDim: dataDim, inputLength: timesteps }), ...rest()));
    const model = await o.build(() => added(K.lstm({ units: 32, returnSequences: true, inputShape: [timesteps, dataDim] }), ...rest()), 'build with inputShape');
    await o.compile(model, { optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 64 });
  },

  clean_stateful_lstm_batch_input_shape: async (o) => {
    const [dataDim, timesteps, numClasses, batchSize] = [16, 8, 10, 32];
    // A stateful model needs a multiple of batch_size samples: one batch here.
    const xTrain = rand([batchSize, timesteps, dataDim]);
    const yTrain = rand([batchSize, numClasses]);
    const model = await o.build(() => added(
      K.lstm({ units: 32, returnSequences: true, stateful: true, batchInputShape: [batchSize, timesteps, dataDim] }),
      K.lstm({ units: 32, returnSequences: true, stateful: true }),
      K.lstm({ units: 32, stateful: true }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ));
    await o.compile(model, { optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize, shuffle: false });
  },

  clean_sine_forecast_windows: async (o) => {
    const window = 25;
    const length = 1200;
    const series = Array.from({ length }, (_, i) => Math.sin((50 * i) / (length - 1)));
    const noise = Array.from(rand([length]).dataSync());
    const noisy = series.map((v, i) => v + 0.1 * noise[i]);
    // The first N windows of the fixture's len(series) - window.
    const X = tf.tensor2d(Array.from({ length: N }, (_, i) => noisy.slice(i, i + window))).reshape([N, window, 1]);
    const y = tf.tensor1d(noisy.slice(window, window + N));
    const model = await o.build(() => added(
      K.lstm({ units: 32, inputShape: [window, 1] }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mse', metrics: ['mae'] });
    await o.fit(model, X, y, { batchSize: 64 });
    await o.predict(model, X.slice([N - 1], [1]));
  },

  clean_tokenizer_vocab_plus_one: async (o) => {
    const texts = [
      'the food was great',
      'terrible service and cold food',
      'great staff, great prices',
      'never coming back',
      'the best pizza in town',
      'cold and bland',
    ];
    const labels = tf.tensor1d([1, 0, 1, 0, 1, 0]);
    const tokenizer = kerasTokenizer(texts);
    const padded = padSequences(tokenizer.toSequences(texts), 8, 'post');
    const model = await o.build(() => added(
      K.embedding({ inputDim: tokenizer.vocabSize, outputDim: 16, inputLength: 8 }),
      K.lstm({ units: 16 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, padded, labels);
    const newReview = padSequences(tokenizer.toSequences(['great pizza']), 8, 'post');
    await o.predict(model, newReview);
  },

  clean_variable_length_simplernn: async (o) => {
    const nFeatures = 8;
    const model = await o.build(() => sequential([
      K.simpleRNN({ units: 32, inputShape: [null, nFeatures] }),
      L.dense({ units: 1 }),
    ]));
    await o.compile(model, { loss: 'mse' });
    const shortRuns = rand([N, 15, nFeatures]);
    const longRuns = rand([N, short(40), nFeatures]);
    await o.fit(model, shortRuns, rand([N, 1]), {}, 'fit on (8, 15, 8)');
    await o.fit(model, longRuns, rand([N, 1]), {}, `fit on ${kerasShape(longRuns.shape)}`);
    await o.predict(model, longRuns.slice(0, 2));
  },

  clean_model_add_input_gru_globalmax: async (o) => {
    const [timesteps, channels, nClasses] = [32, 6, 4];
    const model = await o.build(() => added(
      L.inputLayer({ inputShape: [timesteps, channels] }),
      K.gru({ units: 32, returnSequences: true }),
      L.globalMaxPooling1d({}),
      L.dense({ units: nClasses, activation: 'softmax' }),
    ));
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const X = rand([N, timesteps, channels]);
    const Y = toCategorical(randint(0, nClasses, [N]), nClasses);
    await o.fit(model, X, Y, { batchSize: 32 });
  },

  clean_two_input_concatenate: async (o) => {
    const model = await o.build(() => {
      const textIn = tf.input({ shape: [50], name: 'text' });
      const metaIn = tf.input({ shape: [4], name: 'meta' });
      let x = sym(K.embedding({ inputDim: 10000, outputDim: 32 }).apply(textIn));
      x = sym(K.lstm({ units: 32 }).apply(x));
      const m = sym(L.dense({ units: 8, activation: 'relu' }).apply(metaIn));
      const h = sym(L.concatenate().apply([x, m]));
      const out = sym(L.dense({ units: 1, activation: 'sigmoid' }).apply(h));
      return tf.model({ inputs: [textIn, metaIn], outputs: out });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const textData = randint(0, 10000, [N, 50]);
    const metaData = rand([N, 4]);
    const y = randlabels(0, 2, [N, 1]);
    await o.fit(model, [textData, metaData], y, { batchSize: 32 });
  },

  clean_bilstm_ave_merge_reshape: async (o) => {
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: 3000, outputDim: 32, inputLength: 16 }),
      L.bidirectional({ layer: K.lstm({ units: 32 }), mergeMode: 'ave' }),
      L.reshape({ targetShape: [4, 8] }),
      K.lstm({ units: 8 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const x = randint(0, 3000, [N, 16]);
    const y = randlabels(0, 2, [N]);
    await o.fit(model, x, y, { batchSize: 32 });
  },
};
