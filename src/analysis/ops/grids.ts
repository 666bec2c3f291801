// Coordinate grids: torch.meshgrid.
import { Dim, Origin, intDim } from '../shapes/dim';
import { shapeOf } from '../shapes/shape';
import { Value } from '../values/value';

/**
 * torch.meshgrid(a, b, …, indexing='ij') (or one list or tuple of them): N tensors of 0 or 1 axes, of sizes s1 … sN (1
 * for a 0-D one), give N tensors of one shape, (s1, …, sN); indexing='xy' swaps the first two sizes, (s2, s1, s3, …).
 * Without indexing PyTorch 1.13 takes 'ij' (and warns). Each grid keeps its input's dtype. An input that is not a
 * followed tensor of at most one axis, or an indexing that is not a known 'ij' or 'xy', leaves the grids unknown.
 */
export function meshgrid(args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const listed = args.length === 1 && (args[0].kind === 'list' || args[0].kind === 'tuple') ? args[0] : undefined;
  if (listed?.element) return undefined;
  const inputs = listed ? listed.items : args;
  const indexing = kwargs.get('indexing');
  const mode = indexing === undefined || indexing.kind === 'none' ? 'ij' : indexing.kind === 'str' ? indexing.value : undefined;
  if (inputs.length === 0 || (mode !== 'ij' && mode !== 'xy')) return undefined;
  const sizes: Dim[] = [];
  for (const input of inputs) {
    if (input.kind !== 'tensor' || !input.shape.rankKnown || input.shape.dims.length > 1) return undefined;
    sizes.push(input.shape.dims.length === 0 ? intDim(1, { origin }) : input.shape.dims[0]);
  }
  const dims = mode === 'xy' && sizes.length >= 2 ? [sizes[1], sizes[0], ...sizes.slice(2)] : sizes;
  return { kind: 'tuple', items: inputs.map((input) => ({ kind: 'tensor', dtype: input.kind === 'tensor' ? input.dtype : 'unknown', origin, shape: shapeOf(dims) })) };
}
