// A PyTorch model run in TensorFlow.js: the class picked from the file, its constructor sizes
// (the file's instantiation, the weights, --init), then its own __init__ and forward executed
// (./exec) with the weights from a state dict (.safetensors, or .pt/.pth read by ./pt).
import type { Analyzer } from '../../../analysis';
import { InputError } from '../../errors';
import { readSafetensorsFile } from '../safetensors';
import type { StateDict } from '../weights';
import { InitValues, withConstructorSizes } from './constructor-sizes';
import { pickModelClass } from './pick-class';
import { ExecutedModel, loadExecutedModel } from './exec/model';
import { RandomWeights, StateDictWeights, WeightSource } from './layers';

export interface TorchModelOptions {
  /** The .py file, for messages. */
  path: string;
  source: string;
  analyzer: Analyzer;
  /** The nn.Module class to run; may be omitted when the file defines one with a forward method. */
  className?: string;
  /** A state dict already read (see readStateDict); it takes the place of weightsPath. */
  weights?: StateDict;
  /** A .safetensors state dict; absent, with no `weights`, means random weights (for "Verify shapes"). */
  weightsPath?: string;
  /** Constructor arguments given explicitly (--init); they win over what the weights say. */
  init?: InitValues;
  /** Accept any output (Verify Shapes), not only (batch, classes). */
  anyOutput?: boolean;
}

export type TorchSequenceModel = ExecutedModel;

export { pickModelClass } from './pick-class';

export function loadTorchModel(options: TorchModelOptions): TorchSequenceModel {
  const { path, source } = options;
  if (!options.weights && options.weightsPath && !/\.safetensors$/i.test(options.weightsPath)) {
    throw new Error(`loadTorchModel reads .safetensors itself; read ${options.weightsPath} with readStateDict and pass it as weights`);
  }
  const stateDict = options.weights
    ?? (options.weightsPath ? { path: options.weightsPath, tensors: readSafetensorsFile(options.weightsPath), key: null } : null);
  const sized = withConstructorSizes({
    analyzer: options.analyzer,
    source,
    path,
    description: pickModelClass(options.analyzer.describeModels(source, path), options.className, path),
    tensors: stateDict?.tensors ?? null,
    init: options.init ?? {},
  });
  const description = sized.description;
  const weights: WeightSource = stateDict ? new StateDictWeights(stateDict.tensors, stateDict.path) : new RandomWeights();
  const notes: string[] = [];
  if (sized.inferred.length > 0) notes.push(`constructor arguments from the weights: ${sized.inferred.map((i) => `${i.name}=${i.value} (${i.from})`).join('; ')}`);
  if (options.weights?.key) notes.push(`weights: the state dict under '${options.weights.key}' in ${options.weights.path}`);
  const openParams = description.constructorParams.filter((p) => p.required && description.constructorArgs[p.name] === undefined);
  try {
    return loadExecutedModel({ path, source, description, weights, notes, anyOutput: options.anyOutput });
  } catch (error) {
    if (error instanceof InputError && openParams.length > 0 && !/--init/.test(error.message)) {
      const several = openParams.length > 1;
      throw new InputError(path, error.line, `${error.cause}; ${description.className}'s ${openParams.map((p) => p.name).join(', ')} ${several ? 'have' : 'has'} no default${stateDict ? ` and the weights do not determine ${several ? 'them' : 'it'}` : ''}: give ${several ? 'them' : 'it'} with --init ${openParams.map((p) => `${p.name}=N`).join(',')}`);
    }
    throw error;
  }
}
