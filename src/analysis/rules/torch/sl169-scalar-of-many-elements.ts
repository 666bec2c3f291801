import type { Dim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type * as A from '../../parse/ast';
import type { Range } from '../../findings';
import type { RuleContext } from '../../interpret/events';
import type { TensorValue, Value } from '../../values/value';
import type { Rule } from '../rule';
import { codeText, originNote, relatedOrigin } from './describe';

/**
 * How many elements a tensor holds, as far as its shape says: `count` when every size is known, and `notOne` when it
 * cannot be one element whatever the sizes not known turn out to be: a known size other than 1 (0 elements or at
 * least 2), or a size known to be at least 2. A size a layer was given when its input's rank was not known says
 * nothing (the rank itself may differ).
 */
export function elementCount(t: TensorValue): { count?: number; notOne: boolean } {
  if (!t.shape.rankKnown) return { notOne: false };
  const dims: readonly Dim[] = t.shape.dims;
  if (dims.some((d) => d.kind !== 'unknown' && d.layoutAssumed)) return { notOne: false };
  let product = 1;
  let allKnown = true;
  let zero = false;
  let above = false;
  for (const d of dims) {
    if (d.kind === 'int') {
      product *= d.value;
      if (d.value === 0) zero = true;
      if (d.value >= 2) above = true;
    } else {
      allKnown = false;
      if (d.kind !== 'unknown' && (d.atLeast ?? 0) >= 2) above = true;
    }
  }
  if (allKnown) return { count: product, notOne: product !== 1 };
  return { notOne: zero || above };
}

type Conversion = 'item' | 'float' | 'int' | 'bool' | 'test' | 'backward' | 'autograd.backward' | 'grad';

/** What PyTorch (or NumPy, for an array) raises for each conversion of a tensor that is not one element. */
function raised(kind: Conversion, numpy: boolean): string {
  if (gradient(kind)) return 'RuntimeError: grad can be implicitly created only for scalar outputs';
  if (kind === 'bool' || kind === 'test') return numpy ? 'ValueError: The truth value of an array with more than one element is ambiguous' : 'RuntimeError: Boolean value of Tensor with more than one value is ambiguous';
  if (!numpy) return 'ValueError: only one element tensors can be converted to Python scalars';
  return kind === 'item' ? 'ValueError: can only convert an array of size 1 to a Python scalar' : 'TypeError: only size-1 arrays can be converted to Python scalars';
}

function gradient(kind: Conversion): boolean {
  return kind === 'backward' || kind === 'autograd.backward' || kind === 'grad';
}

function written(kind: Conversion, subject: string): string {
  switch (kind) {
    case 'item':
      return `${subject}.item()`;
    case 'backward':
      return `${subject}.backward() without a gradient`;
    case 'autograd.backward':
      return `torch.autograd.backward(${subject}) without grad_tensors`;
    case 'grad':
      return `torch.autograd.grad(${subject}, ...) without grad_outputs`;
    default:
      return `${kind}(${subject})`;
  }
}

/** "32 elements", or what the sizes known say when not all are. */
function elementsPhrase(count: number | undefined): string {
  return count !== undefined ? `${count} element${count === 1 ? '' : 's'}` : 'more than one element (or none)';
}

function check(ctx: RuleContext, range: Range, value: Value | undefined, expr: A.Expr | undefined, kind: Conversion): void {
  if (value?.kind !== 'tensor') return;
  const numpy = !!value.numpy;
  if (gradient(kind) && numpy) return;
  const { count, notOne } = elementCount(value);
  // NumPy's bool() of an empty array is False (with a DeprecationWarning): only two or more elements raise there.
  const raises = (kind === 'bool' || kind === 'test') && numpy ? (count !== undefined ? count >= 2 : false) : notOne;
  if (!raises) return;
  const text = expr ? codeText(ctx, expr.range) : 'the tensor';
  // An operator expression reads as written only in its brackets: (pred == y).item().
  const subject = expr && expr.kind !== 'name' && expr.kind !== 'attribute' && expr.kind !== 'call' && expr.kind !== 'subscript' ? `(${text})` : text;
  const what = numpy ? 'array' : 'tensor';
  const from = value.origin && expr && value.origin.range === expr.range ? '' : originNote(value);
  const elements = elementsPhrase(count);
  const needs = gradient(kind) ? 'needs a scalar (one-element) output' : `needs ${numpy ? 'an array' : 'a tensor'} of one element`;
  const hint = gradient(kind) ? ': reduce it first (.mean() or .sum()), or pass the gradient' : '';
  const message =
    kind === 'test'
      ? `The test ${text} is ${numpy ? 'an array' : 'a tensor'} ${formatShape(value.shape)}${from}, ${elements}: Python asks for its truth, which needs one element. ${numpy ? 'NumPy' : 'PyTorch'} raises "${raised(kind, numpy)}" (reduce it with .all() or .any(), or compare one element)`
      : `${written(kind, subject)} ${needs}, but ${text} is ${formatShape(value.shape)}${from}, ${elements}${hint}. ${numpy ? 'NumPy' : 'PyTorch'} raises "${raised(kind, numpy)}"`;
  ctx.report({
    range,
    message,
    related: relatedOrigin(value, range, `the ${formatShape(value.shape)} ${what} comes from here`),
    fixes: [],
  });
}

/** The constructors that read a list's items as numbers (PyTorch 1.13's message for a tensor item of several elements). */
const DATA_CONSTRUCTORS = new Set(['torch.tensor', 'torch.as_tensor', 'torch.Tensor', 'torch.FloatTensor', 'torch.DoubleTensor']);

/**
 * The first item, at any depth up to 3, of a list or tuple written or built in the code that is a PyTorch tensor of
 * other than one element (a NumPy array is read as nested data instead). A summary counts only when it is known to hold
 * an item.
 */
function tensorItemOfMany(value: Value, depth = 0): TensorValue | undefined {
  if ((value.kind !== 'list' && value.kind !== 'tuple') || depth > 3) return undefined;
  const items = value.element !== undefined ? ((value.length ?? 0) >= 1 ? [value.element] : []) : value.items;
  for (const item of items) {
    if (item.kind === 'tensor' && !item.numpy && elementCount(item).notOne) return item;
    const inner = tensorItemOfMany(item, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function checkData(ctx: RuleContext, range: Range, qualname: string, data: Value | undefined): void {
  if (!data) return;
  const item = tensorItemOfMany(data);
  if (!item) return;
  const elements = elementsPhrase(elementCount(item).count);
  ctx.report({
    range,
    message: `${qualname}(...) reads every item of its list as one number, but an item is a tensor ${formatShape(item.shape)}${originNote(item)}, ${elements}. PyTorch raises "ValueError: only one element tensors can be converted to Python scalars" (torch.stack joins tensors into one)`,
    related: relatedOrigin(item, range, `the ${formatShape(item.shape)} tensor comes from here`),
    fixes: [],
  });
}

const BUILTINS: Record<string, Conversion> = { 'builtins.float': 'float', 'builtins.int': 'int', 'builtins.bool': 'bool' };

export const scalarOfManyElements: Rule = {
  code: 'SL169',
  name: 'scalar-of-many-elements',
  severity: 'error',
  framework: 'torch',
  summary: '.item(), float(), int(), bool(), an if/while test or torch.tensor([...]) of a tensor that is not one element, or .backward() of a loss that is not a scalar.',
  docs: {
    whatItDoes:
      "Reports a conversion to one Python number (`t.item()`, `float(t)`, `int(t)`, `bool(t)`, and the test of an `if`, `while` or conditional expression) of a tensor or NumPy array whose shape says it does not hold exactly one element, and `t.backward()` (or `torch.autograd.backward(t)`, `torch.autograd.grad(t, ...)`) given no gradient for a tensor that is not a scalar, and `torch.tensor([...])` (`torch.as_tensor`, `torch.Tensor`, `torch.FloatTensor`) of a list holding such a tensor, whose items it reads as numbers. It only reports when the sizes known settle it: every size known and their product other than 1, or one known size other than 1 (0 elements raise too). A size not known may be 1, and is never taken to be anything else.",
    whyIsThisBad:
      'PyTorch raises `ValueError: only one element tensors can be converted to Python scalars` for .item()/float()/int(), `RuntimeError: Boolean value of Tensor with more than one value is ambiguous` for bool() and `if t:`, and `RuntimeError: grad can be implicitly created only for scalar outputs` for backward() (NumPy: `can only convert an array of size 1 to a Python scalar`, `only size-1 arrays can be converted to Python scalars`). The shape is usually wrong earlier: a loss built with `reduction=\'none\'`, a squared error never averaged, an accuracy compared element by element without `.sum()`, `if pred == label:` over a whole batch, or `torch.tensor(outputs)` of a list of batch outputs that `torch.stack` or `torch.cat` should join.',
    example: "criterion = nn.MSELoss(reduction='none')\nloss = criterion(model(x), y)        # (32, 1): one loss per sample\nloss.backward()",
    useInstead: "criterion = nn.MSELoss()              # reduction='mean'\nloss = criterion(model(x), y)        # a scalar\nloss.backward()",
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.item.html', 'https://pytorch.org/docs/stable/generated/torch.Tensor.backward.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      tensorMethod: (name) => name === 'item' || name === 'backward',
      functionCall: (qualname) => qualname in BUILTINS || DATA_CONSTRUCTORS.has(qualname) || qualname === 'torch.autograd.backward' || qualname === 'torch.autograd.grad',
    },
    tensorMethod(event, ctx) {
      if (event.call.hasStarArgs) return;
      const func = event.call.func;
      const receiverExpr = func.kind === 'attribute' ? func.object : undefined;
      if (event.name === 'item') {
        if (event.args.length > 0 || event.kwargs.size > 0) return;
        check(ctx, event.call.range, event.receiver, receiverExpr, 'item');
      } else if (event.name === 'backward') {
        if (event.args.length > 0 || event.kwargs.has('gradient')) return;
        check(ctx, event.call.range, event.receiver, receiverExpr, 'backward');
      }
    },
    truth(event, ctx) {
      check(ctx, event.test.range, event.value, event.test, 'test');
    },
    functionCall(event, ctx) {
      if (event.call.hasStarArgs) return;
      const conversion = BUILTINS[event.qualname];
      if (conversion) {
        if (event.args.length !== 1 || event.kwargs.size > 0) return;
        check(ctx, event.call.range, event.args[0], event.call.args[0], conversion);
        return;
      }
      if (DATA_CONSTRUCTORS.has(event.qualname)) {
        checkData(ctx, event.call.range, event.qualname, event.args[0] ?? event.kwargs.get('data'));
        return;
      }
      if (event.qualname === 'torch.autograd.backward') {
        if (event.args.length > 1 || event.kwargs.has('grad_tensors') || event.kwargs.has('grad_variables')) return;
        check(ctx, event.call.range, event.args[0] ?? event.kwargs.get('tensors'), event.call.args[0], 'autograd.backward');
      } else if (event.qualname === 'torch.autograd.grad') {
        if (event.args.length > 2 || event.kwargs.has('grad_outputs') || event.kwargs.has('is_grads_batched')) return;
        check(ctx, event.call.range, event.args[0] ?? event.kwargs.get('outputs'), event.call.args[0], 'grad');
      }
    },
  },
};
