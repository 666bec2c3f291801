// A tfjs-layers model (loaded from model.json, or rebuilt from a Keras file) as a SequenceModel:
// its input and output read from the model itself, and a Keras-summary()-style table.
import { InputError } from '../errors';
import { toProbabilities } from './probabilities';
import { tfjs, Tensor } from './tf';
import type { LayerSummaryRow, ModelFormat, ModelSummary, SequenceModel } from './types';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

function shapeText(shape: unknown): string {
  const one = Array.isArray(shape) && Array.isArray(shape[0]) ? shape[0] : shape;
  return `(${(one as (number | null)[]).map((d) => (d === null ? 'None' : d)).join(', ')})`;
}

function activationOf(layer: { getConfig(): Record<string, unknown> }): string | null {
  const config = layer.getConfig();
  const activation = config.activation;
  return typeof activation === 'string' ? activation : null;
}

/** Takes ownership of `model`: a model it refuses is disposed, so that its weights do not outlive the error. */
export function wrapLayersModel(model: LayersModel, format: ModelFormat, path: string, notes: string[] = []): SequenceModel {
  try {
    return wrap(model, format, path, notes);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function wrap(model: LayersModel, format: ModelFormat, path: string, notes: string[]): SequenceModel {
  const tf = tfjs();
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new InputError(path, null, `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; SeqLens runs models with one input (the sequences) and one output (the classes)`);
  }
  const inputShape = model.inputs[0].shape;
  const outputShape = model.outputs[0].shape;
  if (outputShape.length !== 2) {
    throw new InputError(path, null, `the model outputs ${shapeText(outputShape)}${outputShape.length === 3 ? ', one prediction per time step' : ''}; SeqLens evaluates sequence classifiers with output (None, classes)`);
  }
  if (inputShape.length !== 2 && inputShape.length !== 3) {
    throw new InputError(path, null, `the model's input is ${shapeText(inputShape)}; SeqLens feeds token ids (None, T) or features (None, T, F)`);
  }
  const embedding = model.layers.find((l) => l.getClassName() === 'Embedding');
  const last = model.layers[model.layers.length - 1];
  const activation = activationOf(last);
  const outputActivation: ModelSummary['outputActivation'] = activation === 'softmax' ? 'softmax' : activation === 'sigmoid' ? 'sigmoid' : 'logits';
  const layers: LayerSummaryRow[] = model.layers.map((layer) => ({
    name: layer.name,
    kind: layer.getClassName() === 'SeqLensResetAfterGRU' ? 'GRU' : layer.getClassName(),
    outputShape: shapeText(layer.outputShape),
    params: layer.countParams(),
  }));
  const summary: ModelSummary = {
    format,
    path,
    name: model.name,
    layers,
    totalParams: layers.reduce((sum, l) => sum + l.params, 0),
    input: {
      kind: inputShape.length === 2 ? 'ids' : 'features',
      length: inputShape[1] ?? null,
      features: inputShape.length === 3 ? inputShape[2] : null,
      vocabulary: embedding ? (embedding.getConfig().inputDim as number) : null,
    },
    outputUnits: outputShape[1] as number,
    outputActivation,
    notes,
  };
  const predictRaw = (batch: Tensor): Tensor => tf.tidy(() => {
    const x = batch.dtype === 'int32' && inputShape.length === 2 && !embedding ? tf.cast(batch, 'float32') : batch;
    return model.predict(x) as Tensor;
  });
  return {
    summary,
    predictRaw,
    predictProbabilities: (batch) => tf.tidy(() => toProbabilities(predictRaw(batch), outputActivation)),
    dispose: () => model.dispose(),
  };
}
