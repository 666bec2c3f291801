// nn.TransformerEncoderLayer/Encoder, nn.TransformerDecoderLayer/Decoder and nn.Transformer as
// PyTorch 1.13 runs them in eval mode: post-norm or norm_first blocks, relu or gelu feed-forward,
// the masks handed to each attention block, and the encoder's nested-tensor fast path (batch-first,
// a left-aligned src_key_padding_mask and no src mask: the padded positions leave the layers as
// zeros, before the final norm). The stacks hold clones of the layer they were given, named
// layers.0, layers.1, … and norm, as PyTorch's state dict names them.
import { tfjs, Tensor } from '../../../tf';
import type { WeightSource } from '../../layers';
import { CallSite, fail } from '../errors';
import { gelu } from '../ops/elementwise';
import { layerNorm } from '../ops/functional';
import { linear } from '../ops/products';
import { op, result } from '../ops/registry';
import type { Layer, Value } from '../values';
import { attentionWeights, AttentionWeights, bindCall, checkTimeMajor, maskArg, multiHeadAttention, tensorInput } from './attention';
import { argBool, argNumber, layerBuilder, LayerRuntime, registerLayerMethod, registerLayers } from './module';

const tf = () => tfjs();

const LAYER_SIGNATURE = "d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None";

type Activation = 'relu' | 'gelu';

/** relu or gelu, given as PyTorch accepts them: a string, F.relu / torch.relu, or an nn.ReLU() / nn.GELU() module. */
function activationOf(layer: Layer): Activation {
  const v = layer.args.get('activation');
  const name = v === undefined ? 'relu' : v.kind === 'str' ? v.value : v.kind === 'namespace' ? v.path.split('.').pop()! : v.kind === 'module' ? v.layer.type.toLowerCase() : '';
  if (name === 'relu' || name === 'gelu') return name;
  if (v?.kind === 'str') throw new Error(`nn.${layer.type} (line ${layer.line}): activation should be relu/gelu, not ${v.value}`);
  throw new Error(`nn.${layer.type} (line ${layer.line}): an activation other than relu or gelu is not something SeqLens runs`);
}

interface Norm { weight: Tensor | null; bias: Tensor | null; eps: number }

interface Block {
  attention: AttentionWeights;
  cross: AttentionWeights | null;
  linear1: [Tensor, Tensor];
  linear2: [Tensor, Tensor];
  norms: Norm[];
  activation: Activation;
  normFirst: boolean;
  batchFirst: boolean;
  all: Tensor[];
  parameterCount: number;
}

function blockOf(layer: Layer, path: string, weights: WeightSource, decoder: boolean): Block {
  const d = argNumber(layer, 'd_model');
  const ff = argNumber(layer, 'dim_feedforward', 2048);
  const eps = argNumber(layer, 'layer_norm_eps', 1e-5);
  const batchFirst = argBool(layer, 'batch_first', false);
  const attentionLayer = (): Layer => ({ kind: 'layer', type: 'MultiheadAttention', line: layer.line, path: null, children: [], keys: null, args: new Map<string, Value>([['embed_dim', { kind: 'int', value: d }], ['num_heads', layer.args.get('nhead') ?? { kind: 'none' }], ['batch_first', { kind: 'bool', value: batchFirst }]]) });
  const all: Tensor[] = [];
  const take = (name: string, shape: number[]) => {
    const t = tf().tensor(weights.take(`${path}.${name}`, shape), shape);
    all.push(t);
    return t;
  };
  const attention = attentionWeights(attentionLayer(), `${path}.self_attn`, weights);
  const cross = decoder ? attentionWeights(attentionLayer(), `${path}.multihead_attn`, weights) : null;
  const block: Block = {
    attention,
    cross,
    linear1: [take('linear1.weight', [ff, d]), take('linear1.bias', [ff])],
    linear2: [take('linear2.weight', [d, ff]), take('linear2.bias', [d])],
    norms: (decoder ? ['norm1', 'norm2', 'norm3'] : ['norm1', 'norm2']).map((n) => ({ weight: take(`${n}.weight`, [d]), bias: take(`${n}.bias`, [d]), eps })),
    activation: activationOf(layer),
    normFirst: argBool(layer, 'norm_first', false),
    batchFirst,
    all: [...attention.all, ...(cross?.all ?? [])],
    parameterCount: 0,
  };
  block.all.push(...all);
  block.parameterCount = block.all.reduce((n, t) => n + t.size, 0);
  return block;
}

const norm = (x: Tensor, n: Norm) => layerNorm(x, 1, n.weight, n.bias, n.eps);

function feedForward(site: CallSite, b: Block, x: Tensor): Tensor {
  const h = linear(site, x, b.linear1[0], b.linear1[1]);
  return linear(site, b.activation === 'relu' ? tf().relu(h) : gelu(h), b.linear2[0], b.linear2[1]);
}

interface Masks { mask: Tensor | null; keyPadding: Tensor | null; memoryMask?: Tensor | null; memoryKeyPadding?: Tensor | null }

function checkModel(site: CallSite, b: Block, x: Tensor, what: string): void {
  if (x.dtype !== 'float32') throw fail(site, `the ${what} must be a float tensor (did it skip its Embedding?)`);
  if (x.rank !== 2 && x.rank !== 3) throw fail(site, `the ${what} must be 2-D or 3-D, got ${x.rank}-D`);
  if (x.shape[x.rank - 1] !== b.attention.embed) throw fail(site, `was expecting embedding dimension of ${b.attention.embed}, but got ${x.shape[x.rank - 1]}`);
}

function encoderBlock(site: CallSite, b: Block, src: Tensor, m: Masks): Tensor {
  checkModel(site, b, src, 'src');
  if (m.keyPadding && m.keyPadding.dtype === 'int32') throw fail(site, 'only bool and floating types of key_padding_mask are supported');
  const sa = (x: Tensor) => multiHeadAttention(site, b.attention, x, x, x, { keyPaddingMask: m.keyPadding, attnMask: m.mask, needWeights: false, averageWeights: true })[0];
  const t = tf();
  if (b.normFirst) {
    const x = t.add(src, sa(norm(src, b.norms[0])));
    return t.add(x, feedForward(site, b, norm(x, b.norms[1])));
  }
  const x = norm(t.add(src, sa(src)), b.norms[0]);
  return norm(t.add(x, feedForward(site, b, x)), b.norms[1]);
}

function decoderBlock(site: CallSite, b: Block, tgt: Tensor, memory: Tensor, m: Masks): Tensor {
  checkModel(site, b, tgt, 'tgt');
  checkModel(site, b, memory, 'memory');
  const t = tf();
  const sa = (x: Tensor) => multiHeadAttention(site, b.attention, x, x, x, { keyPaddingMask: m.keyPadding, attnMask: m.mask, needWeights: false, averageWeights: true })[0];
  const mha = (x: Tensor) => multiHeadAttention(site, b.cross!, x, memory, memory, { keyPaddingMask: m.memoryKeyPadding ?? null, attnMask: m.memoryMask ?? null, needWeights: false, averageWeights: true })[0];
  if (b.normFirst) {
    let x = t.add(tgt, sa(norm(tgt, b.norms[0])));
    x = t.add(x, mha(norm(x, b.norms[1])));
    return t.add(x, feedForward(site, b, norm(x, b.norms[2])));
  }
  let x = norm(t.add(tgt, sa(tgt)), b.norms[0]);
  x = norm(t.add(x, mha(x)), b.norms[1]);
  return norm(t.add(x, feedForward(site, b, x)), b.norms[2]);
}

/** A stack of clones of one layer, with an optional final norm (any layer SeqLens runs, built at `norm`). */
interface Stack {
  blocks: Block[];
  norm: LayerRuntime | null;
  nestedFastPath: boolean;
  maskCheck: boolean;
  all: Tensor[];
  parameterCount: number;
}

function stackOf(layerValue: Value | undefined, count: number, normValue: Value | undefined, path: string, weights: WeightSource, decoder: boolean, owner: Layer): Stack {
  const kind = decoder ? 'TransformerDecoderLayer' : 'TransformerEncoderLayer';
  if (layerValue?.kind !== 'module' || layerValue.layer.type !== kind) throw new Error(`nn.${owner.type} (line ${owner.line}): a ${decoder ? 'decoder' : 'encoder'} layer other than nn.${kind} is not something SeqLens runs`);
  if (!Number.isInteger(count) || count < 0 || count > 256) throw new Error(`nn.${owner.type} (line ${owner.line}): num_layers must be an integer between 0 and 256`);
  const blocks: Block[] = [];
  let built: LayerRuntime | null = null;
  try {
    for (let i = 0; i < count; i++) blocks.push(blockOf(layerValue.layer, `${path}.layers.${i}`, weights, decoder));
    if (normValue && normValue.kind !== 'none') {
      if (normValue.kind !== 'module' || !layerBuilder(normValue.layer.type)) throw new Error(`nn.${owner.type} (line ${owner.line}): its norm is not a layer SeqLens runs`);
      built = layerBuilder(normValue.layer.type)!({ ...normValue.layer, path: `${path}.norm` }, weights);
    }
  } catch (error) {
    tf().dispose(blocks.flatMap((b) => b.all));
    throw error;
  }
  const all = blocks.flatMap((b) => b.all);
  return {
    blocks,
    norm: built,
    nestedFastPath: !decoder && argBool(owner, 'enable_nested_tensor', true),
    maskCheck: argBool(owner, 'mask_check', true),
    all,
    parameterCount: all.reduce((n, t) => n + t.size, 0) + (built?.parameterCount ?? 0),
  };
}

function applyNorm(stack: Stack, x: Tensor, site: CallSite): Tensor {
  if (!stack.norm) return x;
  const out = stack.norm.call([result(x)], new Map(), site);
  if (out.kind !== 'tensor') throw fail(site, 'the stack\'s norm did not give a tensor');
  return out.t;
}

/** Each sequence's real tokens (True) when they all come first; null when some sequence has padding before a real token. */
function leftAligned(real: Tensor): boolean {
  const rows = real.shape[0];
  const cols = real.shape[1] as number;
  const data = real.dataSync();
  for (let r = 0; r < rows; r++) {
    let ended = false;
    for (let c = 0; c < cols; c++) {
      if (!data[r * cols + c]) ended = true;
      else if (ended) return false;
    }
  }
  return true;
}

function runEncoder(site: CallSite, stack: Stack, src: Tensor, m: Masks): Tensor {
  const first = stack.blocks[0];
  if (m.keyPadding && m.keyPadding.dtype === 'int32') throw fail(site, 'only bool and floating types of key_padding_mask are supported');
  const t = tf();
  // PyTorch 1.13's sparsity fast path (TransformerEncoder.forward): the batch becomes a nested tensor of
  // each sequence's real tokens and comes back padded with zeros.
  let real: Tensor | null = null;
  if (first && stack.nestedFastPath && !first.normFirst && first.batchFirst && src.rank === 3 && m.keyPadding && !m.mask && first.attention.heads % 2 === 0) {
    const kept = m.keyPadding.dtype === 'bool' ? t.logicalNot(m.keyPadding) : t.equal(m.keyPadding, 0);
    if (kept.rank === 2 && (!stack.maskCheck || leftAligned(kept))) {
      if (!leftAligned(kept)) throw fail(site, 'a src_key_padding_mask whose padding is not at the end, with mask_check=False, is not something SeqLens runs');
      real = kept;
    }
  }
  let x = src;
  const masks: Masks = real ? { mask: null, keyPadding: t.logicalNot(real) } : m;
  for (const b of stack.blocks) x = encoderBlock(site, b, x, masks);
  if (real) x = t.where(t.broadcastTo(t.expandDims(real, 2), x.shape), x, t.zerosLike(x));
  return applyNorm(stack, x, site);
}

function runDecoder(site: CallSite, stack: Stack, tgt: Tensor, memory: Tensor, m: Masks): Tensor {
  let x = tgt;
  for (const b of stack.blocks) x = decoderBlock(site, b, x, memory, m);
  return applyNorm(stack, x, site);
}

const rolesOfValue = (v: Value | undefined) => (v?.kind === 'tensor' ? v.roles : undefined);

registerLayers(['TransformerEncoderLayer', 'TransformerDecoderLayer'], (layer, weights) => {
  const decoder = layer.type === 'TransformerDecoderLayer';
  const block = blockOf(layer, layer.path!, weights, decoder);
  return {
    call: (args, kwargs, site) => {
      if (!decoder) {
        const a = bindCall(site, layer.type, ['src', 'src_mask', 'src_key_padding_mask'], 1, args, kwargs);
        checkTimeMajor(block.batchFirst, a.get('src'));
        const out = encoderBlock(site, block, tensorInput(site, a.get('src'), 'src'), { mask: maskArg(site, a.get('src_mask'), 'src_mask'), keyPadding: maskArg(site, a.get('src_key_padding_mask'), 'src_key_padding_mask') });
        return result(out, rolesOfValue(a.get('src')));
      }
      const a = bindCall(site, layer.type, ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], 2, args, kwargs);
      checkTimeMajor(block.batchFirst, a.get('tgt'));
      const out = decoderBlock(site, block, tensorInput(site, a.get('tgt'), 'tgt'), tensorInput(site, a.get('memory'), 'memory'), decoderMasks(site, a));
      return result(out, rolesOfValue(a.get('tgt')));
    },
    parameterCount: block.parameterCount,
    dispose: () => tf().dispose(block.all),
  };
}, LAYER_SIGNATURE);

function decoderMasks(site: CallSite, a: Map<string, Value>): Masks {
  return {
    mask: maskArg(site, a.get('tgt_mask'), 'tgt_mask'),
    keyPadding: maskArg(site, a.get('tgt_key_padding_mask'), 'tgt_key_padding_mask'),
    memoryMask: maskArg(site, a.get('memory_mask'), 'memory_mask'),
    memoryKeyPadding: maskArg(site, a.get('memory_key_padding_mask'), 'memory_key_padding_mask'),
  };
}

function stackRuntime(layer: Layer, stack: Stack, decoder: boolean): LayerRuntime {
  const batchFirst = stack.blocks[0]?.batchFirst ?? false;
  return {
    call: (args, kwargs, site) => {
      if (!decoder) {
        const a = bindCall(site, layer.type, ['src', 'mask', 'src_key_padding_mask'], 1, args, kwargs);
        checkTimeMajor(batchFirst, a.get('src'));
        const out = runEncoder(site, stack, tensorInput(site, a.get('src'), 'src'), { mask: maskArg(site, a.get('mask'), 'mask'), keyPadding: maskArg(site, a.get('src_key_padding_mask'), 'src_key_padding_mask') });
        return result(out, rolesOfValue(a.get('src')));
      }
      const a = bindCall(site, layer.type, ['tgt', 'memory', 'tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], 2, args, kwargs);
      checkTimeMajor(batchFirst, a.get('tgt'));
      const out = runDecoder(site, stack, tensorInput(site, a.get('tgt'), 'tgt'), tensorInput(site, a.get('memory'), 'memory'), decoderMasks(site, a));
      return result(out, rolesOfValue(a.get('tgt')));
    },
    attr: (name) => (name === 'num_layers' ? { kind: 'int', value: stack.blocks.length } : undefined),
    parameterCount: stack.parameterCount,
    dispose: () => {
      tf().dispose(stack.all);
      stack.norm?.dispose();
    },
  };
}

registerLayers(['TransformerEncoder'], (layer, weights) => stackRuntime(layer, stackOf(layer.args.get('encoder_layer'), argNumber(layer, 'num_layers'), layer.args.get('norm'), layer.path!, weights, false, layer), false),
  'encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True');
registerLayers(['TransformerDecoder'], (layer, weights) => stackRuntime(layer, stackOf(layer.args.get('decoder_layer'), argNumber(layer, 'num_layers'), layer.args.get('norm'), layer.path!, weights, true, layer), true),
  'decoder_layer, num_layers, norm=None');

registerLayers(['Transformer'], (layer, weights) => {
  for (const custom of ['custom_encoder', 'custom_decoder']) {
    const v = layer.args.get(custom);
    if (v && v.kind !== 'none') throw new Error(`nn.Transformer (line ${layer.line}) with a ${custom} is not something SeqLens runs`);
  }
  const d = argNumber(layer, 'd_model', 512);
  const eps = argNumber(layer, 'layer_norm_eps', 1e-5);
  const batchFirst = argBool(layer, 'batch_first', false);
  const part = (type: string, extra: [string, Value][]): Layer => ({ kind: 'layer', type, line: layer.line, path: null, children: [], keys: null, args: new Map<string, Value>(extra) });
  const blockArgs: [string, Value][] = ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first'].map((n) => [n, layer.args.get(n) ?? { kind: 'none' }]);
  const normLayer = (): Value => ({ kind: 'module', layer: part('LayerNorm', [['normalized_shape', { kind: 'int', value: d }], ['eps', { kind: 'float', value: eps }], ['elementwise_affine', { kind: 'bool', value: true }]]) });
  const encoder = stackOf({ kind: 'module', layer: part('TransformerEncoderLayer', blockArgs) }, argNumber(layer, 'num_encoder_layers', 6), normLayer(), `${layer.path}.encoder`, weights, false, part('TransformerEncoder', []));
  let decoder: Stack;
  try {
    decoder = stackOf({ kind: 'module', layer: part('TransformerDecoderLayer', blockArgs) }, argNumber(layer, 'num_decoder_layers', 6), normLayer(), `${layer.path}.decoder`, weights, true, part('TransformerDecoder', []));
  } catch (error) {
    tf().dispose(encoder.all);
    encoder.norm?.dispose();
    throw error;
  }
  const encoderLayer = part('TransformerEncoder', []);
  encoderLayer.path = `${layer.path}.encoder`;
  encoderLayer.runtime = stackRuntime(encoderLayer, encoder, false);
  const decoderLayer = part('TransformerDecoder', []);
  decoderLayer.path = `${layer.path}.decoder`;
  decoderLayer.runtime = stackRuntime(decoderLayer, decoder, true);
  return {
    call: (args, kwargs, site) => {
      const a = bindCall(site, 'Transformer', ['src', 'tgt', 'src_mask', 'tgt_mask', 'memory_mask', 'src_key_padding_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'], 2, args, kwargs);
      checkTimeMajor(batchFirst, a.get('src'));
      const src = tensorInput(site, a.get('src'), 'src');
      const tgt = tensorInput(site, a.get('tgt'), 'tgt');
      if (src.rank === 3 && tgt.rank === 3 && src.shape[batchFirst ? 0 : 1] !== tgt.shape[batchFirst ? 0 : 1]) throw fail(site, 'the batch number of src and tgt must be equal');
      if (src.shape[src.rank - 1] !== d || tgt.shape[tgt.rank - 1] !== d) throw fail(site, 'the feature number of src and tgt must be equal to d_model');
      const memory = runEncoder(site, encoder, src, { mask: maskArg(site, a.get('src_mask'), 'src_mask'), keyPadding: maskArg(site, a.get('src_key_padding_mask'), 'src_key_padding_mask') });
      return result(runDecoder(site, decoder, tgt, memory, decoderMasks(site, a)), rolesOfValue(a.get('tgt')));
    },
    attr: (name) => {
      if (name === 'encoder') return { kind: 'module', layer: encoderLayer };
      if (name === 'decoder') return { kind: 'module', layer: decoderLayer };
      return undefined;
    },
    parameterCount: encoder.parameterCount + decoder.parameterCount,
    dispose: () => {
      encoderLayer.runtime!.dispose();
      decoderLayer.runtime!.dispose();
    },
  };
}, "d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1, activation='relu', custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-05, batch_first=False, norm_first=False, device=None, dtype=None");

/** torch.triu(torch.full((sz, sz), float('-inf')), diagonal=1): PyTorch 1.13's causal mask. */
export function squareSubsequentMask(site: CallSite, size: Value | undefined): Value {
  const sz = size?.kind === 'int' ? size.value : size?.kind === 'tensor' && size.t.size === 1 && size.t.dtype === 'int32' ? size.t.dataSync()[0] : null;
  if (sz === null) throw fail(site, `generate_square_subsequent_mask takes an integer size, not ${size ? size.kind : 'nothing'}`);
  if (sz < 0 || sz > 16384) throw fail(site, `a ${sz} × ${sz} mask is not something SeqLens makes`);
  const t = tf();
  const i = t.reshape(t.range(0, sz, 1, 'int32'), [sz, 1]);
  const j = t.reshape(t.range(0, sz, 1, 'int32'), [1, sz]);
  return result(t.where(t.greater(j, i), t.fill([sz, sz], -Infinity), t.zeros([sz, sz])));
}

registerLayerMethod(['Transformer'], 'generate_square_subsequent_mask', (args, kwargs, site) => squareSubsequentMask(site, args[0] ?? kwargs.get('sz')));
op(['generate_square_subsequent_mask'], 'sz, device=None', (a) => squareSubsequentMask(a.site, a.get('sz')));
