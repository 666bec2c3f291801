// Plain descriptions of the PyTorch model classes in a file, with the sizes their instantiation gives
// them: what a model builder (TF.js) needs to rebuild the architecture.
import type { Range } from './findings';
import type { FunctionDef, Module } from './parse/ast';
import type { LayerDesc } from './layers/layer';
import { allRules } from './rules/registry';
import { AnalysisContext } from './interpret/context';
import { ImportFollower, Interpreter } from './interpret/interpreter';
import type { Workspace } from './workspace/provider';
import type { ClassInfo, InstanceValue, Value } from './values/value';

export type ArgValue = number | boolean | string | null;

export interface LayerDescription {
  /** Attribute name in `__init__` (`self.gru = nn.GRU(...)` → `gru`). */
  attr: string;
  /** PyTorch class name: `Embedding`, `GRU`, `LSTM`, `RNN`, `Linear`, `Dropout`, `Sequential`, … */
  kind: string;
  /** Constructor arguments by parameter name, with defaults filled in; `undefined` where not statically known. */
  args: Record<string, ArgValue | undefined>;
  /** For nn.Sequential: its children, in order. */
  children: Omit<LayerDescription, 'attr'>[];
  range: Range;
}

export interface ModelDescription {
  className: string;
  range: Range;
  layers: LayerDescription[];
  /** The forward method's syntax tree (see parse/ast.ts), for recognising the readout pattern. */
  forward?: FunctionDef;
  /** Other attributes set in __init__ with plain values (sizes, flags). */
  attributes: Record<string, ArgValue>;
  /** The constructor's named parameters (after self), in order; `required` when it has no default. */
  constructorParams: { name: string; required: boolean }[];
  /** The plain values its constructor's parameters took in the instantiation described (unknown ones left out). */
  constructorArgs: Record<string, ArgValue>;
  /** The whole file's syntax tree: the model runner executes `__init__` and `forward` from it. */
  module: Module;
  /** 1-based lines where the file builds this class outside every nn.Module class (module level, functions). */
  instantiatedAt: number[];
  /** The file's nn.Module classes that hold or build this one as a submodule. */
  ownedBy: string[];
}

export interface DescribeOptions {
  /**
   * Build this class as `ClassName(**kwargs)` instead of from its instantiation in the file;
   * parameters the kwargs leave out take their default, or stay unknown.
   */
  instantiate?: { className: string; kwargs: Record<string, ArgValue> };
  /**
   * Follow the file's imports into this workspace, so that a base class or a submodule defined in another
   * file of the project is known. Only the file's own classes are described.
   */
  workspace?: Workspace;
}

function valueOf(v: ArgValue): Value {
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (v === null) return { kind: 'none' };
  return Number.isInteger(v) ? { kind: 'int', value: v } : { kind: 'float', value: v };
}

function plain(v: Value | undefined): ArgValue | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'str':
      return v.value;
    case 'none':
      return null;
    case 'symint':
      return v.dim.kind === 'int' ? v.dim.value : undefined;
    default:
      return undefined;
  }
}

function describeLayer(layer: LayerDesc): Omit<LayerDescription, 'attr'> {
  const args: Record<string, ArgValue | undefined> = {};
  for (const [name, arg] of layer.args) args[name] = plain(arg.value);
  return { kind: layer.kind, args, children: layer.children.map(describeLayer), range: layer.call.range };
}

function inside(range: Range | undefined, outer: Range): boolean {
  if (!range) return false;
  const after = range.start.line > outer.start.line || (range.start.line === outer.start.line && range.start.column >= outer.start.column);
  const before = range.end.line < outer.end.line || (range.end.line === outer.end.line && range.end.column <= outer.end.column);
  return after && before;
}

/** Where each class is built outside the models, and which models hold or build it. */
function usesOf(interpreter: Interpreter): Map<ClassInfo, { instantiatedAt: Set<number>; ownedBy: Set<string> }> {
  const models = interpreter.classes.filter((c) => c.isTorchModule);
  const uses = new Map(models.map((c) => [c, { instantiatedAt: new Set<number>(), ownedBy: new Set<string>() }]));
  for (const cls of models) {
    for (const instance of interpreter.instances.get(cls) ?? []) {
      if (!instance.site) continue;
      const builder = models.find((other) => other !== cls && inside(instance.site, other.def.range));
      if (builder) uses.get(cls)!.ownedBy.add(builder.name);
      else if (!inside(instance.site, cls.def.range)) uses.get(cls)!.instantiatedAt.add(instance.site.start.line + 1);
    }
    for (const instance of interpreter.instances.get(cls) ?? []) {
      for (const value of instance.attrs.values()) {
        if (value.kind === 'instance' && value.cls !== cls && uses.has(value.cls)) uses.get(value.cls)!.ownedBy.add(cls.name);
      }
    }
  }
  return uses;
}

function describeInstance(instance: InstanceValue, init: FunctionDef | undefined, module: Module, use?: { instantiatedAt: Set<number>; ownedBy: Set<string> }): ModelDescription {
  const layers: LayerDescription[] = [];
  const attributes: Record<string, ArgValue> = {};
  for (const [attr, value] of instance.attrs) {
    // A layer built on paths not decided is one of several: it describes none.
    if (value.kind === 'layer' && value.layer.alternatives) continue;
    if (value.kind === 'layer') layers.push({ attr, ...describeLayer(value.layer) });
    else {
      const p = plain(value);
      if (p !== undefined) attributes[attr] = p;
    }
  }
  const forward = instance.cls.methods.get('forward');
  const constructorParams = (init?.params.slice(1) ?? []).filter((p) => !p.variadic).map((p) => ({ name: p.name, required: p.default === undefined }));
  const constructorArgs: Record<string, ArgValue> = {};
  for (const [name, value] of instance.initArgs ?? []) {
    const p = plain(value);
    if (p !== undefined) constructorArgs[name] = p;
  }
  return {
    className: instance.cls.name, range: instance.cls.def.range, layers, forward, attributes, constructorParams, constructorArgs, module,
    instantiatedAt: [...(use?.instantiatedAt ?? [])].sort((a, b) => a - b),
    ownedBy: [...(use?.ownedBy ?? [])].sort(),
  };
}

/** Every nn.Module class in the module, as built by its first instantiation in the file (or with its defaults). */
export function describeTorchModels(module: Module, source: string, options: DescribeOptions = {}, imports?: ImportFollower): ModelDescription[] {
  const ctx = new AnalysisContext(source, allRules(), module.suppressions);
  const interpreter = new Interpreter(ctx, imports);
  interpreter.run(module.body);
  const out: ModelDescription[] = [];
  const uses = usesOf(interpreter);
  for (const cls of interpreter.classes) {
    if (!cls.isTorchModule) continue;
    const wanted = options.instantiate?.className === cls.name ? options.instantiate : undefined;
    const instance = wanted
      ? interpreter.instantiateWith(cls, new Map(Object.entries(wanted.kwargs).map(([k, v]): [string, Value] => [k, valueOf(v)])))
      : interpreter.instances.get(cls)?.[0];
    if (instance) out.push(describeInstance(instance, interpreter.findMethod(cls, '__init__'), module, uses.get(cls)));
  }
  return out;
}
