// nn.Unfold(kernel_size, dilation=1, padding=0, stride=1): the sliding blocks of an image as columns,
// (N, C, H, W) → (N, C·kh·kw, L) (ops/unfold.ts), as vision transformers cut patches or pixels.
import { UNKNOWN, Value, intValue } from '../../values/value';
import { unfoldBlocks } from '../../ops/unfold';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argValue } from '../layer';

const int = (value: number): Value => ({ kind: 'int', value });

function apply(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  if (args.length !== 1) return UNKNOWN;
  const out = unfoldBlocks(args[0], { kernel: argValue(layer, 'kernel_size'), dilation: argValue(layer, 'dilation'), padding: argValue(layer, 'padding'), stride: argValue(layer, 'stride') }, ctx.origin);
  return out ?? UNKNOWN;
}

export const torchUnfold: LayerFamily = {
  framework: 'torch',
  kinds: ['Unfold'],
  params: () => [{ name: 'kernel_size' }, { name: 'dilation', default: int(1) }, { name: 'padding', default: int(0) }, { name: 'stride', default: int(1) }],
  apply,
  hover: (layer) => {
    const k = intValue(argValue(layer, 'kernel_size'));
    return `**nn.Unfold** — cuts the image into sliding blocks, one column each: (batch, C, H, W) → (batch, C·${k !== undefined ? `${k}·${k}` : 'kh·kw'}, number of blocks).`;
  },
};
