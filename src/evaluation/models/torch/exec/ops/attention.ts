// Ops hand-written attention uses beyond matmul/softmax/masked_fill: baddbmm (a mask plus the scores,
// as F.multi_head_attention_forward writes it) and einsum over one or two operands.
import { tfjs } from '../../../tf';
import { fail, refuse } from '../errors';
import { numberArg, op, result, tensorArg } from './registry';
import { matmul } from './products';

const tf = () => tfjs();

op(['baddbmm'], 'input, batch1, batch2, beta=1, alpha=1', (a) => {
  const x = tensorArg(a, 'input');
  const b1 = tensorArg(a, 'batch1');
  const b2 = tensorArg(a, 'batch2');
  if (b1.rank !== 3 || b2.rank !== 3) throw fail(a.site, `batch1 and batch2 must be 3D tensors, got ${b1.rank}D and ${b2.rank}D`);
  if (b1.shape[0] !== b2.shape[0] || b1.shape[2] !== b2.shape[1]) throw fail(a.site, `Expected size for first two dimensions of batch2 tensor to be: [${b1.shape[0]}, ${b1.shape[2]}] but got: [${b2.shape[0]}, ${b2.shape[1]}].`);
  if (x.dtype !== 'float32' || b1.dtype !== 'float32' || b2.dtype !== 'float32') throw fail(a.site, 'baddbmm expects float tensors');
  const beta = numberArg(a, 'beta');
  const alpha = numberArg(a, 'alpha');
  const product = matmul(a.site, b1, b2);
  const scaled = alpha === 1 ? product : tf().mul(product, alpha);
  // beta = 0 ignores input entirely (its NaN and inf too), as PyTorch documents.
  const out = beta === 0 ? scaled : tf().add(beta === 1 ? x : tf().mul(x, beta), scaled);
  if (out.rank !== 3 || out.shape.some((s, i) => s !== product.shape[i])) throw fail(a.site, `the input of shape [${x.shape.join(', ')}] does not broadcast to [${product.shape.join(', ')}]`);
  return result(out);
});

op(['einsum'], 'equation, *operands', (a) => {
  const eq = a.get('equation');
  if (eq?.kind !== 'str') throw fail(a.site, 'einsum(): the equation must be a string');
  const operands = a.rest.length === 1 && (a.rest[0].kind === 'list' || a.rest[0].kind === 'tuple') ? a.rest[0].items : a.rest;
  const equation = eq.value.replace(/\s+/g, '');
  if (equation.includes('.')) throw refuse(a.site, 'einsum with an ellipsis');
  const [lhs, rhs] = equation.split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== operands.length) throw fail(a.site, `einsum(): ${inputs.length} operands in the equation, ${operands.length} given`);
  if (operands.length < 1 || operands.length > 2) throw refuse(a.site, `einsum over ${operands.length} operands`);
  const tensors = operands.map((v) => {
    if (v.kind !== 'tensor') throw fail(a.site, `einsum(): an operand is a ${v.kind}, not a tensor`);
    return v.t;
  });
  inputs.forEach((spec, i) => {
    if (!/^[a-zA-Z]*$/.test(spec)) throw fail(a.site, `einsum(): invalid subscript '${spec}'`);
    if (spec.length !== tensors[i].rank) throw fail(a.site, `einsum(): the number of subscripts in the equation (${spec.length}) does not match the number of dimensions (${tensors[i].rank}) for operand ${i}`);
    if (new Set(spec).size !== spec.length) throw refuse(a.site, 'einsum with a subscript repeated within one operand');
  });
  const sizes = new Map<string, number>();
  inputs.forEach((spec, i) => [...spec].forEach((c, d) => {
    const s = tensors[i].shape[d];
    if (sizes.has(c) && sizes.get(c) !== s && sizes.get(c) !== 1 && s !== 1) throw fail(a.site, `einsum(): operands do not broadcast with remapped shapes (subscript ${c}: ${sizes.get(c)} and ${s})`);
    if (!sizes.has(c) || sizes.get(c) === 1) sizes.set(c, s);
  }));
  // Implicit output: the subscripts that appear once, in alphabetical order.
  const out = rhs ?? [...sizes.keys()].filter((c) => inputs.join('').split(c).length === 2).sort().join('');
  if (tensors.some((t) => t.dtype !== tensors[0].dtype)) throw fail(a.site, 'einsum(): expected the operands to have the same dtype');
  const broadcast = tensors.map((t, i) => (t.shape.some((s, d) => s !== sizes.get(inputs[i][d])) ? tf().broadcastTo(t, [...inputs[i]].map((c) => sizes.get(c)!)) : t));
  return result(tf().einsum([inputs.join(','), out].join('->'), ...broadcast));
});
