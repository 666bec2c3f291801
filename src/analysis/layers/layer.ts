// A layer as written in the code: its constructor call and its bound arguments.
// Each family (recurrent.ts, embedding.ts, …) reads these and maps input shapes to output shapes,
// the same description feeding the rules, the hover text and (later) the TF.js model builder.
import type { Call, Expr } from '../parse/ast';
import { Dim, DimRole, Origin, UNKNOWN_DIM, intDim, symDim } from '../shapes/dim';
import { Value, UNKNOWN, intValue, boolValue } from '../values/value';

export interface LayerArg {
  value: Value;
  /** The argument's expression; absent when the value is the default. */
  expr?: Expr;
  keyword?: string;
  /** Index among positional arguments, when passed positionally. */
  position?: number;
  /**
   * The size was set by assigning the layer a weight (`self.decoder.weight = self.encoder.weight`), here: PyTorch
   * then computes with that weight's sizes. No constructor argument to edit, so no fix offers one.
   */
  setBy?: Expr;
}

export interface ParamSpec {
  name: string;
  default?: Value;
}

export interface LayerDesc {
  framework: 'torch' | 'keras';
  /** Class name, e.g. `GRU`. */
  kind: string;
  /** Fully qualified, e.g. `torch.nn.GRU`. */
  qualname: string;
  call: Call;
  args: Map<string, LayerArg>;
  /** Sequential containers and wrappers. */
  children: LayerDesc[];
  /** Source text of the constructor, shortened, for messages. */
  label: string;
  /** Set when its construction was reported as an error: applying it yields unknown, so nothing cascades. */
  broken?: boolean;
  /**
   * nn.Sequential(*blocks) of a list whose length is not known (built in a loop, a comprehension over range(n)) but
   * whose items are all like one module: that module, applied as many times as the list holds, 0 included.
   */
  repeats?: LayerDesc;
  /**
   * nn.Sequential() written with no argument at all: a container with no children, whose forward returns its input
   * (PyTorch's Sequential.forward loops over no module). Children added later by code the analysis follows make
   * `children` non-empty; a Sequential with no children seen but not built empty (Sequential(*layers) of a list not
   * known) stays unknown.
   */
  builtEmpty?: boolean;
  /** For a user-defined module placed in a container (nn.Sequential): the instance whose forward runs. */
  module?: import('../values/value').InstanceValue;
  /**
   * A module chosen on paths the analysis could not decide (`nn.LSTM(...) if cell == 'lstm' else nn.GRU(...)`, a
   * container or a user module on one path and a layer on another, a ModuleList's item at an index not known): one of
   * these torch modules. Applying it gives what every alternative's output agrees on, and no rule reads the call (an
   * alternative may never be taken); `kind` is then 'alternatives', which no family models.
   */
  alternatives?: LayerDesc[];
}

const NOWHERE = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** A module the analysis cannot follow: applying it gives unknown. */
export const OPAQUE_LAYER: LayerDesc = {
  framework: 'torch',
  kind: 'Opaque',
  qualname: 'unknown',
  call: { kind: 'call', range: NOWHERE, func: { kind: 'other', range: NOWHERE, calls: [] }, args: [], keywords: [], argsRange: NOWHERE, hasStarArgs: false, starArgs: [], starKwargs: [] },
  args: new Map(),
  children: [],
  label: 'an unknown module',
};

/** A user-defined module as a layer (a container's child, one of alternatives): applying it runs its forward. */
export function moduleLayer(module: import('../values/value').InstanceValue): LayerDesc {
  return { ...OPAQUE_LAYER, kind: 'Module', label: module.cls.name, module };
}

export function bindArgs(params: ParamSpec[], call: Call, positional: Value[], keywords: Map<string, Value>): Map<string, LayerArg> {
  const bound = new Map<string, LayerArg>();
  positional.forEach((value, i) => {
    const spec = params[i];
    if (spec) bound.set(spec.name, { value, expr: call.args[i], position: i });
  });
  for (const kw of call.keywords) {
    bound.set(kw.name, { value: keywords.get(kw.name) ?? UNKNOWN, expr: kw.value, keyword: kw.name });
  }
  // Keywords that came out of a known `**mapping` (`nn.LSTM(4, 8, **{'batch_first': True})`) count as given: a default
  // must not stand in for them.
  for (const [name, value] of keywords) {
    if (!bound.has(name) || !bound.get(name)!.keyword) bound.set(name, { value, keyword: name });
  }
  for (const spec of params) {
    if (!bound.has(spec.name) && spec.default) bound.set(spec.name, { value: spec.default });
  }
  return bound;
}

export function argValue(layer: LayerDesc, name: string): Value {
  return layer.args.get(name)?.value ?? UNKNOWN;
}

export function argInt(layer: LayerDesc, name: string): number | undefined {
  return intValue(argValue(layer, name));
}

/**
 * Whether the argument is an int taken from the default of a constructor parameter of a class nothing builds with known
 * arguments (`def __init__(self, n_words=0)`): a placeholder the caller replaces, not a size the program writes.
 */
export function argFromAssumedDefault(layer: LayerDesc, name: string): boolean {
  const v = layer.args.get(name)?.value;
  return v?.kind === 'int' && v.assumedDefault !== undefined;
}

export function argBool(layer: LayerDesc, name: string): boolean | undefined {
  return boolValue(argValue(layer, name));
}

/** A flag the layer takes that defaults to False: undefined when it is given a value the analysis does not know. */
export function argFlag(layer: LayerDesc, name: string): boolean | undefined {
  return layer.args.has(name) ? argBool(layer, name) : false;
}

/** Where an argument came from: "input_size=50 (line 4)" style origins. */
export function argOrigin(layer: LayerDesc, name: string): Origin {
  const arg = layer.args.get(name);
  if (arg?.setBy) return { range: arg.setBy.range, text: `${name}=${intValue(arg.value) ?? '…'} (the weight assigned here)` };
  if (arg?.expr) {
    const value = intValue(arg.value);
    const written = arg.keyword ? `${arg.keyword}=` : `${name}=`;
    return { range: arg.expr.range, text: `${written}${value ?? '…'}` };
  }
  return { range: layer.call.range, text: `${name}=${intValue(arg?.value) ?? '…'} (${arg?.keyword ? 'from **' : 'default'})` };
}

/** An argument as a dimension, remembering where it came from and which layer produced it. */
export function argDim(layer: LayerDesc, name: string, role?: DimRole, scale = 1): Dim {
  const value = argValue(layer, name);
  const info = { origin: argOrigin(layer, name), role, producer: layer };
  if (value.kind === 'int') return intDim(value.value * scale, info);
  if (value.kind === 'symint') {
    if (value.dim.kind === 'int') return intDim(value.dim.value * scale, info);
    // A count the data decides keeps what makes it one (DimInfo.dataCount, mintedIn).
    if (value.dim.kind === 'sym' && scale === 1) return symDim(value.dim.name, value.dim.dataCount ? { ...info, dataCount: true, ...(value.dim.mintedIn ? { mintedIn: value.dim.mintedIn } : {}) } : info);
    // A symbol times a known number (a bidirectional layer's 2 × hidden_size of a hidden_size not known).
    if (value.dim.kind === 'sym' && Number.isInteger(scale) && scale > 1) return symDim(`${value.dim.name}*${scale}`, { ...info, scaled: { base: value.dim, by: scale } });
  }
  return role ? { kind: 'unknown', role } : UNKNOWN_DIM;
}

/** The rule-facing view of how an argument was written, for edits. */
export function argExprRange(layer: LayerDesc, name: string) {
  return layer.args.get(name)?.expr?.range;
}
