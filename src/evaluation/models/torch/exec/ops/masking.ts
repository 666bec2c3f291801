// Masks: masked_fill, where, triu/tril.
import { tfjs } from '../../../tf';
import { fail } from '../errors';
import { Bound, intArg, numberArg, op, promote, result, rolesOf, tensorArg } from './registry';
import { broadcastShapes } from './elementwise';

const tf = () => tfjs();

op(['masked_fill', 'masked_fill_'], 'input, mask, value', (a) => {
  const x = tensorArg(a, 'input');
  const mask = tensorArg(a, 'mask');
  if (mask.dtype !== 'bool') throw fail(a.site, `masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype === 'int32' ? 'long int' : 'float'}`);
  const shape = broadcastShapes(x.shape, mask.shape);
  if (!shape || shape.length !== x.rank || shape.some((s, i) => s !== x.shape[i])) {
    throw fail(a.site, `The size of the mask (${JSON.stringify(mask.shape)}) must match the size of tensor (${JSON.stringify(x.shape)}) at a non-singleton dimension`);
  }
  const value = numberArg(a, 'value');
  const fill = tf().fill(x.shape, value, x.dtype);
  return result(tf().where(tf().broadcastTo(mask, x.shape), fill, x), rolesOf(a.get('input')));
});

op(['where'], 'condition, input, other', (a) => {
  const c = tensorArg(a, 'condition');
  const [x, y] = promote(tensorArg(a, 'input'), tensorArg(a, 'other'));
  const shape = broadcastShapes(broadcastShapes(c.shape, x.shape) ?? [NaN], y.shape);
  if (!shape || shape.some(Number.isNaN)) throw fail(a.site, 'where(): the condition and the two inputs do not broadcast');
  const b = (t: import('@tensorflow/tfjs').Tensor) => tf().broadcastTo(t, shape);
  return result(tf().where(b(tf().cast(c, 'bool')), b(x), b(y)));
});

function band(a: Bound, lower: boolean) {
  const x = tensorArg(a, 'input');
  if (x.rank < 2) throw fail(a.site, `${lower ? 'tril' : 'triu'}: input tensor must have at least 2 dimensions`);
  const k = intArg(a, 'diagonal');
  const rows = x.shape[x.rank - 2];
  const cols = x.shape[x.rank - 1];
  const i = tf().reshape(tf().range(0, rows, 1, 'int32'), [rows, 1]);
  const j = tf().reshape(tf().range(0, cols, 1, 'int32'), [1, cols]);
  const d = tf().sub(j, i);
  const keep = lower ? tf().lessEqual(d, k) : tf().greaterEqual(d, k);
  // A bool input is kept with logicalAnd: the wasm backend's Select on bool values writes past its output.
  const kept = tf().broadcastTo(keep, x.shape);
  return result(x.dtype === 'bool' ? tf().logicalAnd(x, kept) : tf().where(kept, x, tf().zerosLike(x)), rolesOf(a.get('input')));
}

op(['triu', 'triu_'], 'input, diagonal=0', (a) => band(a, false));
op(['tril', 'tril_'], 'input, diagonal=0', (a) => band(a, true));
