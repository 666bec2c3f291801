import type { Expr } from '../../parse/ast';
import type { Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Range } from '../../findings';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { formatFloat, keywordExpr } from './describe';

/**
 * The sizes a view or reshape is given, with the expressions that wrote them where they are arguments of the call:
 * `x.view(a, b)`, `x.view((a, b))` and `torch.reshape(x, (a, b))`. Undefined where the sizes are not a literal
 * sequence of values (a list built elsewhere, a size object, starred arguments).
 */
function sizesOf(values: Value[], exprs: Expr[]): { values: Value[]; exprs: (Expr | undefined)[] } | undefined {
  if (values.length === 1 && (values[0].kind === 'tuple' || values[0].kind === 'list')) {
    const seq = values[0];
    if (seq.element) return undefined;
    const literal = exprs[0];
    const items = literal && (literal.kind === 'tuple' || literal.kind === 'list') && literal.items.length === seq.items.length ? literal.items : [];
    return { values: seq.items, exprs: seq.items.map((_, i) => items[i]) };
  }
  return { values, exprs: values.map((_, i) => exprs[i]) };
}

function report(ctx: RuleContext, callRange: Range, op: 'view' | 'reshape', sizes: { values: Value[]; exprs: (Expr | undefined)[] }): void {
  // Floats of known value only (as before floats of unknown value were modelled): the message names the value.
  const known = (v: Value) => v.kind === 'float' && v.value !== undefined;
  const at = sizes.values.findIndex(known);
  if (at < 0) return;
  const size = sizes.values[at];
  // Every float size of the call, which the fix converts together.
  const floats = sizes.values.flatMap((v, i) => (known(v) ? [i] : []));
  if (size.kind !== 'float' || size.value === undefined) return;
  const expr = sizes.exprs[at];
  const written = expr ? ctx.text(expr.range) : undefined;
  const argument = op === 'view' ? 'size' : 'shape';
  // PyTorch 1.13 names the float's position when it is not the first size; for the first its words vary with the
  // op and the form of the call ("view() received an invalid combination of arguments", "reshape(): argument
  // 'shape' (position 1) must be tuple of SymInts, not float").
  const raises = at > 0
    ? `"TypeError: ${op}(): argument '${argument}' must be tuple of SymInts, but found element of type float at pos ${at + 1}"`
    : 'a TypeError';
  ctx.report({
    range: expr?.range ?? callRange,
    message: `${op}() is given the float ${formatFloat(size.value)}${written && written !== formatFloat(size.value) ? ` (${written})` : ''} as size ${at + 1}; sizes must be ints, so PyTorch raises ${raises} (under Python 3, / between ints gives a float: // gives the int)`,
    related: [],
    fixes: floats.every((i) => sizes.exprs[i]) ? [fix('Convert the size with int()', floats.map((i) => { const e = sizes.exprs[i]!; return replace(e.range, `int(${ctx.text(e.range)})`); }), false)] : [],
  });
}

export const viewFloatSize: Rule = {
  code: 'SL145',
  name: 'view-float-size',
  severity: 'error',
  framework: 'torch',
  summary: '.view()/.reshape() (or torch.reshape) is given a float as a size, often the result of / between ints; PyTorch raises a TypeError.',
  docs: {
    whatItDoes:
      'Follows Python numbers into the sizes given to `x.view(...)`, `x.reshape(...)` and `torch.reshape(x, ...)`, one by one or as a tuple or list written in the call, and flags a size that is a float: the result of `/` (true division, even between ints that divide exactly), a float literal, `float()`, or a `math`/`numpy` function such as `sqrt`. Sizes whose value is not known are never flagged.',
    whyIsThisBad:
      "PyTorch 1.13 takes only ints as sizes and raises `TypeError: view(): argument 'size' must be tuple of SymInts, but found element of type float at pos 3` (or \"view() received an invalid combination of arguments\" when the first size is the float). Code written for Python 2, where `/` between ints floored, meets this under Python 3; PyTorch versions before 1.6 truncated the float silently, so an inexact division also lost elements.",
    example: 'pt = (P - Ck) / skip                          # 6.75 under Python 3\ns = c.view(batch_size, hidC, pt, skip)',
    useInstead: 'pt = (P - Ck) // skip                         # 6\ns = c[:, :, -pt * skip:].contiguous().view(batch_size, hidC, pt, skip)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://peps.python.org/pep-0238/'],
  },
  fixTitles: ['Convert the size with int()'],
  hooks: {
    offers: {
      functionCall: (qualname) => qualname === 'torch.reshape',
      tensorMethod: (name) => name === 'view' || name === 'reshape',
    },
    tensorMethod(event, ctx) {
      if (event.call.hasStarArgs || (event.name !== 'view' && event.name !== 'reshape')) return;
      // view(dtype) reinterprets the memory: not a size.
      if (event.args.length === 1 && event.args[0].kind === 'dtype') return;
      const sizes = sizesOf(event.args, event.call.args);
      if (sizes) report(ctx, event.call.range, event.name, sizes);
    },
    functionCall(event, ctx) {
      if (event.call.hasStarArgs || event.qualname !== 'torch.reshape') return;
      const shape = event.args[1] ?? event.kwargs.get('shape');
      if (!shape || (shape.kind !== 'tuple' && shape.kind !== 'list')) return;
      const expr = event.args[1] ? event.call.args[1] : keywordExpr(event.call, 'shape');
      const sizes = sizesOf([shape], expr ? [expr] : []);
      if (sizes) report(ctx, event.call.range, 'reshape', sizes);
    },
  },
};
