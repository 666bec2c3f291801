// Element-wise ops: activations, arithmetic with broadcasting, comparisons, clamp and friends.
// Each keeps its input's shape (or the broadcast shape) and so its axis roles.
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import type { Value } from '../values';
import { Bound, isNone, numberArg, op, promote, result, rolesOf, tensorArg } from './registry';

const tf = () => tfjs();

function float(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : tf().cast(x, 'float32');
}

function unary(names: string[], f: (x: Tensor, a: Bound) => Tensor, act?: 'sigmoid', signature = 'input'): void {
  op(names, signature, (a) => {
    const out = result(f(tensorArg(a, 'input'), a), rolesOf(a.get('input')));
    if (act) out.act = act;
    return out;
  });
}

export function gelu(x: Tensor): Tensor {
  return tf().tidy(() => tf().mul(tf().mul(x, 0.5), tf().add(1, tf().erf(tf().div(x, Math.SQRT2)))));
}

unary(['relu', 'relu_'], (x) => tf().relu(x), undefined, 'input, inplace=False');
unary(['tanh', 'tanh_'], (x) => tf().tanh(float(x)));
unary(['sigmoid', 'sigmoid_'], (x) => tf().sigmoid(float(x)), 'sigmoid');
unary(['gelu'], (x) => gelu(float(x)), undefined, "input, approximate='none'");
unary(['elu', 'elu_'], (x, a) => {
  const alpha = numberArg(a, 'alpha');
  return alpha === 1 ? tf().elu(x) : tf().where(tf().greater(x, 0), x, tf().mul(alpha, tf().sub(tf().exp(x), 1)));
}, undefined, 'input, alpha=1.0, inplace=False');
unary(['leaky_relu', 'leaky_relu_'], (x, a) => tf().leakyRelu(x, numberArg(a, 'negative_slope')), undefined, 'input, negative_slope=0.01, inplace=False');
unary(['softplus'], (x, a) => {
  const beta = numberArg(a, 'beta');
  const threshold = numberArg(a, 'threshold');
  const bx = tf().mul(float(x), beta);
  return tf().where(tf().greater(bx, threshold), x, tf().div(tf().softplus(bx), beta));
}, undefined, 'input, beta=1, threshold=20');
unary(['silu'], (x) => tf().mul(x, tf().sigmoid(float(x))), undefined, 'input, inplace=False');
unary(['hardtanh'], (x, a) => tf().clipByValue(x, numberArg(a, 'min_val'), numberArg(a, 'max_val')), undefined, 'input, min_val=-1.0, max_val=1.0, inplace=False');
unary(['exp'], (x) => tf().exp(float(x)));
unary(['log'], (x) => tf().log(float(x)));
unary(['log1p'], (x) => tf().log1p(float(x)));
unary(['sqrt'], (x) => tf().sqrt(float(x)));
unary(['rsqrt'], (x) => tf().rsqrt(float(x)));
unary(['abs'], (x) => tf().abs(x));
unary(['neg'], (x) => tf().neg(x));
unary(['sin'], (x) => tf().sin(float(x)));
unary(['cos'], (x) => tf().cos(float(x)));
unary(['reciprocal'], (x) => tf().reciprocal(float(x)));
unary(['sign'], (x) => tf().sign(x));
unary(['floor'], (x) => tf().floor(x));
unary(['ceil'], (x) => tf().ceil(x));
unary(['round'], (x) => tf().round(x));
unary(['logical_not'], (x) => tf().logicalNot(tf().cast(x, 'bool')));
unary(['dropout', 'dropout_', 'alpha_dropout', 'feature_alpha_dropout', 'dropout1d', 'dropout2d'], (x) => x, undefined, 'input, p=0.5, training=False, inplace=False');
unary(['clamp', 'clip', 'clamp_'], (x, a) => {
  const lo = a.get('min');
  const hi = a.get('max');
  let out = x;
  if (!isNone(lo)) out = tf().maximum(out, tensorArg(a, 'min'));
  if (!isNone(hi)) out = tf().minimum(out, tensorArg(a, 'max'));
  return out;
}, undefined, 'input, min=None, max=None');

/** Python's binary operators on tensors, with PyTorch's broadcasting and promotion. */
export function arithmetic(operator: string, x: Tensor, y: Tensor): Tensor | null {
  const t = tf();
  if (operator === '/') return t.div(float(x), float(y));
  const [l, r] = promote(x, y);
  switch (operator) {
    case '+': return l.dtype === 'bool' ? t.logicalOr(l, r) : t.add(l, r);
    case '-': return t.sub(l, r);
    case '*': return l.dtype === 'bool' ? t.logicalAnd(l, r) : t.mul(l, r);
    case '//': return t.floorDiv(l, r);
    case '%': return t.mod(l, r);
    case '**': return t.pow(l, r);
    case '@': return null;
    case '&': return t.logicalAnd(t.cast(l, 'bool'), t.cast(r, 'bool'));
    case '|': return t.logicalOr(t.cast(l, 'bool'), t.cast(r, 'bool'));
    case '^': return t.logicalXor(t.cast(l, 'bool'), t.cast(r, 'bool'));
    default: return null;
  }
}

export function comparison(operator: string, x: Tensor, y: Tensor): Tensor | null {
  const t = tf();
  const [l, r] = promote(x, y);
  switch (operator) {
    case '==': return t.equal(l, r);
    case '!=': return t.notEqual(l, r);
    case '<': return t.less(l, r);
    case '<=': return t.lessEqual(l, r);
    case '>': return t.greater(l, r);
    case '>=': return t.greaterEqual(l, r);
    default: return null;
  }
}

/** Shapes broadcast as in NumPy and PyTorch; a message in PyTorch's words when they do not. */
export function broadcastShapes(a: number[], b: number[]): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[a.length - 1 - i] ?? 1;
    const y = b[b.length - 1 - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.unshift(x === 1 ? y : x);
  }
  return out;
}

function binaryOp(names: string[], operator: string, signature = 'input, other'): void {
  op(names, signature, (a) => {
    const x = tensorArg(a, 'input');
    let y = tensorArg(a, 'other');
    if (a.get('alpha') !== undefined && numberArg(a, 'alpha') !== 1) y = tf().mul(y, numberArg(a, 'alpha'));
    if (!broadcastShapes(x.shape, y.shape)) throw fail(a.site, `The size of tensor a (${JSON.stringify(x.shape)}) must match the size of tensor b (${JSON.stringify(y.shape)}) at a non-singleton dimension`);
    const out = operator === '==' || operator === '>' || operator === '<' || operator === '!=' || operator === '>=' || operator === '<=' ? comparison(operator, x, y)! : arithmetic(operator, x, y)!;
    const roles = x.rank >= y.rank ? rolesOf(a.get('input')) : rolesOf(a.get('other'));
    return result(out, roles);
  });
}

binaryOp(['add', 'add_'], '+', 'input, other, alpha=1');
binaryOp(['sub', 'sub_', 'subtract'], '-', 'input, other, alpha=1');
binaryOp(['mul', 'mul_', 'multiply'], '*');
binaryOp(['div', 'div_', 'divide', 'true_divide'], '/');
binaryOp(['pow', 'pow_'], '**', 'input, exponent');
binaryOp(['eq'], '==');
binaryOp(['ne'], '!=');
binaryOp(['gt'], '>');
binaryOp(['lt'], '<');
binaryOp(['ge'], '>=');
binaryOp(['le'], '<=');
binaryOp(['logical_and'], '&');
binaryOp(['logical_or'], '|');

op(['maximum'], 'input, other', (a) => result(tf().maximum(...promote(tensorArg(a, 'input'), tensorArg(a, 'other'))), rolesOf(a.get('input'))));
op(['minimum'], 'input, other', (a) => result(tf().minimum(...promote(tensorArg(a, 'input'), tensorArg(a, 'other'))), rolesOf(a.get('input'))));

/** The pow kernel under its own parameter name (`exponent`), used by the `**` operator too. */
export function power(x: Tensor, y: Tensor): Tensor {
  return tf().pow(...promote(x, y));
}

export function isScalarValue(v: Value): boolean {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
}
