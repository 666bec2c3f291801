// nn.Linear: (…, in_features) → (…, out_features).
import { trailing, withLast } from '../../shapes/shape';
import { Value } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, argDim, argInt } from '../layer';

function applyLinear(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  const out = argDim(layer, 'out_features', 'feature');
  const shape = input?.kind === 'tensor' ? withLast(input.shape, out) : trailing([out]);
  const output: Value = { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape, name: input?.kind === 'tensor' && !input.shape.rankKnown ? input.name : undefined };
  // Each step's output is a function of that step alone: the padding's steps stay where they were (SL156).
  if (input?.kind === 'tensor' && input.paddedSteps) output.paddedSteps = input.paddedSteps;
  return output;
}

function hoverLinear(layer: LayerDesc): string {
  const i = argInt(layer, 'in_features');
  const o = argInt(layer, 'out_features');
  return [
    '**nn.Linear** — a dense layer over the last dimension',
    '',
    '```',
    `input (…, ${i ?? 'in_features'}) → output (…, ${o ?? 'out_features'})`,
    '```',
    '',
    '| argument | value | meaning |',
    '|---|---|---|',
    `| \`in_features\` | ${i ?? '?'} | size of the input's last dimension |`,
    `| \`out_features\` | ${o ?? '?'} | size of the output's last dimension (classes, for a classifier head) |`,
    '',
    '**Common mistakes**',
    '- After a bidirectional RNN, `in_features` is `2 * hidden_size`.',
    '- After `flatten`, `in_features` is the product of the flattened dimensions.',
  ].join('\n');
}

export const torchLinear: LayerFamily = {
  framework: 'torch',
  kinds: ['Linear'],
  params: () => [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', default: { kind: 'bool', value: true } }],
  apply: applyLinear,
  hover: hoverLinear,
};
