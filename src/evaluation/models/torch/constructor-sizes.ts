/**
 * Constructor arguments a model needs and its file does not give (`def __init__(self, vocab_size,
 * hidden)` with no default and no instantiation SeqLens can read), taken from the weights.
 *
 * How each argument reaches the layers is learnt by building the class with probe values: the
 * analyser instantiates `Model(vocab_size=11, hidden=15, …)`, then again with one argument
 * changed at a time, and every layer argument that follows it as `a·x + b` (integers a ≠ 0, b;
 * checked on a third value) is tied to it: `nn.Embedding(vocab_size + 1, …)` gives a = 1, b = 1,
 * `nn.Linear(2 * hidden, …)` a = 2, b = 0. The state dict fixes each layer's own arguments
 * exactly (an Embedding's weight is num_embeddings × embedding_dim, an LSTM's weight_ih_l0 is
 * 4·hidden_size × input_size, its layers and directions are the tensors present), so each tie
 * solves for the constructor argument; two ties that disagree are an error naming both. `--init
 * name=value` gives an argument explicitly and wins over the weights. What the file's own
 * instantiation site gives (`Tagger(len(vocab), 128)`: the 128, and any argument whose value the
 * analyser knows there) is kept; only what it leaves unknown is open. The model is then built
 * with those values, and loading the weights checks every shape again.
 */
import type { Analyzer, ArgValue, LayerDescription, ModelDescription } from '../../../analysis';
import { InputError } from '../../errors';
import type { NamedTensor } from '../safetensors';

export type InitValues = Record<string, number | boolean>;

export interface SizedModel {
  description: ModelDescription;
  /** Constructor arguments taken from the weights, with the tensor that gave each. */
  inferred: { name: string; value: number; from: string }[];
}

/** Layer arguments that set the shape of a layer's weights, by kind. */
const SIZE_ARGS: Record<string, string[]> = {
  Embedding: ['num_embeddings', 'embedding_dim'],
  Linear: ['in_features', 'out_features'],
  RNN: ['input_size', 'hidden_size'],
  GRU: ['input_size', 'hidden_size'],
  LSTM: ['input_size', 'hidden_size'],
};
const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

/** Probe values for the i-th unknown argument: unequal steps and both parities, so `x // 2` or `x ** 2` never looks linear. */
function probes(i: number): [number, number, number] {
  const base = 11 + 4 * i;
  return [base, base + 5, base + 12];
}

type LayerVisit = (layer: Omit<LayerDescription, 'attr'>, path: string) => void;

function eachLayer(description: ModelDescription, visit: LayerVisit): void {
  const walk = (layer: Omit<LayerDescription, 'attr'>, path: string) => {
    visit(layer, path);
    layer.children.forEach((child, i) => walk(child, `${path}.${i}`));
  };
  for (const layer of description.layers) walk(layer, layer.attr);
}

/** Every numeric layer argument, keyed `path/arg` (booleans as 0 and 1). */
function layerArguments(description: ModelDescription): Map<string, number> {
  const out = new Map<string, number>();
  eachLayer(description, (layer, path) => {
    for (const [name, value] of Object.entries(layer.args)) {
      if (typeof value === 'number') out.set(`${path}/${name}`, value);
      else if (typeof value === 'boolean') out.set(`${path}/${name}`, value ? 1 : 0);
    }
  });
  return out;
}

function missingSizes(description: ModelDescription): boolean {
  let missing = false;
  eachLayer(description, (layer) => {
    if ((SIZE_ARGS[layer.kind] ?? []).some((arg) => layer.args[arg] === undefined)) missing = true;
  });
  return missing;
}

function shapeText(tensor: NamedTensor): string {
  return `${tensor.name} (${tensor.shape.join(', ')})`;
}

/** What the state dict says each layer's arguments are: `path/arg` → value and the tensor that says it. */
export function layerArgumentsFromWeights(description: ModelDescription, tensors: Map<string, NamedTensor>): Map<string, { value: number; from: string }> {
  const out = new Map<string, { value: number; from: string }>();
  const set = (key: string, value: number, from: string) => out.set(key, { value, from });
  eachLayer(description, (layer, path) => {
    if (layer.kind === 'Embedding' || layer.kind === 'Linear') {
      const weight = tensors.get(`${path}.weight`);
      if (!weight || weight.shape.length !== 2) return;
      const [rows, columns] = weight.shape;
      if (layer.kind === 'Embedding') {
        set(`${path}/num_embeddings`, rows, shapeText(weight));
        set(`${path}/embedding_dim`, columns, shapeText(weight));
      } else {
        set(`${path}/out_features`, rows, shapeText(weight));
        set(`${path}/in_features`, columns, shapeText(weight));
        set(`${path}/bias`, tensors.has(`${path}.bias`) ? 1 : 0, `${path}.bias ${tensors.has(`${path}.bias`) ? 'present' : 'absent'}`);
      }
      return;
    }
    const gates = GATES[layer.kind];
    if (gates === undefined) return;
    const first = tensors.get(`${path}.weight_ih_l0`);
    if (!first || first.shape.length !== 2 || first.shape[0] % gates !== 0) return;
    set(`${path}/hidden_size`, first.shape[0] / gates, shapeText(first));
    set(`${path}/input_size`, first.shape[1], shapeText(first));
    let layers = 1;
    while (tensors.has(`${path}.weight_ih_l${layers}`)) layers++;
    set(`${path}/num_layers`, layers, `${path}.weight_ih_l0…l${layers - 1}`);
    const reverse = tensors.has(`${path}.weight_ih_l0_reverse`);
    set(`${path}/bidirectional`, reverse ? 1 : 0, `${path}.weight_ih_l0_reverse ${reverse ? 'present' : 'absent'}`);
    set(`${path}/bias`, tensors.has(`${path}.bias_ih_l0`) ? 1 : 0, `${path}.bias_ih_l0 ${tensors.has(`${path}.bias_ih_l0`) ? 'present' : 'absent'}`);
  });
  return out;
}

export interface SizeOptions {
  analyzer: Analyzer;
  source: string;
  path: string;
  /** The class as described from the file. */
  description: ModelDescription;
  /** The state dict, when there is one. */
  tensors: Map<string, NamedTensor> | null;
  /** --init: explicit constructor arguments. */
  init: InitValues;
}

/** The model with the constructor arguments the file leaves open filled in from --init and the weights. */
export function withConstructorSizes(options: SizeOptions): SizedModel {
  const { analyzer, source, path, description, tensors, init } = options;
  const className = description.className;
  const known = new Set(description.constructorParams.map((p) => p.name));
  for (const name of Object.keys(init)) {
    if (!known.has(name)) {
      throw new InputError(path, description.range.start.line + 1, `--init ${name}: ${className}'s constructor has no parameter ${name} (its parameters: ${[...known].join(', ') || 'none'})`);
    }
  }
  // The instantiation site's known arguments stand unless --init overrides them.
  const site: Record<string, ArgValue> = { ...description.constructorArgs };
  const given: Record<string, ArgValue> = { ...site, ...init };
  const open = description.constructorParams.filter((p) => p.required && !(p.name in given)).map((p) => p.name);
  const inferred: SizedModel['inferred'] = [];
  if (tensors && open.length > 0 && missingSizes(description)) {
    inferred.push(...inferFromWeights({ analyzer, source, path, className, open, init: given, tensors }));
  }
  if (Object.keys(init).length === 0 && inferred.length === 0) return { description, inferred };
  const kwargs: Record<string, ArgValue> = { ...site, ...Object.fromEntries(inferred.map((i) => [i.name, i.value])), ...init };
  const built = describe(analyzer, source, path, className, kwargs);
  if (!built) throw new InputError(path, description.range.start.line + 1, `${className}(${formatKwargs(kwargs)}) could not be built by the analyser`);
  return { description: built, inferred };
}

function formatKwargs(kwargs: Record<string, ArgValue>): string {
  return Object.entries(kwargs).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : typeof v === 'string' ? `'${v}'` : v}`).join(', ');
}

function describe(analyzer: Analyzer, source: string, path: string, className: string, kwargs: Record<string, ArgValue>): ModelDescription | undefined {
  return analyzer.describeModels(source, path, { instantiate: { className, kwargs } }).find((m) => m.className === className);
}

interface Tie {
  param: string;
  slope: number;
  intercept: number;
}

function inferFromWeights(options: { analyzer: Analyzer; source: string; path: string; className: string; open: string[]; init: Record<string, ArgValue>; tensors: Map<string, NamedTensor> }): SizedModel['inferred'] {
  const { analyzer, source, path, className, open, init, tensors } = options;
  const base: Record<string, ArgValue> = { ...init };
  open.forEach((name, i) => {
    base[name] = probes(i)[0];
  });
  const baseDescription = describe(analyzer, source, path, className, base);
  if (!baseDescription) return [];
  const at0 = layerArguments(baseDescription);
  // Layer argument → the one constructor argument it follows (or null when it follows several).
  const ties = new Map<string, Tie | null>();
  open.forEach((param, i) => {
    const [x0, x1, x2] = probes(i);
    const d1 = describe(analyzer, source, path, className, { ...base, [param]: x1 });
    const d2 = describe(analyzer, source, path, className, { ...base, [param]: x2 });
    if (!d1 || !d2) return;
    const at1 = layerArguments(d1);
    const at2 = layerArguments(d2);
    for (const [key, y0] of at0) {
      const y1 = at1.get(key);
      const y2 = at2.get(key);
      if (y1 === undefined || y2 === undefined || (y0 === y1 && y1 === y2)) continue;
      const slope = (y1 - y0) / (x1 - x0);
      const intercept = y0 - slope * x0;
      const linear = Number.isInteger(slope) && slope !== 0 && Number.isInteger(intercept) && y2 === slope * x2 + intercept;
      ties.set(key, ties.has(key) || !linear ? null : { param, slope, intercept });
    }
  });
  const fromWeights = layerArgumentsFromWeights(baseDescription, tensors);
  const found = new Map<string, { value: number; from: string }>();
  for (const [key, tie] of ties) {
    const weight = fromWeights.get(key);
    if (!tie || !weight) continue;
    const value = (weight.value - tie.intercept) / tie.slope;
    const [layerPath, arg] = key.split('/');
    const from = `${weight.from} gives ${layerPath}'s ${arg}=${weight.value}`;
    if (!Number.isInteger(value) || value < 0) {
      throw new InputError(path, null, `${from}, but ${arg} is ${tie.slope === 1 ? '' : `${tie.slope}·`}${tie.param}${tie.intercept === 0 ? '' : ` ${tie.intercept > 0 ? '+' : '-'} ${Math.abs(tie.intercept)}`} in ${className}, and no whole ${tie.param} gives that: the weights do not belong to this model`);
    }
    const previous = found.get(tie.param);
    if (previous && previous.value !== value) {
      throw new InputError(path, null, `the weights disagree on ${className}'s ${tie.param}: ${previous.from} (${tie.param}=${previous.value}), but ${from} (${tie.param}=${value}); give it with --init ${tie.param}=N`);
    }
    if (!previous) found.set(tie.param, { value, from });
  }
  return open.filter((name) => found.has(name)).map((name) => ({ name, value: found.get(name)!.value, from: found.get(name)!.from }));
}

/** `--init vocab_size=5000,hidden=128,bidirectional=True` → values. */
export function parseInitValues(text: string): InitValues | string {
  const out: InitValues = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!/^[A-Za-z_]\w*$/.test(name)) return `'${part}' is not name=value`;
    if (/^(true|false)$/i.test(value)) out[name] = value.toLowerCase() === 'true';
    else if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) out[name] = Number(value);
    else return `${name}=${value}: the value must be an integer, True or False`;
  }
  return out;
}
