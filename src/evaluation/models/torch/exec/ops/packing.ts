// Packed sequences: pack_padded_sequence keeps the padded batch and the lengths; a recurrent layer
// given a packed batch runs each sequence for its own length only (modules/recurrent.ts), and
// pad_packed_sequence pads the outputs back to the longest length (or total_length), with zeros.
import { tfjs } from '../../../tf';
import { fail, TimeMajorInput } from '../errors';
import type { Value } from '../values';
import { boolArg, isNone, numberArg, op, result, rolesOf, tensorArg } from './registry';

const tf = () => tfjs();

op(['pack_padded_sequence'], 'input, lengths, batch_first=False, enforce_sorted=True', (a) => {
  const x = tensorArg(a, 'input');
  const lv = a.get('lengths')!;
  const lengths = lv.kind === 'tensor' ? Array.from(lv.t.dataSync()).map(Math.trunc)
    : lv.kind === 'list' || lv.kind === 'tuple' ? lv.items.map((v) => (v.kind === 'int' ? v.value : NaN)) : [NaN];
  if (lengths.some((n) => !Number.isInteger(n))) throw fail(a.site, 'lengths must be a 1-D tensor or a list of integers');
  if (x.rank < 2) throw fail(a.site, 'pack_padded_sequence expects a batch of at least 2 dimensions');
  const batchFirst = boolArg(a, 'batch_first');
  // Packed time-major (batch_first=False) while the input's axes are still (batch, time): the model
  // reads its input time-major, as a batch_first=False recurrent layer fed it directly says.
  const given = rolesOf(a.get('input'));
  if (!batchFirst && given?.[0] === 'B' && given[1] === 'T') throw new TimeMajorInput();
  const data = batchFirst ? x : tf().transpose(x, [1, 0, ...[...Array(x.rank).keys()].slice(2)]);
  if (lengths.length !== data.shape[0]) throw fail(a.site, `Expected \`len(lengths)\` to be equal to batch_size, but got ${lengths.length} (batch_size=${data.shape[0]})`);
  if (boolArg(a, 'enforce_sorted') && lengths.some((n, i) => i > 0 && n > lengths[i - 1])) {
    throw fail(a.site, '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
  }
  if (lengths.some((n) => n <= 0)) throw fail(a.site, "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  if (Math.max(...lengths) > (data.shape[1] as number)) throw fail(a.site, `a length of ${Math.max(...lengths)} is longer than the padded sequences (${data.shape[1]})`);
  const roles = rolesOf(a.get('input'));
  const batchRoles = roles ? (batchFirst ? roles : [roles[1], roles[0], ...roles.slice(2)]) : undefined;
  return { kind: 'packed', data: result(data, batchRoles), lengths };
});

op(['pad_packed_sequence'], 'sequence, batch_first=False, padding_value=0.0, total_length=None', (a) => {
  const p = a.get('sequence')!;
  if (p.kind !== 'packed') throw fail(a.site, 'pad_packed_sequence expects a PackedSequence');
  const longest = Math.max(...p.lengths);
  const total = isNone(a.get('total_length')) ? longest : numberArg(a, 'total_length');
  if (total < longest) throw fail(a.site, `Expected total_length to be at least ${longest}, but got total_length=${total}`);
  const t = p.data.t;
  const steps = t.shape[1] as number;
  const mask = tf().less(tf().reshape(tf().range(0, steps, 1, 'int32'), [1, -1]), tf().reshape(tf().tensor1d(p.lengths, 'int32'), [-1, 1]));
  const masked = tf().where(tf().reshape(mask, [...mask.shape, ...Array(t.rank - 2).fill(1)]).broadcastTo(t.shape), t, tf().fill(t.shape, numberArg(a, 'padding_value'), t.dtype));
  const cut = total === steps ? masked : total < steps ? tf().slice(masked, [0, 0], [-1, total]) : tf().pad(masked, [[0, 0], [0, total - steps], ...Array(t.rank - 2).fill([0, 0])], numberArg(a, 'padding_value'));
  const batchFirst = boolArg(a, 'batch_first');
  const roles = p.data.roles;
  const padded = batchFirst ? result(cut, roles) : result(tf().transpose(cut, [1, 0, ...[...Array(cut.rank).keys()].slice(2)]), roles ? [roles[1], roles[0], ...roles.slice(2)] : undefined);
  return { kind: 'tuple', items: [padded, result(tf().tensor1d(p.lengths, 'int32'))] } satisfies Value;
});
