// torch.nn layers at run time: each family file registers a builder that turns a layer's
// constructor arguments and its state-dict prefix into a TensorFlow.js implementation.
import type { ArgValue } from '../../../../../analysis';
import { torchFamily } from '../../../../../analysis/layers/torch';
import type { Tensor } from '../../../tf';
import type { WeightSource } from '../../layers';
import { CallSite, fail } from '../errors';
import type { Layer, Role, Value } from '../values';

export interface LayerRuntime {
  call(args: Value[], kwargs: Map<string, Value>, site: CallSite): Value;
  /** Attributes read from the layer once built: `self.embedding.weight`. */
  attr?(name: string): Value | undefined;
  parameterCount: number;
  dispose(): void;
}

export type LayerBuilder = (layer: Layer, weights: WeightSource) => LayerRuntime;

/**
 * One of a layer's own tensors as PyTorch registers it: a parameter (`weight`, `bias_ih_l0`) or a
 * buffer (`running_mean`), with its shape from the constructor arguments; null where the layer holds
 * None under that name (`bias=False`).
 */
export interface LayerTensor {
  name: string;
  shape: number[] | null;
  buffer?: boolean;
}

export type LayerTensors = (layer: Layer) => LayerTensor[];

const BUILDERS = new Map<string, LayerBuilder>();
const TENSORS = new Map<string, LayerTensors>();
/** Constructor signatures the executor needs in full where the analyser's families keep only what shapes need. */
const SIGNATURES = new Map<string, { name: string; fallback?: Value }[]>();

export function registerLayers(kinds: string[], builder: LayerBuilder, signature?: string, tensors?: LayerTensors): void {
  for (const kind of kinds) {
    BUILDERS.set(kind, builder);
    if (signature) SIGNATURES.set(kind, parseSignature(signature));
    if (tensors) TENSORS.set(kind, tensors);
  }
}

/**
 * The parameters and buffers a layer of this kind registers, in PyTorch's order; undefined for a
 * kind that holds none. Throws (with the reason) when an argument they depend on is not a number.
 */
export function layerTensors(layer: Layer): LayerTensor[] | undefined {
  const own = ownTensors(layer);
  if (!own || !layer.replaced) return own;
  // A parameter replaced by assignment has the shape of what replaced it (None: no tensor), as PyTorch keeps it.
  return own.map((p) => {
    const by = layer.replaced!.get(p.name);
    return by === undefined ? p : { ...p, shape: by === null ? null : by.t.shape.slice() };
  });
}

/** The tensors a layer's constructor arguments give it, before any assignment replaced one. */
export function ownTensors(layer: Layer): LayerTensor[] | undefined {
  return TENSORS.get(layer.type)?.(layer);
}

/**
 * Kinds whose builder reads its tensors' shapes from layerTensors (so a replaced parameter of another
 * shape is run as PyTorch runs it); a replacement of another shape on any other kind is refused.
 */
const REPLACEABLE = new Set<string>();

export function readsReplacedTensors(kind: string): boolean {
  return REPLACEABLE.has(kind);
}

export function replaceableLayers(kinds: string[]): void {
  kinds.forEach((k) => REPLACEABLE.add(k));
}

function parseSignature(signature: string): { name: string; fallback?: Value }[] {
  return signature.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) return { name: p };
    const text = p.slice(eq + 1).trim();
    const fallback: Value = text === 'None' ? { kind: 'none' } : text === 'True' || text === 'False' ? { kind: 'bool', value: text === 'True' }
      : /^-?\d+$/.test(text) ? { kind: 'int', value: Number(text) } : /^'.*'$/.test(text) ? { kind: 'str', value: text.slice(1, -1) } : { kind: 'float', value: Number(text) };
    return { name: p.slice(0, eq).trim(), fallback };
  });
}

export type LayerMethod = (args: Value[], kwargs: Map<string, Value>, site: CallSite) => Value;
const METHODS = new Map<string, LayerMethod>();

/** A method of a torch.nn class beyond forward (`self.transformer.generate_square_subsequent_mask(n)`). */
export function registerLayerMethod(kinds: string[], name: string, method: LayerMethod): void {
  for (const kind of kinds) METHODS.set(`${kind}.${name}`, method);
}

export function layerMethod(kind: string, name: string): LayerMethod | undefined {
  return METHODS.get(`${kind}.${name}`);
}

export function layerBuilder(kind: string): LayerBuilder | undefined {
  return BUILDERS.get(kind);
}

export function runnableLayerKinds(): string[] {
  return [...BUILDERS.keys()].sort();
}

/** Constructor parameters of a torch.nn class, in positional order with defaults, from the analyser's layer families. */
export function layerParams(kind: string): { name: string; fallback?: Value }[] | undefined {
  const own = SIGNATURES.get(kind);
  if (own) return own;
  const family = torchFamily(kind);
  if (!family) return undefined;
  return family.params(kind).map((p) => ({ name: p.name, fallback: p.default ? fromAnalysis(p.default) : undefined }));
}

function fromAnalysis(v: import('../../../../../analysis/values/value').Value): Value | undefined {
  switch (v.kind) {
    case 'int': return { kind: 'int', value: v.value };
    case 'float': return v.value === undefined ? undefined : { kind: 'float', value: v.value };
    case 'bool': return { kind: 'bool', value: v.value };
    case 'str': return { kind: 'str', value: v.value };
    case 'none': return { kind: 'none' };
    default: return undefined;
  }
}

/** A layer argument as the plain value layers.ts builders read. */
export function plainArgs(layer: Layer): Record<string, ArgValue | undefined> {
  const out: Record<string, ArgValue | undefined> = {};
  for (const [name, v] of layer.args) {
    if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'str') out[name] = v.value;
    else if (v.kind === 'none') out[name] = null;
    else if (v.kind === 'tuple' && v.items.length === 1 && v.items[0].kind === 'int') out[name] = v.items[0].value;
  }
  return out;
}

export function argNumber(layer: Layer, name: string, fallback?: number): number {
  const v = layer.args.get(name);
  if (v?.kind === 'int' || v?.kind === 'float') return v.value;
  if (v?.kind === 'bool') return v.value ? 1 : 0;
  if (v?.kind === 'tuple' && v.items.length === 1 && v.items[0].kind === 'int') return v.items[0].value;
  if ((v === undefined || v.kind === 'none') && fallback !== undefined) return fallback;
  if (v?.kind === 'unknown') throw new Error(`nn.${layer.type}'s ${name} is the constructor argument ${v.name}, which has no value`);
  throw new Error(`nn.${layer.type} (line ${layer.line}): its argument ${name} is ${v ? v.kind : 'missing'}, not a number`);
}

export function argBool(layer: Layer, name: string, fallback: boolean): boolean {
  const v = layer.args.get(name);
  if (v?.kind === 'bool') return v.value;
  if (v?.kind === 'int') return v.value !== 0;
  return fallback;
}

/** The one tensor a simple layer takes. */
export function singleInput(layer: Layer, args: Value[], kwargs: Map<string, Value>, site: CallSite): { t: Tensor; roles?: Role[] } {
  const v = args[0] ?? kwargs.get('input');
  if (args.length > 1 || (kwargs.size > 0 && !kwargs.has('input'))) throw fail(site, `nn.${layer.type} takes one tensor`);
  if (v?.kind !== 'tensor') throw fail(site, `nn.${layer.type} expects a tensor, not ${v ? v.kind : 'nothing'}`);
  return { t: v.t, roles: v.roles };
}
