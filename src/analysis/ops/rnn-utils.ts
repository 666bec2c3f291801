// torch.nn.utils.rnn: pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence, and PackedSequence built from its fields.
import { Dim, Origin, UNKNOWN_DIM, intDim, symDim } from '../shapes/dim';
import { Shape, UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { Bounds, PackedValue, TensorValue, UNKNOWN, Value, boolValue, joinedBounds } from '../values/value';

function arg(args: Value[], kwargs: Map<string, Value>, index: number, name: string): Value | undefined {
  return args[index] ?? kwargs.get(name);
}

/**
 * The bounds of pad_sequence's result: the sequences' values together (`values`), widened by padding_value (default 0)
 * unless every length is known and equal (then nothing is padded). Rows that are not padded do not reach the padding
 * value, which is there only if some sequence is shorter: mixed bounds, bounds only.
 */
function paddedBounds(values: Bounds, lengths: (number | undefined)[] | undefined, paddingValue: Value | undefined): Bounds {
  const noPadding = lengths !== undefined && lengths.length > 0 && lengths.every((n) => n !== undefined && n === lengths[0]);
  const pad = paddingValue === undefined ? 0 : paddingValue.kind === 'int' || paddingValue.kind === 'float' ? paddingValue.value : undefined;
  if (noPadding) return values;
  if (pad === undefined || !Number.isFinite(pad)) return { minValue: undefined, maxValue: undefined };
  // Values of the sequences not known: the padding is still reached, as the lowest value when it is negative (no id
  // is) and as the highest when it is positive; 0 says nothing.
  if (values.minValue === undefined || values.maxValue === undefined) return pad < 0 ? { minValue: pad, mixedBounds: true } : pad > 0 ? { maxValue: pad, mixedBounds: true } : {};
  if (pad === values.minValue || pad === values.maxValue) return values;
  if (pad > values.minValue && pad < values.maxValue) return values;
  // The padding is there for certain only when some known length is shorter than another.
  const padded = lengths !== undefined && lengths.every((n) => n !== undefined) && new Set(lengths).size > 1;
  const minBoundOnly = pad < values.minValue ? !padded : values.minBoundOnly;
  const maxBoundOnly = pad > values.maxValue ? !padded : values.maxBoundOnly;
  return { minValue: Math.min(values.minValue, pad), maxValue: Math.max(values.maxValue, pad), mixedBounds: true, ...(minBoundOnly ? { minBoundOnly } : {}), ...(maxBoundOnly ? { maxBoundOnly } : {}) };
}

export function rnnUtility(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  switch (name) {
    case 'pad_sequence': {
      const seqs = arg(args, kwargs, 0, 'sequences');
      const batchFirst = boolValue(arg(args, kwargs, 1, 'batch_first')) ?? false;
      const isSeq = seqs?.kind === 'list' || seqs?.kind === 'tuple';
      const items = isSeq && !seqs.element ? seqs.items : undefined;
      const first = items?.[0] ?? (isSeq ? seqs.element : undefined);
      const batch = items ? { kind: 'int' as const, value: items.length, origin, role: 'batch' as const } : symDim('batch', { role: 'batch' });
      // With every sequence in view, the padded length is the longest one's.
      const lengths = items?.map((v) => (v.kind === 'tensor' && v.shape.rankKnown && v.shape.dims[0]?.kind === 'int' ? v.shape.dims[0].value : undefined));
      const time = lengths?.length && lengths.every((n) => n !== undefined) ? intDim(Math.max(...(lengths as number[])), { origin, role: 'time' }) : { ...symDim('time'), role: 'time' as const };
      // pad_sequence always puts (time, batch) first, then the elements' own axes: elements the analysis cannot see
      // may have any number of them, so the rank is unknown.
      if (first?.kind !== 'tensor' || !first.shape.rankKnown) {
        return { kind: 'tensor', dtype: first?.kind === 'tensor' ? first.dtype : 'unknown', origin, shape: UNKNOWN_SHAPE };
      }
      const rest = first.shape.dims.slice(1);
      const dims = batchFirst ? [batch, time, ...rest] : [time, batch, ...rest];
      // Every sequence in view: their values together (each one's bounds, when all are known).
      const sequences = items && items.every((v): v is TensorValue => v.kind === 'tensor') ? items : [first];
      return { kind: 'tensor', dtype: first.dtype, origin, shape: shapeOf(dims), ...paddedBounds(joinedBounds(sequences), lengths, arg(args, kwargs, 2, 'padding_value')) };
    }
    case 'pack_padded_sequence': {
      const input = arg(args, kwargs, 0, 'input');
      const batchFirst = boolValue(arg(args, kwargs, 2, 'batch_first')) ?? false;
      let padded: TensorValue = input?.kind === 'tensor' ? input : { kind: 'tensor', dtype: 'unknown', shape: UNKNOWN_SHAPE };
      // Unpacking pads to the longest length, not to the padded input's length: the time axis is max(lengths).
      const lengths = arg(args, kwargs, 1, 'lengths');
      const literal = lengths?.kind === 'tensor' ? lengths.literal : lengths?.kind === 'list' && !lengths.element ? lengths.items.map((v) => (v.kind === 'int' ? v.value : NaN)) : undefined;
      const timeAxis = batchFirst ? 1 : 0;
      let steps: Dim | undefined;
      if (padded.shape.rankKnown && padded.shape.dims.length >= 2) {
        const dims = [...padded.shape.dims];
        const longest = literal?.length && literal.every(Number.isFinite);
        // Only where the pack itself succeeds: one length per entry of the batch axis (else PyTorch raises there, SL126).
        const batch = dims[batchFirst ? 0 : 1];
        if (longest && batch.kind === 'int' && batch.value === literal.length) steps = dims[timeAxis];
        // Lengths whose values are known to be at least m leave at least m steps (PyTorch raises on a length below 1).
        const least = lengths?.kind === 'tensor' && lengths.minValue !== undefined && Number.isSafeInteger(lengths.minValue) && lengths.minValue >= 2 ? lengths.minValue : undefined;
        dims[timeAxis] = longest ? intDim(Math.max(...literal), { origin, role: 'time' }) : symDim('time', { role: 'time', ...(least !== undefined ? { atLeast: least } : {}) });
        padded = { ...padded, shape: shapeOf(dims), strides: undefined };
      }
      const packed: PackedValue = steps ? { kind: 'packed', padded, batchFirst, origin, steps } : { kind: 'packed', padded, batchFirst, origin };
      if (literal?.length && literal.every((n) => Number.isInteger(n) && n > 0)) packed.lengths = literal;
      else if (lengths?.kind === 'list' && !lengths.element && lengths.items.length > 0 && lengths.items.every((v) => v === lengths.items[0])) packed.equalLengths = true;
      return packed;
    }
    case 'pack_sequence': {
      const seqs = arg(args, kwargs, 0, 'sequences');
      const items = seqs?.kind === 'list' || seqs?.kind === 'tuple' ? seqs.items : [];
      const first = items[0];
      const rest = first?.kind === 'tensor' && first.shape.rankKnown ? first.shape.dims.slice(1) : undefined;
      const padded: TensorValue = { kind: 'tensor', dtype: first?.kind === 'tensor' ? first.dtype : 'unknown', shape: rest ? shapeOf([symDim('time', { role: 'time' }), items.length ? { kind: 'int', value: items.length, role: 'batch' } : UNKNOWN_DIM, ...rest]) : UNKNOWN_SHAPE };
      return { kind: 'packed', padded, batchFirst: false, origin };
    }
    case 'PackedSequence': {
      // Built from its fields: `data` holds every sequence's steps one after another, (total steps, *), so the padded
      // tensor it stands for is (time, batch, *) whatever the batch sizes say; the time and batch sizes are not known.
      const data = arg(args, kwargs, 0, 'data');
      const rest = data?.kind === 'tensor' && data.shape.rankKnown && data.shape.dims.length >= 1 ? data.shape.dims.slice(1) : undefined;
      const padded: TensorValue = {
        kind: 'tensor',
        dtype: data?.kind === 'tensor' ? data.dtype : 'unknown',
        shape: rest ? shapeOf([{ kind: 'unknown', role: 'time' }, { kind: 'unknown', role: 'batch' }, ...rest]) : UNKNOWN_SHAPE,
      };
      const packed: PackedValue = { kind: 'packed', padded, batchFirst: false, origin };
      return packed;
    }
    case 'pad_packed_sequence': {
      const sequence = arg(args, kwargs, 0, 'sequence');
      const batchFirst = boolValue(arg(args, kwargs, 1, 'batch_first')) ?? false;
      // Whatever was packed, the lengths come back as a 1-D int64 tensor, one per sequence (PyTorch raises on anything
      // but a PackedSequence, so a run that goes on has them).
      if (sequence?.kind !== 'packed') return { kind: 'tuple', items: [{ kind: 'tensor', dtype: 'float', origin, shape: UNKNOWN_SHAPE }, { kind: 'tensor', dtype: 'long', origin, shape: shapeOf([UNKNOWN_DIM]) }] };
      // The padded tensor is (time, batch, *) or (batch, time, *): batch_first swaps the first two axes, whatever follows.
      let shape = sequence.padded.shape;
      if (shape.rankKnown && shape.dims.length >= 2 && batchFirst !== sequence.batchFirst) shape = shapeOf([shape.dims[1], shape.dims[0], ...shape.dims.slice(2)]);
      // total_length pads the time axis to that length instead of the longest one (PyTorch raises when it is shorter
      // than the longest length, so a run that goes on has it); a value the analysis does not know leaves it unknown.
      const totalLength = arg(args, kwargs, 3, 'total_length');
      if (totalLength !== undefined && totalLength.kind !== 'none' && shape.rankKnown && shape.dims.length >= 2) {
        const dims = [...shape.dims];
        dims[batchFirst ? 1 : 0] = totalLength.kind === 'int' ? intDim(totalLength.value, { origin, role: 'time' }) : totalLength.kind === 'symint' ? totalLength.dim : symDim('time', { role: 'time' });
        shape = shapeOf(dims);
      }
      const lengths: TensorValue = { kind: 'tensor', dtype: 'long', origin, shape: shapeOf([shape.rankKnown && shape.dims.length >= 2 ? shape.dims[batchFirst ? 0 : 1] : UNKNOWN_DIM]) };
      const padded: TensorValue = { kind: 'tensor', dtype: sequence.padded.dtype, origin, shape, rnnOutput: sequence.padded.rnnOutput };
      if (padsSomeSequence(sequence, shape, batchFirst, totalLength !== undefined && totalLength.kind !== 'none')) {
        padded.paddedSteps = { call: origin.range, timeAxis: batchFirst ? 1 : 0, lengths: sequence.lengths };
      }
      return { kind: 'tuple', items: [padded, lengths] };
    }
    default:
      return UNKNOWN;
  }
}

/**
 * Whether pad_packed_sequence's output holds padding: false only when the analysis knows that every sequence fills the
 * padded steps (every known length is the padded length, or one sequence and no total_length to pad it further).
 */
function padsSomeSequence(sequence: PackedValue, shape: Shape, batchFirst: boolean, totalLength: boolean): boolean {
  const dims = shape.rankKnown && shape.dims.length >= 2 ? shape.dims : undefined;
  const time = dims?.[batchFirst ? 1 : 0];
  const batch = dims?.[batchFirst ? 0 : 1];
  const lengths = sequence.lengths;
  if (sequence.equalLengths && !totalLength) return false;
  if (lengths) {
    const longest = Math.max(...lengths);
    if (lengths.every((n) => n === longest) && (!totalLength || (time?.kind === 'int' && time.value === longest))) return false;
    return true;
  }
  return !(batch?.kind === 'int' && batch.value === 1 && !totalLength);
}

/** A packed value's `.data`: every sequence's steps one after another, (total steps, *), the steps' count not known. */
export function packedDataShape(packed: PackedValue): Shape {
  const dims = packed.padded.shape;
  return dims.rankKnown && dims.dims.length >= 2 ? shapeOf([UNKNOWN_DIM, ...dims.dims.slice(2)]) : UNKNOWN_SHAPE;
}
