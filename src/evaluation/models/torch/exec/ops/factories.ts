// Tensors made from sizes or values: zeros/ones/full/arange/tensor and their *_like and new_*
// forms. Random tensors are made only while `__init__` runs (a parameter the weights then replace);
// in forward they would make the outputs differ from PyTorch's on every run, so they are refused.
import { tfjs, Tensor } from '../../../tf';
import { fail, refuse } from '../errors';
import type { Value } from '../values';
import { Bound, isNone, literalTensor, numberArg, op, result, sizesOf, tensorArg } from './registry';

const tf = () => tfjs();

/** Largest tensor a factory may make: 64 M elements (256 MB as float32). */
export const MAX_FACTORY_ELEMENTS = 64 * 1024 * 1024;

export const factoryState = { inForward: false };

type Dtype = 'float32' | 'int32' | 'bool';

function dtypeOf(a: Bound, fallback: Dtype): Dtype {
  const d = a.get('dtype');
  if (d?.kind === 'dtype') return d.name;
  return fallback;
}

function checkedSizes(a: Bound, values: Value[]): number[] {
  const sizes = sizesOf(a, values);
  if (sizes.some((s) => s < 0)) throw fail(a.site, `Trying to create tensor with negative dimension ${sizes.find((s) => s < 0)}: ${JSON.stringify(sizes)}`);
  const count = sizes.reduce((p, s) => p * s, 1);
  if (count > MAX_FACTORY_ELEMENTS) throw fail(a.site, `a tensor of ${count.toLocaleString('en-US')} elements is larger than SeqLens makes (${MAX_FACTORY_ELEMENTS.toLocaleString('en-US')})`);
  return sizes;
}

const SIZE_KW = 'dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False';

op(['zeros'], `*size, ${SIZE_KW}`, (a) => result(tf().zeros(checkedSizes(a, a.rest), dtypeOf(a, 'float32'))));
op(['ones'], `*size, ${SIZE_KW}`, (a) => result(tf().ones(checkedSizes(a, a.rest), dtypeOf(a, 'float32'))));
op(['full'], `size, fill_value, ${SIZE_KW}`, (a) => {
  const v = a.get('fill_value')!;
  return result(tf().fill(checkedSizes(a, [a.get('size')!]), numberArg(a, 'fill_value'), dtypeOf(a, v.kind === 'float' ? 'float32' : v.kind === 'bool' ? 'bool' : 'int32')));
});

function like(names: string[], make: (shape: number[], dtype: Dtype, a: Bound) => Tensor, extra = ''): void {
  op(names, `input, ${extra}${SIZE_KW}, memory_format=None`, (a) => {
    const x = tensorArg(a, 'input');
    return result(make(x.shape, dtypeOf(a, x.dtype as Dtype), a));
  });
}
like(['zeros_like'], (s, d) => tf().zeros(s, d));
like(['ones_like'], (s, d) => tf().ones(s, d));
like(['full_like'], (s, d, a) => tf().fill(s, numberArg(a, 'fill_value'), d), 'fill_value, ');
op(['zero_'], 'input', (a) => result(tf().zerosLike(tensorArg(a, 'input'))));
op(['fill_'], 'input, value', (a) => {
  const x = tensorArg(a, 'input');
  return result(tf().fill(x.shape, numberArg(a, 'value'), x.dtype));
});

function newFrom(names: string[], make: (shape: number[], dtype: Dtype, a: Bound) => Tensor, extra = ''): void {
  op(names, `input, *size, ${extra}${SIZE_KW}`, (a) => {
    const x = tensorArg(a, 'input');
    return result(make(checkedSizes(a, a.rest), dtypeOf(a, x.dtype as Dtype), a));
  });
}
newFrom(['new_zeros'], (s, d) => tf().zeros(s, d));
newFrom(['new_ones'], (s, d) => tf().ones(s, d));
op(['new_full'], `input, size, fill_value, ${SIZE_KW}`, (a) => {
  const x = tensorArg(a, 'input');
  return result(tf().fill(checkedSizes(a, [a.get('size')!]), numberArg(a, 'fill_value'), dtypeOf(a, x.dtype as Dtype)));
});
/** `weight.new(n, b, h)`: uninitialised memory that code fills (`.zero_()`) before reading; zeros stand for it. */
newFrom(['new', 'new_empty', 'empty_like'], (s, d) => tf().zeros(s, d));

op(['arange'], `start, end=None, step=1, ${SIZE_KW}`, (a) => {
  let start = numberArg(a, 'start');
  let end: number;
  if (isNone(a.get('end'))) {
    end = start;
    start = 0;
  } else end = numberArg(a, 'end');
  const step = numberArg(a, 'step');
  if (step === 0) throw fail(a.site, 'step must be nonzero');
  const count = Math.max(0, Math.ceil((end - start) / step));
  if (count > MAX_FACTORY_ELEMENTS) throw fail(a.site, `arange of ${count} elements is larger than SeqLens makes`);
  const floats = [a.get('start'), a.get('end'), a.get('step')].some((v) => v?.kind === 'float');
  const dtype = dtypeOf(a, floats ? 'float32' : 'int32');
  const out = tf().range(start, end, step, dtype === 'bool' ? 'int32' : dtype);
  return result(dtype === 'bool' ? tf().cast(out, 'bool') : out);
});

op(['tensor', 'as_tensor', 'from_numpy'], `data, ${SIZE_KW}`, (a) => {
  const v = a.get('data')!;
  if (v.kind === 'tensor') return v;
  const t = literalTensor(v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' ? { kind: 'list', items: [v] } : v, a.site);
  const scalar = v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' ? t.reshape([]) : t;
  const d = a.get('dtype');
  return result(d?.kind === 'dtype' && d.name !== scalar.dtype ? tf().cast(scalar, d.name) : scalar);
});

function random(names: string[], make: (shape: number[]) => Tensor): void {
  op(names, `*size, generator=None, ${SIZE_KW}`, (a) => {
    if (factoryState.inForward) throw refuse(a.site, 'random numbers in forward (the outputs would differ from PyTorch\'s on every run)');
    return result(make(checkedSizes(a, a.rest)));
  });
}
random(['randn', 'rand', 'empty', 'Tensor', 'FloatTensor'], (s) => tf().zeros(s));
random(['LongTensor'], (s) => tf().zeros(s, 'int32'));

/** nn.init.* in `__init__`: the weights come from the state dict, so initialisation changes nothing SeqLens reads. */
op(['xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'orthogonal_', 'uniform_', 'normal_', 'constant_', 'zeros_', 'ones_', 'eye_'], 'tensor, *args, gain=1.0, a=0, mode=None, nonlinearity=None, mean=0.0, std=1.0, val=None, b=1.0', (a) => {
  if (factoryState.inForward) throw refuse(a.site, 'initialising weights in forward');
  return a.get('tensor')!;
});
