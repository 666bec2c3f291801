// Tensors forward made by an nn.Embedding lookup: rows of the layer's table picked by token ids.
// A recurrent layer or cell fed such a tensor (directly, through Dropout, or one time step of it,
// `embedded[:, t, :]`) takes its input projection as rows of E · W + b, computed once per
// embedding table (../../recurrent/kernels.ts ProjectionTables), instead of a product of every
// batch's embedded steps by W. The same sums, grouped otherwise: an Embedding(5000, 64) → LSTM(128)
// batch of 256 × 50 tokens spends a third of its products on that projection.
import type { Tensor } from '../../tf';

export interface Lookup {
  /** The Embedding's table (num_embeddings, embedding_dim). */
  table: Tensor;
  /** int32 ids, the tensor's shape without its last axis. */
  ids: Tensor;
}

// Keyed by the tensor itself: any op that computes a new tensor (a cast, an addition) drops the link.
const LOOKUPS = new WeakMap<Tensor, Lookup>();

export function noteLookup(t: Tensor, lookup: Lookup): void {
  LOOKUPS.set(t, lookup);
}

/** The lookup that made `t`, while its ids and table are alive. */
export function lookupOf(t: Tensor): Lookup | null {
  const found = LOOKUPS.get(t);
  if (!found || found.ids.isDisposed || found.table.isDisposed) return null;
  return found.ids.rank === t.rank - 1 && found.ids.shape.every((d, i) => d === t.shape[i]) ? found : null;
}
