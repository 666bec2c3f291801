// Ops that change nothing SeqLens computes on (devices, autograd, memory layout) or only the dtype.
import { tfjs } from '../../../tf';
import { fail } from '../errors';
import type { Value } from '../values';
import { Bound, op, result, rolesOf, tensorArg } from './registry';

const same = (a: Bound): Value => a.get('input')!;

op(['contiguous', 'detach', 'detach_', 'clone', 'cpu', 'cuda', 'requires_grad_', 'pin_memory'], 'input, *args', same);
// `.numpy()`: a NumPy array of the same values and shape (lengths for pack_padded_sequence, attention weights
// returned beside the output). The executor keeps it as the tensor: what NumPy and torch both offer agrees on it.
op(['numpy'], 'input, force=False', same);

function cast(names: string[], dtype: 'float32' | 'int32' | 'bool'): void {
  op(names, 'input, *args', (a) => {
    const x = tensorArg(a, 'input');
    return result(x.dtype === dtype ? x : tfjs().cast(x, dtype), rolesOf(a.get('input')));
  });
}
cast(['float', 'double', 'half'], 'float32');
cast(['long', 'int', 'short'], 'int32');
cast(['bool'], 'bool');

/** `.to(device)`, `.to(torch.float)`, `.to(other)`, `.type(torch.LongTensor)`. */
op(['to', 'type', 'type_as'], 'input, *args', (a) => {
  const x = tensorArg(a, 'input');
  for (const v of a.rest) {
    let dtype: string | null = null;
    if (v.kind === 'dtype') dtype = v.name;
    else if (v.kind === 'tensor' && a.site.text.includes('type_as')) dtype = v.t.dtype;
    else if (v.kind === 'namespace') {
      const leaf = v.path.split('.').pop()!;
      dtype = /^(Long|Int|Short)Tensor$/.test(leaf) ? 'int32' : /^(Float|Double|Half)Tensor$/.test(leaf) ? 'float32' : leaf === 'BoolTensor' ? 'bool' : null;
      if (dtype === null) throw fail(a.site, `.type(${v.path}) is not a dtype SeqLens knows`);
    } else if (v.kind === 'str' && v.value.startsWith('torch.')) throw fail(a.site, `.type('${v.value}') is not a dtype SeqLens knows`);
    if (dtype !== null && dtype !== x.dtype) return result(tfjs().cast(x, dtype as 'float32'), rolesOf(a.get('input')));
  }
  return a.get('input')!;
});

/** `dst.copy_(src)`: src broadcast to dst's shape and cast to its dtype (bound back to dst by the interpreter). */
op(['copy_'], 'input, src, non_blocking=False', (a) => {
  const x = tensorArg(a, 'input');
  let src = tensorArg(a, 'src');
  if (src.dtype !== x.dtype) src = tfjs().cast(src, x.dtype);
  try {
    return result(tfjs().broadcastTo(src, x.shape), rolesOf(a.get('input')));
  } catch {
    throw fail(a.site, `The size of tensor a (${JSON.stringify(x.shape)}) must match the size of tensor b (${JSON.stringify(src.shape)})`);
  }
});
