// A PyTorch model run in TensorFlow.js: the class picked from the file, its constructor sizes
// (the file's instantiation, the weights, --init), then its own __init__ and forward executed
// (./exec) with the weights from a state dict (.safetensors, or .pt/.pth read by ./pt).
import { normalize } from 'node:path';
import type { Analyzer, DescribeOptions, Workspace } from '../../../analysis';
import { resolveModule } from '../../../analysis/workspace/resolver';
import type { WorkspaceModules } from './exec/interpreter';
import { InputError, UnsupportedConstruct, ValuesNeeded } from '../../errors';
import { readSafetensorsFile } from '../safetensors';
import { tfjs } from '../tf';
import type { StateDict } from '../weights';
import { InitValues, withConstructorSizes } from './constructor-sizes';
import { bindingsFor, formatScalar, Scalar, Solution, solveUnknowns, Unsolved } from './solve-unknowns';
import type { Bindings } from './exec/model';
import { pickModelClass } from './pick-class';
import { ExecutedModel, ExecutedModelOptions, loadExecutedModel } from './exec/model';
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
  /** Given inputs to run at load time instead of a dummy batch (see ExecutedModelOptions.example). */
  example?: ExecutedModelOptions['example'];
  /** The pad id given explicitly (--pad-id): lengths and masks are counted from it. */
  padId?: number;
  /** Forward parameters given by name (--input NAME=FILE.npy), batch first. */
  named?: ExecutedModelOptions['named'];
  /**
   * The project the file belongs to: classes, base classes and constants it imports from the project's
   * other files are read there (resolved as the analyser resolves imports). Absent: the file alone.
   */
  workspace?: Workspace;
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
  const { workspace } = options;
  // Described with the workspace's imports followed: a base class from another file makes the class an nn.Module.
  const analyzer: Analyzer = workspace
    ? Object.assign(Object.create(options.analyzer) as Analyzer, { describeModels: (text: string, file: string, o?: DescribeOptions) => options.analyzer.describeModels(text, file, { ...o, workspace }) })
    : options.analyzer;
  const modules: WorkspaceModules | undefined = workspace && {
    path: normalize(path),
    resolve: (module, from) => resolveModule(module, from, normalize(workspace.root), workspace.provider),
    load: (file) => options.analyzer.workspaceModule(file, workspace),
  };
  const sized = withConstructorSizes({
    analyzer,
    source,
    path,
    description: pickModelClass(analyzer.describeModels(source, path), options.className, path),
    init: options.init ?? {},
  });
  const description = sized.description;
  const notes: string[] = [];
  if (options.weights?.key) notes.push(`weights: the state dict under '${options.weights.key}' in ${options.weights.path}`);
  const weightsFor = (): WeightSource => (stateDict ? new StateDictWeights(stateDict.tensors, stateDict.path) : new RandomWeights());
  const solveOptions = stateDict ? { source, description, given: { ...description.constructorArgs, ...(options.init ?? {}) }, init: new Set(Object.keys(options.init ?? {})), tensors: stateDict.tensors, workspace: modules } : null;
  let solution: Solution | null = null;
  let unsolved: Unsolved | null = null;
  if (solveOptions) {
    for (const withDefaults of [false, true]) {
      const solved = solveUnknowns(solveOptions, withDefaults);
      if (solved === null) break;
      if ('values' in solved && solved.values.size === 0) break;
      if ('values' in solved) {
        solution = solved;
        unsolved = null;
        break;
      }
      // What the first pass (the file's defaults kept) found wrong is the refusal; reopening them is only a remedy.
      if (!withDefaults) unsolved = solved;
    }
  }
  if (unsolved?.kind === 'build' && unsolved.unknowns.length > 0 && unsolved.error) {
    // No trial values built the model: its first refusal, with what --init must give.
    const names = unsolved.unknowns;
    throw new ValuesNeeded(path, unsolved.error.line, `${unsolved.error.message} (while building ${description.className} with trial values of ${names.join(', ')}, which nothing in the file gives); give ${names.length > 1 ? 'them' : 'it'} with --init ${names.map((n) => `${n}=VALUE`).join(',')}`, names);
  }
  if (unsolved?.kind === 'mismatch' && unsolved.unknowns.length > 0) {
    const names = unsolved.unknowns;
    throw new ValuesNeeded(path, null, `${description.className}: no values of ${names.join(', ')} build the saved tensors${Object.keys(options.init ?? {}).length > 0 ? ' with the values --init gives' : ''}: ${unsolved.reason}${/--init/.test(unsolved.reason) ? '' : `; give ${names.length > 1 ? 'them' : 'it'} with --init ${names.map((n) => `${n}=N`).join(',')}`}`, names);
  }
  const fromInit = Object.entries(options.init ?? {}).filter(([k]) => !description.constructorParams.some((p) => p.name === k));
  let bindings: Bindings | undefined = solveOptions && fromInit.length > 0 ? bindingsFor(solveOptions, new Map()) : undefined;
  if (solution) {
    bindings = bindingsFor(solveOptions!, solution.values);
    notes.push(...solutionNotes(solution, description.constructorParams.map((p) => p.name)));
  }
  const openParams = description.constructorParams.filter((p) => p.required && description.constructorArgs[p.name] === undefined && !solution?.values.has(p.name)
    && ![...(solution?.values.keys() ?? [])].some((k) => k.startsWith(`${p.name}.`)));
  const load = (b: Bindings | undefined) => loadExecutedModel({ path, source, description, weights: weightsFor(), notes: [...notes], anyOutput: options.anyOutput, bindings: b, example: options.example, padId: options.padId, named: options.named, workspace: modules });
  try {
    let model: TorchSequenceModel;
    try {
      model = load(bindings);
    } catch (error) {
      // An open size forward needs (a state's layer count, `self.n_cells`) is what forward runs with.
      const ran = solution && error instanceof InputError && !(error instanceof UnsupportedConstruct) ? runnableOpen(solution, (values) => load(bindingsFor(solveOptions!, values))) : null;
      if (!ran) throw error;
      model = ran.model;
      // The notes say what the run settled, not what was open before it.
      const params = description.constructorParams.map((p) => p.name);
      const before = solutionNotes(solution!, params);
      const after = solutionNotes(ran.solution, params);
      const held = model.summary.notes.filter((n) => !before.includes(n) || after.includes(n));
      model.summary.notes.splice(0, model.summary.notes.length, ...held, ...after.filter((n) => !held.includes(n)), ...ran.notes);
      solution = ran.solution;
    }
    if (solution && solution.alternatives.length > 0) settleOpen(model, solution, (values) => load(bindingsFor(solveOptions!, values)), path, description.className);
    return model;
  } catch (error) {
    // A construct SeqLens does not run in forward is the cause whatever the open values are: named alone.
    if (error instanceof InputError && !(error instanceof UnsupportedConstruct) && !/--init/.test(error.message)) {
      const names = unsolved ? unsolved.unknowns : solution ? solution.open : openParams.map((p) => p.name);
      if (names.length > 0) {
        const several = names.length > 1;
        throw new ValuesNeeded(path, error.line, `${error.cause}; ${description.className}'s ${names.join(', ')} ${several ? 'have' : 'has'} no value in the file${stateDict ? ` and the weights do not determine ${several ? 'them' : 'it'}` : ''}: give ${several ? 'them' : 'it'} with --init ${names.map((n) => `${n}=N`).join(',')}`, names);
      }
    }
    throw error;
  }
}

/** Notes saying where each solved value came from. */
function solutionNotes(solution: Solution, params: string[]): string[] {
  const out: string[] = [];
  const part = (k: string) => `${k}=${formatScalar(solution.values.get(k)!)} (${solution.reasons.get(k)})`;
  const solved = [...solution.reasons.keys()];
  const args = solved.filter((k) => params.includes(k) || params.includes(k.split('.')[0]));
  const free = solved.filter((k) => !args.includes(k));
  if (args.length > 0) out.push(`constructor arguments from the weights: ${args.map(part).join('; ')}`);
  if (free.length > 0) out.push(`names the file reads but does not define (its script part sets them), from the weights: ${free.map(part).join('; ')}`);
  if (solution.open.length > 0) {
    out.push(`${solution.open.map((k) => `${k}=${formatScalar(solution.values.get(k)!)}`).join(', ')}: the weights leave ${solution.open.length > 1 ? 'these' : 'this'} open, and the model gives the same outputs with ${solution.alternatives.map((alt) => solution.open.map((k) => `${k}=${formatScalar(alt.get(k)!)}`).join(', ')).join(' and with ')}`);
  }
  return out;
}

/** The values an open size is tried with when forward does not run with 0. */
const OPEN_SIZES = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * An unknown the weights leave open that forward cannot run with as 0 (`torch.zeros(self.n_cells, B, H)` as
 * an LSTM's initial state): each open size is tried alone over 1…8, and the values with which forward runs
 * stand, as PyTorch's own checks leave them (the first; any others must then give the same outputs, see
 * settleOpen). Null when no single open size makes forward run.
 */
function runnableOpen(solution: Solution, load: (values: Map<string, Scalar>) => TorchSequenceModel): { model: TorchSequenceModel; solution: Solution; notes: string[] } | null {
  for (const key of solution.open) {
    if (solution.values.get(key) !== 0) continue;
    const runs: { value: number; model: TorchSequenceModel }[] = [];
    for (const value of OPEN_SIZES) {
      try {
        runs.push({ value, model: load(new Map(solution.values).set(key, value)) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
      }
    }
    if (runs.length === 0) continue;
    runs.slice(1).forEach((r) => r.model.dispose());
    const values = new Map(solution.values).set(key, runs[0].value);
    const others = runs.slice(1).map((r) => r.value);
    const open = solution.open.filter((k) => k !== key);
    const alternatives = [
      ...solution.alternatives.filter((alt) => !(alt.get(key) === 1 && [...alt].every(([k, v]) => k === key || v === solution.values.get(k)))).map((alt) => new Map(alt).set(key, runs[0].value)),
      ...others.map((v) => new Map(values).set(key, v)),
    ];
    const note = `${key}=${runs[0].value}: the weights hold no size of it, and forward runs with ${others.length === 0 ? `no other value of 1 to ${OPEN_SIZES[OPEN_SIZES.length - 1]}` : `${others.join(', ')} too (the outputs must agree)`}`;
    return { model: runs[0].model, solution: { ...solution, values, open, alternatives }, notes: [note] };
  }
  return null;
}

const SETTLE_BATCH = 3;
const SETTLE_LENGTH = 9;

/**
 * Unknowns the weights leave open are accepted only when they change no output: every alternative
 * assignment is run on the same batch and must give the same outputs; otherwise they are refused.
 */
function settleOpen(model: TorchSequenceModel, solution: Solution, load: (values: Map<string, Scalar>) => TorchSequenceModel, path: string, className: string): void {
  const tf = tfjs();
  const input = model.summary.input;
  const batch = tf.tidy(() => (input.kind === 'ids'
    ? tf.cast(tf.floor(tf.mul(tf.randomUniform([SETTLE_BATCH, SETTLE_LENGTH], 0, 1, 'float32', 5), Math.min(input.vocabulary ?? 1, 1000))), 'int32')
    : tf.randomNormal([SETTLE_BATCH, SETTLE_LENGTH, input.features ?? 1], 0, 1, 'float32', 5)));
  const refuse = (alt: Map<string, Scalar>, why: string) => {
    const differing = [...alt.keys()].filter((k) => alt.get(k) !== solution.values.get(k));
    const shown = (m: Map<string, Scalar>) => differing.map((k) => `${k}=${formatScalar(m.get(k)!)}`).join(', ');
    return new ValuesNeeded(path, null, `${className}: the weights do not settle ${differing.join(', ')}: ${shown(solution.values)} and ${shown(alt)} both build the saved tensors, but ${why}; give ${differing.length > 1 ? 'them' : 'it'} with --init ${differing.map((k) => `${k}=VALUE`).join(',')}`, differing);
  };
  try {
    const reference = model.predictRaw(batch);
    try {
      for (const alt of solution.alternatives) {
        let other: TorchSequenceModel;
        try {
          other = load(alt);
        } catch (error) {
          throw refuse(alt, `the model does not run with the second (${(error as Error).message})`);
        }
        try {
          const out = other.predictRaw(batch);
          const same = out.shape.length === reference.shape.length && out.shape.every((d, i) => d === reference.shape[i])
            && tf.tidy(() => tf.max(tf.abs(tf.sub(out, reference))).dataSync()[0]) <= 1e-6;
          out.dispose();
          if (!same) throw refuse(alt, 'they give different outputs');
        } finally {
          other.dispose();
        }
      }
    } finally {
      reference.dispose();
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    batch.dispose();
  }
}
