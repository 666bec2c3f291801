// Parameters a function itself proves to be ints: given as a size to a torch layer it builds on every run that
// completes (`self.attn = nn.Linear(hidden_size, hidden_size)` in the function's own body, at its top level). A run
// without a caller takes such a parameter for an int; one it does not prove stays only assumed (a caller may pass a
// list or an array there, and torch.Tensor(p) would then read it as data).
import type { Expr, FunctionDef, Stmt } from '../parse/ast';
import type { Range } from '../findings';
import { walkStatements } from '../parse/walk';

/**
 * torch.nn layers whose listed arguments PyTorch 1.13 accepts only as integers: a list, a tuple, a float, an array,
 * a 1-d tensor, a string or None there raises while the layer is built. Positions count the constructor's own
 * positional arguments. (nn.BatchNorm1d is not here: it takes a list or a tuple for num_features without complaint.)
 */
const SIZE_ARGS: Record<string, { positions: number[]; keywords: string[] }> = {
  Linear: { positions: [0, 1], keywords: ['in_features', 'out_features'] },
  Bilinear: { positions: [0, 1, 2], keywords: ['in1_features', 'in2_features', 'out_features'] },
  Embedding: { positions: [0, 1], keywords: ['num_embeddings', 'embedding_dim'] },
  LSTM: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  GRU: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  RNN: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  LSTMCell: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  GRUCell: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  RNNCell: { positions: [0, 1], keywords: ['input_size', 'hidden_size'] },
  Conv1d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
  Conv2d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
  Conv3d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
  ConvTranspose1d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
  ConvTranspose2d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
  ConvTranspose3d: { positions: [0, 1], keywords: ['in_channels', 'out_channels'] },
};

const cache = new WeakMap<FunctionDef, Set<string>>();

/** The parameters of `def` it gives as a size to a torch layer it always builds, and never rebinds. */
export function paramsUsedAsSizes(def: FunctionDef, text: (range: Range) => string): Set<string> {
  let proven = cache.get(def);
  if (proven) return proven;
  proven = new Set();
  const params = new Set(def.params.filter((p) => !p.variadic).map((p) => p.name));
  for (const stmt of def.body) {
    if (stmt.kind === 'return') break;
    if (stmt.kind === 'assign' || stmt.kind === 'expr') {
      sizesIn(stmt.value, params, proven, 0);
      continue;
    }
    // A statement that may leave the function (a return inside an if, a raise) ends the part every completed run
    // goes through.
    if (stmt.kind !== 'def' && stmt.kind !== 'class' && stmt.kind !== 'import' && /\b(return|raise|yield)\b/.test(text(stmt.range))) break;
  }
  if (proven.size) for (const name of rebound(def.body, text)) proven.delete(name);
  // A walrus or an `except E as p` anywhere in the body rebinds too.
  const whole = proven.size ? text(def.range) : '';
  for (const name of proven) if (new RegExp(`(\\b${name}\\s*:=|\\bas\\s+${name}\\b)`).test(whole)) proven.delete(name);
  cache.set(def, proven);
  return proven;
}

/** Layer constructions in an expression that always runs: call arguments and sequence items, not a branch or a lambda. */
function sizesIn(expr: Expr, params: Set<string>, proven: Set<string>, depth: number): void {
  if (depth > 8) return;
  if (expr.kind === 'call') {
    const f = expr.func;
    const spec = f.kind === 'attribute' && isTorchNn(f.object) && Object.hasOwn(SIZE_ARGS, f.attr) ? SIZE_ARGS[f.attr] : undefined;
    if (spec && expr.starArgs.length === 0) {
      for (const i of spec.positions) {
        const a = expr.args[i];
        if (a?.kind === 'name' && params.has(a.id)) proven.add(a.id);
      }
      for (const k of expr.keywords) if (spec.keywords.includes(k.name) && k.value.kind === 'name' && params.has(k.value.id)) proven.add(k.value.id);
    }
    for (const a of expr.args) sizesIn(a, params, proven, depth + 1);
    for (const k of expr.keywords) sizesIn(k.value, params, proven, depth + 1);
    return;
  }
  if (expr.kind === 'tuple' || expr.kind === 'list') for (const item of expr.items) sizesIn(item, params, proven, depth + 1);
}

function isTorchNn(e: Expr): boolean {
  return (e.kind === 'name' && e.id === 'nn') || (e.kind === 'attribute' && e.attr === 'nn' && e.object.kind === 'name' && e.object.id === 'torch');
}

/** Names the function body binds anywhere (not in nested functions or classes), or deletes or declares global. */
function rebound(body: Stmt[], text: (range: Range) => string): Set<string> {
  const names = new Set<string>();
  const target = (t: Expr): void => {
    if (t.kind === 'name') names.add(t.id);
    else if (t.kind === 'tuple' || t.kind === 'list') t.items.forEach(target);
    else if (t.kind === 'starred') target(t.value);
  };
  walkStatements(body, (s) => {
    switch (s.kind) {
      case 'assign':
        s.targets.forEach(target);
        break;
      case 'for':
        target(s.target);
        break;
      case 'with':
        for (const item of s.items) if (item.target) target(item.target);
        break;
      case 'other':
        // `del p`, `global p`, an `except E as p`, a walrus: whatever names the statement holds may be rebound.
        for (const m of text(s.range).matchAll(/[A-Za-z_]\w*/g)) names.add(m[0]);
        break;
      default:
        break;
    }
  });
  return names;
}
