// nn.MultiheadAttention as PyTorch 1.13's F.multi_head_attention_forward computes it in eval mode:
// packed or separate input projections, bias_k/bias_v, add_zero_attn, attn_mask (bool: True is
// masked; float: added; 2-D (L, S) or 3-D (N·heads, L, S)), key_padding_mask (bool or float, (N, S))
// merged into it, the scaled dot product per head, the output projection, and the attention weights
// averaged over the heads (or per head). State-dict names are PyTorch's: in_proj_weight,
// in_proj_bias, q_proj_weight/k_proj_weight/v_proj_weight, bias_k, bias_v, out_proj.weight/.bias.
import { tfjs, Tensor } from '../../../tf';
import type { WeightSource } from '../../layers';
import { CallSite, fail, TimeMajorInput } from '../errors';
import { linear } from '../ops/products';
import { result } from '../ops/registry';
import type { Layer, Role, Value } from '../values';
import { argBool, argNumber, registerLayers } from './module';

const tf = () => tfjs();

export interface AttentionWeights {
  embed: number;
  heads: number;
  kdim: number;
  vdim: number;
  /** (3E, E) when query, key and value share the embedding size; else the three separate matrices. */
  inProj: Tensor | null;
  qProj: Tensor | null;
  kProj: Tensor | null;
  vProj: Tensor | null;
  inBias: Tensor | null;
  outWeight: Tensor;
  outBias: Tensor | null;
  biasK: Tensor | null;
  biasV: Tensor | null;
  /** in_proj_bias split into the query, key and value biases. */
  biases: [Tensor, Tensor, Tensor] | null;
  addZeroAttn: boolean;
  batchFirst: boolean;
  parameterCount: number;
  all: Tensor[];
}

/** The tensors of a MultiheadAttention at `path`, as its constructor arguments lay them out. */
export function attentionWeights(layer: Layer, path: string, weights: WeightSource): AttentionWeights {
  const embed = argNumber(layer, 'embed_dim');
  const heads = argNumber(layer, 'num_heads');
  if (!Number.isInteger(embed) || embed < 1 || !Number.isInteger(heads) || heads < 1) throw new Error(`nn.MultiheadAttention (line ${layer.line}): embed_dim and num_heads must be positive integers`);
  if (embed % heads !== 0) throw new Error(`nn.MultiheadAttention (line ${layer.line}): embed_dim must be divisible by num_heads (${embed} by ${heads})`);
  const kdim = argNumber(layer, 'kdim', embed);
  const vdim = argNumber(layer, 'vdim', embed);
  const bias = argBool(layer, 'bias', true);
  const all: Tensor[] = [];
  const take = (name: string, shape: number[]) => {
    const t = tf().tensor(weights.take(`${path}.${name}`, shape), shape);
    all.push(t);
    return t;
  };
  const same = kdim === embed && vdim === embed;
  const w: AttentionWeights = {
    embed, heads, kdim, vdim,
    inProj: same ? take('in_proj_weight', [3 * embed, embed]) : null,
    qProj: same ? null : take('q_proj_weight', [embed, embed]),
    kProj: same ? null : take('k_proj_weight', [embed, kdim]),
    vProj: same ? null : take('v_proj_weight', [embed, vdim]),
    inBias: bias ? take('in_proj_bias', [3 * embed]) : null,
    outWeight: take('out_proj.weight', [embed, embed]),
    outBias: bias ? take('out_proj.bias', [embed]) : null,
    biasK: argBool(layer, 'add_bias_kv', false) ? take('bias_k', [1, 1, embed]) : null,
    biasV: argBool(layer, 'add_bias_kv', false) ? take('bias_v', [1, 1, embed]) : null,
    biases: null,
    addZeroAttn: argBool(layer, 'add_zero_attn', false),
    batchFirst: argBool(layer, 'batch_first', false),
    parameterCount: 0,
    all,
  };
  w.parameterCount = all.reduce((n, t) => n + t.size, 0);
  // The packed projection split once into its query, key and value parts (PyTorch's chunk(3)), so no
  // call slices the weights again.
  if (w.inProj) {
    [w.qProj, w.kProj, w.vProj] = tf().split(w.inProj, 3, 0);
    all.push(w.qProj, w.kProj, w.vProj);
  }
  if (w.inBias) {
    w.biases = tf().split(w.inBias, 3, 0) as [Tensor, Tensor, Tensor];
    all.push(...w.biases);
  }
  return w;
}

export interface AttentionOptions {
  keyPaddingMask: Tensor | null;
  attnMask: Tensor | null;
  needWeights: boolean;
  averageWeights: boolean;
}

const dtypeName = (t: Tensor) => (t.dtype === 'float32' ? 'torch.float32' : t.dtype === 'bool' ? 'torch.bool' : 'torch.int64');

/** A bool mask as the float one PyTorch adds: -inf where True, 0 elsewhere. */
function additive(mask: Tensor): Tensor {
  return mask.dtype === 'bool' ? tf().where(mask, tf().fill(mask.shape, -Infinity), tf().zeros(mask.shape)) : mask;
}

/** One more key column (bias_k or add_zero_attn): masks get a column that masks nothing. */
function padColumn(mask: Tensor | null): Tensor | null {
  if (!mask) return null;
  const pad = mask.shape.map((_, i): [number, number] => (i === mask.rank - 1 ? [0, 1] : [0, 0]));
  return mask.dtype === 'bool' ? tf().cast(tf().pad(tf().cast(mask, 'int32'), pad), 'bool') : tf().pad(mask, pad);
}

/**
 * query (L, N, E), key (S, N, kdim), value (S, N, vdim), or the same without N (unbatched), or
 * batch-first when the layer is: the attention output like the query and the weights (or null).
 */
export function multiHeadAttention(site: CallSite, w: AttentionWeights, query: Tensor, key: Tensor, value: Tensor, options: AttentionOptions): [Tensor, Tensor | null] {
  const t = tf();
  for (const [what, x] of [['query', query], ['key', key], ['value', value]] as const) {
    if (x.dtype !== 'float32') throw fail(site, `nn.MultiheadAttention expects a float ${what}, not ${dtypeName(x)}`);
  }
  const batched = query.rank === 3;
  if (query.rank !== 3 && query.rank !== 2) throw fail(site, `query should be unbatched 2D or batched 3D tensor but received ${query.rank}-D query tensor`);
  if (key.rank !== query.rank || value.rank !== query.rank) throw fail(site, `For ${batched ? 'batched (3-D)' : 'unbatched (2-D)'} \`query\`, expected \`key\` and \`value\` to be ${batched ? '3-D' : '2-D'} but found ${key.rank}-D and ${value.rank}-D tensors respectively`);
  let kpm = options.keyPaddingMask;
  let mask = options.attnMask;
  if (kpm && kpm.dtype === 'int32') throw fail(site, 'only bool and floating types of key_padding_mask are supported');
  if (mask && mask.dtype === 'int32') throw fail(site, 'Only float, byte, and bool types are supported for attn_mask, not torch.int64');
  let q = query;
  let k = key;
  let v = value;
  if (batched && w.batchFirst) [q, k, v] = [q, k, v].map((x) => t.transpose(x, [1, 0, 2]));
  if (!batched) {
    [q, k, v] = [q, k, v].map((x) => t.expandDims(x, 1));
    if (kpm) {
      if (kpm.rank !== 1) throw fail(site, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.rank}-D tensor instead`);
      kpm = t.expandDims(kpm, 0);
    }
  }
  const [tgtLen, bsz, embed] = q.shape;
  const heads = w.heads;
  const headDim = w.embed / heads;
  if (embed !== w.embed) throw fail(site, `was expecting embedding dimension of ${w.embed}, but got ${embed}`);
  if (k.shape[2] !== w.kdim || v.shape[2] !== w.vdim) throw fail(site, `key and value must have ${w.kdim} and ${w.vdim} features, got ${k.shape[2]} and ${v.shape[2]}`);
  if (k.shape[0] !== v.shape[0] || k.shape[1] !== v.shape[1]) throw fail(site, `key's sequence and batch dims [${k.shape.slice(0, 2).join(', ')}] do not match value's [${v.shape.slice(0, 2).join(', ')}]`);
  if (k.shape[1] !== bsz) throw fail(site, `the query's batch of ${bsz} and the key's batch of ${k.shape[1]} differ`);
  q = linear(site, q, w.qProj!, w.biases?.[0] ?? null);
  k = linear(site, k, w.kProj!, w.biases?.[1] ?? null);
  v = linear(site, v, w.vProj!, w.biases?.[2] ?? null);
  let srcLen = k.shape[0];
  if (mask) {
    if (mask.rank === 2) {
      if (mask.shape[0] !== tgtLen || mask.shape[1] !== srcLen) throw fail(site, `The shape of the 2D attn_mask is torch.Size([${mask.shape.join(', ')}]), but should be (${tgtLen}, ${srcLen}).`);
      mask = t.expandDims(mask, 0);
    } else if (mask.rank === 3) {
      if (mask.shape[0] !== bsz * heads || mask.shape[1] !== tgtLen || mask.shape[2] !== srcLen) throw fail(site, `The shape of the 3D attn_mask is torch.Size([${mask.shape.join(', ')}]), but should be (${bsz * heads}, ${tgtLen}, ${srcLen}).`);
    } else throw fail(site, `attn_mask's dimension ${mask.rank} is not supported`);
  }
  if (w.biasK && w.biasV) {
    k = t.concat([k, t.tile(w.biasK, [1, bsz, 1])], 0);
    v = t.concat([v, t.tile(w.biasV, [1, bsz, 1])], 0);
    mask = padColumn(mask);
    kpm = padColumn(kpm);
  }
  const split = (x: Tensor) => t.transpose(t.reshape(x, [x.shape[0], bsz * heads, headDim]), [1, 0, 2]);
  q = split(q);
  k = split(k);
  v = split(v);
  if (w.addZeroAttn) {
    k = t.concat([k, t.zeros([bsz * heads, 1, headDim])], 1);
    v = t.concat([v, t.zeros([bsz * heads, 1, headDim])], 1);
    mask = padColumn(mask);
    kpm = padColumn(kpm);
  }
  srcLen = k.shape[1] as number;
  if (kpm) {
    if (kpm.rank !== 2 || kpm.shape[0] !== bsz || kpm.shape[1] !== srcLen) throw fail(site, `expecting key_padding_mask shape of (${bsz}, ${srcLen}), but got torch.Size([${kpm.shape.join(', ')}])`);
    const expanded = t.reshape(t.tile(t.reshape(kpm, [bsz, 1, 1, srcLen]), [1, heads, 1, 1]), [bsz * heads, 1, srcLen]);
    if (!mask) mask = expanded;
    else if (mask.dtype === 'bool') {
      if (expanded.dtype !== 'bool') throw fail(site, 'logical_or of a bool attn_mask and a float key_padding_mask is not what PyTorch computes here');
      mask = t.logicalOr(mask, expanded);
    } else {
      if (expanded.dtype !== 'bool') throw fail(site, 'masked_fill_ only supports boolean masks, but got mask with dtype float');
      mask = t.where(t.broadcastTo(expanded, [bsz * heads, tgtLen, srcLen]), t.fill([bsz * heads, tgtLen, srcLen], -Infinity), t.broadcastTo(mask, [bsz * heads, tgtLen, srcLen]));
    }
  }
  const scaled = t.div(q, Math.sqrt(headDim));
  let scores = t.matMul(scaled, k, false, true);
  if (mask) scores = t.add(additive(mask), scores);
  const attention = t.softmax(scores);
  let out = t.matMul(attention, v);
  out = t.reshape(t.transpose(out, [1, 0, 2]), [tgtLen * bsz, w.embed]);
  out = t.reshape(linear(site, out, w.outWeight, w.outBias), [tgtLen, bsz, w.embed]);
  let weights: Tensor | null = null;
  if (options.needWeights) {
    weights = t.reshape(attention, [bsz, heads, tgtLen, srcLen]);
    if (options.averageWeights) weights = t.div(t.sum(weights, 1), heads);
    if (!batched) weights = t.squeeze(weights, [0]);
  }
  if (!batched) out = t.squeeze(out, [1]);
  else if (w.batchFirst) out = t.transpose(out, [1, 0, 2]);
  return [out, weights];
}

/** A mask argument: a tensor or None. */
export function maskArg(site: CallSite, v: Value | undefined, what: string): Tensor | null {
  if (v === undefined || v.kind === 'none') return null;
  if (v.kind !== 'tensor') throw fail(site, `${what} must be a tensor or None, not ${v.kind}`);
  return v.t;
}

/** Binds a layer call's arguments to its forward's parameters, PyTorch's way. */
export function bindCall(site: CallSite, what: string, params: string[], required: number, args: Value[], kwargs: Map<string, Value>): Map<string, Value> {
  if (args.length > params.length) throw fail(site, `${what}.forward() takes at most ${params.length} arguments but was given ${args.length}`);
  const bound = new Map<string, Value>();
  args.forEach((v, i) => bound.set(params[i], v));
  for (const [k, v] of kwargs) {
    if (!params.includes(k)) throw fail(site, `${what}.forward() got an unexpected keyword argument '${k}'`);
    if (bound.has(k)) throw fail(site, `${what}.forward() got multiple values for argument '${k}'`);
    bound.set(k, v);
  }
  for (const p of params.slice(0, required)) if (!bound.has(p)) throw fail(site, `${what}.forward() missing required argument: '${p}'`);
  return bound;
}

/** A batch_first=False attention layer fed the model's input batch-major: the model reads it time-major. */
export function checkTimeMajor(batchFirst: boolean, v: Value | undefined): void {
  if (!batchFirst && v?.kind === 'tensor' && v.t.rank === 3 && v.roles?.[0] === 'B' && v.roles[1] === 'T') throw new TimeMajorInput();
}

export function tensorInput(site: CallSite, v: Value | undefined, what: string): Tensor {
  if (v?.kind !== 'tensor') throw fail(site, `${what} must be a tensor, not ${v ? v.kind : 'nothing'}`);
  return v.t;
}

registerLayers(['MultiheadAttention'], (layer, weights) => {
  const w = attentionWeights(layer, layer.path!, weights);
  return {
    call: (args, kwargs, site) => {
      const a = bindCall(site, 'MultiheadAttention', ['query', 'key', 'value', 'key_padding_mask', 'need_weights', 'attn_mask', 'average_attn_weights'], 3, args, kwargs);
      const query = a.get('query');
      checkTimeMajor(w.batchFirst, query);
      const flag = (name: string) => {
        const v = a.get(name);
        return v === undefined ? true : v.kind === 'bool' ? v.value : v.kind === 'int' ? v.value !== 0 : true;
      };
      const [out, weights] = multiHeadAttention(site, w, tensorInput(site, query, 'query'), tensorInput(site, a.get('key'), 'key'), tensorInput(site, a.get('value'), 'value'), {
        keyPaddingMask: maskArg(site, a.get('key_padding_mask'), 'key_padding_mask'),
        attnMask: maskArg(site, a.get('attn_mask'), 'attn_mask'),
        needWeights: flag('need_weights'),
        averageWeights: flag('average_attn_weights'),
      });
      const roles = query?.kind === 'tensor' ? query.roles : undefined;
      const outRoles: Role[] | undefined = roles ? [...roles.slice(0, -1), null] : undefined;
      return { kind: 'tuple', items: [result(out, outRoles), weights ? result(weights) : { kind: 'none' }] };
    },
    attr: (name) => {
      const plain: Record<string, Value> = { embed_dim: { kind: 'int', value: w.embed }, num_heads: { kind: 'int', value: w.heads }, head_dim: { kind: 'int', value: w.embed / w.heads }, batch_first: { kind: 'bool', value: w.batchFirst } };
      if (plain[name]) return plain[name];
      const t = ({ in_proj_weight: w.inProj, in_proj_bias: w.inBias, q_proj_weight: w.qProj, k_proj_weight: w.kProj, v_proj_weight: w.vProj, bias_k: w.biasK, bias_v: w.biasV } as Record<string, Tensor | null>)[name];
      return t ? result(t) : undefined;
    },
    parameterCount: w.parameterCount,
    dispose: () => tf().dispose(w.all),
  };
}, 'embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None');

