// Executes a model file's Python over TensorFlow.js: `__init__` builds the module tree (config values,
// nn layers, user submodules, containers), `forward` and the helper methods it calls run on real
// tensors. It reads the analyser's lowered syntax tree (analysis/parse/ast.ts) and dispatches every
// tensor op to the op table (ops/) and every nn layer to its runtime (modules/), so it only knows
// Python: names, calls, attributes, control flow, containers. Whatever it does not model is refused
// with its line and text, never guessed; loops and calls run on a step budget.
import type * as A from '../../../../analysis/parse/ast';
import { tfjs } from '../../tf';
import { CallSite, ExecError, fail, refuse } from './errors';
import { callOp, findOp } from './ops';
import { arithmetic, broadcastShapes, comparison, power } from './ops/elementwise';
import { factoryState } from './ops/factories';
import { assignIndex, indexTensor } from './ops/indexing';
import { matmul } from './ops/products';
import { isTensor, result } from './ops/registry';
import { layerMethod, layerParams, LayerTensor, layerTensors } from './modules/module';
import { ClassInfo, Instance, Layer, ModuleScope, NONE, numberOf, PendingImport, TensorValue, Value } from './values';
import { foreignFileOf } from '../../../../analysis/workspace/modules';
import { dirname, relative } from 'node:path';

/** Statements, calls and loop turns one run may take. */
export const STEP_BUDGET = 2_000_000;
/** Turns a single loop may take. */
export const MAX_LOOP = 100_000;
/** Nested calls. */
const MAX_DEPTH = 64;

const CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

type Flow = { kind: 'return'; value: Value } | { kind: 'break' } | { kind: 'continue' } | null;

interface Frame {
  vars: Map<string, Value>;
  cls: ClassInfo | null;
  /** The file whose global names the code reads. */
  scope: ModuleScope;
}

/**
 * The other files of the model's workspace: an import is resolved as the analyser resolves it
 * (analysis/workspace/resolver), and the file is parsed once (shared with import following).
 */
export interface WorkspaceModules {
  /** The model's own file. */
  path: string;
  resolve(module: string, fromPath: string): string | undefined;
  load(path: string): { module: A.Module; source: string } | undefined;
}

/** Workspace files one run may load (as the analyser's WORKSPACE_LIMITS.maxFiles). */
const MAX_MODULES = 24;

/** What an assignment in the executed code bound: the trace Verify Shapes compares with the analysis. */
export interface Binding {
  line: number;
  name: string;
  expression: string;
  value: Value;
}

const DTYPES: Record<string, 'float32' | 'int32' | 'bool'> = {
  float: 'float32', float32: 'float32', float64: 'float32', double: 'float32', half: 'float32', float16: 'float32', bfloat16: 'float32',
  long: 'int32', int64: 'int32', int: 'int32', int32: 'int32', int16: 'int32', short: 'int32', uint8: 'int32', int8: 'int32',
  bool: 'bool',
};

export class Executor {
  /** The classes of the model's own file. */
  readonly classes = new Map<string, ClassInfo>();
  private readonly main: ModuleScope = { path: null, globals: new Map() };
  /** Workspace files loaded so far, by path. */
  private readonly modules = new Map<string, ModuleScope>();
  /** The file each function and class is defined in (absent: the model's own). */
  private readonly scopeOf = new WeakMap<A.FunctionDef | A.ClassDef, ModuleScope>();
  private readonly evaluating = new Set<unknown>();
  private readonly lines: string[];
  private readonly foreignLines = new WeakMap<object, string[]>();
  private steps = 0;
  private depth = 0;
  /** Called on each assignment of a name (Verify Shapes' trace); null when nobody listens. */
  onBind: ((binding: Binding) => void) | null = null;
  /** Called after each layer call, op call and tensor subscript (Verify Shapes' trace). */
  onCall: ((site: CallSite, kind: string, value: Value) => void) | null = null;
  /** Every user module instance and nn layer made, in creation order. */
  readonly layers: Layer[] = [];
  /** A layer's parameters and buffers as `__init__` sees them, before the weights are loaded. */
  private readonly standIns = new Map<Layer, Map<string, TensorValue>>();
  /**
   * Names the file reads but never defines (set only under `if __name__ == '__main__':` or in a
   * training script): their values when the weights or --init settled them (see solve-unknowns.ts).
   */
  freeName: ((name: string) => Value | undefined) | null = null;

  constructor(readonly module: A.Module, readonly source: string, private readonly workspace?: WorkspaceModules) {
    this.lines = source.split('\n');
    for (const stmt of module.body) this.declare(stmt, this.main);
    for (const cls of this.classes.values()) this.resolveBases(cls);
  }

  // ── the file's top level ──────────────────────────────────────────────────

  private declare(stmt: A.Stmt, scope: ModuleScope): void {
    switch (stmt.kind) {
      case 'class': {
        const methods = new Map<string, A.FunctionDef>();
        const classAttrs = new Map<string, A.Expr>();
        for (const s of stmt.body) {
          if (s.kind === 'def') {
            methods.set(s.name, s);
            if (scope !== this.main) this.scopeOf.set(s, scope);
          } else if (s.kind === 'assign' && s.targets.length === 1 && s.targets[0].kind === 'name' && !s.op) classAttrs.set(s.targets[0].id, s.value);
        }
        const cls: ClassInfo = { name: stmt.name, def: stmt, bases: [], methods, classAttrs, ...(scope !== this.main ? { scope } : {}) };
        if (scope === this.main) this.classes.set(stmt.name, cls);
        else this.scopeOf.set(stmt, scope);
        scope.globals.set(stmt.name, { kind: 'class', cls });
        break;
      }
      case 'def':
        if (scope !== this.main) this.scopeOf.set(stmt, scope);
        scope.globals.set(stmt.name, { kind: 'function', def: stmt, owner: null });
        break;
      case 'import':
        for (const n of stmt.names) {
          if (n.name === '*') {
            this.importAll(n.module, scope);
            continue;
          }
          if (this.workspace) {
            const bound = n.name !== undefined || n.alias ? n.alias ?? n.name! : n.module.split('.')[0];
            scope.globals.set(bound, { kind: 'pending-import', module: n.name === undefined && !n.alias ? n.module.split('.')[0] : n.module, name: n.name });
            continue;
          }
          scope.globals.set(...fallbackImport(n));
        }
        break;
      case 'assign':
        for (const t of stmt.targets) if (t.kind === 'name' && !stmt.op) scope.globals.set(t.id, stmt);
        break;
      case 'if':
      case 'try':
        // `if __name__ == '__main__':` and import fallbacks: their imports and definitions still count.
        for (const s of [...(stmt.kind === 'if' ? [...stmt.body, ...stmt.orelse] : [...stmt.body, ...stmt.handlers.flat()])]) {
          if (s.kind === 'import' || s.kind === 'class' || s.kind === 'def') this.declare(s, scope);
        }
        break;
      default:
        break;
    }
  }

  /** A workspace file's scope, declared on first use (registered first: a circular import sees it). */
  private loadModule(path: string): ModuleScope | undefined {
    const known = this.modules.get(path);
    if (known) return known;
    if (!this.workspace || this.modules.size >= MAX_MODULES) return undefined;
    const parsed = this.workspace.load(path);
    if (!parsed) return undefined;
    const scope: ModuleScope = { path, globals: new Map() };
    this.modules.set(path, scope);
    for (const stmt of parsed.module.body) this.declare(stmt, scope);
    for (const entry of scope.globals.values()) if ('kind' in entry && entry.kind === 'class' && entry.cls.scope === scope) this.resolveBases(entry.cls);
    return scope;
  }

  private resolveIn(module: string, scope: ModuleScope): string | undefined {
    return this.workspace?.resolve(module, scope.path ?? this.workspace.path);
  }

  /** `from module import *`: a workspace module's public names (resolved as they are read). */
  private importAll(module: string, scope: ModuleScope): void {
    const path = this.resolveIn(module, scope);
    const loaded = path ? this.loadModule(path) : undefined;
    if (!loaded) return;
    for (const name of loaded.globals.keys()) {
      // Read through the starred module, so that its own imports resolve from its own file.
      if (!name.startsWith('_') && !scope.globals.has(name)) scope.globals.set(name, { kind: 'pending-import', module, name });
    }
  }

  /** What an import binds: a workspace module or a name in one, else the library namespace it names. */
  private bindImport(pending: PendingImport, scope: ModuleScope, site: CallSite): Value {
    const { module, name } = pending;
    const fallback = (): Value => ({ kind: 'namespace', path: name === undefined ? module : `${module}.${name}` });
    const path = this.resolveIn(module, scope);
    if (name === undefined) {
      const loaded = path ? this.loadModule(path) : undefined;
      return loaded ? { kind: 'pymodule', scope: loaded } : fallback();
    }
    const loaded = path ? this.loadModule(path) : undefined;
    if (loaded?.globals.has(name)) return this.global(name, site, loaded)!;
    const sub = this.resolveIn(module.endsWith('.') ? module + name : `${module}.${name}`, scope);
    const subScope = sub ? this.loadModule(sub) : undefined;
    if (subScope) return { kind: 'pymodule', scope: subScope };
    if (loaded) throw refuse(site, `${name}, which ${module} does not define at its top level,`);
    return fallback();
  }

  private resolveBases(cls: ClassInfo): void {
    const scope = cls.scope ?? this.main;
    for (const base of cls.def.bases) {
      const text = this.text(base.range);
      let value: Value | undefined;
      try {
        value = this.expr(base, { vars: new Map(), cls: null, scope });
      } catch (error) {
        if (!(error instanceof ExecError)) throw error;
      }
      if (value?.kind === 'class' && value.cls !== cls) cls.bases.push(value.cls);
      else if (/(^|\.)Module$/.test(text)) cls.bases.push('Module');
    }
  }

  isModuleClass(cls: ClassInfo, seen = new Set<ClassInfo>()): boolean {
    if (seen.has(cls)) return false;
    seen.add(cls);
    return cls.bases.some((b) => b === 'Module' || this.isModuleClass(b, seen));
  }

  private global(name: string, site: CallSite, scope: ModuleScope = this.main): Value | undefined {
    const entry = scope.globals.get(name);
    if (entry === undefined) return undefined;
    if (entry.kind !== 'assign' && entry.kind !== 'pending-import') return entry;
    const key = `${scope.path ?? ''}\0${name}`;
    if (this.evaluating.has(key)) throw refuse(site, `the module-level name ${name}, which refers to itself`);
    this.evaluating.add(key);
    try {
      const value = entry.kind === 'pending-import' ? this.bindImport(entry, scope, site) : this.expr(entry.value, { vars: new Map(), cls: null, scope });
      scope.globals.set(name, value);
      return value;
    } catch (error) {
      if (error instanceof ExecError) throw new ExecError(error.line, `${error.message} (while reading the module-level ${name}, needed at line ${site.line})`, error.refused);
      throw error;
    } finally {
      this.evaluating.delete(key);
    }
  }

  // ── modules ───────────────────────────────────────────────────────────────

  findMethod(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): { def: A.FunctionDef; owner: ClassInfo } | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const own = cls.methods.get(name);
    if (own) return { def: own, owner: cls };
    for (const base of cls.bases) {
      if (base === 'Module') continue;
      const found = this.findMethod(base, name, seen);
      if (found) return found;
    }
    return undefined;
  }

  private classAttr(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): A.Expr | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    return cls.classAttrs.get(name) ?? cls.bases.map((b) => (b === 'Module' ? undefined : this.classAttr(b, name, seen))).find((e) => e !== undefined);
  }

  /** `Cls(*args, **kwargs)`: a new instance with `__init__` run. */
  instantiate(cls: ClassInfo, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const obj: Instance = { kind: 'user', cls, attrs: new Map(), path: null, isModule: this.isModuleClass(cls) };
    const init = this.findMethod(cls, '__init__');
    if (init) this.callFunction(init.def, args, kwargs, { kind: 'object', obj }, init.owner, site);
    else if (args.length > 0 || kwargs.size > 0) throw refuse(site, `${cls.name}(…) with arguments and no __init__`);
    return { kind: 'object', obj };
  }

  // ── calls ─────────────────────────────────────────────────────────────────

  callFunction(def: A.FunctionDef, args: Value[], kwargs: Map<string, Value>, self: Value | null, owner: ClassInfo | null, site: CallSite): Value {
    if (++this.depth > MAX_DEPTH) throw refuse(site, `calls nested deeper than ${MAX_DEPTH}`);
    try {
      const scope = this.scopeOf.get(def) ?? this.main;
      const vars = new Map<string, Value>();
      const params = [...def.params];
      if (self && params.length > 0 && !params[0].variadic) vars.set(params.shift()!.name, self);
      let position = 0;
      const extra = new Map(kwargs);
      for (const p of params) {
        if (p.variadic) {
          const isKw = this.text(p.range).startsWith('**');
          if (isKw) {
            vars.set(p.name, { kind: 'dict', keys: [...extra.keys()].map((k) => ({ kind: 'str', value: k })), values: [...extra.values()] });
            extra.clear();
          } else {
            vars.set(p.name, { kind: 'tuple', items: args.slice(position) });
            position = args.length;
          }
          continue;
        }
        let value: Value | undefined;
        if (position < args.length) value = args[position++];
        if (extra.has(p.name)) {
          if (value !== undefined) throw fail(site, `${def.name}() got multiple values for argument '${p.name}'`);
          value = extra.get(p.name);
          extra.delete(p.name);
        }
        if (value === undefined && p.default) value = this.expr(p.default, { vars: new Map(), cls: null, scope });
        if (value === undefined) throw fail(site, `${def.name}() missing 1 required positional argument: '${p.name}'`);
        vars.set(p.name, value);
      }
      if (position < args.length) throw fail(site, `${def.name}() takes ${params.length} positional arguments but ${args.length} were given`);
      if (extra.size > 0) throw fail(site, `${def.name}() got an unexpected keyword argument '${[...extra.keys()][0]}'`);
      const flow = this.block(def.body, { vars, cls: owner, scope });
      return flow?.kind === 'return' ? flow.value : NONE;
    } finally {
      this.depth--;
    }
  }

  /** Calls a value: functions, methods, classes, layers, modules, ops and builtins. */
  call(f: Value, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    this.tick(site);
    switch (f.kind) {
      case 'function':
        return this.callFunction(f.def, args, kwargs, null, f.owner, site);
      case 'class':
        return this.instantiate(f.cls, args, kwargs, site);
      case 'object': {
        const m = this.findMethod(f.obj.cls, '__call__') ?? this.findMethod(f.obj.cls, 'forward');
        if (!m) throw fail(site, `${f.obj.cls.name} is not callable (it has no forward)`);
        return this.callFunction(m.def, args, kwargs, f, m.owner, site);
      }
      case 'module':
        return this.callLayer(f.layer, args, kwargs, site);
      case 'bound':
        return this.callBound(f.target, f.name, args, kwargs, site);
      case 'namespace':
        return this.callNamespace(f.path, args, kwargs, site);
      case 'super':
        throw refuse(site, 'calling super() itself');
      default:
        throw fail(site, `a ${f.kind} is not callable`);
    }
  }

  private callLayer(layer: Layer, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (layer.type === 'Sequential') {
      if (args.length !== 1 || kwargs.size > 0) throw fail(site, 'nn.Sequential takes one input');
      let value = args[0];
      for (const child of layer.children) value = this.call(child, [value], new Map(), site);
      return value;
    }
    if (CONTAINERS.has(layer.type)) throw fail(site, `nn.${layer.type} is not callable; index it or loop over it`);
    if (!layer.runtime) {
      throw new ExecError(site.line, `nn.${layer.type} (built on line ${layer.line}) is not a layer SeqLens runs (\`${site.text}\`)`, true);
    }
    const out = layer.runtime.call(args, kwargs, site);
    this.onCall?.(site, layer.type, out);
    return out;
  }

  private callBound(target: Value, name: string, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (target.kind === 'object') {
      const m = this.findMethod(target.obj.cls, name);
      if (m) return this.callFunction(m.def, args, kwargs, target, m.owner, site);
      return this.moduleMethod(target, name, args, site);
    }
    if (target.kind === 'super') {
      for (const base of target.after.bases) {
        if (base === 'Module') continue;
        const m = this.findMethod(base, name);
        if (m) return this.callFunction(m.def, args, kwargs, { kind: 'object', obj: target.self }, m.owner, site);
      }
      if (name === '__init__') return NONE;
      throw refuse(site, `super().${name}()`);
    }
    if (target.kind === 'module') return this.moduleMethod(target, name, args, site, kwargs);
    if (target.kind === 'tensor') {
      const def = findOp(name);
      if (!def) throw refuse(site, `the tensor method .${name}()`);
      const out = callOp(def, [target, ...args], kwargs, site);
      this.onCall?.(site, name, out);
      return out;
    }
    if (target.kind === 'list') return this.listMethod(target, name, args, site);
    if (target.kind === 'dict') return this.dictMethod(target, name, args, site);
    if (target.kind === 'str') return this.strMethod(target.value, name, args, site);
    throw refuse(site, `.${name}() on a ${target.kind}`);
  }

  /** nn.Module's own methods, on user modules and on layers. */
  private moduleMethod(target: Value, name: string, args: Value[], site: CallSite, kwargs: Map<string, Value> = new Map()): Value {
    switch (name) {
      case 'parameters': {
        const items: Value[] = this.namedParameters(target, site).map(([, t]) => t);
        // Read for its dtype and device (`next(self.parameters()).data.new(…)`): a model with none still answers.
        if (items.length === 0) items.push(result(tfjs().zeros([1])));
        return { kind: 'list', items };
      }
      case 'named_parameters':
        return { kind: 'list', items: this.namedParameters(target, site).map(([n, t]): Value => ({ kind: 'tuple', items: [{ kind: 'str', value: n }, t] })) };
      case 'eval':
      case 'train':
      case 'cuda':
      case 'cpu':
      case 'to':
      case 'float':
      case 'flatten_parameters':
      case 'zero_grad':
      case 'requires_grad_':
        return target;
      case 'register_buffer': {
        if (target.kind !== 'object' || args.length < 2 || args[0].kind !== 'str') throw refuse(site, 'register_buffer(…) with these arguments');
        const value = args[1];
        if (value.kind === 'tensor') target.obj.attrs.set(args[0].value, { ...value, parameter: false, buffer: true } as TensorValue);
        else target.obj.attrs.set(args[0].value, value);
        return NONE;
      }
      case 'register_parameter': {
        if (target.kind !== 'object' || args.length < 2 || args[0].kind !== 'str') throw refuse(site, 'register_parameter(…) with these arguments');
        target.obj.attrs.set(args[0].value, args[1]);
        return NONE;
      }
      case 'add_module': {
        if (target.kind !== 'object' || args.length < 2 || args[0].kind !== 'str') throw refuse(site, 'add_module(…) with these arguments');
        target.obj.attrs.set(args[0].value, args[1]);
        return NONE;
      }
      case 'append':
      case 'extend':
      case 'insert':
        if (target.kind === 'module' && (target.layer.type === 'ModuleList' || target.layer.type === 'Sequential')) {
          if (name === 'append') target.layer.children.push(args[0]);
          else if (name === 'extend') target.layer.children.push(...this.iterate(args[0], site));
          else target.layer.children.splice(numberOf(args[0]) ?? 0, 0, args[1]);
          return target;
        }
        break;
      case 'forward':
        if (target.kind === 'module') return this.callLayer(target.layer, args, new Map(), site);
        break;
      case 'init_weights':
      case 'reset_parameters':
        return NONE;
      default: {
        const method = target.kind === 'module' ? layerMethod(target.layer.type, name) : undefined;
        if (method) return method(args, kwargs, site);
        break;
      }
    }
    throw refuse(site, `the method .${name}() of ${target.kind === 'object' ? target.obj.cls.name : `nn.${(target as { layer: Layer }).layer.type}`}`);
  }

  /**
   * nn.Module.named_parameters(): the parameters by state-dict name, each once, a module's own before
   * its children's. In `__init__` (initialisation loops) a layer's are stand-ins of the right shape.
   */
  private namedParameters(target: Value, site: CallSite): [string, TensorValue][] {
    const out: [string, TensorValue][] = [];
    const seen = new Set<unknown>();
    const walk = (v: Value, prefix: string) => {
      if (v.kind === 'object' && v.obj.isModule) {
        if (seen.has(v.obj)) return;
        seen.add(v.obj);
        for (const [name, a] of v.obj.attrs) {
          if (a.kind === 'tensor' && a.parameter && !seen.has(a.t)) {
            seen.add(a.t);
            out.push([prefix + name, a]);
          }
        }
        for (const [name, a] of v.obj.attrs) if (a.kind === 'object' || a.kind === 'module') walk(a, `${prefix}${name}.`);
      } else if (v.kind === 'module') {
        if (seen.has(v.layer)) return;
        seen.add(v.layer);
        for (const spec of this.layerTensorSpecs(v.layer, site) ?? []) {
          if (spec.buffer || spec.shape === null) continue;
          const t = this.layerTensor(v.layer, spec.name, site);
          if (t?.kind === 'tensor' && !seen.has(t.t)) {
            seen.add(t.t);
            out.push([prefix + spec.name, t]);
          }
        }
        v.layer.children.forEach((child, i) => walk(child, `${prefix}${v.layer.keys ? v.layer.keys[i] : i}.`));
      }
    };
    walk(target, '');
    return out;
  }

  private layerTensorSpecs(layer: Layer, site: CallSite): LayerTensor[] | undefined {
    try {
      return layerTensors(layer);
    } catch (error) {
      throw refuse(site, `nn.${layer.type}'s tensors (${(error as Error).message})`);
    }
  }

  /** The layer that holds this very tensor under another name than `name` on `except` (a tied weight's owner). */
  private holderOf(t: TensorValue, except: Layer, name: string): Layer | undefined {
    for (const [layer, held] of this.standIns) {
      for (const [n, v] of held) if (v === t && (layer !== except || n !== name)) return layer;
    }
    return undefined;
  }

  /**
   * A layer's parameter or buffer by name (None where the layer has none, as with bias=False); undefined
   * for any other name. Once the layer is built, its loaded tensor; before (in `__init__`, to initialise
   * or copy pretrained vectors in), one stand-in per tensor with the right shape: PyTorch's
   * load_state_dict then writes every parameter and buffer over whatever initialisation left.
   */
  private layerTensor(layer: Layer, name: string, site: CallSite): Value | undefined {
    if (!layer.runtime && layer.children.length === 0 && !layer.keys) {
      const specs = this.layerTensorSpecs(layer, site);
      const spec = specs?.find((p) => p.name === name);
      if (!spec) return undefined;
      if (spec.shape === null) return NONE;
      let standIns = this.standIns.get(layer);
      if (!standIns) this.standIns.set(layer, (standIns = new Map()));
      let t = standIns.get(name);
      if (!t) standIns.set(name, (t = { kind: 'tensor', t: tfjs().zeros(spec.shape, name === 'num_batches_tracked' ? 'int32' : 'float32'), ...(spec.buffer ? { buffer: true } : { parameter: true }) }));
      return t;
    }
    if (!layer.runtime) return undefined;
    const built = layer.runtime.attr?.(name);
    if (built !== undefined) return built;
    const spec = layer.runtime && layerTensors(layer)?.find((p) => p.name === name);
    return spec && spec.shape === null ? NONE : undefined;
  }

  private listMethod(list: { kind: 'list'; items: Value[] }, name: string, args: Value[], site: CallSite): Value {
    switch (name) {
      case 'append':
        list.items.push(args[0]);
        return NONE;
      case 'extend':
        list.items.push(...this.iterate(args[0], site));
        return NONE;
      case 'insert':
        list.items.splice(numberOf(args[0]) ?? 0, 0, args[1]);
        return NONE;
      case 'pop': {
        if (list.items.length === 0) throw fail(site, 'pop from empty list');
        const at = args.length > 0 ? numberOf(args[0]) ?? -1 : -1;
        return list.items.splice(at < 0 ? list.items.length + at : at, 1)[0];
      }
      case 'reverse':
        list.items.reverse();
        return NONE;
      case 'copy':
        return { kind: 'list', items: [...list.items] };
      default:
        throw refuse(site, `the list method .${name}()`);
    }
  }

  /** Python's str methods that configuration code uses (`rnn_type.lower()`, `name.startswith('lstm')`). */
  private strMethod(text: string, name: string, args: Value[], site: CallSite): Value {
    const str = (value: string): Value => ({ kind: 'str', value });
    const argText = (i: number): string | null => {
      const v = args[i];
      if (v === undefined || v.kind === 'none') return null;
      if (v.kind !== 'str') throw fail(site, `str.${name}() takes a str, not a ${v.kind}`);
      return v.value;
    };
    const prefixes = (): string[] => {
      const v = args[0];
      if (v?.kind === 'tuple') return v.items.map((item) => (item.kind === 'str' ? item.value : (() => { throw fail(site, `str.${name}() takes str or a tuple of str`); })()));
      return [argText(0) ?? ''];
    };
    const stripped = (chars: string | null, left: boolean, right: boolean): string => {
      const strip = (c: string) => (chars === null ? /\s/.test(c) : chars.includes(c));
      let start = 0;
      let end = text.length;
      while (left && start < end && strip(text[start])) start++;
      while (right && end > start && strip(text[end - 1])) end--;
      return text.slice(start, end);
    };
    switch (name) {
      case 'lower': return str(text.toLowerCase());
      case 'upper': return str(text.toUpperCase());
      case 'strip': return str(stripped(argText(0), true, true));
      case 'lstrip': return str(stripped(argText(0), true, false));
      case 'rstrip': return str(stripped(argText(0), false, true));
      case 'startswith': return { kind: 'bool', value: prefixes().some((p) => text.startsWith(p)) };
      case 'endswith': return { kind: 'bool', value: prefixes().some((p) => text.endsWith(p)) };
      case 'isdigit': return { kind: 'bool', value: text.length > 0 && /^[0-9]+$/.test(text) };
      case 'replace': {
        const [from, to] = [argText(0), argText(1)];
        if (from === null || to === null) throw fail(site, 'str.replace() takes two str');
        if (args.length > 2) throw refuse(site, 'str.replace() with a count');
        return str(text.split(from).join(to));
      }
      case 'split': {
        if (args.length > 1) throw refuse(site, 'str.split() with maxsplit');
        const sep = argText(0);
        if (sep === '') throw fail(site, 'ValueError: empty separator');
        const parts = sep === null ? text.split(/\s+/).filter(Boolean) : text.split(sep);
        if (parts.length > MAX_LOOP) throw refuse(site, 'a split into that many parts');
        return { kind: 'list', items: parts.map(str) };
      }
      case 'join': {
        const items = this.iterate(args[0], site);
        return str(items.map((item) => (item.kind === 'str' ? item.value : (() => { throw fail(site, `sequence item: expected str instance, ${item.kind} found`); })())).join(text));
      }
      case 'format': {
        // `'layer{}'.format(i)` names attributes: fields are filled exactly, a format spec is refused.
        let next = 0;
        const out = text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
          if (field === undefined) return whole[0];
          if (/[!:]/.test(field)) throw refuse(site, `the format field {${field}}`);
          const v = field === '' ? args[next++] : /^\d+$/.test(field) ? args[Number(field)] : undefined;
          if (v === undefined) throw refuse(site, `the format field {${field}}`);
          return pythonStr(v, site);
        });
        return str(out);
      }
      default:
        throw refuse(site, `the str method .${name}()`);
    }
  }

  private dictMethod(d: { kind: 'dict'; keys: Value[]; values: Value[] }, name: string, args: Value[], site: CallSite): Value {
    switch (name) {
      case 'items':
        return { kind: 'list', items: d.keys.map((k, i) => ({ kind: 'tuple', items: [k, d.values[i]] })) };
      case 'keys':
        return { kind: 'list', items: [...d.keys] };
      case 'values':
        return { kind: 'list', items: [...d.values] };
      case 'get': {
        const i = d.keys.findIndex((k) => sameKey(k, args[0]));
        return i >= 0 ? d.values[i] : args[1] ?? NONE;
      }
      default:
        throw refuse(site, `the dict method .${name}()`);
    }
  }

  private callNamespace(path: string, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const parts = path.split('.');
    const leaf = parts[parts.length - 1];
    const root = parts[0];
    if (path.startsWith('builtins.')) return this.builtin(leaf, args, kwargs, site);
    if (leaf === 'pack_sequence' || leaf === 'pad_sequence') throw refuse(site, `packed sequences (${leaf})`);
    if (root === 'torch' || root === 'nn' || root === 'F') {
      const inNn = parts[1] === 'nn' || root === 'nn';
      const functional = parts.includes('functional') || root === 'F';
      if (leaf === 'Variable' || leaf === 'Parameter') {
        const v = args[0] ?? kwargs.get('data');
        // nn.Parameter(pretrained) with pretrained a constructor argument nobody gave: the state dict holds it.
        if (v?.kind === 'unknown' && leaf === 'Parameter') return v;
        if (!isTensor(v)) throw fail(site, `${leaf} wraps a tensor`);
        return leaf === 'Parameter' ? { ...v, parameter: true } : v;
      }
      if (leaf === 'Size') return { kind: 'tuple', items: args.length === 1 ? this.iterate(args[0], site) : args };
      if (leaf === 'device') return { kind: 'str', value: 'cpu' };
      if (leaf === 'is_available') return { kind: 'bool', value: false };
      if (leaf === 'no_grad' || leaf === 'set_grad_enabled' || leaf === 'manual_seed') return NONE;
      if (leaf === 'is_tensor') return { kind: 'bool', value: args[0]?.kind === 'tensor' };
      if (inNn && !functional && !parts.includes('init') && /^[A-Z]/.test(leaf)) return this.makeLayer(leaf, args, kwargs, site);
      const def = findOp(leaf);
      if (def) {
        const out = callOp(def, args, kwargs, site);
        this.onCall?.(site, leaf, out);
        return out;
      }
      throw refuse(site, `${functional ? 'F' : 'torch'}.${leaf}`);
    }
    if (root === 'np' || root === 'numpy') return this.numpyFunction(parts.slice(1).join('.'), args, kwargs, site) ?? this.mathFunction(leaf, args, site);
    if (root === 'math') return this.mathFunction(leaf, args, site);
    if (leaf === 'Variable') {
      if (!isTensor(args[0])) throw fail(site, 'Variable wraps a tensor');
      return args[0];
    }
    throw refuse(site, `${path} (from another module)`);
  }

  /**
   * NumPy's array factories, as the tensors `.numpy()` stands for: np.zeros/np.ones/np.empty of a shape (empty's
   * contents are unspecified: zeros are one), and np.random's arrays, which are random numbers like torch.rand's
   * (refused in forward; in __init__ only weights the state dict replaces are filled with them). Undefined: not one of these.
   */
  private numpyFunction(name: string, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value | undefined {
    const sizes = (shape: Value | undefined): Value[] | undefined => {
      if (shape === undefined || shape.kind === 'none') return undefined;
      return shape.kind === 'int' ? [shape] : this.iterate(shape, site);
    };
    const factory = (op: string, shape: Value[] | undefined): Value => {
      if (shape === undefined) throw refuse(site, `np.${name} without a shape`);
      return callOp(findOp(op)!, shape, new Map(), site);
    };
    switch (name) {
      case 'zeros':
      case 'empty':
        return factory('zeros', sizes(args[0] ?? kwargs.get('shape')));
      case 'ones':
        return factory('ones', sizes(args[0] ?? kwargs.get('shape')));
      case 'random.uniform':
      case 'random.normal':
        return factory('rand', sizes(args[2] ?? kwargs.get('size')));
      case 'random.rand':
      case 'random.randn':
        return factory('rand', args.length > 0 ? args : undefined);
      default:
        return undefined;
    }
  }

  private mathFunction(name: string, args: Value[], site: CallSite): Value {
    const x = numberOf(args[0]);
    if (x === null) throw refuse(site, `${name} of a ${args[0]?.kind ?? 'nothing'}`);
    const f: Record<string, (v: number) => number> = { sqrt: Math.sqrt, log: Math.log, exp: Math.exp, floor: Math.floor, ceil: Math.ceil, tanh: Math.tanh, sin: Math.sin, cos: Math.cos, log2: Math.log2, log10: Math.log10, fabs: Math.abs };
    if (!f[name]) throw refuse(site, `math.${name}`);
    const v = f[name](x);
    return name === 'floor' || name === 'ceil' ? { kind: 'int', value: v } : { kind: 'float', value: v };
  }

  /** `nn.LSTM(…)`: the layer with its arguments bound by name, built once the module tree has its paths. */
  private makeLayer(type: string, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    if (type === 'Module') return { kind: 'object', obj: { kind: 'user', cls: { name: 'Module', def: null as unknown as A.ClassDef, bases: [], methods: new Map(), classAttrs: new Map() }, attrs: new Map(), path: null, isModule: true } };
    const layer: Layer = { kind: 'layer', type, args: new Map(), children: [], keys: null, line: site.line, path: null };
    if (type === 'Sequential') {
      if (args.length === 1 && args[0].kind === 'dict') {
        layer.keys = args[0].keys.map((k) => (k.kind === 'str' ? k.value : String(numberOf(k))));
        layer.children = [...args[0].values];
      } else layer.children = [...args];
    } else if (type === 'ModuleList') {
      layer.children = args.length > 0 ? this.iterate(args[0], site) : [];
    } else if (type === 'ModuleDict') {
      const d = args[0];
      if (d && d.kind === 'dict') {
        layer.keys = d.keys.map((k) => (k.kind === 'str' ? k.value : String(numberOf(k))));
        layer.children = [...d.values];
      } else layer.keys = [];
    } else {
      const params = layerParams(type);
      if (params) {
        if (args.length > params.length) throw fail(site, `nn.${type} takes at most ${params.length} positional arguments`);
        args.forEach((v, i) => layer.args.set(params[i].name, v));
        for (const [k, v] of kwargs) layer.args.set(k, v);
        for (const p of params) if (!layer.args.has(p.name) && p.fallback) layer.args.set(p.name, p.fallback);
      } else {
        args.forEach((v, i) => layer.args.set(`#${i}`, v));
        for (const [k, v] of kwargs) layer.args.set(k, v);
      }
    }
    this.layers.push(layer);
    return { kind: 'module', layer };
  }

  private builtin(name: string, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
    const first = args[0];
    switch (name) {
      case 'len': {
        if (!first) throw fail(site, 'len() takes exactly one argument');
        if (first.kind === 'tensor') {
          if (first.t.rank === 0) throw fail(site, 'len() of a 0-d tensor');
          return { kind: 'int', value: first.t.shape[0] };
        }
        if (first.kind === 'str') return { kind: 'int', value: first.value.length };
        return { kind: 'int', value: this.iterate(first, site).length };
      }
      case 'range': {
        const n = args.map((a) => {
          const v = numberOf(a) ?? (a.kind === 'tensor' && a.t.size === 1 && a.t.dtype !== 'float32' ? a.t.dataSync()[0] : null);
          if (v === null || !Number.isInteger(v)) throw fail(site, `range() takes integers, not ${a.kind}`);
          return v;
        });
        const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
        if (step === 0) throw fail(site, 'range() arg 3 must not be zero');
        return { kind: 'range', start, stop, step };
      }
      case 'enumerate': {
        const start = numberOf(args[1] ?? kwargs.get('start')) ?? 0;
        return { kind: 'list', items: this.iterate(first, site).map((v, i) => ({ kind: 'tuple', items: [{ kind: 'int', value: i + start }, v] })) };
      }
      case 'zip': {
        const lists = args.map((a) => this.iterate(a, site));
        const n = Math.min(...lists.map((l) => l.length));
        return { kind: 'list', items: [...Array(n).keys()].map((i) => ({ kind: 'tuple', items: lists.map((l) => l[i]) })) };
      }
      case 'reversed':
        return { kind: 'list', items: this.iterate(first, site).reverse() };
      case 'list':
        return { kind: 'list', items: first ? this.iterate(first, site) : [] };
      case 'tuple':
        return { kind: 'tuple', items: first ? this.iterate(first, site) : [] };
      case 'dict':
        if (!first && kwargs.size > 0) return { kind: 'dict', keys: [...kwargs.keys()].map((k) => ({ kind: 'str', value: k })), values: [...kwargs.values()] };
        if (!first) return { kind: 'dict', keys: [], values: [] };
        break;
      case 'int':
      case 'float':
      case 'bool':
      case 'round':
      case 'abs': {
        if (name === 'float' && first?.kind === 'str' && /^[+-]?(inf|infinity|nan)$/i.test(first.value.trim())) {
          return { kind: 'float', value: /nan/i.test(first.value) ? NaN : first.value.trim().startsWith('-') ? -Infinity : Infinity };
        }
        let v = numberOf(first);
        if (v === null && first?.kind === 'tensor' && first.t.size === 1) v = first.t.dataSync()[0];
        if (v === null && name === 'bool') return { kind: 'bool', value: this.truthy(first ?? NONE, site) };
        if (v === null) {
          if (name === 'abs' && first?.kind === 'tensor') return callOp(findOp('abs')!, [first], new Map(), site);
          throw refuse(site, `${name}() of a ${first?.kind ?? 'nothing'}`);
        }
        if (name === 'int') return { kind: 'int', value: Math.trunc(v) };
        if (name === 'float') return { kind: 'float', value: v };
        if (name === 'bool') return { kind: 'bool', value: v !== 0 };
        if (name === 'abs') return first!.kind === 'float' ? { kind: 'float', value: Math.abs(v) } : { kind: 'int', value: Math.abs(v) };
        return { kind: 'int', value: Math.round(v) };
      }
      case 'min':
      case 'max': {
        const items = args.length === 1 ? this.iterate(first, site) : args;
        const nums = items.map((v) => numberOf(v));
        if (nums.length === 0 || nums.some((v) => v === null)) throw refuse(site, `${name}() of values that are not numbers`);
        const pick = (name === 'min' ? Math.min : Math.max)(...(nums as number[]));
        return items[nums.indexOf(pick)];
      }
      case 'sum': {
        const items = this.iterate(first, site);
        let total: Value = args[1] ?? { kind: 'int', value: 0 };
        for (const item of items) total = this.binary('+', total, item, site);
        return total;
      }
      case 'isinstance': {
        const types = args[1]?.kind === 'tuple' ? args[1].items : [args[1]];
        return { kind: 'bool', value: types.some((t) => this.isInstance(first, t)) };
      }
      case 'hasattr':
        return { kind: 'bool', value: args[1]?.kind === 'str' && this.tryAttr(first, args[1].value) !== undefined };
      case 'getattr': {
        if (args[1]?.kind !== 'str') throw refuse(site, 'getattr with a name that is not a constant string');
        const found = this.tryAttr(first, args[1].value);
        if (found !== undefined) return found;
        if (args[2]) return args[2];
        throw fail(site, `object has no attribute '${args[1].value}'`);
      }
      case 'setattr':
        if (first?.kind === 'object' && args[1]?.kind === 'str') {
          first.obj.attrs.set(args[1].value, args[2]);
          return NONE;
        }
        break;
      case 'print':
        return NONE;
      case 'next': {
        const items = this.iterate(first, site);
        if (items.length === 0) throw fail(site, 'StopIteration');
        return items[0];
      }
      case 'iter':
        return { kind: 'list', items: this.iterate(first, site) };
      case 'str':
        return { kind: 'str', value: first ? pythonStr(first, site) : '' };
      case 'super': {
        throw refuse(site, 'super(…) outside a method');
      }
      case 'any':
      case 'all': {
        const items = this.iterate(first, site).map((v) => this.truthy(v, site));
        return { kind: 'bool', value: name === 'any' ? items.some(Boolean) : items.every(Boolean) };
      }
      default:
        break;
    }
    throw refuse(site, `the builtin ${name}()`);
  }

  private isInstance(v: Value | undefined, type: Value | undefined): boolean {
    if (!v || !type) return false;
    if (type.kind === 'namespace') {
      const leaf = type.path.split('.').pop()!;
      const kinds: Record<string, string[]> = { tuple: ['tuple'], list: ['list'], int: ['int'], float: ['float'], bool: ['bool'], str: ['str'], dict: ['dict'], Tensor: ['tensor'] };
      return (kinds[leaf] ?? []).includes(v.kind) || (leaf.endsWith('Tensor') && v.kind === 'tensor');
    }
    if (type.kind === 'class' && v.kind === 'object') {
      let found = false;
      const walk = (c: ClassInfo) => {
        if (c === type.cls) found = true;
        c.bases.forEach((b) => b !== 'Module' && walk(b));
      };
      walk(v.obj.cls);
      return found;
    }
    return false;
  }

  // ── statements ────────────────────────────────────────────────────────────

  private tick(site: CallSite): void {
    if (++this.steps > STEP_BUDGET) throw refuse(site, `a run of more than ${STEP_BUDGET.toLocaleString('en-US')} steps`);
  }

  resetBudget(): void {
    this.steps = 0;
  }

  block(stmts: A.Stmt[], frame: Frame): Flow {
    for (const stmt of stmts) {
      const flow = this.stmt(stmt, frame);
      if (flow) return flow;
    }
    return null;
  }

  private stmt(s: A.Stmt, frame: Frame): Flow {
    const site = this.site(s.range);
    this.tick(site);
    switch (s.kind) {
      case 'expr':
        if (s.value.kind === 'str') return null;
        this.expr(s.value, frame);
        return null;
      case 'assign': {
        if (s.op) {
          const target = s.targets[0];
          const value = this.binary(s.op, this.expr(target, frame), this.expr(s.value, frame), site);
          this.assign(target, value, frame, site);
          return null;
        }
        const value = this.expr(s.value, frame);
        for (const t of s.targets) this.assign(t, value, frame, site);
        if (this.onBind) this.bindings(s.targets, value, this.text(s.value.range), site.line);
        return null;
      }
      case 'return': {
        const value = s.value ? this.expr(s.value, frame) : NONE;
        if (this.onBind && value.kind === 'tensor') this.onBind({ line: site.line, name: 'return', expression: s.value ? this.text(s.value.range) : '', value });
        return { kind: 'return', value };
      }
      case 'if':
        return this.block(this.truthy(this.expr(s.test, frame), this.site(s.test.range)) ? s.body : s.orelse, frame);
      case 'for': {
        const items = this.iterate(this.expr(s.iter, frame), this.site(s.iter.range));
        if (items.length > MAX_LOOP) throw refuse(site, `a loop of ${items.length} turns (at most ${MAX_LOOP})`);
        for (const item of items) {
          this.assign(s.target, item, frame, site);
          const flow = this.block(s.body, frame);
          if (flow?.kind === 'break') return null;
          if (flow?.kind === 'return') return flow;
        }
        return this.block(s.orelse, frame);
      }
      case 'while': {
        for (let turn = 0; this.truthy(this.expr(s.test, frame), site); turn++) {
          if (turn >= MAX_LOOP) throw refuse(site, `a while loop past ${MAX_LOOP} turns`);
          const flow = this.block(s.body, frame);
          if (flow?.kind === 'break') return null;
          if (flow?.kind === 'return') return flow;
        }
        return null;
      }
      case 'with':
        for (const item of s.items) {
          const text = this.text(item.value.range);
          if (!/no_grad|set_grad_enabled|enable_grad|autocast|inference_mode/.test(text)) throw refuse(site, `the context manager \`${text}\``);
        }
        return this.block(s.body, frame);
      case 'pass':
      case 'def':
      case 'class':
      case 'import':
        return null;
      case 'try':
        // Exceptions are not modelled: the body runs; a failure in it is the model's failure.
        return this.block(s.body, frame) ?? this.block(s.final, frame);
      case 'other': {
        const word = this.text(s.range).trim().split(/[\s(:]/)[0];
        if (word === 'break') return { kind: 'break' };
        if (word === 'continue') return { kind: 'continue' };
        if (word === 'assert' || word === 'global' || word === 'nonlocal') return null;
        if (word === 'raise') throw fail(site, `the model raises: ${this.text(s.range).trim()}`);
        if (word === 'del') return null;
        throw refuse(site, `the statement \`${this.text(s.range).trim().split('\n')[0]}\``);
      }
      default:
        return null;
    }
  }

  private bindings(targets: A.Expr[], value: Value, expression: string, line: number): void {
    const visit = (t: A.Expr, v: Value) => {
      if (t.kind === 'name' && v.kind === 'tensor') this.onBind!({ line, name: t.id, expression, value: v });
      else if ((t.kind === 'tuple' || t.kind === 'list') && (v.kind === 'tuple' || v.kind === 'list') && t.items.length === v.items.length) {
        t.items.forEach((item, i) => visit(item, v.items[i]));
      }
    };
    for (const t of targets) visit(t, value);
  }

  private assign(target: A.Expr, value: Value, frame: Frame, site: CallSite): void {
    switch (target.kind) {
      case 'name':
        frame.vars.set(target.id, value);
        return;
      case 'tuple':
      case 'list': {
        const items = this.iterate(value, site);
        const star = target.items.findIndex((t) => t.kind === 'starred');
        if (star < 0) {
          if (items.length !== target.items.length) throw fail(site, `cannot unpack ${items.length} values into ${target.items.length} names`);
          target.items.forEach((t, i) => this.assign(t, items[i], frame, site));
          return;
        }
        const after = target.items.length - star - 1;
        if (items.length < target.items.length - 1) throw fail(site, `not enough values to unpack (expected at least ${target.items.length - 1}, got ${items.length})`);
        target.items.slice(0, star).forEach((t, i) => this.assign(t, items[i], frame, site));
        this.assign((target.items[star] as A.Starred).value, { kind: 'list', items: items.slice(star, items.length - after) }, frame, site);
        target.items.slice(star + 1).forEach((t, i) => this.assign(t, items[items.length - after + i], frame, site));
        return;
      }
      case 'attribute': {
        const owner = this.expr(target.object, frame);
        if (owner.kind === 'object') {
          owner.obj.attrs.set(target.attr, value);
          return;
        }
        const spec = owner.kind === 'module' ? this.layerTensorSpecs(owner.layer, site)?.find((p) => p.name === target.attr) : undefined;
        if (owner.kind === 'module' && (spec || target.attr === 'weight' || target.attr === 'bias')) {
          // Tied or replaced weights in `__init__` (`self.decoder.weight = self.encoder.weight`, `= nn.Parameter(pretrained)`,
          // `.bias = None`): the layer holds what was assigned, with its shape; the state dict gives the values.
          // Once the layer runs (forward replacing a weight), the loaded tensors stand.
          if (!spec || owner.layer.runtime || (value.kind !== 'tensor' && value.kind !== 'none')) return;
          if (value.kind === 'tensor' && !spec.buffer && !value.parameter) {
            throw fail(site, `cannot assign a tensor as parameter '${target.attr}' (torch.nn.Parameter or None expected)`);
          }
          (owner.layer.replaced ??= new Map()).set(target.attr, value.kind === 'tensor' ? value : null);
          owner.layer.tiedTo?.delete(target.attr);
          if (value.kind === 'tensor') {
            const from = this.holderOf(value, owner.layer, target.attr);
            if (from) (owner.layer.tiedTo ??= new Map()).set(target.attr, from);
            if (!this.standIns.has(owner.layer)) this.standIns.set(owner.layer, new Map());
            this.standIns.get(owner.layer)!.set(target.attr, value);
          } else this.standIns.get(owner.layer)?.delete(target.attr);
          return;
        }
        if (owner.kind === 'module') {
          // Any other attribute set on a layer is a plain Python attribute, read back as it was set.
          owner.layer.args.set(target.attr, value);
          return;
        }
        if (owner.kind === 'tensor' && (target.attr === 'requires_grad' || target.attr === 'data' || target.attr === 'grad')) return; // autograd flags, or weights the state dict replaces
        throw refuse(site, `setting .${target.attr} on a ${owner.kind}`);
      }
      case 'subscript': {
        const container = this.expr(target.value, frame);
        const index = this.indexValues(target.index, frame);
        if (container.kind === 'tensor') {
          this.assign(target.value, assignIndex(site, container, index, value), frame, site);
          return;
        }
        if (container.kind === 'list' && index.length === 1 && index[0].kind === 'int') {
          const i = index[0].value < 0 ? container.items.length + index[0].value : index[0].value;
          if (i < 0 || i >= container.items.length) throw fail(site, 'list assignment index out of range');
          container.items[i] = value;
          return;
        }
        if (container.kind === 'dict' && index.length === 1) {
          const i = container.keys.findIndex((k) => sameKey(k, index[0]));
          if (i >= 0) container.values[i] = value;
          else {
            container.keys.push(index[0]);
            container.values.push(value);
          }
          return;
        }
        if (container.kind === 'module' && container.layer.type === 'ModuleDict' && index[0]?.kind === 'str') {
          container.layer.keys!.push(index[0].value);
          container.layer.children.push(value);
          return;
        }
        throw refuse(site, `assigning into a ${container.kind} by subscript`);
      }
      default:
        throw refuse(site, `assigning to \`${this.text(target.range)}\``);
    }
  }

  /** The items a `for` loop, a comprehension or an unpacking walks over. */
  iterate(v: Value | undefined, site: CallSite): Value[] {
    if (!v) throw fail(site, 'nothing to iterate over');
    switch (v.kind) {
      case 'list':
      case 'tuple':
        return [...v.items];
      case 'range': {
        const count = Math.max(0, Math.ceil((v.stop - v.start) / v.step));
        if (count > MAX_LOOP) throw refuse(site, `a range of ${count} values (at most ${MAX_LOOP})`);
        return [...Array(count).keys()].map((i) => ({ kind: 'int', value: v.start + i * v.step }));
      }
      case 'dict':
        return [...v.keys];
      case 'tensor': {
        if (v.t.rank === 0) throw fail(site, 'iteration over a 0-d tensor');
        if (v.t.shape[0] > MAX_LOOP) throw refuse(site, `a loop over ${v.t.shape[0]} rows`);
        return tfjs().unstack(v.t, 0).map((t) => result(t, v.roles?.slice(1)));
      }
      case 'module':
        if (v.layer.type === 'ModuleDict') return v.layer.keys!.map((k) => ({ kind: 'str', value: k }));
        if (CONTAINERS.has(v.layer.type)) return [...v.layer.children];
        break;
      case 'str':
        return [...v.value].map((c) => ({ kind: 'str', value: c }));
      default:
        break;
    }
    throw fail(site, `a ${v.kind} is not iterable`);
  }

  truthy(v: Value, site: CallSite): boolean {
    unknownGuard(site, v);
    switch (v.kind) {
      case 'bool': return v.value;
      case 'int':
      case 'float': return v.value !== 0;
      case 'none': return false;
      case 'str': return v.value.length > 0;
      case 'list':
      case 'tuple': return v.items.length > 0;
      case 'dict': return v.keys.length > 0;
      case 'tensor':
        if (v.t.size !== 1) throw fail(site, `Boolean value of Tensor with more than one value is ambiguous (a tensor ${JSON.stringify(v.t.shape)})`);
        return v.t.dataSync()[0] !== 0;
      default: return true;
    }
  }

  // ── expressions ───────────────────────────────────────────────────────────

  expr(e: A.Expr, frame: Frame): Value {
    switch (e.kind) {
      case 'int':
        return { kind: 'int', value: e.value };
      case 'float':
        return { kind: 'float', value: e.value };
      case 'str':
        return { kind: 'str', value: e.value };
      case 'true':
      case 'false':
        return { kind: 'bool', value: e.kind === 'true' };
      case 'none':
        return NONE;
      case 'ellipsis':
        return { kind: 'ellipsis' };
      case 'name':
        return this.lookup(e.id, frame, this.site(e.range));
      case 'attribute':
        return this.attribute(this.expr(e.object, frame), e.attr, this.site(e.range));
      case 'call':
        return this.callExpr(e, frame);
      case 'tuple':
      case 'list': {
        const items: Value[] = [];
        for (const item of e.items) {
          if (item.kind === 'starred') items.push(...this.iterate(this.expr(item.value, frame), this.site(item.range)));
          else items.push(this.expr(item, frame));
        }
        return { kind: e.kind, items };
      }
      case 'dict':
        return { kind: 'dict', keys: e.entries.map((en) => this.expr(en.key, frame)), values: e.entries.map((en) => this.expr(en.value, frame)) };
      case 'subscript':
        return this.subscript(this.expr(e.value, frame), this.indexValues(e.index, frame), this.site(e.range));
      case 'binop':
        return this.binary(e.op, this.expr(e.left, frame), this.expr(e.right, frame), this.site(e.range));
      case 'unary':
        return this.unary(e.op, this.expr(e.operand, frame), this.site(e.range));
      case 'conditional':
        return this.truthy(this.expr(e.test, frame), this.site(e.test.range)) ? this.expr(e.body, frame) : this.expr(e.orelse, frame);
      case 'boolop': {
        const left = this.expr(e.left, frame);
        const l = this.truthy(left, this.site(e.left.range));
        if (e.op === 'and') return l ? this.expr(e.right, frame) : left;
        return l ? left : this.expr(e.right, frame);
      }
      case 'compare':
        return this.compare(e, frame);
      case 'comprehension':
        return this.comprehension(e, frame);
      case 'slice':
        return this.sliceValue(e, frame);
      case 'starred':
        throw refuse(this.site(e.range), 'a starred expression here');
      default:
        throw refuse(this.site(e.range), `the expression \`${this.text(e.range)}\``);
    }
  }

  private sliceValue(e: A.Slice, frame: Frame): Value {
    const part = (x: A.Expr | undefined): number | null => {
      if (!x) return null;
      const v = this.expr(x, frame);
      if (v.kind === 'none') return null;
      const n = numberOf(v) ?? (v.kind === 'tensor' && v.t.size === 1 && v.t.dtype !== 'float32' ? v.t.dataSync()[0] : null);
      if (n === null) throw refuse(this.site(x.range), `a slice bound that is a ${v.kind}`);
      return n;
    };
    return { kind: 'slice', start: part(e.start), stop: part(e.stop), step: part(e.step) };
  }

  private indexValues(index: A.Expr[], frame: Frame): Value[] {
    // `x[a, b]` lowers to two index expressions; `x[(a, b)]` to one tuple: both are two indices.
    const values = index.map((i) => this.expr(i, frame));
    return values.length === 1 && values[0].kind === 'tuple' ? values[0].items : values;
  }

  private lookup(name: string, frame: Frame, site: CallSite): Value {
    const local = frame.vars.get(name);
    if (local !== undefined) return local;
    const global = this.global(name, site, frame.scope);
    if (global !== undefined) return global;
    if (BUILTINS.has(name)) return { kind: 'namespace', path: `builtins.${name}` };
    if (name === 'super') return { kind: 'namespace', path: 'builtins.super' };
    const free = this.freeName?.(name);
    if (free !== undefined) return free;
    throw refuse(site, `the name ${name}, which is not defined in ${frame.scope.path === null ? 'this file' : site.file ?? 'its file'}`);
  }

  private callExpr(e: A.Call, frame: Frame): Value {
    const site = this.site(e.range);
    // super().method(…) and super(Cls, self).method(…)
    if (e.func.kind === 'attribute' && e.func.object.kind === 'call' && e.func.object.func.kind === 'name' && e.func.object.func.id === 'super') {
      const self = frame.vars.get('self');
      if (self?.kind !== 'object' || !frame.cls) throw refuse(site, 'super() outside a method');
      return this.callBound({ kind: 'super', self: self.obj, after: frame.cls }, e.func.attr, this.args(e, frame).args, this.args(e, frame).kwargs, site);
    }
    const f = this.expr(e.func, frame);
    const { args, kwargs } = this.args(e, frame);
    const out = this.call(f, args, kwargs, site);
    // `h.add_(x)`, `mask.masked_fill_(…)`: tensors here are values, so the in-place result is bound back to the receiver.
    if (f.kind === 'bound' && f.target.kind === 'tensor' && /^[a-z]\w*[a-z0-9]_$/.test(f.name) && out.kind === 'tensor' && e.func.kind === 'attribute') {
      const receiver = e.func.object;
      if (receiver.kind === 'name' || receiver.kind === 'subscript' || (receiver.kind === 'attribute' && this.expr(receiver.object, frame).kind === 'object')) {
        this.assign(receiver, out, frame, site);
      }
    }
    return out;
  }

  private args(e: A.Call, frame: Frame): { args: Value[]; kwargs: Map<string, Value> } {
    const positional: { at: number; values: Value[] }[] = e.args.map((a) => ({ at: offset(a.range), values: [this.expr(a, frame)] }));
    for (const s of e.starArgs) positional.push({ at: offset(s.range), values: this.iterate(this.expr(s, frame), this.site(s.range)) });
    positional.sort((x, y) => x.at - y.at);
    const kwargs = new Map<string, Value>();
    for (const k of e.keywords) kwargs.set(k.name, this.expr(k.value, frame));
    for (const s of e.starKwargs) {
      const d = this.expr(s, frame);
      if (d.kind !== 'dict') throw refuse(this.site(s.range), `**${d.kind}`);
      d.keys.forEach((k, i) => {
        if (k.kind === 'str') kwargs.set(k.value, d.values[i]);
      });
    }
    return { args: positional.flatMap((p) => p.values), kwargs };
  }

  attribute(v: Value, name: string, site: CallSite): Value {
    const found = this.tryAttr(v, name, site);
    if (found !== undefined) return found;
    if (v.kind === 'object') throw fail(site, `'${v.obj.cls.name}' object has no attribute '${name}'`);
    throw refuse(site, `the attribute .${name} of ${v.kind === 'module' ? `nn.${v.layer.type}` : `a ${v.kind}`}`);
  }

  private tryAttr(v: Value | undefined, name: string, site: CallSite = { line: 0, text: '' }): Value | undefined {
    if (!v) return undefined;
    switch (v.kind) {
      case 'object': {
        const own = v.obj.attrs.get(name);
        if (own !== undefined) return own;
        if (name === 'training') return { kind: 'bool', value: false };
        if (this.findMethod(v.obj.cls, name)) return { kind: 'bound', target: v, name };
        const ca = this.classAttr(v.obj.cls, name);
        if (ca) return this.expr(ca, { vars: new Map(), cls: v.obj.cls, scope: v.obj.cls.scope ?? this.main });
        if (v.obj.isModule && MODULE_METHODS.has(name)) return { kind: 'bound', target: v, name };
        return undefined;
      }
      case 'class': {
        const ca = this.classAttr(v.cls, name);
        if (ca) return this.expr(ca, { vars: new Map(), cls: v.cls, scope: v.cls.scope ?? this.main });
        const m = this.findMethod(v.cls, name);
        return m ? { kind: 'function', def: m.def, owner: m.owner } : undefined;
      }
      case 'module': {
        // A layer's own tensors first: nn.Linear's .bias is its bias vector, not the bias=True it was built with.
        const own = this.layerTensor(v.layer, name, site);
        if (own !== undefined) return own;
        const arg = v.layer.args.get(name);
        if (arg !== undefined) return arg;
        if (name === 'training') return { kind: 'bool', value: false };
        if (MODULE_METHODS.has(name) || name === 'forward' || (name === 'append' || name === 'extend' || name === 'insert') || layerMethod(v.layer.type, name)) return { kind: 'bound', target: v, name };
        if (v.layer.type === 'ModuleDict' || v.layer.type === 'Sequential') {
          const i = v.layer.keys?.indexOf(name) ?? -1;
          if (i >= 0) return v.layer.children[i];
        }
        return undefined;
      }
      case 'tensor':
        switch (name) {
          case 'shape': return { kind: 'tuple', items: v.t.shape.map((s) => ({ kind: 'int', value: s })) };
          case 'data': return v;
          case 'T': return callOp(findOp('permute')!, [v, ...[...Array(v.t.rank).keys()].reverse().map((i): Value => ({ kind: 'int', value: i }))], new Map(), site);
          case 'device': return { kind: 'str', value: 'cpu' };
          case 'dtype': return { kind: 'dtype', name: v.t.dtype as 'float32' };
          case 'is_cuda':
          case 'requires_grad': return { kind: 'bool', value: false };
          case 'ndim': return { kind: 'int', value: v.t.rank };
          default: return findOp(name) ? { kind: 'bound', target: v, name } : undefined;
        }
      case 'tuple': {
        const i = v.fields?.indexOf(name) ?? -1;
        return i >= 0 ? v.items[i] : undefined;
      }
      case 'list':
      case 'dict':
      case 'str':
        return { kind: 'bound', target: v, name };
      case 'namespace': {
        const path = `${v.path}.${name}`;
        if ((v.path === 'torch' || v.path === 'np' || v.path === 'numpy') && DTYPES[name]) return { kind: 'dtype', name: DTYPES[name] };
        if (v.path === 'math' || v.path === 'np' || v.path === 'numpy') {
          if (name === 'pi') return { kind: 'float', value: Math.PI };
          if (name === 'e') return { kind: 'float', value: Math.E };
          if (name === 'inf') return { kind: 'float', value: Infinity };
        }
        return { kind: 'namespace', path };
      }
      case 'packed':
        return name === 'data' ? v.data : undefined;
      case 'pymodule': {
        const own = this.global(name, site, v.scope);
        if (own !== undefined) return own;
        // `import pkg` then `pkg.sub`: a submodule of a package.
        const sub = v.scope.path?.endsWith('__init__.py') ? this.resolveIn(`.${name}`, v.scope) : undefined;
        const loaded = sub ? this.loadModule(sub) : undefined;
        return loaded ? { kind: 'pymodule', scope: loaded } : undefined;
      }
      case 'dtype':
        if (name === 'is_floating_point') return { kind: 'bool', value: v.name === 'float32' };
        return undefined;
      default:
        return undefined;
    }
  }

  subscript(v: Value, index: Value[], site: CallSite): Value {
    if (v.kind === 'tensor') {
      const out = indexTensor(site, v, index);
      this.onCall?.(site, 'index', out);
      return out;
    }
    const one = index.length === 1 ? index[0] : null;
    if (!one) throw refuse(site, `indexing a ${v.kind} with several indices`);
    const seq = v.kind === 'list' || v.kind === 'tuple' ? v.items
      : v.kind === 'module' && CONTAINERS.has(v.layer.type) && one.kind !== 'str' ? v.layer.children
        : v.kind === 'range' ? this.iterate(v, site) : null;
    if (seq) {
      if (one.kind === 'int' || one.kind === 'bool' || (one.kind === 'tensor' && one.t.size === 1 && one.t.dtype !== 'float32')) {
        const n = one.kind === 'tensor' ? one.t.dataSync()[0] : numberOf(one)!;
        const i = n < 0 ? seq.length + n : n;
        if (i < 0 || i >= seq.length) throw fail(site, `index ${n} is out of range for a ${v.kind === 'module' ? `nn.${v.layer.type}` : v.kind} of ${seq.length}`);
        return seq[i];
      }
      if (one.kind === 'slice') {
        const step = one.step ?? 1;
        if (step === 0) throw fail(site, 'slice step cannot be zero');
        const n = seq.length;
        const items: Value[] = [];
        if (step > 0) {
          const clamp = (x: number | null, fallback: number) => (x === null ? fallback : x < 0 ? Math.max(0, x + n) : Math.min(n, x));
          for (let i = clamp(one.start, 0); i < clamp(one.stop, n); i += step) items.push(seq[i]);
        } else {
          const clamp = (x: number | null, fallback: number) => (x === null ? fallback : x < 0 ? Math.max(-1, x + n) : Math.min(n - 1, x));
          for (let i = clamp(one.start, n - 1); i > clamp(one.stop, -1); i += step) items.push(seq[i]);
        }
        if (v.kind === 'module') return { kind: 'module', layer: { ...v.layer, children: items, keys: null } };
        return { kind: v.kind === 'tuple' ? 'tuple' : 'list', items };
      }
    }
    if (v.kind === 'dict') {
      const i = v.keys.findIndex((k) => sameKey(k, one));
      if (i < 0) throw fail(site, `KeyError: ${one.kind === 'str' ? `'${one.value}'` : numberOf(one)}`);
      return v.values[i];
    }
    if (v.kind === 'module' && v.layer.keys && one.kind === 'str') {
      const i = v.layer.keys.indexOf(one.value);
      if (i < 0) throw fail(site, `KeyError: '${one.value}'`);
      return v.layer.children[i];
    }
    if (v.kind === 'str' && one.kind === 'int') return { kind: 'str', value: v.value[one.value] ?? '' };
    throw refuse(site, `indexing a ${v.kind === 'module' ? `nn.${v.layer.type}` : v.kind} with a ${one.kind}`);
  }

  binary(op: string, left: Value, right: Value, site: CallSite): Value {
    unknownGuard(site, left, right);
    if (left.kind === 'tensor' || right.kind === 'tensor') {
      const toTensor = (v: Value) => {
        if (v.kind === 'tensor') return v.t;
        const n = numberOf(v);
        if (n === null) throw fail(site, `unsupported operand types for ${op}: a tensor and a ${v.kind}`);
        return tfjs().scalar(n, v.kind === 'float' ? 'float32' : v.kind === 'bool' ? 'bool' : 'int32');
      };
      const x = toTensor(left);
      const y = toTensor(right);
      const roles = left.kind === 'tensor' && (right.kind !== 'tensor' || left.t.rank >= right.t.rank) ? left.roles : (right as TensorValue).roles;
      if (op === '@') return result(matmul(site, x, y));
      if (!broadcastShapes(x.shape, y.shape)) {
        throw fail(site, `The size of tensor a (${JSON.stringify(x.shape)}) must match the size of tensor b (${JSON.stringify(y.shape)}) at a non-singleton dimension`);
      }
      const out = op === '**' ? power(x, y) : arithmetic(op, x, y);
      if (!out) throw refuse(site, `the operator ${op} on tensors`);
      return result(out, roles);
    }
    const l = numberOf(left);
    const r = numberOf(right);
    if (l !== null && r !== null) {
      const floats = left.kind === 'float' || right.kind === 'float';
      let v: number;
      switch (op) {
        case '+': v = l + r; break;
        case '-': v = l - r; break;
        case '*': v = l * r; break;
        case '/':
          if (r === 0) throw fail(site, 'division by zero');
          return { kind: 'float', value: l / r };
        case '//':
          if (r === 0) throw fail(site, 'integer division or modulo by zero');
          v = Math.floor(l / r); break;
        case '%':
          if (r === 0) throw fail(site, 'integer division or modulo by zero');
          v = ((l % r) + r) % r; break;
        case '**': v = l ** r; return floats || r < 0 ? { kind: 'float', value: v } : { kind: 'int', value: v };
        case '&': v = l & r; break;
        case '|': v = l | r; break;
        case '<<': v = l << r; break;
        case '>>': v = l >> r; break;
        default: throw refuse(site, `the operator ${op}`);
      }
      return floats ? { kind: 'float', value: v } : { kind: 'int', value: v };
    }
    if (op === '+' && left.kind === right.kind && (left.kind === 'list' || left.kind === 'tuple')) {
      return { kind: left.kind, items: [...left.items, ...(right as { items: Value[] }).items] };
    }
    if (op === '+' && left.kind === 'str' && right.kind === 'str') return { kind: 'str', value: left.value + right.value };
    if (op === '*' && (left.kind === 'list' || left.kind === 'tuple') && right.kind === 'int') {
      if (left.items.length * right.value > MAX_LOOP) throw refuse(site, 'a list that long');
      return { kind: left.kind, items: Array.from({ length: right.value }, () => left.items).flat() };
    }
    if (op === '%' && left.kind === 'str') return left;
    throw refuse(site, `${op} on a ${left.kind} and a ${right.kind}`);
  }

  private unary(op: string, v: Value, site: CallSite): Value {
    unknownGuard(site, v);
    if (op === 'not') return { kind: 'bool', value: !this.truthy(v, site) };
    if (v.kind === 'tensor') {
      if (op === '-') return result(tfjs().neg(v.t), v.roles);
      if (op === '+') return v;
      if (op === '~') {
        if (v.t.dtype !== 'bool') throw refuse(site, '~ on an integer tensor (bitwise not)');
        return result(tfjs().logicalNot(v.t), v.roles);
      }
    }
    const n = numberOf(v);
    if (n !== null) {
      if (op === '-') return v.kind === 'float' ? { kind: 'float', value: -n } : { kind: 'int', value: -n };
      if (op === '+') return v;
      if (op === '~' && v.kind !== 'float') return { kind: 'int', value: ~n };
    }
    throw refuse(site, `the operator ${op} on a ${v.kind}`);
  }

  private compare(e: A.Compare, frame: Frame): Value {
    let left = this.expr(e.left, frame);
    let out: Value = { kind: 'bool', value: true };
    for (let i = 0; i < e.ops.length; i++) {
      const right = this.expr(e.comparators[i], frame);
      const r = this.compareOne(e.ops[i], left, right, this.site(e.range));
      if (r.kind === 'tensor') {
        if (e.ops.length > 1) throw refuse(this.site(e.range), 'a chained comparison of tensors');
        return r;
      }
      if (!r.value) return r;
      out = r;
      left = right;
    }
    return out;
  }

  private compareOne(op: string, left: Value, right: Value, site: CallSite): Value & { kind: 'bool' } | TensorValue {
    unknownGuard(site, left, right);
    if (op === 'is' || op === 'is not') {
      const same = left.kind === right.kind && (left.kind === 'none' || left === right || (numberOf(left) !== null && numberOf(left) === numberOf(right)) || (left.kind === 'object' && left.obj === (right as { obj: Instance }).obj) || (left.kind === 'tensor' && left.t === (right as TensorValue).t));
      return { kind: 'bool', value: op === 'is' ? same : !same };
    }
    if (op === 'in' || op === 'not in') {
      const items = right.kind === 'str' && left.kind === 'str' ? null : this.iterate(right, site);
      const found = items ? items.some((x) => sameKey(x, left)) : (right as { value: string }).value.includes((left as { value: string }).value);
      return { kind: 'bool', value: op === 'in' ? found : !found };
    }
    if (left.kind === 'tensor' || right.kind === 'tensor') {
      const t = (v: Value) => (v.kind === 'tensor' ? v.t : tfjs().scalar(numberOf(v) ?? NaN, v.kind === 'float' ? 'float32' : 'int32'));
      if ((left.kind !== 'tensor' && numberOf(left) === null) || (right.kind !== 'tensor' && numberOf(right) === null)) {
        if (op === '==' || op === '!=') return { kind: 'bool', value: op === '!=' };
        throw refuse(site, `comparing a tensor with a ${left.kind === 'tensor' ? right.kind : left.kind}`);
      }
      const x = t(left);
      const y = t(right);
      if (!broadcastShapes(x.shape, y.shape)) throw fail(site, `The size of tensor a (${JSON.stringify(x.shape)}) must match the size of tensor b (${JSON.stringify(y.shape)})`);
      const out = comparison(op, x, y);
      if (!out) throw refuse(site, `the comparison ${op} on tensors`);
      return result(out, left.kind === 'tensor' ? left.roles : (right as TensorValue).roles);
    }
    const l = numberOf(left);
    const r = numberOf(right);
    if (l !== null && r !== null) {
      const value = op === '==' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : op === '>=' ? l >= r : null;
      if (value === null) throw refuse(site, `the comparison ${op}`);
      return { kind: 'bool', value };
    }
    if (op === '==' || op === '!=') {
      const same = sameKey(left, right);
      return { kind: 'bool', value: op === '==' ? same : !same };
    }
    throw refuse(site, `${op} between a ${left.kind} and a ${right.kind}`);
  }

  private comprehension(e: A.Comprehension, frame: Frame): Value {
    const site = this.site(e.range);
    if (e.container === 'set') throw refuse(site, 'a set comprehension');
    if (e.container === 'dict' && !e.key) throw refuse(site, 'a dict comprehension with ** unpacking');
    const inner: Frame = { vars: new Map(frame.vars), cls: frame.cls, scope: frame.scope };
    const out: Value[] = [];
    const keys: Value[] = [];
    const run = (g: number) => {
      if (g === e.generators.length) {
        if (e.key) keys.push(this.expr(e.key, inner));
        out.push(this.expr(e.element, inner));
        if (out.length > MAX_LOOP) throw refuse(site, 'a comprehension that long');
        return;
      }
      const { target, iter, ifs } = e.generators[g];
      for (const item of this.iterate(this.expr(iter, inner), site)) {
        this.tick(site);
        this.assign(target, item, inner, site);
        if (ifs.every((test) => this.truthy(this.expr(test, inner), this.site(test.range)))) run(g + 1);
      }
    };
    run(0);
    if (e.container !== 'dict') return { kind: 'list', items: out };
    // A later equal key replaces the earlier one's value, in the earlier one's place, as in Python.
    const dict: { kind: 'dict'; keys: Value[]; values: Value[] } = { kind: 'dict', keys: [], values: [] };
    keys.forEach((key, i) => {
      const at = dict.keys.findIndex((k) => sameKey(k, key));
      if (at >= 0) dict.values[at] = out[i];
      else {
        dict.keys.push(key);
        dict.values.push(out[i]);
      }
    });
    return dict;
  }

  // ── text ──────────────────────────────────────────────────────────────────

  site(range: import('../../../../analysis/findings').Range): CallSite {
    const foreign = foreignFileOf(range);
    const file = foreign && this.workspace ? relative(dirname(this.workspace.path), foreign.path) : undefined;
    return { line: range.start.line + 1, text: this.text(range), ...(file !== undefined ? { file } : {}) };
  }

  text(range: import('../../../../analysis/findings').Range): string {
    const { start, end } = range;
    const foreign = foreignFileOf(range);
    let lines = this.lines;
    if (foreign) {
      lines = this.foreignLines.get(foreign) ?? foreign.source.split('\n');
      this.foreignLines.set(foreign, lines);
    }
    if (start.line === end.line) return lines[start.line]?.slice(start.column, end.column) ?? '';
    const parts = [lines[start.line]?.slice(start.column) ?? ''];
    for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l] ?? '');
    parts.push(lines[end.line]?.slice(0, end.column) ?? '');
    return parts.map((p) => p.trim()).join(' ');
  }

  /** Runs forward (and its helpers) with random factories refused. */
  inForward<T>(run: () => T): T {
    factoryState.inForward = true;
    try {
      return run();
    } finally {
      factoryState.inForward = false;
    }
  }
}

const BUILTINS = new Set(['len', 'range', 'enumerate', 'zip', 'reversed', 'list', 'tuple', 'dict', 'int', 'float', 'bool', 'round', 'abs', 'min', 'max', 'sum', 'isinstance', 'hasattr', 'getattr', 'setattr', 'print', 'next', 'iter', 'str', 'any', 'all']);

const MODULE_METHODS = new Set(['parameters', 'named_parameters', 'eval', 'train', 'cuda', 'cpu', 'to', 'float', 'flatten_parameters', 'zero_grad', 'requires_grad_', 'register_buffer', 'register_parameter', 'add_module', 'init_weights', 'reset_parameters']);

/** A constructor argument nobody gave cannot take part in a computation. */
function unknownGuard(site: CallSite, ...values: Value[]): void {
  const unknown = values.find((v) => v.kind === 'unknown') as { name: string } | undefined;
  if (unknown) throw new ExecError(site.line, `the constructor argument ${unknown.name} is needed here (\`${site.text}\`) but has no default and nothing gives its value`, true);
}

/** str(v) as Python prints numbers, bools, None and strings; anything else is refused. */
function pythonStr(v: Value, site: CallSite): string {
  switch (v.kind) {
    case 'str': return v.value;
    case 'int': return String(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'float':
      if (Number.isNaN(v.value)) return 'nan';
      if (!Number.isFinite(v.value)) return v.value > 0 ? 'inf' : '-inf';
      // repr's shortest digits, in exponent form below 1e-4 and from 1e16, with at least two exponent digits.
      if (v.value !== 0 && (Math.abs(v.value) < 1e-4 || Math.abs(v.value) >= 1e16)) return v.value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
      return Number.isInteger(v.value) ? `${v.value.toFixed(0)}.0` : String(v.value);
    default:
      throw refuse(site, `str() of a ${v.kind}`);
  }
}

/** `import torch.nn as nn`, `from torch import nn`: a library name, called or read through the namespace it names. */
function fallbackImport(n: A.Import['names'][number]): [string, Value] {
  if (n.name !== undefined) return [n.alias ?? n.name, { kind: 'namespace', path: `${n.module}.${n.name}` }];
  if (n.alias) return [n.alias, { kind: 'namespace', path: n.module }];
  return [n.module.split('.')[0], { kind: 'namespace', path: n.module.split('.')[0] }];
}

function sameKey(a: Value | undefined, b: Value | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== null && y !== null) return x === y;
  if (a.kind === 'none' && b.kind === 'none') return true;
  return a === b;
}

function offset(range: import('../../../../analysis/findings').Range): number {
  return range.start.line * 1_000_000 + range.start.column;
}
