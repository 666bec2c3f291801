import { formatDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { argBool, argInt, argOrigin } from '../../layers/layer';
import type { Rule } from '../rule';
import { known, originRelated } from './attention-helpers';
import { layerName, originNote } from './describe';

export const batchnormChannelAxis: Rule = {
  code: 'SL146',
  name: 'batchnorm-channel-axis',
  severity: 'error',
  framework: 'torch',
  summary: 'nn.BatchNorm1d(num_features) receives a (N, C) or (N, C, L) tensor whose axis 1 is not num_features, often (batch, seq, features) data with the features last.',
  docs: {
    whatItDoes:
      'Checks that axis 1 of the 2-D or 3-D tensor given to `nn.BatchNorm1d` has `num_features` entries, wherever the layer is called (directly, in an `nn.Sequential`, through a helper). BatchNorm1d reads (N, C) and (N, C, L): on a (batch, seq, features) tensor its channels are the steps. A layer built with `affine=False, track_running_stats=False` has no per-channel tensors and is left alone, as are inputs whose axis 1 is not known.',
    whyIsThisBad:
      'PyTorch 1.13 raises `RuntimeError: running_mean should contain 36 elements not 2048` (`weight should contain …` without running statistics). The usual cause is a sequence of feature vectors (region features, word vectors, RNN outputs) kept (batch, seq, features): the batch norm meant for the features meets the sequence axis.',
    example: 'embed = nn.Sequential(nn.BatchNorm1d(2048), nn.Linear(2048, 512))\nx = embed(att_feats)                     # (batch, 36, 2048)',
    useInstead: 'x = embed[0](att_feats.transpose(1, 2)).transpose(1, 2)   # normalise the 2048 features\nx = embed[1](x)\n# or flatten the steps: embed(att_feats.reshape(-1, 2048)).view(batch, 36, -1)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'BatchNorm1d',
    },
    layerCall(event, ctx) {
      const { layer } = event;
      if (layer.framework !== 'torch' || layer.kind !== 'BatchNorm1d') return;
      const want = argInt(layer, 'num_features');
      const affine = argBool(layer, 'affine');
      const tracks = argBool(layer, 'track_running_stats');
      // Without weights and running statistics nothing is sized by num_features, and nothing raises.
      if (want === undefined || affine === undefined || tracks === undefined || (!affine && !tracks)) return;
      const input = event.args[0];
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
      const dims = input.shape.dims;
      if (dims.length !== 2 && dims.length !== 3) return;
      const channels = known(dims[1]);
      if (channels === undefined || channels === want) return;
      const last = known(dims[dims.length - 1]);
      const at = argOrigin(layer, 'num_features');
      const expr = event.call.args[0];
      const stat = tracks ? 'running_mean' : 'weight';
      ctx.report({
        range: expr?.range ?? event.call.range,
        message: `${layerName(layer)} normalises axis 1 of its (N, C${dims.length === 3 ? ', L' : ''}) input, which must hold its ${at.text} channels, but receives ${formatShape(input.shape)}${originNote(input)} with ${formatDim(dims[1])} there: PyTorch raises "${stat} should contain ${channels} elements not ${want}"${dims.length === 3 && last === want ? `. The ${want} features are the last axis: the input is (batch, seq, features), and BatchNorm1d needs them on axis 1 (transpose(1, 2) around it, or fold the steps into the batch with reshape(-1, ${want}))` : ''}`,
        related: [{ range: at.range, message: `num_features=${want} is set here` }, ...originRelated(input, `input ${formatShape(input.shape)}`)],
        fixes: [],
      });
    },
  },
};
