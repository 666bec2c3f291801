import { formatShape } from '../../shapes/shape';
import { argValue } from '../../layers/layer';
import type { Rule } from '../rule';
import { layerName } from './describe';

/** The spatial axes of each convolution: its input is one more (unbatched) or two more (batched). */
const SPATIAL_AXES: Record<string, number> = { Conv1d: 1, Conv2d: 2, Conv3d: 3 };

export const convInputRank: Rule = {
  code: 'SL168',
  name: 'conv-input-rank',
  severity: 'error',
  framework: 'torch',
  summary: 'An nn.Conv1d, Conv2d or Conv3d receives input of another number of axes than it takes: 2-D or 3-D for Conv1d, 3-D or 4-D for Conv2d, 4-D or 5-D for Conv3d.',
  docs: {
    whatItDoes:
      'Checks the rank of the tensor reaching `nn.Conv1d` (an unbatched (channels, length) or a batched (batch, channels, length) input), `nn.Conv2d` (one more axis) and `nn.Conv3d` (two more). The classic cause is a batch axis added twice, by the code that made the data and again where it is used (`unsqueeze(0)` of a tensor that is already a batch of one), or one dropped by a `squeeze()`.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 1, 80, 133]` (with a padding_mode other than zeros, the padding raises first: `Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now`).',
    example: 'mel = synthesize(text)              # (1, 80, frames), already a batch of one\nconv = nn.Conv1d(80, 256, 1)\nout = conv(mel.unsqueeze(0))            # (1, 1, 80, frames)',
    useInstead: 'out = conv(mel)                        # (1, 80, frames)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => Object.hasOwn(SPATIAL_AXES, kind),
    },
    layerCall(event, ctx) {
      const { layer, call } = event;
      if (layer.framework !== 'torch' || !Object.hasOwn(SPATIAL_AXES, layer.kind)) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
      const rank = input.shape.dims.length;
      const spatial = SPATIAL_AXES[layer.kind];
      if (rank === spatial + 1 || rank === spatial + 2) return;
      // The padding mode decides which check raises first: the convolution's (zeros) or the padding's.
      const mode = layer.args.has('padding_mode') ? argValue(layer, 'padding_mode') : undefined;
      const dims = input.shape.dims.map((d) => (d.kind === 'int' ? String(d.value) : '?')).join(', ');
      const raised = !mode || (mode.kind === 'str' && mode.value === 'zeros')
        ? `PyTorch raises "Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${layer.kind.toLowerCase()}, but got input of size: [${dims}]"`
        : mode.kind === 'str'
          ? `its ${mode.value} padding raises "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now"`
          : 'PyTorch raises';
      const inputExpr = call.args[0];
      const made = input.origin ? ` (${input.origin.text.length > 50 ? `${input.origin.text.slice(0, 47)}…` : input.origin.text}, line ${input.origin.range.start.line + 1})` : '';
      ctx.report({
        range: inputExpr?.range ?? call.range,
        message: `${layerName(layer)} takes ${spatial + 2}-D input (batch, channels, ${spatial === 1 ? 'length' : 'spatial axes'}) or ${spatial + 1}-D input without the batch, but receives ${rank}-D ${formatShape(input.shape)}${made}: ${raised}${rank === spatial + 3 ? '. One axis too many, often a batch axis added twice' : ''}`,
        related: input.origin ? [{ range: input.origin.range, message: `the ${rank}-D input comes from here` }] : [],
        fixes: [],
      });
    },
  },
};
