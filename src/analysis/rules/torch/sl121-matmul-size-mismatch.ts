import type { Expr } from '../../parse/ast';
import type { Range, RelatedLocation } from '../../findings';
import { Dim, certainlyDiffer, formatDim, formatDimBound } from '../../shapes/dim';
import { formatShape, rankOf } from '../../shapes/shape';
import type { TensorValue, Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { operandText, relatedOrigin } from './describe';
import { einsumClash, einsumOperandList, parseEquation } from '../../ops/einsum';

/** Matrix products, by how PyTorch names them: what each requires of its operands. */
export type Product = 'matmul' | 'mm' | 'bmm' | 'mv' | 'addmm' | 'baddbmm' | 'dot';

const FUNCTIONS: Record<string, { product: Product; first: number }> = {
  'torch.matmul': { product: 'matmul', first: 0 },
  'torch.mm': { product: 'mm', first: 0 },
  'torch.bmm': { product: 'bmm', first: 0 },
  'torch.mv': { product: 'mv', first: 0 },
  // addmm(input, mat1, mat2) and baddbmm(input, batch1, batch2): the product is of the second and third.
  'torch.addmm': { product: 'addmm', first: 1 },
  'torch.baddbmm': { product: 'baddbmm', first: 1 },
  // The inner product of two vectors (vdot conjugates the first): both 1-D, of one length.
  'torch.dot': { product: 'dot', first: 0 },
  'torch.vdot': { product: 'dot', first: 0 },
};
const METHODS: Record<string, Product> = { matmul: 'matmul', mm: 'mm', bmm: 'bmm', mv: 'mv', dot: 'dot', vdot: 'dot' };
/** PyTorch's words for an operand of the wrong rank, where they are always the same. */
const RANK_WORDS: Partial<Record<Product, [string, string]>> = {
  mm: ['self must be a matrix', 'mat2 must be a matrix'],
  bmm: ['batch1 must be a 3D tensor', 'batch2 must be a 3D tensor'],
};

/** What is wrong with a product whose operands are known this far: the first thing PyTorch checks that fails. */
interface Mismatch {
  /** What PyTorch raises, in its words. */
  raises: string;
  /** What the message says is wrong, before the operands. */
  what: string;
}

function known(d: Dim | undefined): d is Extract<Dim, { kind: 'int' }> {
  return d?.kind === 'int';
}

function times(dims: Dim[]): string {
  return dims.map(formatDim).join('x');
}

/**
 * The product's failure, when the operands' known sizes prove one (checked against PyTorch 1.13 by
 * test/unit/analysis/matmul-size-mismatch.test.ts and test/oracle/op_shapes.py's matmul cases). Unknown ranks and
 * sizes, and symbols, prove nothing.
 */
export function productMismatch(product: Product, a: TensorValue, b: TensorValue): Mismatch | undefined {
  const ra = rankOf(a.shape);
  const rb = rankOf(b.shape);
  const da = a.shape.dims;
  const db = b.shape.dims;
  if (product === 'mm' || product === 'bmm' || product === 'addmm' || product === 'baddbmm') {
    const batched = product === 'bmm' || product === 'baddbmm';
    const need = batched ? 3 : 2;
    const words = RANK_WORDS[product] ?? ['RuntimeError', 'RuntimeError'];
    const name = batched ? 'bmm' : 'mm';
    if (ra !== undefined && ra !== need) return { raises: words[0], what: `${product} takes ${need}-D operands, the left one is ${ra}-D` };
    if (rb !== undefined && rb !== need) return { raises: words[1], what: `${product} takes ${need}-D operands, the right one is ${rb}-D` };
    if (ra === undefined || rb === undefined) return undefined;
    if (name === 'bmm') {
      const [n, , m] = da;
      const [bn, bm] = db;
      if ((known(n) && known(bn) && n.value !== bn.value) || (known(m) && known(bm) && m.value !== bm.value)) {
        return {
          raises: `Expected size for first two dimensions of batch2 tensor to be: [${formatDim(n)}, ${formatDim(m)}] but got: [${formatDim(bn)}, ${formatDim(bm)}].`,
          what: known(n) && known(bn) && n.value !== bn.value ? `the batch sizes differ (${n.value} against ${bn.value})` : `the inner sizes differ (${formatDim(m)} against ${formatDim(bm)})`,
        };
      }
      return undefined;
    }
    return inner(da[1], db[0], `mat1 and mat2 shapes cannot be multiplied (${times(da)} and ${times(db)})`);
  }
  if (product === 'dot') {
    if ((ra !== undefined && ra !== 1) || (rb !== undefined && rb !== 1)) {
      return {
        raises: ra !== undefined && rb !== undefined ? `1D tensors expected, but got ${ra}D and ${rb}D tensors` : '1D tensors expected',
        what: `dot takes two 1-D tensors, the ${ra !== undefined && ra !== 1 ? `left one is ${ra}` : `right one is ${rb}`}-D`,
      };
    }
    if (ra === undefined || rb === undefined) return undefined;
    return inner(da[0], db[0], `inconsistent tensor size, expected tensor [${formatDim(da[0])}] and src [${formatDim(db[0])}] to have the same number of elements, but got ${formatDim(da[0])} and ${formatDim(db[0])} elements respectively`);
  }
  if (product === 'mv') {
    if (ra !== undefined && ra !== 2) return { raises: 'vector + matrix @ vector expected', what: `mv takes a 2-D matrix and a 1-D vector, the matrix is ${ra}-D` };
    if (rb !== undefined && rb !== 1) return { raises: 'vector + matrix @ vector expected', what: `mv takes a 2-D matrix and a 1-D vector, the vector is ${rb}-D` };
    if (ra === undefined || rb === undefined) return undefined;
    return inner(da[1], db[0], `size mismatch, got ${formatDim(da[0])}, ${times(da)},${formatDim(db[0])}`);
  }
  // matmul and @: the left operand's last axis meets the right one's only axis (1-D) or its second to last.
  if (ra === 0 || rb === 0) return { raises: 'both arguments to matmul need to be at least 1D', what: 'matmul takes tensors of at least one axis, one operand is 0-D' };
  if (rb === undefined || da.length === 0) return undefined;
  const left = da[da.length - 1];
  const right = rb === 1 ? db[0] : db[rb - 2];
  if (ra === 1 && rb === 1) return inner(left, right, `inconsistent tensor size, expected tensor [${formatDim(left)}] and src [${formatDim(right)}] to have the same number of elements, but got ${formatDim(left)} and ${formatDim(right)} elements respectively`);
  if (ra !== undefined && ra <= 2 && rb <= 2) {
    const rows = ra === 1 ? [{ kind: 'int', value: 1 } as Dim, left] : da;
    return inner(left, right, `mat1 and mat2 shapes cannot be multiplied (${times(rows)} and ${times(rb === 1 ? [right, { kind: 'int', value: 1 } as Dim] : db)})`);
  }
  // Batch axes: PyTorch broadcasts them before it multiplies, so a clash there is met first.
  const clash = ra !== undefined && ra >= 3 && rb >= 3 ? batchClash(da.slice(0, -2), db.slice(0, -2)) : undefined;
  if (clash) return clash;
  // The exact words depend on how PyTorch folds the batch axes; the sizes that clash do not.
  return inner(left, right, 'RuntimeError');
}

function inner(left: Dim | undefined, right: Dim | undefined, raises: string): Mismatch | undefined {
  // A known size below the other's least size (the longest of lengths that are all at least 20) differs too.
  if (!left || !right || !certainlyDiffer(left, right)) return undefined;
  return { raises, what: `the inner sizes differ (${formatDimBound(left)} against ${formatDimBound(right)})` };
}

/** Batch axes that cannot broadcast, aligned from the right as PyTorch aligns them. */
function batchClash(a: Dim[], b: Dim[]): Mismatch | undefined {
  const rank = Math.max(a.length, b.length);
  for (let k = 1; k <= Math.min(a.length, b.length); k++) {
    const x = a[a.length - k];
    const y = b[b.length - k];
    if (known(x) && known(y) && x.value !== y.value && x.value !== 1 && y.value !== 1) {
      return { raises: `The size of tensor a (${x.value}) must match the size of tensor b (${y.value}) at non-singleton dimension ${rank - k}`, what: `the batch axes do not broadcast (${x.value} against ${y.value})` };
    }
  }
  return undefined;
}

function check(ctx: RuleContext, range: Range, call: string, product: Product, a: Value | undefined, b: Value | undefined, aExpr: Expr | undefined, bExpr: Expr | undefined): void {
  if (a?.kind !== 'tensor' || b?.kind !== 'tensor') return;
  const m = productMismatch(product, a, b);
  if (!m) return;
  const related: RelatedLocation[] = [a, b].flatMap((t, i) => relatedOrigin(t, range, `the ${i === 0 ? 'left' : 'right'} operand, ${formatShape(t.shape)}, comes from here`));
  const raises = m.raises === 'RuntimeError' ? 'a RuntimeError' : `"${m.raises}"`;
  ctx.report({
    range,
    message: `${call}: ${m.what}: ${operandText(ctx, aExpr, a)} against ${operandText(ctx, bExpr, b)}, so PyTorch raises ${raises}`,
    related,
    fixes: [],
  });
}

/**
 * torch.einsum whose equation names, with one subscript, axes of two known sizes that do not broadcast (the operand
 * before it gave 768, this one 1536): PyTorch raises before any product.
 */
function checkEinsum(ctx: RuleContext, range: Range, args: Value[], exprs: Expr[]): void {
  const clash = einsumClash(args);
  if (!clash) return;
  // Operands given in one list have no expression each: they are named by their place.
  const inList = einsumOperandList(args);
  const operands = inList ? undefined : exprs.slice(1);
  const listed = inList ?? args.slice(1);
  const terms = parseEquation((args[0] as Extract<Value, { kind: 'str' }>).value)!.inputs;
  const describe = (k: number) => {
    const t = listed[k];
    return t?.kind === 'tensor' ? operandText(ctx, operands?.[k], t) : `operand ${k}`;
  };
  const first = listed.findIndex((t, k) => k < clash.operand && t.kind === 'tensor' && t.shape.rankKnown && terms[k]?.includes(clash.subscript));
  const related: RelatedLocation[] = listed.flatMap((t, k) => (t.kind === 'tensor' && (k === clash.operand || k === first) ? relatedOrigin(t, range, `operand ${k}, ${formatShape(t.shape)}, comes from here`) : []));
  ctx.report({
    range,
    message: `torch.einsum: subscript ${clash.subscript} names an axis of ${clash.seen}${first >= 0 ? ` in ${describe(first)}` : ''} and one of ${clash.size} in ${describe(clash.operand)}, sizes that do not broadcast, so PyTorch raises "einsum(): subscript ${clash.subscript} has size ${clash.size} for operand ${clash.operand} which does not broadcast with previously seen size ${clash.seen}"`,
    related,
    fixes: [],
  });
}

export const matmulSizeMismatch: Rule = {
  code: 'SL121',
  name: 'matmul-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'A matrix product (@, torch.matmul, mm, bmm, mv, addmm, baddbmm, dot, einsum) whose operands\' inner sizes, batch sizes or ranks do not fit.',
  docs: {
    whatItDoes:
      'Checks the operands of a matrix product where their sizes are known: the left operand\'s last axis against the right one\'s contracted axis, bmm\'s batch axes against each other, matmul\'s batch axes as they broadcast, the ranks mm (2-D), bmm (3-D), mv (2-D, 1-D) and dot (1-D, 1-D) take, and torch.einsum\'s operands where one subscript names axes of two sizes that do not broadcast (a size of 1 meets any other). Unknown ranks, unknown sizes and symbols are never compared.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x64 and 128x1)` or `Expected size for first two dimensions of batch2 tensor to be: [32, 64] but got: [32, 128]`. In attention and hand-written cells the cause is usually earlier: a state of another width, a weight built for the concatenated input, an operand that needed a transpose.',
    example: 'W = torch.randn(hidden + input_size, 4 * hidden)\ngates = torch.mm(x_t, W)                   # (16, 1) @ (400, 400)',
    useInstead: 'W = torch.randn(hidden + input_size, 4 * hidden)\ngates = torch.mm(torch.cat([x_t, h], 1), W)  # (16, 400) @ (400, 400)',
    references: ['https://pytorch.org/docs/stable/generated/torch.matmul.html', 'https://pytorch.org/docs/stable/generated/torch.bmm.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => !!FUNCTIONS[qualname] || qualname === 'torch.einsum',
      tensorMethod: (name) => Object.hasOwn(METHODS, name) && !!METHODS[name],
    },
    binary(event, ctx) {
      if (event.node.op !== '@') return;
      check(ctx, event.node.range, '@', 'matmul', event.left, event.right, event.node.left, event.node.right);
    },
    functionCall(event, ctx) {
      if (event.qualname === 'torch.einsum') {
        if (!event.call.hasStarArgs) checkEinsum(ctx, event.call.range, event.args, event.call.args);
        return;
      }
      const f = FUNCTIONS[event.qualname];
      if (!f || event.call.hasStarArgs || event.args.length < f.first + 2) return;
      check(ctx, event.call.range, event.qualname, f.product, event.args[f.first], event.args[f.first + 1], event.call.args[f.first], event.call.args[f.first + 1]);
    },
    tensorMethod(event, ctx) {
      const product = Object.hasOwn(METHODS, event.name) ? METHODS[event.name] : undefined;
      // A NumPy array's dot multiplies matrices (and it has no mm, bmm or mv): not PyTorch's rule.
      if (!product || event.call.hasStarArgs || event.args.length < 1 || event.receiver.numpy) return;
      const func = event.call.func;
      check(ctx, event.call.range, `.${event.name}()`, product, event.receiver, event.args[0], func.kind === 'attribute' ? func.object : undefined, event.call.args[0]);
    },
  },
};
