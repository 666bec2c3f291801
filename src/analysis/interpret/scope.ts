// Variable scopes, and how two control-flow paths join: a name keeps its value only where both paths agree.
import { formatShape } from '../shapes/shape';
import { MAX_WEIGHT, UNKNOWN, Value } from '../values/value';

export class Scope {
  readonly vars = new Map<string, Value>();

  constructor(readonly parent?: Scope, private readonly isBranch = false) {}

  /** Whether the name is bound in this frame (branches included), not in an enclosing one. */
  has(name: string): boolean {
    return this.vars.has(name) || (this.isBranch && !!this.parent?.has(name));
  }

  lookup(name: string): Value | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  set(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  /** A branch: reads fall through to this scope, writes stay in the branch until `join`. */
  fork(): Scope {
    return new Scope(this, true);
  }

  /** Joins branches forked from this scope that fell through back into it. */
  join(branches: Scope[]): void {
    if (branches.length === 0) return;
    if (branches.length === 1) {
      for (const [k, v] of branches[0].vars) this.vars.set(k, v);
      return;
    }
    const names = new Set<string>();
    for (const b of branches) for (const k of b.vars.keys()) names.add(k);
    for (const name of names) {
      const values = branches.map((b) => (b.vars.has(name) ? b.vars.get(name) : this.vars.get(name))).filter((v): v is Value => v !== undefined);
      const first = values[0];
      this.vars.set(name, values.every((v) => sameValue(v, first)) ? first : UNKNOWN);
    }
  }
}

/** Whether two values are the same as far as the analysis knows; a walk past MAX_WEIGHT values answers no. */
export function sameValue(a: Value, b: Value, budget = { left: MAX_WEIGHT }): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || --budget.left < 0) return false;
  switch (a.kind) {
    case 'int':
    case 'float':
    case 'str':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'none':
      return true;
    case 'tensor':
      return b.kind === 'tensor' && formatShape(a.shape) === formatShape(b.shape) && a.dtype === b.dtype;
    case 'tuple':
    case 'list': {
      const other = b as typeof a;
      if (!!a.element !== !!other.element || (a.element && other.element && !sameValue(a.element, other.element, budget))) return false;
      return a.length === other.length && a.items.length === other.items.length && a.items.every((v, i) => sameValue(v, other.items[i], budget));
    }
    case 'layer':
      return b.kind === 'layer' && a.layer === b.layer;
    case 'module':
      return b.kind === 'module' && a.path === b.path;
    case 'dtype':
      return b.kind === 'dtype' && a.dtype === b.dtype;
    case 'class':
      return b.kind === 'class' && a.cls === b.cls;
    case 'function':
      return b.kind === 'function' && a.def === b.def && a.owner === b.owner;
    case 'instance':
      return a === b;
    default:
      return false;
  }
}
