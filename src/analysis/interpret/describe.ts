// Hover text for a tensor: its shape, and where each dimension came from.
import { describeOrigin, formatDim } from '../shapes/dim';
import { formatShape } from '../shapes/shape';
import type { TensorValue } from '../values/value';

const ROLE_WORDS = { batch: 'batch', time: 'time steps', feature: 'features' } as const;

export function describeTensor(name: string, t: TensorValue): string {
  const lines = [`**${name}**: \`${formatShape(t.shape)}\`${t.dtype !== 'unknown' ? ` · ${t.dtype === 'long' ? 'int64' : t.dtype === 'float' ? 'float32' : 'bool'}` : ''}`, ''];
  if (!t.shape.rankKnown) lines.push('Leading dimensions are not known here; the trailing ones are.', '');
  t.shape.dims.forEach((d, i) => {
    const index = t.shape.rankKnown ? i : i - t.shape.dims.length;
    const role = d.role ? ` (${ROLE_WORDS[d.role]})` : '';
    const from = d.kind === 'unknown' ? 'not known statically' : d.origin ? `from \`${describeOrigin(d.origin)}\`` : d.kind === 'sym' ? 'symbolic' : 'literal';
    lines.push(`- dim ${index}: **${formatDim(d)}**${role} — ${from}`);
  });
  if (t.origin) lines.push('', `Produced by \`${describeOrigin(t.origin)}\`.`);
  return lines.join('\n');
}
