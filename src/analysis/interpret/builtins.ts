// Python builtins that matter for sizes: len, int, max, min, range, list, tuple, dict, getattr, super.
import type { Call } from '../parse/ast';
import { NONE, UNKNOWN, Value, intValue } from '../values/value';
import type { Interpreter } from './interpreter';

export const BUILTIN_NAMES = new Set(['len', 'int', 'float', 'bool', 'str', 'max', 'min', 'abs', 'round', 'range', 'list', 'tuple', 'dict', 'getattr', 'super', 'print', 'isinstance', 'sum', 'enumerate', 'zip', 'sorted', 'reversed', 'hasattr', 'setattr', 'type']);

export function callBuiltin(name: string, args: Value[], kwargs: Map<string, Value>, interp: Interpreter, call: Call): Value {
  const [a, b] = args;
  switch (name) {
    case 'len': {
      if (!a) return UNKNOWN;
      if (a.kind === 'list' || a.kind === 'tuple') return { kind: 'int', value: a.items.length, origin: interp.originOf(call) };
      if (a.kind === 'str') return { kind: 'int', value: a.value.length };
      if (a.kind === 'dict') return { kind: 'int', value: a.entries.size, origin: interp.originOf(call) };
      if (a.kind === 'tensor' && a.shape.rankKnown && a.shape.dims[0]) {
        const d = a.shape.dims[0];
        return d.kind === 'int' ? { kind: 'int', value: d.value, origin: interp.originOf(call) } : { kind: 'symint', dim: d };
      }
      return UNKNOWN;
    }
    case 'int': {
      if (a?.kind === 'int' || a?.kind === 'symint') return a;
      if (a?.kind === 'float') return { kind: 'int', value: Math.trunc(a.value) };
      if (a?.kind === 'str' && /^-?\d+$/.test(a.value.trim())) return { kind: 'int', value: Number(a.value) };
      return UNKNOWN;
    }
    case 'float':
      return a?.kind === 'int' || a?.kind === 'float' ? { kind: 'float', value: a.value } : UNKNOWN;
    case 'max':
    case 'min': {
      const items = args.length === 1 && (a.kind === 'list' || a.kind === 'tuple') ? a.items : args;
      const nums = items.map(intValue);
      if (nums.length === 0 || nums.some((n) => n === undefined)) return UNKNOWN;
      return { kind: 'int', value: name === 'max' ? Math.max(...(nums as number[])) : Math.min(...(nums as number[])) };
    }
    case 'abs':
      return a?.kind === 'int' ? { kind: 'int', value: Math.abs(a.value) } : UNKNOWN;
    case 'list':
    case 'tuple':
      if (a?.kind === 'list' || a?.kind === 'tuple') return { kind: name, items: [...a.items] };
      if (a?.kind === 'size') return { kind: name, items: a.dims.map((d) => (d.kind === 'int' ? { kind: 'int', value: d.value } : { kind: 'symint', dim: d })) };
      return a ? UNKNOWN : { kind: name, items: [] };
    case 'dict': {
      const entries = new Map<string, Value>();
      if (a?.kind === 'dict') for (const [k, v] of a.entries) entries.set(k, v);
      for (const [k, v] of kwargs) entries.set(k, v);
      return { kind: 'dict', entries };
    }
    case 'getattr': {
      if (b?.kind !== 'str' || !a) return args[2] ?? UNKNOWN;
      if (a.kind === 'instance') return a.attrs.get(b.value) ?? args[2] ?? UNKNOWN;
      if (a.kind === 'layer') return a.layer.args.get(b.value)?.value ?? args[2] ?? UNKNOWN;
      return args[2] ?? UNKNOWN;
    }
    case 'super': {
      const self = interp.currentSelf;
      return self ? { kind: 'method', receiver: self, name: '__super__' } : UNKNOWN;
    }
    case 'print':
    case 'setattr':
      return NONE;
    case 'str':
      return a?.kind === 'str' ? a : UNKNOWN;
    default:
      return UNKNOWN;
  }
}
