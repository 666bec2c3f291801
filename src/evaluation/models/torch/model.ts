// A PyTorch sequence classifier rebuilt in TensorFlow.js: the architecture from the analysed
// class (its layers' resolved arguments and its forward method), the weights from a state dict
// (.safetensors, or .pt/.pth read by ./pt).
import type { Analyzer, LayerDescription, ModelDescription } from '../../../analysis';
import { InputError } from '../../errors';
import { readSafetensorsFile } from '../safetensors';
import { toProbabilities } from '../probabilities';
import { tfjs, Tensor } from '../tf';
import type { LayerSummaryRow, ModelSummary, SequenceModel } from '../types';
import type { StateDict } from '../weights';
import { InitValues, withConstructorSizes } from './constructor-sizes';
import { compileForward, ForwardError, ForwardProgram, IndexItem, Step } from './forward';
import { buildLayer, BuiltLayer, LayerSpec, RandomWeights, Shape, softmaxAlong, StateDictWeights, WeightSource } from './layers';

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
}

export interface TorchSequenceModel extends SequenceModel {
  readonly program: ForwardProgram;
  /** Every step's output for one batch, for "Verify shapes": (step, real shape). */
  traceShapes(batch: Tensor): { step: Step; shape: number[] }[];
}

export function pickModelClass(models: ModelDescription[], className: string | undefined, path: string): ModelDescription {
  if (className !== undefined) {
    const found = models.find((m) => m.className === className);
    if (!found) throw new InputError(path, null, `no nn.Module class '${className}' (the file defines: ${models.map((m) => m.className).join(', ') || 'none'})`);
    return found;
  }
  const runnable = models.filter((m) => m.forward && m.layers.length > 0);
  if (runnable.length === 1) return runnable[0];
  if (runnable.length === 0) throw new InputError(path, null, 'the file defines no nn.Module class with layers and a forward method');
  throw new InputError(path, null, `the file defines several models (${runnable.map((m) => m.className).join(', ')}); choose one with --class`);
}

function layerSpec(layer: Omit<LayerDescription, 'attr'>, path: string): LayerSpec {
  return { path, kind: layer.kind, args: layer.args, children: layer.children.map((c, i) => layerSpec(c, `${path}.${i}`)) };
}

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
  const forward = description.forward;
  if (!forward) throw new InputError(path, line(description.range.start.line), `${description.className} has no forward method`);
  const weights: WeightSource = stateDict ? new StateDictWeights(stateDict.tensors, stateDict.path) : new RandomWeights();
  const openParams = description.constructorParams.filter((p) => p.required && !(p.name in (options.init ?? {})) && !sized.inferred.some((i) => i.name === p.name));

  const forwardText = source.split('\n').slice(forward.range.start.line, forward.range.end.line + 1).join('\n');
  const used = new Set([...forwardText.matchAll(/self\.([A-Za-z_]\w*)/g)].map((m) => m[1]));
  const declared = new Set([...description.layers.map((l) => l.attr), ...Object.keys(description.attributes), 'training']);
  const unknown = [...used].find((attr) => !declared.has(attr));
  if (unknown !== undefined) {
    const at = forwardText.split('\n').findIndex((l) => l.includes(`self.${unknown}`));
    throw new InputError(path, forward.range.start.line + at + 1, `self.${unknown} is not a layer SeqLens knows (its layers: ${description.layers.map((l) => l.attr).join(', ')})`);
  }
  const layers = new Map<string, BuiltLayer>();
  const built: BuiltLayer[] = [];
  try {
    for (const layer of description.layers) {
      if (!used.has(layer.attr)) continue;
      try {
        const b = buildLayer(layerSpec(layer, layer.attr), weights);
        layers.set(layer.attr, b);
        built.push(b);
      } catch (error) {
        if (error instanceof InputError) throw error;
        const several = openParams.length > 1;
        const open = openParams.length === 0 ? '' : `; ${description.className}'s ${openParams.map((p) => p.name).join(', ')} ${several ? 'have' : 'has'} no default${stateDict ? ` and the weights do not determine ${several ? 'them' : 'it'}` : ''}: give ${several ? 'them' : 'it'} with --init ${openParams.map((p) => `${p.name}=N`).join(',')}`;
        throw new InputError(path, line(layer.range.start.line), `${(error as Error).message}${open}`);
      }
    }
    const usesEmbedding = [...layers.values()].some((l) => l.spec.kind === 'Embedding');
    const firstRecurrent = description.layers.find((l) => layers.has(l.attr) && ['RNN', 'GRU', 'LSTM'].includes(l.kind));
    const firstLinear = description.layers.find((l) => layers.has(l.attr) && l.kind === 'Linear');
    const features = usesEmbedding ? null : (firstRecurrent?.args.input_size ?? firstLinear?.args.in_features);
    if (!usesEmbedding && typeof features !== 'number') {
      throw new InputError(path, line(forward.range.start.line), 'cannot tell the input features: the model has no Embedding and its first layer\'s size is not a constant');
    }
    const shapes: { shape: Shape; timeMajor: boolean }[] = usesEmbedding
      ? [{ shape: ['B', 'T'], timeMajor: false }, { shape: ['T', 'B'], timeMajor: true }]
      : [{ shape: ['B', 'T', features as number], timeMajor: false }, { shape: ['T', 'B', features as number], timeMajor: true }];
    let program: ForwardProgram | null = null;
    let firstError: ForwardError | null = null;
    for (const input of shapes) {
      try {
        program = compileForward({ forward, source, layers, inputShape: input.shape, timeMajor: input.timeMajor });
        break;
      } catch (error) {
        if (!(error instanceof ForwardError)) throw error;
        firstError ??= error;
      }
    }
    if (!program) throw new InputError(path, firstError!.line, `${description.className}.${firstError!.message}`);
    const notes: string[] = [];
    if (sized.inferred.length > 0) notes.push(`constructor arguments from the weights: ${sized.inferred.map((i) => `${i.name}=${i.value} (${i.from})`).join('; ')}`);
    if (options.weights?.key) notes.push(`weights: the state dict under '${options.weights.key}' in ${options.weights.path}`);
    if (program.input.timeMajor) notes.push(`forward feeds its input straight to a batch_first=False layer, so SeqLens passes each batch time-major ${usesEmbedding ? '(T, B)' : '(T, B, F)'}`);
    if (weights instanceof StateDictWeights) {
      const unused = weights.unused();
      if (unused.length > 0) notes.push(`weights not used by forward: ${unused.join(', ')}`);
    }
    const embedding = [...layers.values()].find((l) => l.spec.kind === 'Embedding');
    const outputShape = program.steps[program.output].shape;
    const units = outputShape[1] as number;
    const summary: ModelSummary = {
      format: 'torch',
      path,
      name: description.className,
      layers: summaryRows(program),
      totalParams: built.reduce((sum, b) => sum + b.parameterCount, 0),
      input: {
        kind: usesEmbedding ? 'ids' : 'features',
        length: null,
        features: usesEmbedding ? null : (features as number),
        vocabulary: embedding ? (embedding.spec.args.num_embeddings as number) : null,
      },
      outputUnits: units,
      outputActivation: program.finalActivation ?? 'logits',
      readouts: program.readouts,
      notes,
    };
    return new ProgramModel(summary, program, built);
  } catch (error) {
    built.forEach((b) => b.dispose());
    throw error;
  }
}

function summaryRows(program: ForwardProgram): LayerSummaryRow[] {
  return program.steps
    .filter((s) => s.op.op === 'layer' || s.readout !== undefined || s.op.op === 'activation')
    .map((s) => ({
      name: s.op.op === 'layer' ? s.attr! : s.text,
      kind: s.op.op === 'layer' ? s.op.layer.spec.kind : s.readout ? 'readout' : s.op.op,
      outputShape: `(${s.shape.map((d) => (d === 'B' ? 'None' : d === 'T' ? 'None' : d)).join(', ')})`,
      params: s.op.op === 'layer' ? s.op.layer.parameterCount : 0,
    }));
}

class ProgramModel implements TorchSequenceModel {
  /** Recurrent step → the Embedding step that feeds it and nothing else (run as one, from ids). */
  private readonly embeddedInputs = new Map<number, number>();

  constructor(readonly summary: ModelSummary, readonly program: ForwardProgram, private readonly layers: BuiltLayer[]) {
    const consumers = new Map<number, number>();
    for (const step of program.steps) for (const input of step.inputs) consumers.set(input, (consumers.get(input) ?? 0) + 1);
    for (const step of program.steps) {
      if (step.op.op !== 'layer' || !step.op.layer.applyToIds) continue;
      const source = program.steps[step.inputs[0]];
      if (source.op.op !== 'layer' || source.op.layer.spec.kind !== 'Embedding' || consumers.get(source.id) !== 1 || source.id === program.output) continue;
      const ids = program.steps[source.inputs[0]].shape;
      const expected = step.op.layer.spec.args.batch_first === true ? ['B', 'T'] : ['T', 'B'];
      if (ids.length === 2 && ids[0] === expected[0] && ids[1] === expected[1]) this.embeddedInputs.set(step.id, source.id);
    }
  }

  predictRaw(batch: Tensor): Tensor {
    return tfjs().tidy(() => this.run(batch, null));
  }

  predictProbabilities(batch: Tensor): Tensor {
    return tfjs().tidy(() => toProbabilities(this.run(batch, null), this.summary.outputActivation));
  }

  traceShapes(batch: Tensor): { step: Step; shape: number[] }[] {
    const trace: { step: Step; shape: number[] }[] = [];
    tfjs().tidy(() => {
      this.run(batch, (step, value) => trace.push({ step, shape: value.shape.slice() }));
    });
    return trace;
  }

  dispose(): void {
    this.layers.forEach((l) => l.dispose());
  }

  /** Runs the program on a batch given batch-major, as datasets hold it. */
  private run(batch: Tensor, observe: ((step: Step, value: Tensor) => void) | null): Tensor {
    const tf = tfjs();
    const values: Tensor[][] = [];
    // Tracing wants every step's tensor, so it never takes the fused path.
    const fused = observe === null ? this.embeddedInputs : new Map<number, number>();
    const skipped = new Set(fused.values());
    for (const step of this.program.steps) {
      const arg = (k: number) => values[step.inputs[k]][0];
      let out: Tensor[];
      const op = step.op;
      if (skipped.has(step.id)) {
        values.push([]);
        continue;
      }
      switch (op.op) {
        case 'input':
          out = [this.program.input.timeMajor ? tf.transpose(batch, batch.rank === 2 ? [1, 0] : [1, 0, 2]) : batch];
          break;
        case 'layer': {
          const embeddingStep = fused.get(step.id);
          let result: Tensor[] | null = null;
          if (embeddingStep !== undefined) {
            const embedding = this.program.steps[embeddingStep].op as { op: 'layer'; layer: BuiltLayer };
            const ids = values[this.program.steps[embeddingStep].inputs[0]][0];
            const batchFirst = op.layer.spec.args.batch_first === true;
            const batchMajor = batchFirst ? ids : tf.transpose(ids, [1, 0]);
            const data = (batchMajor.dtype === 'int32' ? batchMajor : tf.cast(batchMajor, 'int32')).dataSync() as Int32Array;
            result = op.layer.applyToIds!(data, batchMajor.shape[0] as number, batchMajor.shape[1] as number, embedding.layer.table!);
            if (result === null) values[embeddingStep] = embedding.layer.apply(ids);
          }
          out = result ?? op.layer.apply(arg(0));
          break;
        }
        case 'select':
          out = [values[step.inputs[0]][op.index]];
          break;
        case 'index':
          out = [indexTensor(arg(0), op.items)];
          break;
        case 'cat':
          out = [tf.concat(step.inputs.map((_, k) => arg(k)), op.axis)];
          break;
        case 'stack':
          out = [tf.stack(step.inputs.map((_, k) => arg(k)), op.axis)];
          break;
        case 'reduce': {
          const x = arg(0);
          out = [op.reduce === 'mean' ? tf.mean(x, op.axis, op.keepDims) : op.reduce === 'sum' ? tf.sum(x, op.axis, op.keepDims) : op.reduce === 'max' ? tf.max(x, op.axis, op.keepDims) : tf.min(x, op.axis, op.keepDims)];
          break;
        }
        case 'activation': {
          const x = arg(0);
          switch (op.fn) {
            case 'relu': out = [tf.relu(x)]; break;
            case 'tanh': out = [tf.tanh(x)]; break;
            case 'sigmoid': out = [tf.sigmoid(x)]; break;
            case 'gelu': out = [tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))]; break;
            case 'softmax': out = [softmaxAlong(x, op.axis)]; break;
            default: {
              const s = softmaxAlong(x, op.axis);
              out = [tf.log(s)];
            }
          }
          break;
        }
        case 'permute':
          out = [tf.transpose(arg(0), op.order)];
          break;
        case 'squeeze':
          out = [op.axis === null ? tf.squeeze(arg(0)) : tf.squeeze(arg(0), [op.axis])];
          break;
        case 'unsqueeze':
          out = [tf.expandDims(arg(0), op.axis)];
          break;
        case 'reshape': {
          const x = arg(0);
          const sizes = this.runtimeSizes(step, x);
          out = [tf.reshape(x, op.dims.map((d) => (d === 'B' ? sizes.B : d === 'T' ? sizes.T : d)))];
          break;
        }
        case 'binary': {
          const a = arg(0);
          const b = op.scalar === null ? arg(1) : tf.scalar(op.scalar);
          const [l, r] = op.scalarLeft ? [b, a] : [a, b];
          out = [op.operator === '+' ? tf.add(l, r) : op.operator === '-' ? tf.sub(l, r) : op.operator === '*' ? tf.mul(l, r) : tf.div(l, r)];
          break;
        }
      }
      values.push(out);
      if (observe) observe(step, out[0]);
    }
    return values[this.program.output][0];
  }

  private runtimeSizes(step: Step, x: Tensor): { B: number; T: number } {
    const input = this.program.steps[step.inputs[0]].shape;
    const sizes = { B: -1, T: -1 };
    input.forEach((d, i) => {
      if (d === 'B' || d === 'T') sizes[d] = x.shape[i];
    });
    return sizes;
  }
}

function indexTensor(x: Tensor, items: IndexItem[]): Tensor {
  const tf = tfjs();
  const begin: number[] = [];
  const size: number[] = [];
  const drop: number[] = [];
  x.shape.forEach((d, axis) => {
    const item = items[axis] ?? { kind: 'all' };
    if (item.kind === 'all') {
      begin.push(0);
      size.push(d);
    } else if (item.kind === 'int') {
      const at = item.value < 0 ? d + item.value : item.value;
      if (at < 0 || at >= d) throw new RangeError(`index ${item.value} is out of range for dimension ${axis} of size ${d}`);
      begin.push(at);
      size.push(1);
      drop.push(axis);
    } else {
      const norm = (v: number | null, fallback: number) => (v === null ? fallback : v < 0 ? Math.max(0, d + v) : Math.min(d, v));
      const start = norm(item.start, 0);
      begin.push(start);
      size.push(Math.max(0, norm(item.stop, d) - start));
    }
  });
  const sliced = tf.slice(x, begin, size);
  return drop.length > 0 ? tf.squeeze(sliced, drop) : sliced;
}

function line(zeroBased: number): number {
  return zeroBased + 1;
}
