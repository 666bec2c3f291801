// keras.preprocessing.text.Tokenizer on texts written in the code: word ids from 1 in decreasing count, an oov_token at
// 1, num_words leaving ids out, and the ids' range carried into pad_sequences and an Embedding (SL203).
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const HEADER =
  'import numpy as np\nfrom tensorflow.keras.preprocessing.text import Tokenizer\nfrom tensorflow.keras.preprocessing.sequence import pad_sequences\n' +
  'from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Embedding, LSTM, Dense\n';
const TEXTS = 'texts = ["The cat sat on the mat.", "The dog sat!", "A cat, a dog."]\n';
const model = (vocab: string, data = 'x') =>
  `model = Sequential([Embedding(${vocab}, 8), LSTM(4), Dense(1, activation='sigmoid')])\nmodel.compile(loss='binary_crossentropy', optimizer='adam')\nmodel.fit(${data}, np.array([1, 0, 1]), epochs=1)\n`;
const codes = async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('Keras Tokenizer on texts written in the code', () => {
  const fitted = `${TEXTS}tok = Tokenizer()\ntok.fit_on_texts(texts)\nx = pad_sequences(tok.texts_to_sequences(texts), maxlen=6)\n`;

  it('len(word_index) counts the distinct words after lower-casing and removing punctuation', async () => {
    // the, cat, sat, on, mat, dog, a: 7 words.
    assert.equal(await shapeOf(HEADER + `${fitted}m = np.zeros((len(tok.word_index), 2))\n`, 'm'), '(7, 2)');
  });

  it('an Embedding sized len(word_index) receives the largest id, len(word_index): SL203 at fit', async () => {
    assert.deepEqual(await codes(`${fitted}${model('len(tok.word_index)')}`), ['SL203@12']);
  });

  it('len(word_index) + 1 leaves room for it: nothing', async () => {
    assert.deepEqual(await codes(`${fitted}${model('len(tok.word_index) + 1')}`), []);
  });

  it('word ids follow the counts: "the" (3) is 1, so an Embedding of 2 rows holds it but not the ids after', async () => {
    const body = `${TEXTS}tok = Tokenizer()\ntok.fit_on_texts(texts)\nx = pad_sequences(tok.texts_to_sequences(["the the"]), maxlen=2)\ny = pad_sequences(tok.texts_to_sequences(["mat"]), maxlen=2)\n`;
    const fit = (data: string) => `model = Sequential([Embedding(2, 8), LSTM(4)])\nmodel.predict(${data})\n`;
    assert.deepEqual(await codes(body + fit('x')), []);
    assert.deepEqual(await codes(body + fit('y')), ['SL203@12']);
  });

  it('num_words=4 keeps ids 1 to 3 in the sequences: Embedding(4) holds them', async () => {
    const body = `${TEXTS}tok = Tokenizer(num_words=4)\ntok.fit_on_texts(texts)\nx = pad_sequences(tok.texts_to_sequences(texts), maxlen=6)\n`;
    assert.deepEqual(await codes(`${body}${model('4')}`), []);
    assert.deepEqual(await codes(`${body}${model('3')}`), ['SL203@12']);
  });

  it('an oov_token takes id 1 and shifts the words: 8 ids, so Embedding(len(word_index)) is one short', async () => {
    const body = `${TEXTS}tok = Tokenizer(oov_token="<OOV>")\ntok.fit_on_texts(texts)\nx = pad_sequences(tok.texts_to_sequences(texts + ["a bird"]), maxlen=6)\nn = np.zeros((len(tok.word_index), 1))\n`;
    assert.equal(await shapeOf(HEADER + body, 'n'), '(8, 1)');
    assert.deepEqual(await codes(`${body}${model('len(tok.word_index)')}`), ['SL203@13']);
  });

  it('texts not written in the code leave the tokenizer unknown: nothing', async () => {
    const body = `texts = open("reviews.txt").read().split("\\n")\ntok = Tokenizer()\ntok.fit_on_texts(texts)\nx = pad_sequences(tok.texts_to_sequences(texts), maxlen=6)\n`;
    assert.deepEqual(await codes(`${body}${model('len(tok.word_index)')}`), []);
  });

  it('a second fit_on_texts on texts not known forgets what the first one counted', async () => {
    const body = `${TEXTS}tok = Tokenizer()\ntok.fit_on_texts(texts)\ntok.fit_on_texts(more_texts)\nx = pad_sequences(tok.texts_to_sequences(texts), maxlen=6)\n`;
    assert.deepEqual(await codes(`${body}${model('len(tok.word_index)')}`), []);
  });
});
