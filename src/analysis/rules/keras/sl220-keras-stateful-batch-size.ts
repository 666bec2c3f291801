import type { LayerDesc } from '../../layers/layer';
import { argBool } from '../../layers/layer';
import { isKerasRecurrent } from '../../layers/keras/recurrent';
import type { ModelMethodEvent } from '../../interpret/events';
import { inputMismatch } from '../../interpret/keras';
import { formatShape } from '../../shapes/shape';
import { intValue, KerasModel, numberValue, TensorValue, Value } from '../../values/value';
import type { Rule } from '../rule';
import { kerasLayerName } from './helpers';

/** fit/evaluate/predict take batch_size third (fit, evaluate) or second (predict); None or left out is 32. */
const BATCHED: Record<string, number> = { fit: 2, evaluate: 2, predict: 1 };
const ON_BATCH = new Set(['train_on_batch', 'test_on_batch', 'predict_on_batch']);
const DEFAULT_BATCH = 32;
/** Layer calls walked back from a functional model's outputs, at most. */
const MAX_NODES = 2000;

/** The recurrent layers of a layer: itself, or the one a wrapper (Bidirectional, TimeDistributed) holds. */
function recurrentIn(layer: LayerDesc): LayerDesc[] {
  if (isKerasRecurrent(layer)) return [layer];
  return layer.children.flatMap(recurrentIn);
}

/** The model's layers: a Sequential model's list, or the layer calls a functional model's outputs were made by. */
function layersOf(model: KerasModel): LayerDesc[] {
  if (model.layers.length) return model.layers;
  const found = new Set<LayerDesc>();
  const seen = new Set<Value>();
  const stack: Value[] = [model.output];
  while (stack.length && seen.size < MAX_NODES) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    if ((v.kind === 'list' || v.kind === 'tuple') && !v.element) stack.push(...v.items);
    if (v.kind !== 'tensor' || !v.kerasNode) continue;
    found.add(v.kerasNode.layer);
    stack.push(...v.kerasNode.args, ...v.kerasNode.kwargs.values());
  }
  return [...found];
}

function firstTensor(v: Value | undefined): TensorValue | undefined {
  if ((v?.kind === 'list' || v?.kind === 'tuple') && !v.element) return firstTensor(v.items[0]);
  return v?.kind === 'tensor' ? v : undefined;
}

/** The rows of an array: its first axis, when known. */
function rows(v: Value | undefined): number | undefined {
  const t = firstTensor(v);
  const d = t?.shape.rankKnown ? t.shape.dims[0] : undefined;
  return d?.kind === 'int' ? d.value : undefined;
}

/** The batch the model declares (batch_input_shape, Input(batch_shape=…)), with the input that declares it. */
function declaredBatch(model: KerasModel): { batch: number; input: TensorValue } | undefined {
  const inputs = (model.input?.kind === 'list' || model.input?.kind === 'tuple') && !model.input.element ? model.input.items : [model.input];
  for (const input of inputs) {
    const d = input?.kind === 'tensor' && input.shape.rankKnown ? input.shape.dims[0] : undefined;
    if (d?.kind === 'int') return { batch: d.value, input: input as TensorValue };
  }
  return undefined;
}

/** The sizes of the batches Keras cuts n samples into, batch_size at a time: full ones, then the rest. */
function batches(n: number, size: number): number[] {
  if (n <= size) return [n];
  return n % size ? [size, n % size] : [size];
}

/** A keyword given a value, or the positional argument at its place. */
function argument(event: ModelMethodEvent, name: string, position: number | undefined): Value | undefined {
  return event.kwargs.get(name) ?? (position !== undefined ? event.args[position] : undefined);
}

interface Run {
  what: string;
  samples: number;
  sizes: number[];
}

/**
 * The batches the call feeds the model, for each pass over data (training, validation): undefined when they are not
 * known (data without a known number of rows, batch_size given a value not known, steps instead of batches).
 */
function runs(event: ModelMethodEvent, x: Value | undefined, declared: number): { batchSize?: number; defaulted?: boolean; runs: Run[] } | undefined {
  const n = rows(x);
  if (n === undefined && !firstTensor(x)) return undefined;
  if (ON_BATCH.has(event.method)) return n === undefined ? undefined : { runs: [{ what: 'one batch', samples: n, sizes: [n] }] };
  const position = BATCHED[event.method];
  if (position === undefined) return undefined;
  if (event.kwargs.has('steps_per_epoch') || event.kwargs.has('steps')) return undefined;
  const given = argument(event, 'batch_size', position);
  const size = given === undefined || given.kind === 'none' ? DEFAULT_BATCH : intValue(given);
  if (size === undefined || size <= 0) return undefined;
  if (n === undefined) {
    // An array whose number of samples is not known: its batches hold batch_size samples or fewer, so a batch_size
    // below the batch the model is built for never gives a full batch, whatever the count. A larger one may (a count
    // of exactly that batch): no claim.
    if (size >= declared) return undefined;
    return { batchSize: size, defaulted: given === undefined, runs: [{ what: 'its samples', samples: NaN, sizes: [size] }] };
  }
  const out: Run[] = [];
  const split = event.method === 'fit' ? event.kwargs.get('validation_split') : undefined;
  let training = n;
  if (split && split.kind !== 'none') {
    // Keras (1 and 2, tf.keras 2.x, Keras 3) trains on the first floor(n * (1 - split)) samples, validates on the rest.
    const fraction = numberValue(split);
    if (fraction === undefined) return undefined;
    if (fraction > 0 && fraction < 1) {
      training = Math.floor(n * (1 - fraction));
      if (n - training > 0) out.push({ what: `the ${n - training} validation samples`, samples: n - training, sizes: batches(n - training, size) });
    }
  }
  out.unshift({ what: `${training === n ? '' : 'the first '}${training} samples`, samples: training, sizes: batches(training, size) });
  const validation = event.method === 'fit' ? event.kwargs.get('validation_data') : undefined;
  if (validation && (validation.kind === 'tuple' || validation.kind === 'list') && !validation.element) {
    const nv = rows(validation.items[0]);
    if (nv !== undefined) out.push({ what: `the ${nv} validation samples`, samples: nv, sizes: batches(nv, size) });
  }
  return { batchSize: size, defaulted: given === undefined, runs: out };
}

export const kerasStatefulBatchSize: Rule = {
  code: 'SL220',
  name: 'keras-stateful-batch-size',
  severity: 'error',
  framework: 'keras',
  summary: 'A model with a stateful recurrent layer is given batches of another size than the batch it was built for: another batch_size, or a sample count the batch size does not divide.',
  docs: {
    whatItDoes: 'For a model that holds a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, or one inside `Bidirectional`) built with `stateful=True` and a fixed batch (`batch_input_shape=(B, …)`, `Input(batch_shape=(B, …))`), works out the batches `fit`, `evaluate`, `predict` and the `*_on_batch` methods cut the data into (`batch_size`, 32 when left out, a full batch at a time and then the rest; for `fit` the training part and the validation part of `validation_split` or `validation_data`) and flags the call when one of them is not B samples. For an array whose number of samples is not known, only a `batch_size` below B is flagged: no batch of it can hold B samples.',
    whyIsThisBad: 'A stateful layer keeps one row of state per sample of a batch, created for B samples, and carries it from batch to batch: every batch must hold B samples. tf.keras 2.x refuses another batch at the input (`expected shape=(32, 10, 1), found shape=(8, 10, 1)`), standalone Keras 2 refuses a sample count the batch size does not divide (`In a stateful network, you should only pass inputs with a number of samples that can be divided by the batch size`) and fails on the state shapes otherwise, and Keras 3 fails on them or, for a batch of one, silently spreads it over all B rows of state.',
    example: 'model = Sequential([LSTM(16, stateful=True, batch_input_shape=(32, 10, 1)), Dense(1)])\nx = np.random.rand(1000, 10, 1)\nmodel.fit(x, y, batch_size=32)  # 31 batches of 32, then 8',
    useInstead: 'n = len(x) // 32 * 32\nmodel.fit(x[:n], y[:n], batch_size=32, shuffle=False)',
    references: ['https://keras.io/getting_started/faq/#how-can-i-use-stateful-rnns', 'https://keras.io/api/layers/recurrent_layers/lstm/'],
  },
  fixTitles: [],
  kerasVersions: 'tf.keras 2.x and Keras 3; standalone Keras 1 and 2 alike',
  hooks: {
    modelMethod(event, ctx) {
      if (!(event.method in BATCHED) && !ON_BATCH.has(event.method)) return;
      const model = event.model;
      if (model.stopped || model.opaque || model.layers.some((l) => l.broken)) return;
      const stateful = layersOf(model).flatMap(recurrentIn).find((l) => argBool(l, 'stateful') === true);
      if (!stateful) return;
      const declared = declaredBatch(model);
      const data = event.args[0] ?? event.kwargs.get('x');
      const fed = declared && runs(event, data, declared.batch);
      if (!declared || !fed) return;
      // Data that does not fit the input after the batch is refused for that first (SL211).
      const x = firstTensor(data);
      if (x && inputMismatch(declared.input, x)) return;
      const B = declared.batch;
      const run = fed.runs.find((r) => r.sizes.some((s) => s !== B));
      if (!run) return;
      const wrong = run.sizes.filter((s) => s !== B);
      const cut =
        fed.batchSize === undefined
          ? `${event.method} gives it one batch of ${run.samples} sample${run.samples === 1 ? '' : 's'}`
          : Number.isNaN(run.samples)
          ? `${event.method} gives it its samples in batches of ${run.sizes[0]} or fewer`
          : run.sizes.length === 1
          ? `${event.method} gives it ${run.what} in ${run.sizes[0] === run.samples ? 'one batch' : 'batches'} of ${run.sizes[0]}`
          : `${event.method} cuts ${run.what} into batches of ${run.sizes[0]} and a last batch of ${run.sizes[1]}`;
      const input = formatShape(declared.input.shape);
      ctx.report({
        range: event.call.range,
        message: `${kerasLayerName(stateful)} is stateful and keeps its states for batches of ${B} (the model's input ${input}), but ${cut}${fed.defaulted ? ' (batch_size is 32 when left out)' : ''}: every batch of a stateful model must hold ${B} samples, and Keras raises on the batch of ${wrong[0]} (tf.keras 2.x: "expected shape=${input}, found shape=(${wrong[0]}, …)"; standalone Keras 2: "In a stateful network, you should only pass inputs with a number of samples that can be divided by the batch size", or a state shape mismatch)`,
        related: [
          { range: stateful.call.range, message: `${stateful.kind} is built with stateful=True here` },
          ...(declared.input.origin ? [{ range: declared.input.origin.range, message: `the batch of ${B} is declared here` }] : []),
        ],
      });
    },
  },
};
