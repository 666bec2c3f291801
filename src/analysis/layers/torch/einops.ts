// einops.layers.torch.Rearrange and Reduce: modules that apply rearrange/reduce with the pattern (and the axis lengths)
// they were built with.
import { UNKNOWN, Value } from '../../values/value';
import { einopsCall } from '../../ops/einops';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec } from '../layer';

function applyEinops(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const pattern = layer.args.get('pattern')?.value;
  const axes = new Map<string, Value>();
  for (const [name, arg] of layer.args) if (name !== 'pattern' && name !== 'reduction') axes.set(name, arg.value);
  const input = args[0];
  if (!input || !pattern || args.length !== 1) return UNKNOWN;
  return einopsCall(layer.kind === 'Reduce' ? 'reduce' : 'rearrange', [input, pattern], axes, ctx.origin) ?? UNKNOWN;
}

export const torchEinops: LayerFamily = {
  framework: 'torch',
  kinds: ['Rearrange', 'Reduce'],
  params: (kind): ParamSpec[] => (kind === 'Reduce' ? [{ name: 'pattern' }, { name: 'reduction' }] : [{ name: 'pattern' }]),
  apply: applyEinops,
  hover: (layer) => {
    const pattern = layer.args.get('pattern')?.value;
    return `**einops ${layer.kind}** — ${pattern?.kind === 'str' ? `\`${pattern.value}\`` : 'a pattern not known here'}`;
  },
};
