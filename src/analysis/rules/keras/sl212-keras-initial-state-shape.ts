import { argInt } from '../../layers/layer';
import { KERAS_RECURRENT, isKerasRecurrent, stateCount } from '../../layers/keras/recurrent';
import { formatShape, lastDim } from '../../shapes/shape';
import type { Value } from '../../values/value';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

export const kerasInitialStateShape: Rule = {
  code: 'SL212',
  name: 'keras-initial-state-shape',
  severity: 'error',
  framework: 'keras',
  summary: 'The initial_state given to a Keras recurrent layer is not its states: an LSTM takes [h, c], a GRU or SimpleRNN [h], each (batch, units).',
  docs: {
    whatItDoes: 'At a call such as `LSTM(units)(x, initial_state=states)`, counts the states (LSTM 2, GRU and SimpleRNN 1) and checks that each is 2-D with `units` features. A Bidirectional encoder\'s states are `units` wide each; a decoder of twice the units needs the forward and backward states concatenated.',
    whyIsThisBad: 'Keras raises when the model is built: `An initial_state was passed that is not compatible with cell.state_size. Received state_spec=[InputSpec(shape=(None, 50, 128), ndim=3)]; however cell.state_size is (128, 128)` (Keras 2.1, tf.keras 2.x), or a shape error in the first step (`Dimensions must be equal, but are 1024 and 256`).',
    example: 'enc = Bidirectional(LSTM(64, return_sequences=True))(x)\ndec = LSTM(128, return_sequences=True)(y, initial_state=[enc])',
    useInstead: 'enc, fh, fc, bh, bc = Bidirectional(LSTM(64, return_sequences=True, return_state=True))(x)\ndec = LSTM(128, return_sequences=True)(y, initial_state=[Concatenate()([fh, bh]), Concatenate()([fc, bc])])',
    references: ['https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3',
  hooks: {
    offers: {
      layerCall: (kind) => KERAS_RECURRENT.has(kind),
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (!isKerasRecurrent(layer)) return;
      const given = event.kwargs.get('initial_state') ?? event.args[1];
      if (!given || given.kind === 'none' || given.kind === 'unknown') return;
      // A parameter of a call() run without a caller is assumed to be one tensor; a caller may as well pass the list
      // of states (call(self, x, states) with states = [h, c]), so it says nothing of how many states are given.
      if (given.kind === 'tensor' && given.name !== undefined) return;
      const states: Value[] = given.kind === 'list' || given.kind === 'tuple' ? (given.element ? [] : given.items) : [given];
      if (!states.length) return;
      const expected = stateCount(layer);
      const units = argInt(layer, 'units');
      const name = kerasLayerName(layer);
      const problems: string[] = [];
      if (states.length !== expected) problems.push(`${states.length} state${states.length === 1 ? '' : 's'} where ${layer.kind} takes ${expected === 2 ? '[h, c]' : '[h]'}`);
      for (const s of states) {
        if (s.kind !== 'tensor' || !s.shape.rankKnown) continue;
        if (s.shape.dims.length !== 2) problems.push(`a ${s.shape.dims.length}-D state ${formatShape(s.shape)} where each state is (batch, ${units ?? 'units'})`);
        else {
          const d = lastDim(s.shape);
          if (units !== undefined && d.kind === 'int' && d.value !== units) problems.push(`a state of ${d.value} features ${formatShape(s.shape)} where ${layer.kind} has units=${units}`);
        }
      }
      if (!problems.length) return;
      // Keras 2.2.4 ran a model given the right number of states, one of another rank (a poster's SimpleRNN); with a
      // count that differs as well, what it did is not known here.
      const otherRank = states.length === expected && states.some((s) => s.kind === 'tensor' && s.shape.rankKnown && s.shape.dims.length !== 2);
      ctx.report({
        range: event.call.range,
        message: `${name} gets an initial_state with ${problems.join(', and ')}: Keras raises "An initial_state was passed that is not compatible with cell.state_size" (Keras 2.x, tf.keras 2.x; Keras 3 fails on the shapes${otherRank ? '; standalone Keras 2.2.4 let a state of another rank through and ran, with outputs of the wrong shape' : ''})`,
        related: [{ range: layer.call.range, message: `${layer.kind}(units=${units ?? '?'}) is built here` }],
      });
    },
  },
};
