import { KERAS_RECURRENT, isKerasRecurrent } from '../../layers/keras/recurrent';
import { formatShape } from '../../shapes/shape';
import { addKeyword, fix, setKeyword } from '../edits';
import type { Rule } from '../rule';
import { kerasLayerName, recurrentBehind, returnsSequences } from './helpers';

export const kerasRnnInputNdim: Rule = {
  code: 'SL202',
  name: 'keras-rnn-input-ndim',
  severity: 'error',
  framework: 'keras',
  summary: 'A Keras recurrent layer receives 2-D input; the classic cause is a stacked LSTM below it without return_sequences=True.',
  docs: {
    whatItDoes: 'Follows shapes through a Keras model and checks that every recurrent layer receives a 3-D tensor (batch, timesteps, features). When the 2-D input comes from a recurrent layer that returns only its last step, it offers to add `return_sequences=True` there.',
    whyIsThisBad: 'Keras raises `ValueError: Input 0 of layer "lstm_1" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 64)`.',
    example: 'model = Sequential([\n    Embedding(10000, 128),\n    LSTM(64),\n    LSTM(32),\n    Dense(1, activation="sigmoid"),\n])',
    useInstead: 'model = Sequential([\n    Embedding(10000, 128),\n    LSTM(64, return_sequences=True),\n    LSTM(32),\n    Dense(1, activation="sigmoid"),\n])',
    references: ['https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: ['Add return_sequences=True to the layer below'],
  kerasVersions: 'tf.keras 2.x and Keras 3; standalone Keras 2 alike',
  hooks: {
    offers: {
      layerCall: (kind) => KERAS_RECURRENT.has(kind),
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (!isKerasRecurrent(layer)) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length === 3) return;
      // A one-axis input_shape declared on this very layer is SL201's finding; one of three or more axes (the batch
      // written into it) is this rule's.
      const declared = layer.args.get('input_shape')?.value;
      const oneAxis = (declared?.kind === 'tuple' || declared?.kind === 'list') && declared.items.length === 1;
      if (oneAxis && input.origin && input.origin.range.start.line === layer.call.range.start.line && input.origin.range.start.column === layer.call.range.start.column) return;
      const below = recurrentBehind(input);
      const fixable = below && !returnsSequences(below);
      const rank = input.shape.dims.length;
      ctx.report({
        range: layer.call.range,
        message: `${kerasLayerName(layer)} expects 3-D input (batch, timesteps, features) but receives ${rank}-D ${formatShape(input.shape)}${fixable ? ` from ${kerasLayerName(below!)}, which returns only its last step` : ''}: Keras raises "expected ndim=3, found ndim=${rank}"${fixable ? '; add return_sequences=True to the layer below' : ''}`,
        related: below ? [{ range: below.call.range, message: `${below.kind} returns ${formatShape(input.shape)} here` }] : [],
        fixes: fixable ? [fix(`Add return_sequences=True to ${below!.kind} (line ${below!.call.range.start.line + 1})`, [below!.args.has('return_sequences') ? setKeyword(below!.call, 'return_sequences', 'True') : addKeyword(below!.call, 'return_sequences', 'True')], true)] : [],
      });
    },
  },
};
