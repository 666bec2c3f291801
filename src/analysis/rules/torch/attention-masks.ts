// Which shape each mask of an attention or Transformer layer must have, from the inputs it goes with.
// key_padding_mask: (batch, src_len); attn_mask: (tgt_len, src_len) or (batch · heads, tgt_len, src_len).
import type { LayerCallEvent } from '../../interpret/events';
import { attentionAxes } from '../../layers/torch/attention';
import type { Dim } from '../../shapes/dim';
import type { TensorValue } from '../../values/value';
import { attentionConfig, tensorArg } from './attention-helpers';

export interface MaskSpec {
  mask: string;
  kind: 'padding' | 'attention';
  /** The input whose sequence axis gives the rows (attention masks only). */
  rows?: string;
  /** The input whose sequence axis gives the columns (the keys). */
  cols: string;
}

const MASKS: Record<string, MaskSpec[]> = {
  MultiheadAttention: [{ mask: 'key_padding_mask', kind: 'padding', cols: 'key' }, { mask: 'attn_mask', kind: 'attention', rows: 'query', cols: 'key' }],
  TransformerEncoderLayer: [{ mask: 'src_key_padding_mask', kind: 'padding', cols: 'src' }, { mask: 'src_mask', kind: 'attention', rows: 'src', cols: 'src' }],
  TransformerEncoder: [{ mask: 'src_key_padding_mask', kind: 'padding', cols: 'src' }, { mask: 'mask', kind: 'attention', rows: 'src', cols: 'src' }],
  TransformerDecoderLayer: [
    { mask: 'tgt_key_padding_mask', kind: 'padding', cols: 'tgt' },
    { mask: 'memory_key_padding_mask', kind: 'padding', cols: 'memory' },
    { mask: 'tgt_mask', kind: 'attention', rows: 'tgt', cols: 'tgt' },
    { mask: 'memory_mask', kind: 'attention', rows: 'tgt', cols: 'memory' },
  ],
  Transformer: [
    { mask: 'src_key_padding_mask', kind: 'padding', cols: 'src' },
    { mask: 'tgt_key_padding_mask', kind: 'padding', cols: 'tgt' },
    { mask: 'memory_key_padding_mask', kind: 'padding', cols: 'src' },
    { mask: 'src_mask', kind: 'attention', rows: 'src', cols: 'src' },
    { mask: 'tgt_mask', kind: 'attention', rows: 'tgt', cols: 'tgt' },
    { mask: 'memory_mask', kind: 'attention', rows: 'tgt', cols: 'src' },
  ],
};
MASKS.TransformerDecoder = MASKS.TransformerDecoderLayer;

export function maskSpecs(kind: string): MaskSpec[] {
  return MASKS[kind] ?? [];
}

export interface MaskExpectation {
  spec: MaskSpec;
  mask: TensorValue;
  /** Batch and sequence axes of the inputs the mask goes with. */
  batch: Dim;
  rowsLen?: Dim;
  colsLen: Dim;
  rowsInput?: TensorValue;
  colsInput: TensorValue;
  batchFirst: boolean;
}

/** Every mask passed to this call whose inputs are batched 3-D tensors of a known layout. */
export function maskExpectations(event: LayerCallEvent): MaskExpectation[] {
  const config = attentionConfig(event.layer);
  if (config.batchFirst === undefined) return [];
  const out: MaskExpectation[] = [];
  for (const spec of maskSpecs(event.layer.kind)) {
    const mask = tensorArg(event, spec.mask);
    const colsInput = tensorArg(event, spec.cols);
    const rowsInput = spec.rows ? tensorArg(event, spec.rows) : undefined;
    if (!mask || !colsInput) continue;
    const cols = attentionAxes(config.batchFirst, colsInput.shape);
    const rows = rowsInput ? attentionAxes(config.batchFirst, rowsInput.shape) : undefined;
    if (!cols || (spec.rows && !rows)) continue;
    out.push({ spec, mask, batch: cols.batch, rowsLen: rows?.seq, colsLen: cols.seq, rowsInput, colsInput, batchFirst: config.batchFirst });
  }
  return out;
}
