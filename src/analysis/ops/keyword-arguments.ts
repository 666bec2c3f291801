// The keyword arguments each PyTorch callee takes, for SL162: what PyTorch 1.13 takes, measured (`v113`), and what
// later releases added (`later`, read from pytorch/pytorch's newer sources). A keyword in neither list is taken by no
// release. test/oracle/keyword_args.py writes the rows between the markers (--update) and checks them against
// PyTorch 1.13 (--check): every `v113` keyword is accepted, and keywords outside the table raise TypeError.

export interface KeywordEntry {
  /** 'python': a Python function or class (1.13 raises "got an unexpected keyword argument"); 'c': a C function read
   * by PyTorch's argument parser (1.13 raises "received an invalid combination of arguments"). */
  parser: 'python' | 'c';
  v113: readonly string[];
  later: readonly string[];
  /** Parameters the callee fills itself (RNNBase's mode): naming one raises "got multiple values", not SL162's. */
  reserved: readonly string[];
}

/**
 * Keyed by the callee: `torch.nn.LSTM` (construction), `torch.nn.functional.relu`, `torch.sum`, `Tensor.sum` (a
 * method of a tensor).
 */
export const KEYWORD_TABLE: Readonly<Record<string, KeywordEntry>> = {
  // <keyword-table>
  'torch.nn.RNN': { parser: 'python', v113: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype', 'nonlinearity'], later: [], reserved: ['mode'] },
  'torch.nn.LSTM': { parser: 'python', v113: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype'], later: [], reserved: ['mode'] },
  'torch.nn.GRU': { parser: 'python', v113: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype'], later: [], reserved: ['mode'] },
  'torch.nn.RNNCell': { parser: 'python', v113: ['input_size', 'hidden_size', 'bias', 'nonlinearity', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.LSTMCell': { parser: 'python', v113: ['input_size', 'hidden_size', 'bias', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.GRUCell': { parser: 'python', v113: ['input_size', 'hidden_size', 'bias', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.Embedding': { parser: 'python', v113: ['num_embeddings', 'embedding_dim', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse', '_weight', 'device', 'dtype'], later: ['_freeze'], reserved: [] },
  'torch.nn.Linear': { parser: 'python', v113: ['in_features', 'out_features', 'bias', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.Conv1d': { parser: 'python', v113: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.Conv2d': { parser: 'python', v113: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.Conv3d': { parser: 'python', v113: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.Dropout': { parser: 'python', v113: ['p', 'inplace'], later: [], reserved: [] },
  'torch.nn.Dropout1d': { parser: 'python', v113: ['p', 'inplace'], later: [], reserved: [] },
  'torch.nn.Dropout2d': { parser: 'python', v113: ['p', 'inplace'], later: [], reserved: [] },
  'torch.nn.Dropout3d': { parser: 'python', v113: ['p', 'inplace'], later: [], reserved: [] },
  'torch.nn.AlphaDropout': { parser: 'python', v113: ['p', 'inplace'], later: [], reserved: [] },
  'torch.nn.LayerNorm': { parser: 'python', v113: ['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], later: ['bias'], reserved: [] },
  'torch.nn.GroupNorm': { parser: 'python', v113: ['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'], later: [], reserved: [] },
  'torch.nn.functional.relu': { parser: 'python', v113: ['input', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.relu6': { parser: 'python', v113: ['input', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.elu': { parser: 'python', v113: ['input', 'alpha', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.selu': { parser: 'python', v113: ['input', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.leaky_relu': { parser: 'python', v113: ['input', 'negative_slope', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.hardtanh': { parser: 'python', v113: ['input', 'min_val', 'max_val', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.glu': { parser: 'python', v113: ['input', 'dim'], later: [], reserved: [] },
  'torch.nn.functional.softmax': { parser: 'python', v113: ['input', 'dim', '_stacklevel', 'dtype'], later: [], reserved: [] },
  'torch.nn.functional.log_softmax': { parser: 'python', v113: ['input', 'dim', '_stacklevel', 'dtype'], later: [], reserved: [] },
  'torch.nn.functional.tanh': { parser: 'python', v113: ['input'], later: [], reserved: [] },
  'torch.nn.functional.sigmoid': { parser: 'python', v113: ['input'], later: [], reserved: [] },
  'torch.nn.functional.tanhshrink': { parser: 'python', v113: ['input'], later: [], reserved: [] },
  'torch.nn.functional.softsign': { parser: 'python', v113: ['input'], later: [], reserved: [] },
  'torch.nn.functional.silu': { parser: 'python', v113: ['input', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.mish': { parser: 'python', v113: ['input', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.dropout': { parser: 'python', v113: ['input', 'p', 'training', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.dropout1d': { parser: 'python', v113: ['input', 'p', 'training', 'inplace'], later: [], reserved: [] },
  'torch.nn.functional.alpha_dropout': { parser: 'python', v113: ['input', 'p', 'training', 'inplace'], later: [], reserved: [] },
  'torch.softmax': { parser: 'c', v113: ['input', 'dim', 'dtype', 'out', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.softmax': { parser: 'c', v113: ['dim', 'dtype', 'axis'], later: [], reserved: [] },
  'torch.log_softmax': { parser: 'c', v113: ['input', 'dim', 'dtype', 'out', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.log_softmax': { parser: 'c', v113: ['dim', 'dtype', 'axis'], later: [], reserved: [] },
  'torch.sum': { parser: 'c', v113: ['input', 'dtype', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.sum': { parser: 'c', v113: ['dtype', 'dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.mean': { parser: 'c', v113: ['input', 'dtype', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.mean': { parser: 'c', v113: ['dtype', 'dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.max': { parser: 'c', v113: ['input', 'other', 'out', 'dim', 'keepdim', 'x', 'a', 'x1', 'x2', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.max': { parser: 'c', v113: ['other', 'dim', 'keepdim', 'x2', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.min': { parser: 'c', v113: ['input', 'other', 'out', 'dim', 'keepdim', 'x', 'a', 'x1', 'x2', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.min': { parser: 'c', v113: ['other', 'dim', 'keepdim', 'x2', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.argmax': { parser: 'c', v113: ['input', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.argmax': { parser: 'c', v113: ['dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.argmin': { parser: 'c', v113: ['input', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.argmin': { parser: 'c', v113: ['dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.std': { parser: 'c', v113: ['input', 'dim', 'correction', 'keepdim', 'out', 'unbiased', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.std': { parser: 'c', v113: ['dim', 'correction', 'keepdim', 'unbiased', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.var': { parser: 'c', v113: ['input', 'dim', 'correction', 'keepdim', 'out', 'unbiased', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.var': { parser: 'c', v113: ['dim', 'correction', 'keepdim', 'unbiased', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.prod': { parser: 'c', v113: ['input', 'dtype', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.prod': { parser: 'c', v113: ['dtype', 'dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.logsumexp': { parser: 'c', v113: ['input', 'dim', 'keepdim', 'out', 'x', 'a', 'x1', 'axis', 'keepdims'], later: [], reserved: [] },
  'Tensor.logsumexp': { parser: 'c', v113: ['dim', 'keepdim', 'axis', 'keepdims'], later: [], reserved: [] },
  'torch.transpose': { parser: 'c', v113: ['input', 'dim0', 'dim1', 'x', 'a', 'x1'], later: [], reserved: [] },
  'Tensor.transpose': { parser: 'c', v113: ['dim0', 'dim1'], later: [], reserved: [] },
  'torch.squeeze': { parser: 'c', v113: ['input', 'dim', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.squeeze': { parser: 'c', v113: ['dim', 'axis'], later: [], reserved: [] },
  'torch.unsqueeze': { parser: 'c', v113: ['input', 'dim', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.unsqueeze': { parser: 'c', v113: ['dim', 'axis'], later: [], reserved: [] },
  'torch.topk': { parser: 'c', v113: ['input', 'k', 'dim', 'largest', 'sorted', 'out', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.topk': { parser: 'c', v113: ['k', 'dim', 'largest', 'sorted', 'axis'], later: [], reserved: [] },
  'torch.sort': { parser: 'c', v113: ['input', 'stable', 'dim', 'descending', 'out', 'x', 'a', 'x1', 'axis'], later: [], reserved: [] },
  'Tensor.sort': { parser: 'c', v113: ['stable', 'dim', 'descending', 'axis'], later: [], reserved: [] },
  'torch.argsort': { parser: 'c', v113: ['input', 'stable', 'dim', 'descending', 'x', 'a', 'x1', 'axis'], later: ['out'], reserved: [] },
  'Tensor.argsort': { parser: 'c', v113: ['stable', 'dim', 'descending', 'axis'], later: [], reserved: [] },
  'torch.cat': { parser: 'c', v113: ['tensors', 'dim', 'out', 'axis'], later: [], reserved: [] },
  'torch.concat': { parser: 'c', v113: ['tensors', 'dim', 'out', 'axis'], later: [], reserved: [] },
  'torch.stack': { parser: 'c', v113: ['tensors', 'dim', 'out', 'axis'], later: [], reserved: [] },
  // </keyword-table>
};

/** The keywords a callee takes in some PyTorch release, or undefined for a callee the table does not know. */
export function keywordsTaken(callee: string): KeywordEntry | undefined {
  return Object.hasOwn(KEYWORD_TABLE, callee) ? KEYWORD_TABLE[callee] : undefined;
}

/** Whether some PyTorch release takes the keyword (or the callee fills it itself, which raises another TypeError). */
export function takesKeyword(entry: KeywordEntry, name: string): boolean {
  return entry.v113.includes(name) || entry.later.includes(name) || entry.reserved.includes(name);
}

/** The first keyword of a call that no PyTorch release takes for the callee, if the table knows the callee. */
export function refusedKeyword(callee: string, keywords: readonly { name: string }[]): string | undefined {
  const entry = keywordsTaken(callee);
  return entry ? keywords.find((k) => !takesKeyword(entry, k.name))?.name : undefined;
}
