import { Dim, formatDim, UNKNOWN_DIM } from './dim';

/**
 * A tensor shape. When `rankKnown` is false only the trailing `dims` are known
 * (an Embedding applied to an input of unknown rank still tells the last dimension).
 */
export interface Shape {
  dims: Dim[];
  rankKnown: boolean;
}

/** A bound on the rank followed: past it (`x = x.unsqueeze(0)` in a long loop) the shape is unknown. PyTorch allows more, but no model needs it. */
export const MAX_RANK = 64;

export function shapeOf(dims: Dim[]): Shape {
  return dims.length > MAX_RANK ? UNKNOWN_SHAPE : { dims, rankKnown: true };
}

export function trailing(dims: Dim[]): Shape {
  return dims.length > MAX_RANK ? UNKNOWN_SHAPE : { dims, rankKnown: false };
}

export const UNKNOWN_SHAPE: Shape = { dims: [], rankKnown: false };

export function rankOf(shape: Shape): number | undefined {
  return shape.rankKnown ? shape.dims.length : undefined;
}

export function lastDim(shape: Shape): Dim {
  return shape.dims.length ? shape.dims[shape.dims.length - 1] : UNKNOWN_DIM;
}

/** Dimension at a possibly negative index, where it can be known. */
export function dimAt(shape: Shape, index: number): Dim {
  if (index < 0) {
    const i = shape.dims.length + index;
    return i >= 0 ? shape.dims[i] : UNKNOWN_DIM;
  }
  if (!shape.rankKnown) return UNKNOWN_DIM;
  return shape.dims[index] ?? UNKNOWN_DIM;
}

/** Replaces the last dimension (Linear, RNN and Embedding outputs). */
export function withLast(shape: Shape, dim: Dim): Shape {
  if (shape.dims.length === 0) return shape.rankKnown ? shape : trailing([dim]);
  return { dims: [...shape.dims.slice(0, -1), dim], rankKnown: shape.rankKnown };
}

export function formatShape(shape: Shape): string {
  // Built in one string (this runs for every tensor bound to a name): '(…, a, b)', '(a,)' for one known axis.
  const dims = shape.dims;
  if (shape.rankKnown && dims.length === 1) return `(${formatDim(dims[0])},)`;
  let text = shape.rankKnown ? '(' : dims.length ? '(…, ' : '(…';
  for (let i = 0; i < dims.length; i++) text += i ? `, ${formatDim(dims[i])}` : formatDim(dims[i]);
  return text + ')';
}

/** Normalises a possibly negative axis against a known rank. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
