// nn.Module's submodule walks and forward hooks, as PyTorch runs them.
//
// `named_modules()`, `modules()`, `named_children()` and `children()` list a module's registered submodules: the
// attributes that hold a module, in the order they were first set (nn.Module keeps them in `_modules`, an ordered dict,
// and setting an attribute again keeps its place), a container's items under their indices or names, each module once
// (`named_modules` skips one already listed), None entries left out. A plain list or tuple of modules registers none.
// The walk is given only when every submodule is known: an attribute the analysis cannot name, one set on a path that
// may not have run, or a module whose own submodules it does not list (a built-in Transformer, a layer picked among
// alternatives) makes the list one of unknown length, never a shorter one.
//
// `register_forward_pre_hook(hook)` and `register_forward_hook(hook)` make `module(...)` (nn.Module.__call__, not
// `module.forward(...)`) call `hook(module, args)` before forward and `hook(module, args, output)` after it, in the
// order registered (`prepend=True` puts one first). A hook that returns None leaves the arguments or the output as
// they were; one that returns a value replaces them (a pre-hook's single value becomes a one-item argument tuple).
// `with_kwargs=True` hooks take other arguments and are not run. The handle returned removes the hook. A hook
// registered under a condition the analysis cannot decide is not run: whether it was registered is not known.
import type { LayerDesc } from '../layers/layer';
import { MAX_ITEMS, NONE, UNKNOWN, summary, type InstanceValue, type Value } from '../values/value';

/** The value a register_*_hook call gives: its `remove()` takes the hook off again. */
export const HOOK_HANDLE_CLASS = 'torch.utils.hooks.RemovableHandle';

/** What a module hook is registered on: a user module's instance, or a torch layer. */
export type HookOwner = InstanceValue | LayerDesc;

export interface HookHandle {
  list: Value[];
  hook: Value;
}

/** Built-in modules that hold submodules of their own, which a LayerDesc does not list. */
const COMPOSITE_LAYERS = new Set([
  'MultiheadAttention', 'Transformer', 'TransformerEncoder', 'TransformerDecoder', 'TransformerEncoderLayer', 'TransformerDecoderLayer',
]);

export const MODULE_WALKS: ReadonlySet<string> = new Set(['named_modules', 'modules', 'named_children', 'children']);

/** Modules listed at most by one walk: a list's bound. */
const MAX_MODULES = MAX_ITEMS;

export class ModuleHooks {
  private readonly pre = new WeakMap<HookOwner, Value[]>();
  private readonly post = new WeakMap<HookOwner, Value[]>();
  /** Whether any hook was ever registered: calls look for hooks only then. */
  used = false;

  /** Registers `hook`; returns its handle. */
  register(owner: HookOwner, hook: Value, before: boolean, prepend: boolean): HookHandle {
    this.used = true;
    const map = before ? this.pre : this.post;
    let list = map.get(owner);
    if (!list) map.set(owner, (list = []));
    if (prepend) list.unshift(hook);
    else list.push(hook);
    return { list, hook };
  }

  /** Takes a hook off; whether it was still there. */
  remove(handle: HookHandle): boolean {
    const at = handle.list.indexOf(handle.hook);
    if (at < 0) return false;
    handle.list.splice(at, 1);
    return true;
  }

  /** The hooks a call of `owner` runs (copies: a hook may register or remove others while they run). */
  of(owner: HookOwner): { pre: Value[]; post: Value[] } | undefined {
    const pre = this.pre.get(owner);
    const post = this.post.get(owner);
    if (!pre?.length && !post?.length) return undefined;
    return { pre: pre ? [...pre] : [], post: post ? [...post] : [] };
  }
}

/** The key hooks of this module value are kept under, or undefined when it is no torch module. */
export function hookOwner(module: Value): HookOwner | undefined {
  if (module.kind === 'instance') return module.cls.isTorchModule ? module : undefined;
  if (module.kind === 'layer' && module.layer.framework === 'torch') return module.layer.module ?? module.layer;
  return undefined;
}

export interface WalkContext {
  /** Whether an attribute of an instance was set only on a path that may not have run. */
  maybe: (object: InstanceValue, name: string) => boolean;
  /** The names of a Sequential's children, when set by add_module (else their indices). */
  childNames: (layer: LayerDesc) => string[] | undefined;
}

/** A module's registered children in order, as (name, module); undefined when they are not all known. */
function childrenOf(module: Value, context: WalkContext): [string, Value][] | undefined {
  if (module.kind === 'instance') {
    if (!module.cls.isTorchModule) return undefined;
    const children: [string, Value][] = [];
    for (const [name, value] of module.attrs) {
      if (value.kind === 'none' || !mayBeModule(value)) continue;
      if (context.maybe(module, name) || !isModule(value)) return undefined;
      children.push([name, value]);
    }
    // A class extending a torch layer (nn.Sequential's subclass) also has the layer's children.
    if (module.torchLayer) {
      const own = childrenOf({ kind: 'layer', layer: module.torchLayer }, context);
      if (!own) return undefined;
      children.push(...own);
    }
    return children;
  }
  if (module.kind === 'dict' && module.moduleDict) {
    if (module.partial) return undefined;
    const children: [string, Value][] = [];
    for (const [name, value] of module.entries) {
      if (!isModule(value)) return undefined;
      children.push([name, value]);
    }
    return children;
  }
  if (module.kind !== 'layer' || module.layer.framework !== 'torch') return undefined;
  const layer = module.layer;
  if (layer.module) return childrenOf(layer.module, context);
  if (layer.alternatives || layer.repeats || layer.broken || layer.kind === 'Opaque' || COMPOSITE_LAYERS.has(layer.kind)) return undefined;
  const names = context.childNames(layer) ?? layer.children.map((_, i) => String(i));
  if (names.length !== layer.children.length) return undefined;
  const children: [string, Value][] = [];
  for (let i = 0; i < layer.children.length; i++) {
    const child = layer.children[i];
    if (child.kind === 'Opaque' && !child.module) return undefined;
    children.push([names[i], child.module ?? { kind: 'layer', layer: child }]);
  }
  return children;
}

/** Values that may hold a module: anything not known to be something else. */
function mayBeModule(value: Value): boolean {
  return value.kind === 'unknown' || value.kind === 'either' || value.kind === 'instance' || value.kind === 'layer' || (value.kind === 'dict' && value.moduleDict === true);
}

function isModule(value: Value): boolean {
  return (value.kind === 'instance' && value.cls.isTorchModule) || (value.kind === 'layer' && value.layer.framework === 'torch') || (value.kind === 'dict' && value.moduleDict === true);
}

/** The module a walk reaches, for telling one already listed: a layer value is compared by its description. */
function identity(module: Value): unknown {
  return module.kind === 'layer' ? (module.layer.module ?? module.layer) : module;
}

/**
 * `module.<walk>(...)`: the list of modules or (name, module) pairs PyTorch gives, or a list of unknown length when the
 * submodules are not all known. `prefix` and `remove_duplicate` of named_modules are read; `memo` must be left unset.
 */
export function walkModules(root: Value, walk: string, args: Value[], kwargs: Map<string, Value>, context: WalkContext): Value {
  const named = walk === 'named_modules' || walk === 'named_children';
  const unknownLength = summary('list', undefined, named ? { kind: 'tuple', items: [UNKNOWN, UNKNOWN] } : UNKNOWN);
  const pairs: [string, Value][] = [];
  if (walk === 'children' || walk === 'named_children') {
    if (args.length || kwargs.size) return unknownLength;
    const children = childrenOf(root, context);
    if (!children) return unknownLength;
    const seen = new Set<unknown>();
    for (const [name, child] of children) {
      if (seen.has(identity(child))) continue;
      seen.add(identity(child));
      pairs.push([name, child]);
    }
  } else {
    const memo = walk === 'named_modules' ? (args[0] ?? kwargs.get('memo') ?? NONE) : NONE;
    const prefixValue = walk === 'named_modules' ? (args[1] ?? kwargs.get('prefix')) : undefined;
    const dedupValue = walk === 'named_modules' ? (args[2] ?? kwargs.get('remove_duplicate')) : undefined;
    if (memo.kind !== 'none' || (walk === 'modules' && (args.length || kwargs.size))) return unknownLength;
    if (prefixValue && prefixValue.kind !== 'str') return unknownLength;
    if (dedupValue && dedupValue.kind !== 'bool') return unknownLength;
    const dedup = dedupValue?.kind === 'bool' ? dedupValue.value : true;
    const seen = new Set<unknown>();
    const visit = (module: Value, prefix: string, depth: number): boolean => {
      if (dedup && seen.has(identity(module))) return true;
      if (depth > 64 || pairs.length >= MAX_MODULES) return false;
      seen.add(identity(module));
      pairs.push([prefix, module]);
      const children = childrenOf(module, context);
      if (!children) return false;
      for (const [name, child] of children) if (!visit(child, prefix ? `${prefix}.${name}` : name, depth + 1)) return false;
      return true;
    };
    if (!visit(root, prefixValue?.kind === 'str' ? prefixValue.value : '', 0)) return unknownLength;
  }
  return { kind: 'list', items: pairs.map(([name, module]) => (named ? { kind: 'tuple', items: [{ kind: 'str', value: name }, module] } : module)) };
}

