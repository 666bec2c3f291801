// tfjs twins of the buggy Keras fixtures (SL201–SL209, SL220, SL221) and of their `_fixed` versions. Each program
// follows its fixture line by line: the same layers, units, arguments and data shapes (N samples).
import * as tf from '@tensorflow/tfjs';
import {
  K, N, Observer, short, constantHead, constantValue, kerasShape, padSequences, rand, randint, randlabels, rowSums, toCategorical, values,
} from './oracle';

export type Program = (o: Observer) => Promise<void>;

const L = tf.layers;

/** History keys after fit, which show the metrics Keras (and tfjs) will report. */
function historyKeys(o: Observer, history: tf.History): void {
  o.note(`history keys: ${Object.keys(history.history).join(', ')}`);
}

/**
 * The accuracy paradox on this model: its head is set to answer `answer` whatever the input, and it is
 * evaluated on 10 samples of which 9 have label `majority`. Accuracy comes from model.evaluate, recall of
 * the minority class from its thresholded predictions.
 */
async function paradox(o: Observer, model: tf.LayersModel, x: tf.Tensor, labels: number[], classes: number): Promise<void> {
  const y = classes === 1 ? tf.tensor2d(labels, [labels.length, 1]) : toCategorical(tf.tensor1d(labels, 'int32'), classes);
  const minority = labels.find((l) => l !== labels[0])!;
  const scores = model.predict(x) as tf.Tensor;
  const predicted = classes === 1 ? await values(scores.greater(0.5).toInt().flatten()) : await values(scores.argMax(-1));
  const hits = labels.filter((l, i) => l === minority && predicted[i] === minority).length;
  const recall = hits / labels.filter((l) => l === minority).length;
  const result = model.evaluate(x, y, { verbose: 0 }) as tf.Scalar[];
  const acc = (await result[1].data())[0];
  o.note(`a head that always answers ${predicted[0]}, on 9:1 labels: acc ${acc.toFixed(2)}, recall of class ${minority} ${recall.toFixed(2)}`);
}

function sequential(layers: tf.layers.Layer[]): tf.Sequential {
  return tf.sequential({ layers });
}

function added(...layers: tf.layers.Layer[]): tf.Sequential {
  const model = tf.sequential();
  for (const layer of layers) model.add(layer);
  return model;
}

// ---------------------------------------------------------------------------------------------
// SL201: one-axis input_shape on a recurrent layer

function sl201Lstm(fixed: boolean): Program {
  return async (o) => {
    const WINDOW = 100;
    let x = rand([N, WINDOW]);
    const y = rand([N]);
    if (fixed) x = x.reshape([x.shape[0], WINDOW, 1]);
    const model = await o.build(() => sequential([
      K.lstm({ units: 32, inputShape: fixed ? [WINDOW, 1] : [WINDOW] }),
      L.dense({ units: 1 }),
    ]));
    await o.compile(model, { loss: 'mse', metrics: ['mae'] });
    await o.fit(model, x, y, { batchSize: 32 });
    await o.predict(model, x.slice(0, 5));
  };
}

function sl201Gru(fixed: boolean): Program {
  return async (o) => {
    const [timesteps, nFeatures] = [24, 6];
    const X = rand([N, timesteps, nFeatures]);
    const y = rand([N, 1]);
    const model = await o.build(() => added(
      K.gru({ units: 64, inputShape: fixed ? [timesteps, nFeatures] : [nFeatures], activation: 'tanh' }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mean_squared_error' });
    await o.fit(model, X, y, { batchSize: 16 });
  };
}

function sl201Bidirectional(fixed: boolean): Program {
  return async (o) => {
    const xTrain = rand(fixed ? [N, 50, 1] : [N, 50]);
    const yTrain = toCategorical(randint(0, 4, [N]), 4);
    const model = await o.build(() => sequential([
      L.bidirectional({ layer: K.lstm({ units: 32 }), inputShape: fixed ? [50, 1] : [50] }),
      L.dense({ units: 4, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain);
  };
}


function sl201FromData(fixed: boolean): Program {
  return async (o) => {
    let XTrain = rand([N, 12]);
    const yTrain = rand([N, 1]);
    if (fixed) XTrain = XTrain.reshape([XTrain.shape[0], XTrain.shape[1]!, 1]);
    const model = await o.build(() => added(
      K.lstm({ units: 50, activation: 'relu', inputShape: fixed ? [XTrain.shape[1]!, 1] : [XTrain.shape[1]!] }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mse' });
    await o.fit(model, XTrain, yTrain);
  };
}

// ---------------------------------------------------------------------------------------------
// SL202: 2-D input into a recurrent layer

function sl202Stacked(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB_SIZE, MAXLEN] = [10000, 80];
    const xTrain = randint(1, VOCAB_SIZE, [N, short(MAXLEN)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB_SIZE, outputDim: 128 }),
      K.lstm({ units: 64, returnSequences: fixed }),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 64, validationSplit: 0.2 });
  };
}

function sl202FunctionalGru(fixed: boolean): Program {
  return async (o) => {
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [30, 8] });
      let x = K.gru({ units: 64, returnSequences: fixed }).apply(inputs) as tf.SymbolicTensor;
      x = L.dropout({ rate: 0.3 }).apply(x) as tf.SymbolicTensor;
      x = K.gru({ units: 32 }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const xTrain = rand([N, 30, 8]);
    const yTrain = toCategorical(randint(0, 3, [N]), 3);
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

function sl202ThreeLstms(fixed: boolean): Program {
  return async (o) => {
    const XTrain = rand([N, 60, 1]);
    const yTrain = rand([N, 1]);
    const model = await o.build(() => added(
      K.lstm({ units: 50, returnSequences: true, inputShape: [XTrain.shape[1]!, 1] }),
      L.dropout({ rate: 0.2 }),
      K.lstm({ units: 50, returnSequences: fixed }),
      L.dropout({ rate: 0.2 }),
      K.lstm({ units: 50 }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mean_squared_error' });
    await o.fit(model, XTrain, yTrain, { batchSize: 32 });
  };
}

function sl202Conv1d(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, maxlen] = [20000, 200];
    const x = randint(0, vocabSize, [N, maxlen]);
    const y = randlabels(0, 2, [N, 1]);
    const model = await o.build(() => added(
      K.embedding({ inputDim: vocabSize, outputDim: 64, inputLength: maxlen }),
      K.conv1d({ filters: 64, kernelSize: 5, activation: 'relu' }),
      fixed ? L.maxPooling1d({ poolSize: 4 }) : L.globalAveragePooling1d({}),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, x, y, { batchSize: 32 });
  };
}


function sl202StackedBidirectional(fixed: boolean): Program {
  return async (o) => {
    const VOCAB_SIZE = 1000;
    const xTrain = randint(0, VOCAB_SIZE, [N, short(64)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB_SIZE, outputDim: 64, maskZero: true }),
      L.bidirectional({ layer: K.lstm({ units: 64, returnSequences: fixed }) }),
      L.bidirectional({ layer: K.lstm({ units: 32 }) }),
      L.dense({ units: 64, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    // tf.keras.losses.BinaryCrossentropy() is binary_crossentropy.
    await o.compile(model, { optimizer: tf.train.adam(1e-4), loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { validationSplit: 0.2 });
  };
}

// ---------------------------------------------------------------------------------------------
// SL203: token id ≥ input_dim

function sl203Literal(fixed: boolean): Program {
  return async (o) => {
    const model = await o.build(() => added(
      K.embedding({ inputDim: fixed ? 1001 : 1000, outputDim: 64 }),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const xTrain = randint(0, 1000, [N, 10]);
    const yTrain = randlabels(0, 2, [N]);
    await o.fit(model, xTrain, yTrain);
    const sample = tf.tensor2d([[4, 20, 1000]], [1, 3], 'int32');
    await o.predict(model, sample);
  };
}

function sl203CharIds(fixed: boolean): Program {
  return async (o) => {
    const [nChars, seqLen] = [50, 40];
    const xTrain = randint(1, nChars + 1, [N, short(seqLen)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: fixed ? nChars + 1 : nChars, outputDim: 16 }),
      L.bidirectional({ layer: K.lstm({ units: 32 }) }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

function sl203Subclassed(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB_SIZE, N_TAGS] = [100, 5];
    const vocabSize = fixed ? VOCAB_SIZE + 1 : VOCAB_SIZE;
    // TinyTagger(keras.Model) as the functional model its call() describes.
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [null] });
      let x = K.embedding({ inputDim: vocabSize, outputDim: 16 }).apply(inputs) as tf.SymbolicTensor;
      x = K.gru({ units: 32, returnSequences: true }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: N_TAGS, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    }, 'build (subclass as functional)');
    const tokens = tf.tensor2d([[3, 17, 42, 100]], [1, 4], 'int32');
    await o.step('call', () => model.apply(tokens) as tf.Tensor, (t) => kerasShape(t.shape));
  };
}


function sl203Evaluate(fixed: boolean): Program {
  return async (o) => {
    const VOCAB = 500;
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: fixed ? VOCAB + 2 : VOCAB, outputDim: 16, inputLength: 6 }),
      K.gru({ units: 16 }),
      L.dense({ units: 3, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    const xTrain = randint(0, VOCAB, [N, 6]);
    const yTrain = randlabels(0, 3, [N]);
    await o.fit(model, xTrain, yTrain);
    const xTest = tf.tensor2d([[12, 45, 7, 0, 0, 0], [88, 499, 500, 3, 0, 0], [501, 2, 9, 14, 0, 0]], [3, 6], 'int32');
    const yTest = tf.tensor1d([0, 2, 1]);
    await o.evaluate(model, xTest, yTest);
  };
}

// ---------------------------------------------------------------------------------------------
// SL204: Embedding(input_dim, output_dim) swapped

function sl204Constants(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB_SIZE, EMBEDDING_DIM, MAX_LEN] = [8000, 64, 50];
    const xTrain = randint(0, VOCAB_SIZE, [N, short(MAX_LEN)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      fixed ? K.embedding({ inputDim: VOCAB_SIZE, outputDim: EMBEDDING_DIM }) : K.embedding({ inputDim: EMBEDDING_DIM, outputDim: VOCAB_SIZE }),
      K.lstm({ units: 64 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

function sl204Imdb(fixed: boolean): Program {
  return async (o) => {
    const [maxFeatures, embeddingDim, maxlen] = [20000, 128, 200];
    // keras.datasets.imdb.load_data(num_words=20000) + pad_sequences(maxlen=200): ids in [0, 20000).
    const xTrain = randint(0, maxFeatures, [N, short(maxlen)]);
    const yTrain = randlabels(0, 2, [N]);
    const xVal = randint(0, maxFeatures, [N, short(maxlen)]);
    const yVal = randlabels(0, 2, [N]);
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [null], dtype: 'int32' });
      let x = (fixed
        ? K.embedding({ inputDim: maxFeatures, outputDim: embeddingDim })
        : K.embedding({ inputDim: embeddingDim, outputDim: maxFeatures })).apply(inputs) as tf.SymbolicTensor;
      x = L.bidirectional({ layer: K.lstm({ units: 64, returnSequences: true }) }).apply(x) as tf.SymbolicTensor;
      x = L.bidirectional({ layer: K.lstm({ units: 64 }) }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32, validationData: [xVal, yVal] }, 'fit on imdb-like ids in [0, 20000)');
  };
}

// ---------------------------------------------------------------------------------------------
// SL205: input_length disagrees with the input

function sl205Functional(fixed: boolean): Program {
  return async (o) => {
    const [MAX_WORDS, SEQ_LEN] = [5000, 20];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [SEQ_LEN] });
      let x = K.embedding({ inputDim: MAX_WORDS, outputDim: 64, inputLength: fixed ? SEQ_LEN : 30 }).apply(inputs) as tf.SymbolicTensor;
      x = K.lstm({ units: 32 }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    const xTrain = randint(0, MAX_WORDS, [N, SEQ_LEN]);
    const yTrain = randlabels(0, 2, [N]);
    await o.fit(model, xTrain, yTrain);
  };
}

function sl205Flatten(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, maxLength] = [50, 4];
    const encodedDocs = [[6, 16], [42, 24], [2, 17], [42, 24], [18], [17], [22, 17], [27, 42], [22, 24], [49, 46, 16, 34]];
    const paddedDocs = padSequences(encodedDocs, maxLength, 'post');
    const labels = tf.tensor1d([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    const model = await o.build(() => added(
      K.embedding({ inputDim: vocabSize, outputDim: 8, inputLength: fixed ? maxLength : 5 }),
      L.flatten(),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, paddedDocs, labels);
  };
}

function sl205InputLayer(fixed: boolean): Program {
  return async (o) => {
    const [MAXLEN, VOCAB, N_TOPICS] = [40, 3000, 4];
    const model = await o.build(() => sequential([
      L.inputLayer({ inputShape: [MAXLEN] }),
      K.embedding({ inputDim: VOCAB, outputDim: 32, inputLength: fixed ? MAXLEN : 50 }),
      K.gru({ units: 32 }),
      L.dense({ units: N_TOPICS, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    const xTrain = randint(1, VOCAB, [N, MAXLEN]);
    const yTrain = randlabels(0, N_TOPICS, [N]);
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

// ---------------------------------------------------------------------------------------------
// SL206: Reshape after Bidirectional sized for one direction

function sl206Flatten(fixed: boolean): Program {
  return async (o) => {
    const [timesteps, features, units] = [20, 16, 64];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [timesteps, features] });
      let x = L.bidirectional({ layer: K.lstm({ units, returnSequences: true }) }).apply(inputs) as tf.SymbolicTensor;
      x = L.reshape({ targetShape: [fixed ? timesteps * 2 * units : timesteps * units] }).apply(x) as tf.SymbolicTensor;
      x = L.dense({ units: 32, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'mse', metrics: ['mae'] });
    const xTrain = rand([N, timesteps, features]);
    const yTrain = rand([N, 1]);
    await o.fit(model, xTrain, yTrain, { batchSize: 16 });
  };
}

function sl206SecondRnn(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB, MAXLEN, N_CLASSES] = [6000, 60, 3];
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB, outputDim: 64, inputLength: MAXLEN }),
      L.bidirectional({ layer: K.gru({ units: 32 }) }),
      L.reshape({ targetShape: fixed ? [4, 16] : [4, 8] }),
      K.lstm({ units: 16 }),
      L.dense({ units: N_CLASSES, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    const x = randint(0, VOCAB, [N, MAXLEN]);
    const y = randlabels(0, N_CLASSES, [N]);
    await o.fit(model, x, y, { batchSize: 32 });
  };
}

// ---------------------------------------------------------------------------------------------
// SL207: return_sequences=True, then Dense, with one label per sample

function sl207Sentiment(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, maxlen] = [5000, 50];
    const xTrain = randint(1, vocabSize, [N, short(maxlen)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => added(
      K.embedding({ inputDim: vocabSize, outputDim: 64 }),
      K.lstm({ units: 64, returnSequences: !fixed }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

function sl207Intent(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB, MAXLEN, N_INTENTS] = [4000, 24, 6];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [MAXLEN], dtype: 'int32' });
      let x = K.embedding({ inputDim: VOCAB, outputDim: 100, maskZero: true }).apply(inputs) as tf.SymbolicTensor;
      x = L.bidirectional({ layer: K.gru({ units: 64, returnSequences: !fixed }) }).apply(x) as tf.SymbolicTensor;
      x = L.dropout({ rate: 0.5 }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: N_INTENTS, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    const utterances = randint(0, VOCAB, [N, MAXLEN]);
    const intents = randlabels(0, N_INTENTS, [N]);
    await o.fit(model, utterances, intents, { batchSize: 32 });
  };
}

function sl207Regression(fixed: boolean): Program {
  return async (o) => {
    const [nSteps, nFeatures] = [30, 4];
    const X = rand([N, nSteps, nFeatures]);
    const y = rand([N, 1]);
    const model = await o.build(() => added(
      K.lstm({ units: 64, returnSequences: true, inputShape: [nSteps, nFeatures] }),
      K.lstm({ units: 32, activation: 'tanh', returnSequences: !fixed }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mse', metrics: ['mae'] });
    await o.fit(model, X, y);
  };
}


function sl207TimeDistributed(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, maxlen] = [2000, 30];
    const x = randint(1, vocabSize, [N, maxlen]);
    const y = randlabels(0, 2, [N]);
    const model = await o.build(() => added(
      K.embedding({ inputDim: vocabSize, outputDim: 32, inputLength: maxlen }),
      K.gru({ units: 32, returnSequences: !fixed }),
      fixed ? L.dense({ units: 1, activation: 'sigmoid' }) : L.timeDistributed({ layer: L.dense({ units: 1, activation: 'sigmoid' }) }),
    ));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, x, y, { batchSize: 32 });
  };
}

// ---------------------------------------------------------------------------------------------
// SL208: loss and output activation disagree

function sl208SoftmaxOne(fixed: boolean): Program {
  return async (o) => {
    const [maxFeatures, maxlen] = [10000, 80];
    const xTrain = randint(1, maxFeatures, [N, short(maxlen)]);
    const yTrain = randlabels(0, 2, [N]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: maxFeatures, outputDim: 32 }),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: fixed ? 'sigmoid' : 'softmax' }),
    ]));
    await o.compile(model, { optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 128 });
    const p = await o.predict(model, xTrain.slice(0, 4));
    o.note(`predictions ${await constantValue(p)}`);
  };
}

function sl208LossObject(fixed: boolean): Program {
  return async (o) => {
    const [seqLen, nFeatures] = [40, 3];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [seqLen, nFeatures] });
      let x = K.gru({ units: 32 }).apply(inputs) as tf.SymbolicTensor;
      x = L.dense({ units: 16, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 1, activation: fixed ? 'sigmoid' : 'softmax' }).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs, name: 'anomaly_detector' });
    });
    // keras.losses.BinaryCrossentropy() is binary_crossentropy.
    await o.compile(model, { optimizer: tf.train.adam(1e-3), loss: 'binary_crossentropy', metrics: ['Precision', 'Recall'] });
    const xTrain = rand([N, seqLen, nFeatures]);
    const yTrain = randlabels(0, 2, [N, 1]);
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
    const scores = await o.predict(model, xTrain.slice(0, 4));
    o.note(`predictions ${await constantValue(scores)}`);
  };
}

function sl208SigmoidCce(fixed: boolean): Program {
  return async (o) => {
    const [NUM_WORDS, MAXLEN, NUM_TOPICS] = [6000, 50, 5];
    const xTrain = randint(1, NUM_WORDS, [N, short(MAXLEN)]);
    const yTrain = toCategorical(randint(0, NUM_TOPICS, [N]), NUM_TOPICS);
    const model = await o.build(() => added(
      K.embedding({ inputDim: NUM_WORDS, outputDim: 64 }),
      L.bidirectional({ layer: K.lstm({ units: 32 }) }),
      L.dense({ units: NUM_TOPICS, activation: fixed ? 'softmax' : 'sigmoid' }),
    ));
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
    const probs = await o.predict(model, xTrain.slice(0, 4));
    o.note(`predictions: ${await rowSums(probs)}`);
  };
}

function sl208BinaryMulticlass(fixed: boolean): Program {
  return async (o) => {
    const [nClasses, timesteps, channels] = [4, 64, 3];
    const X = rand([N, timesteps, channels]);
    const labels = randint(0, nClasses, [N]);
    const Y = toCategorical(labels, nClasses);
    const model = await o.build(() => sequential([
      K.lstm({ units: 48, inputShape: [timesteps, channels] }),
      L.dropout({ rate: 0.2 }),
      L.dense({ units: nClasses, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: fixed ? 'categorical_crossentropy' : 'binary_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, X, Y, { batchSize: 32 });
    await o.evaluate(model, X, Y);
    // What "accuracy" means under this loss: a head that outputs 1/4 for every class, on balanced labels.
    constantHead(model, 0);
    const balanced = toCategorical(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), nClasses);
    const [, acc] = (model.evaluate(X, balanced, { verbose: 0 }) as tf.Scalar[]).map((t) => t.dataSync()[0]);
    o.note(`a head that outputs 1/4 per class scores acc ${acc.toFixed(2)}`);
  };
}

function sl208SparseOneHot(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, maxLen, numClasses] = [3000, 30, 5];
    const xTrain = randint(1, vocabSize, [N, short(maxLen)]);
    const yTrain = toCategorical(randint(0, numClasses, [N]), numClasses);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: vocabSize, outputDim: 64 }),
      K.gru({ units: 64 }),
      L.dense({ units: numClasses, activation: 'softmax' }),
    ]));
    await o.compile(model, {
      loss: fixed ? 'categorical_crossentropy' : 'sparse_categorical_crossentropy',
      metrics: ['accuracy', 'Precision', 'Recall'],
    });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}


function sl208SigmoidOneUnitCce(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB, MAXLEN] = [5000, 40];
    const xTrain = randint(1, VOCAB, [N, short(MAXLEN)]);
    const yTrain = randlabels(0, 2, [N, 1]);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB, outputDim: 32 }),
      K.lstm({ units: 32 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: fixed ? 'binary_crossentropy' : 'categorical_crossentropy', metrics: ['accuracy', 'Precision', 'Recall'] });
    await o.fit(model, xTrain, yTrain, { batchSize: 32 });
  };
}

// ---------------------------------------------------------------------------------------------
// SL209: accuracy as the only metric of a classifier

function sl209Binary(fixed: boolean): Program {
  return async (o) => {
    const [VOCAB_SIZE, MAXLEN] = [10000, 100];
    const xTrain = randint(1, VOCAB_SIZE, [N, short(MAXLEN)]);
    const yTrain = rand([N]).less(0.1).toInt();
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: VOCAB_SIZE, outputDim: 64 }),
      K.lstm({ units: 64 }),
      L.dense({ units: 1, activation: 'sigmoid' }),
    ]));
    await o.compile(model, { loss: 'binary_crossentropy', metrics: fixed ? ['accuracy', 'Precision', 'Recall', 'AUC'] : ['accuracy'] });
    const history = await o.fit(model, xTrain, yTrain.toFloat(), { batchSize: 64, validationSplit: 0.2 });
    historyKeys(o, history);
    constantHead(model, -5);
    await paradox(o, model, randint(1, VOCAB_SIZE, [10, short(MAXLEN)]), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1);
  };
}

function sl209Multiclass(fixed: boolean): Program {
  return async (o) => {
    const [NUM_WORDS, MAXLEN, NUM_CLASSES] = [5000, 40, 3];
    const xTrain = randint(1, NUM_WORDS, [N, short(MAXLEN)]);
    const yTrain = toCategorical(randint(0, NUM_CLASSES, [N]), NUM_CLASSES);
    const model = await o.build(() => sequential([
      K.embedding({ inputDim: NUM_WORDS, outputDim: 64 }),
      L.bidirectional({ layer: K.gru({ units: 32 }) }),
      L.dense({ units: NUM_CLASSES, activation: 'softmax' }),
    ]));
    await o.compile(model, { loss: 'categorical_crossentropy', metrics: fixed ? ['accuracy', 'Precision', 'Recall'] : ['accuracy'] });
    const history = await o.fit(model, xTrain, yTrain, { batchSize: 32 });
    historyKeys(o, history);
    constantHead(model, [1, 0, 0]);
    await paradox(o, model, randint(1, NUM_WORDS, [10, short(MAXLEN)]), [0, 0, 0, 0, 0, 0, 0, 0, 0, 2], NUM_CLASSES);
  };
}

function sl209Subclassed(fixed: boolean): Program {
  return async (o) => {
    const messages = randint(0, 2000, [N, short(30)]);
    const isSpam = rand([N]).less(0.05).toFloat();
    // SpamFilter(keras.Model): head(rnn(embed(inputs))).
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [null] });
      const embedded = K.embedding({ inputDim: 2000, outputDim: 32 }).apply(inputs) as tf.SymbolicTensor;
      const encoded = K.gru({ units: 32 }).apply(embedded) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 1, activation: 'sigmoid' }).apply(encoded) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    }, 'build (subclass as functional)');
    await o.compile(model, { loss: 'binary_crossentropy', metrics: fixed ? ['accuracy', 'Precision', 'Recall'] : ['accuracy'] });
    const history = await o.fit(model, messages, isSpam, { batchSize: 32 });
    historyKeys(o, history);
    constantHead(model, -5);
    await paradox(o, model, randint(0, 2000, [10, short(30)]), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 1);
  };
}

// ---------------------------------------------------------------------------------------------
// SL220: a stateful model given batches of another size than it was built for. The sample counts are the fixtures'
// (they decide the batches), not N.

function sl220FitLastBatch(fixed: boolean): Program {
  return async (o) => {
    const batchSize = 32;
    const xTrain = rand([100, 20, 1]);
    const yTrain = rand([100, 1]);
    const n = Math.floor(xTrain.shape[0] / batchSize) * batchSize;
    const model = await o.build(() => added(
      K.lstm({ units: 16, stateful: true, batchInputShape: [batchSize, 20, 1] }),
      L.dense({ units: 1 }),
    ));
    await o.compile(model, { loss: 'mse' });
    const [x, y] = fixed ? [xTrain.slice(0, n), yTrain.slice(0, n)] : [xTrain, yTrain];
    await o.fit(model, x, y, { batchSize, epochs: 1, shuffle: false });
  };
}

function sl220PredictDefaultBatch(fixed: boolean): Program {
  return async (o) => {
    const model = await o.build(() => {
      const inputs = tf.input({ batchShape: [1, 10, 8] });
      const h = K.gru({ units: 32, stateful: true }).apply(inputs) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 8, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    const seeds = rand([64, 10, 8]);
    await o.step('predict', () => model.predict(seeds, fixed ? { batchSize: 1 } : {}) as tf.Tensor, (t) => kerasShape(t.shape));
  };
}

// ---------------------------------------------------------------------------------------------
// SL221: merge layers given inputs that do not line up.

function sl221ConcatenatePooled(fixed: boolean): Program {
  return async (o) => {
    const [vocabSize, seqLen] = [8000, 60];
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [seqLen] });
      const embedded = K.embedding({ inputDim: vocabSize, outputDim: 100 }).apply(inputs) as tf.SymbolicTensor;
      const recurrent = L.bidirectional({ layer: K.gru({ units: 32, returnSequences: !fixed }) }).apply(embedded) as tf.SymbolicTensor;
      const conv = K.conv1d({ filters: 64, kernelSize: 3, activation: 'relu' }).apply(embedded) as tf.SymbolicTensor;
      const pooled = L.globalMaxPooling1d().apply(conv) as tf.SymbolicTensor;
      const merged = L.concatenate().apply([recurrent, pooled]) as tf.SymbolicTensor;
      const outputs = L.dense({ units: 5, activation: 'softmax' }).apply(merged) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    await o.fit(model, randint(1, vocabSize, [N, seqLen]), randlabels(0, 5, [N]), { batchSize: 32 });
  };
}

function sl221ResidualAdd(fixed: boolean): Program {
  return async (o) => {
    const model = await o.build(() => {
      const inputs = tf.input({ shape: [40] });
      const x = K.embedding({ inputDim: 5000, outputDim: 128 }).apply(inputs) as tf.SymbolicTensor;
      let h = K.lstm({ units: fixed ? 128 : 64, returnSequences: true }).apply(x) as tf.SymbolicTensor;
      h = L.add().apply([x, h]) as tf.SymbolicTensor;
      const outputs = L.timeDistributed({ layer: L.dense({ units: 12, activation: 'softmax' }) }).apply(h) as tf.SymbolicTensor;
      return tf.model({ inputs, outputs });
    });
    await o.compile(model, { loss: 'sparse_categorical_crossentropy' });
    await o.fit(model, randint(1, 5000, [N, 40]), randlabels(0, 12, [N, 40, 1]), { batchSize: 16 });
  };
}

const PAIRS: Record<string, (fixed: boolean) => Program> = {
  SL201_lstm_1d_input_shape: sl201Lstm,
  SL201_gru_model_add_features_only: sl201Gru,
  SL201_bidirectional_wrapper_input_shape: sl201Bidirectional,
  SL201_input_shape_from_data: sl201FromData,
  SL202_stacked_lstm_missing_return_sequences: sl202Stacked,
  SL202_functional_stacked_gru: sl202FunctionalGru,
  SL202_model_add_three_lstms: sl202ThreeLstms,
  SL202_conv1d_global_pooling_before_lstm: sl202Conv1d,
  SL202_stacked_bidirectional: sl202StackedBidirectional,
  SL203_predict_literal_index: sl203Literal,
  SL203_char_ids_one_based: sl203CharIds,
  SL203_subclassed_call_constant: sl203Subclassed,
  SL203_evaluate_literal_batch: sl203Evaluate,
  SL204_embedding_swapped_constants: sl204Constants,
  SL204_embedding_swapped_keywords_imdb: sl204Imdb,
  SL205_functional_input_length: sl205Functional,
  SL205_flatten_padded_docs: sl205Flatten,
  SL205_input_layer_then_embedding: sl205InputLayer,
  SL206_bilstm_reshape_flatten: sl206Flatten,
  SL206_bigru_reshape_for_second_rnn: sl206SecondRnn,
  SL207_sentiment_return_sequences_dense: sl207Sentiment,
  SL207_bigru_intent_sparse_labels: sl207Intent,
  SL207_stacked_lstm_regression: sl207Regression,
  SL207_timedistributed_per_sample_labels: sl207TimeDistributed,
  SL208_softmax_single_unit: sl208SoftmaxOne,
  SL208_softmax_one_unit_loss_object: sl208LossObject,
  SL208_sigmoid_categorical_crossentropy: sl208SigmoidCce,
  SL208_binary_crossentropy_multiclass_softmax: sl208BinaryMulticlass,
  SL208_sparse_loss_onehot_labels: sl208SparseOneHot,
  SL208_sigmoid_one_unit_categorical: sl208SigmoidOneUnitCce,
  SL209_binary_sentiment_accuracy_only: sl209Binary,
  SL209_multiclass_accuracy_only_multiline: sl209Multiclass,
  SL209_subclassed_spam_filter: sl209Subclassed,
  SL220_stateful_fit_last_batch: sl220FitLastBatch,
  SL220_stateful_predict_default_batch: sl220PredictDefaultBatch,
  SL221_concatenate_sequences_with_pooled_branch: sl221ConcatenatePooled,
  SL221_residual_add_lstm_units: sl221ResidualAdd,
};

/** Programs by fixture name: each buggy fixture and its `_fixed` twin. */
export const RULE_PROGRAMS: Record<string, Program> = Object.fromEntries(
  Object.entries(PAIRS).flatMap(([name, make]) => [[name, make(false)], [`${name}_fixed`, make(true)]]),
);
