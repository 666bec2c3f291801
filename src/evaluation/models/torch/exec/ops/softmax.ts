// softmax and log_softmax over any dim (tfjs' own work on the last axis only).
import { tfjs, Tensor } from '../../../tf';
import { fail } from '../errors';
import { axis, Bound, isNone, op, result, rolesOf, tensorArg } from './registry';

function alongLast(x: Tensor, dim: number, f: (t: Tensor) => Tensor): Tensor {
  const tf = tfjs();
  if (x.rank === 0) return f(x.reshape([1])).reshape([]);
  if (dim === x.rank - 1) return f(x);
  const order = [...Array(x.rank).keys()].filter((d) => d !== dim).concat([dim]);
  const back = new Array<number>(x.rank);
  order.forEach((d, i) => { back[d] = i; });
  return tf.transpose(f(tf.transpose(x, order)), back);
}

function softmaxDim(a: Bound, x: Tensor): number {
  const dim = a.get('dim');
  // PyTorch's implicit dim (deprecated): 0 for ranks 0, 1 and 3, else 1.
  if (isNone(dim)) return x.rank === 0 || x.rank === 1 || x.rank === 3 ? 0 : 1;
  return axis(a, dim, x.rank);
}

function floatInput(a: Bound): Tensor {
  const x = tensorArg(a, 'input');
  if (x.dtype !== 'float32') throw fail(a.site, `softmax is not implemented for integer tensors ('${x.dtype === 'int32' ? 'Long' : 'Bool'}')`);
  return x;
}

op(['softmax'], 'input, dim=None, _stacklevel=3, dtype=None', (a) => {
  const x = floatInput(a);
  const out = result(alongLast(x, softmaxDim(a, x), (t) => tfjs().softmax(t)), rolesOf(a.get('input')));
  out.act = 'softmax';
  return out;
});

op(['log_softmax'], 'input, dim=None, _stacklevel=3, dtype=None', (a) => {
  const x = floatInput(a);
  const out = result(alongLast(x, softmaxDim(a, x), (t) => tfjs().logSoftmax(t)), rolesOf(a.get('input')));
  out.act = 'log_softmax';
  return out;
});

export { alongLast };
