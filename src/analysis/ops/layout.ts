// Memory layout (strides, in elements) of a tensor whose sizes are all known numbers, for `.view()`, which never
// copies and raises when the new shape cannot be laid over the old strides. Strides are kept only where PyTorch's
// are certain: `.contiguous()`, the output of a recurrent layer (batch_first transposes it back), transpose/permute,
// basic slicing and the element-wise ops that keep their input's layout. Everything else forgets them, and an
// unknown layout never leads to a finding.
import type { Dim } from '../shapes/dim';
import type { Shape } from '../shapes/shape';
import type { TensorValue } from '../values/value';

/** The sizes as numbers, when every one is known. */
export function knownSizes(dims: Dim[]): number[] | undefined {
  const sizes: number[] = [];
  for (const d of dims) {
    if (d.kind !== 'int') return undefined;
    sizes.push(d.value);
  }
  return sizes;
}

/** Resolves one -1 against the element count; undefined when a size is unknown or the -1 does not divide. */
export function resolveSizes(requested: number[], numel: number): number[] | undefined {
  const minus = requested.indexOf(-1);
  if (requested.some((s, i) => s < 0 && i !== minus)) return undefined;
  if (minus === -1) return requested;
  const rest = requested.reduce((p, s, i) => (i === minus ? p : p * s), 1);
  if (rest <= 0 || numel % rest !== 0) return undefined;
  const sizes = [...requested];
  sizes[minus] = numel / rest;
  return sizes;
}

/** Row-major strides of a freshly allocated tensor of these sizes. */
export function contiguousStrides(sizes: number[]): number[] {
  const strides = new Array<number>(sizes.length);
  let step = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= Math.max(sizes[i], 1);
  }
  return strides;
}

/** The tensor's strides, when its sizes are known and its layout is certain. */
export function stridesOf(t: TensorValue): number[] | undefined {
  return t.strides && stridesFit(t.shape, t.strides) ? t.strides : undefined;
}

/** Whether strides describe a layout of the shape: one per axis, and every size known. */
export function stridesFit(shape: Shape, strides: readonly number[]): boolean {
  if (!shape.rankKnown || strides.length !== shape.dims.length) return false;
  for (const d of shape.dims) if (d.kind !== 'int') return false;
  return true;
}

/** A contiguous tensor's strides, for `.contiguous()` and copies: undefined unless every size is known. */
export function contiguousLayout(t: TensorValue): number[] | undefined {
  const sizes = t.shape.rankKnown ? knownSizes(t.shape.dims) : undefined;
  return sizes ? contiguousStrides(sizes) : undefined;
}

/**
 * The strides `.view(newSizes)` gives, or undefined when PyTorch raises "view size is not compatible with input
 * tensor's size and stride". A port of ATen's computeStride (aten/src/ATen/TensorUtils.cpp).
 */
export function viewStrides(oldSizes: number[], oldStrides: number[], newSizes: number[]): number[] | undefined {
  const numel = oldSizes.reduce((p, s) => p * s, 1);
  if (numel !== newSizes.reduce((p, s) => p * s, 1)) return undefined;
  if (numel === 0 || oldSizes.length === 0) return contiguousStrides(newSizes);
  const newStrides = new Array<number>(newSizes.length).fill(0);
  let viewD = newSizes.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldSizes.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldSizes[tensorD];
    if (tensorD === 0 || (oldSizes[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newSizes[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newSizes[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : undefined;
}

/** Whether a tensor of these sizes and strides is contiguous, as `is_contiguous()` decides (size-1 axes do not count). */
export function isContiguous(sizes: number[], strides: number[]): boolean {
  let expected = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    if (sizes[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= sizes[i];
  }
  return true;
}

/** Element-wise ops whose output takes its input's strides (TensorIterator keeps a dense input's layout). */
export const LAYOUT_KEEPING = new Set([
  'relu', 'relu_', 'tanh', 'tanh_', 'sigmoid', 'sigmoid_', 'gelu', 'elu', 'leaky_relu', 'selu', 'silu', 'softplus', 'exp', 'log', 'abs', 'sqrt', 'neg',
  'dropout', 'clone', 'detach', 'cpu',
]);
