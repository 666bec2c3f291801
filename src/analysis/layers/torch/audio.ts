// torchaudio.transforms: the modules that turn a waveform (…, time) into features (…, features, frames) before a
// speech model, and those that keep a spectrogram's shape. Sizes as torchaudio 0.13 computes them: a Spectrogram's
// n_fft // 2 + 1 bins, a MelSpectrogram's n_mels, an MFCC's n_mfcc, each over the frames torch.stft makes of the
// (padded) waveform, hop_length defaulting to win_length // 2. test/oracle/op_shapes.py checks them.
import { Dim, UNKNOWN_DIM, intDim } from '../../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../../shapes/shape';
import { StftOptions, optionalInt, stftShape } from '../../ops/spectral';
import { NONE, TensorValue, UNKNOWN, Value, boolValue, intValue } from '../../values/value';
import { ApplyContext, LayerFamily } from '../family';
import { LayerDesc, ParamSpec, argValue } from '../layer';

const int = (value: number): Value => ({ kind: 'int', value });
const float = (value: number): Value => ({ kind: 'float', value });
const bool = (value: boolean): Value => ({ kind: 'bool', value });
const str = (value: string): Value => ({ kind: 'str', value });

/** The STFT parameters shared by Spectrogram and MelSpectrogram, after their own leading ones. */
const SPECTROGRAM: ParamSpec[] = [
  { name: 'n_fft', default: int(400) }, { name: 'win_length', default: NONE }, { name: 'hop_length', default: NONE }, { name: 'pad', default: int(0) },
  { name: 'window_fn' }, { name: 'power', default: float(2) }, { name: 'normalized', default: bool(false) }, { name: 'wkwargs', default: NONE },
  { name: 'center', default: bool(true) }, { name: 'pad_mode', default: str('reflect') }, { name: 'onesided', default: bool(true) }, { name: 'return_complex', default: NONE },
];

const PARAMS: Record<string, ParamSpec[]> = {
  Spectrogram: SPECTROGRAM,
  MelSpectrogram: [
    { name: 'sample_rate', default: int(16000) }, { name: 'n_fft', default: int(400) }, { name: 'win_length', default: NONE }, { name: 'hop_length', default: NONE },
    { name: 'f_min', default: float(0) }, { name: 'f_max', default: NONE }, { name: 'pad', default: int(0) }, { name: 'n_mels', default: int(128) },
    { name: 'window_fn' }, { name: 'power', default: float(2) }, { name: 'normalized', default: bool(false) }, { name: 'wkwargs', default: NONE },
    { name: 'center', default: bool(true) }, { name: 'pad_mode', default: str('reflect') }, { name: 'onesided', default: bool(true) }, { name: 'norm', default: NONE },
    { name: 'mel_scale', default: str('htk') },
  ],
  MFCC: [
    { name: 'sample_rate', default: int(16000) }, { name: 'n_mfcc', default: int(40) }, { name: 'dct_type', default: int(2) }, { name: 'norm', default: str('ortho') },
    { name: 'log_mels', default: bool(false) }, { name: 'melkwargs', default: NONE },
  ],
  LFCC: [
    { name: 'sample_rate', default: int(16000) }, { name: 'n_filter', default: int(128) }, { name: 'f_min', default: float(0) }, { name: 'f_max', default: NONE },
    { name: 'n_lfcc', default: int(40) }, { name: 'dct_type', default: int(2) }, { name: 'norm', default: str('ortho') }, { name: 'log_lf', default: bool(false) },
    { name: 'speckwargs', default: NONE },
  ],
  MelScale: [
    { name: 'n_mels', default: int(128) }, { name: 'sample_rate', default: int(16000) }, { name: 'f_min', default: float(0) }, { name: 'f_max', default: NONE },
    { name: 'n_stft', default: int(201) }, { name: 'norm', default: NONE }, { name: 'mel_scale', default: str('htk') },
  ],
  Resample: [{ name: 'orig_freq', default: int(16000) }, { name: 'new_freq', default: int(16000) }, { name: 'resampling_method' }, { name: 'lowpass_filter_width' }, { name: 'rolloff' }, { name: 'beta' }],
  AmplitudeToDB: [{ name: 'stype' }, { name: 'top_db' }],
  FrequencyMasking: [{ name: 'freq_mask_param' }, { name: 'iid_masks', default: bool(false) }],
  TimeMasking: [{ name: 'time_mask_param' }, { name: 'iid_masks', default: bool(false) }, { name: 'p' }],
  ComputeDeltas: [{ name: 'win_length' }, { name: 'mode' }],
  Vol: [{ name: 'gain' }, { name: 'gain_type' }],
  Fade: [{ name: 'fade_in_len' }, { name: 'fade_out_len' }, { name: 'fade_shape' }],
};

const KINDS = Object.keys(PARAMS);
/** Modules whose output has their input's shape. */
const SAME_SHAPE = new Set(['AmplitudeToDB', 'FrequencyMasking', 'TimeMasking', 'ComputeDeltas', 'Vol', 'Fade']);

/** The kind of a torchaudio.transforms class SeqLens models, or undefined. */
export function audioTransformKind(path: string): string | undefined {
  const kind = /^torchaudio\.transforms\.(?:_transforms\.)?([A-Z]\w*)$/.exec(path)?.[1];
  return kind !== undefined && Object.hasOwn(PARAMS, kind) ? kind : undefined;
}

/** Reads an argument from the layer, or from a dict of keyword arguments given to it (MFCC's melkwargs). */
type Reader = (name: string) => Value;

/** The STFT options a Spectrogram or MelSpectrogram is built with; undefined sizes where a value is not known. */
function stftOptions(read: Reader): StftOptions & { pad: number | undefined } {
  const nFft = optionalInt(read('n_fft'), undefined);
  const win = optionalInt(read('win_length'), nFft);
  const hop = optionalInt(read('hop_length'), win === undefined ? undefined : Math.floor(win / 2));
  const padMode = read('pad_mode');
  return {
    nFft, win, hop,
    center: boolValue(read('center')),
    onesided: boolValue(read('onesided')),
    padMode: padMode.kind === 'str' ? padMode.value : undefined,
    pad: optionalInt(read('pad'), 0),
  };
}

/** A layer's argument, or the default its family gives (for a dict of keyword arguments, the named class's). */
function reader(layer: LayerDesc): Reader {
  return (name) => argValue(layer, name);
}

/** A melkwargs / speckwargs dict read as the arguments of the class it builds; undefined when not known. */
function dictReader(value: Value, kind: 'MelSpectrogram' | 'Spectrogram'): Reader | undefined {
  const byDefault: Reader = (name) => PARAMS[kind].find((p) => p.name === name)?.default ?? UNKNOWN;
  if (value.kind === 'none') return byDefault;
  if (value.kind !== 'dict' || value.partial || value.namespace || value.parser) return undefined;
  // MFCC passes its own sample_rate beside them: the dict giving it too makes Python raise.
  for (const key of value.entries.keys()) if (key === 'sample_rate' || !PARAMS[kind].some((p) => p.name === key)) return undefined;
  return (name) => value.entries.get(name) ?? byDefault(name);
}

/** The (…, freq, frames) a spectrogram of these options makes of the input, freq replaced by `features` if given. */
function spectrogram(input: TensorValue, read: Reader, features: Dim | undefined, ctx: ApplyContext): Value {
  const options = stftOptions(read);
  const power = read('power');
  const complexOut = power.kind === 'none';
  if (complexOut && read('return_complex').kind === 'bool' && !boolValue(read('return_complex'))) return unknownTensor(input, ctx);
  let padded = input;
  if (options.pad === undefined) return unknownTensor(input, ctx);
  if (options.pad > 0 && input.shape.rankKnown) {
    const dims = input.shape.dims;
    const last = dims[dims.length - 1];
    if (!last) return unknownTensor(input, ctx);
    padded = { ...input, shape: shapeOf([...dims.slice(0, -1), last.kind === 'int' ? intDim(last.value + 2 * options.pad) : UNKNOWN_DIM]) };
  }
  const shape = stftShape(padded, options, 'any');
  // Undefined where torchaudio raises (a window longer than the padded waveform), 'unknown' for an input of unknown rank.
  if (shape === undefined || shape === 'unknown') return unknownTensor(input, ctx);
  if (features) shape[shape.length - 2] = features;
  return { kind: 'tensor', dtype: complexOut ? 'unknown' : 'float', origin: ctx.origin, shape: shapeOf(shape) };
}

function unknownTensor(input: TensorValue, ctx: ApplyContext): TensorValue {
  return { kind: 'tensor', dtype: input.dtype === 'float' ? 'float' : 'unknown', origin: ctx.origin, shape: UNKNOWN_SHAPE };
}

function applyAudio(layer: LayerDesc, args: Value[], _kwargs: Map<string, Value>, ctx: ApplyContext): Value {
  const input = args[0];
  if (input?.kind !== 'tensor') return UNKNOWN;
  const read = reader(layer);
  if (SAME_SHAPE.has(layer.kind)) {
    const rank = input.shape.rankKnown ? input.shape.dims.length : undefined;
    // The masks work along the last two axes (frequency, time).
    if ((layer.kind === 'FrequencyMasking' || layer.kind === 'TimeMasking') && rank !== undefined && rank < 2) return unknownTensor(input, ctx);
    return { kind: 'tensor', dtype: input.dtype, origin: ctx.origin, shape: input.shape };
  }
  switch (layer.kind) {
    case 'Spectrogram':
      return spectrogram(input, read, undefined, ctx);
    case 'MelSpectrogram': {
      const mels = intValue(read('n_mels'));
      return spectrogram(input, read, mels === undefined ? UNKNOWN_DIM : intDim(mels), ctx);
    }
    case 'MFCC':
    case 'LFCC': {
      const mfcc = layer.kind === 'MFCC';
      const inner = dictReader(read(mfcc ? 'melkwargs' : 'speckwargs'), mfcc ? 'MelSpectrogram' : 'Spectrogram');
      if (!inner) return unknownTensor(input, ctx);
      const coefficients = intValue(read(mfcc ? 'n_mfcc' : 'n_lfcc'));
      const filters = intValue(mfcc ? inner('n_mels') : read('n_filter'));
      // torchaudio raises when asked for more coefficients than filters.
      if (coefficients !== undefined && filters !== undefined && coefficients > filters) return unknownTensor(input, ctx);
      const power = inner('power');
      // An MFCC's power must be a number here: None would make a complex spectrogram that the mel scale cannot read.
      const readPower: Reader = (name) => (name === 'power' && power.kind === 'none' ? float(2) : inner(name));
      return spectrogram(input, readPower, coefficients === undefined ? UNKNOWN_DIM : intDim(coefficients), ctx);
    }
    case 'MelScale': {
      if (!input.shape.rankKnown) return unknownTensor(input, ctx);
      const dims = input.shape.dims;
      if (dims.length < 2) return unknownTensor(input, ctx);
      const freq = dims[dims.length - 2];
      const stft = intValue(read('n_stft'));
      // The filterbank is (n_stft, n_mels): another number of bins makes the product raise.
      if (freq.kind === 'int' && stft !== undefined && freq.value !== stft) return unknownTensor(input, ctx);
      const mels = intValue(read('n_mels'));
      return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...dims.slice(0, -2), mels === undefined ? UNKNOWN_DIM : intDim(mels), dims[dims.length - 1]]) };
    }
    case 'Resample': {
      const from = intValue(read('orig_freq'));
      const to = intValue(read('new_freq'));
      if (!input.shape.rankKnown) return unknownTensor(input, ctx);
      const dims = input.shape.dims;
      if (dims.length < 1 || from === undefined || to === undefined || from <= 0 || to <= 0) return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: dims.length ? shapeOf([...dims.slice(0, -1), UNKNOWN_DIM]) : UNKNOWN_SHAPE };
      if (from === to) return { kind: 'tensor', dtype: input.dtype, origin: ctx.origin, shape: input.shape };
      const length = dims[dims.length - 1];
      return { kind: 'tensor', dtype: 'float', origin: ctx.origin, shape: shapeOf([...dims.slice(0, -1), length.kind === 'int' ? resampledLength(length.value, from, to) : UNKNOWN_DIM]) };
    }
    default:
      return UNKNOWN;
  }
}

/** torchaudio's resampled length: ceil(new × length / orig) with both rates divided by their gcd. */
export function resampledLength(length: number, from: number, to: number): Dim {
  const g = gcd(from, to);
  return intDim(Math.ceil(((to / g) * length) / (from / g)));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export const torchAudio: LayerFamily = {
  framework: 'torch',
  kinds: KINDS,
  params: (kind) => PARAMS[kind] ?? [],
  apply: applyAudio,
  hover: (layer) => {
    const read = reader(layer);
    switch (layer.kind) {
      case 'Spectrogram':
      case 'MelSpectrogram':
      case 'MFCC':
      case 'LFCC': {
        const features = layer.kind === 'Spectrogram' ? 'n_fft // 2 + 1 frequency bins' : layer.kind === 'MelSpectrogram' ? `${intValue(read('n_mels')) ?? 'n_mels'} mel bands` : layer.kind === 'MFCC' ? `${intValue(read('n_mfcc')) ?? 'n_mfcc'} coefficients` : `${intValue(read('n_lfcc')) ?? 'n_lfcc'} coefficients`;
        return `**torchaudio.transforms.${layer.kind}** — a waveform (…, time) becomes (…, features, frames): ${features} per frame, one frame every hop_length samples.`;
      }
      case 'MelScale':
        return `**torchaudio.transforms.MelScale** — a spectrogram (…, n_stft, frames) becomes (…, n_mels, frames).`;
      case 'Resample':
        return `**torchaudio.transforms.Resample** — the last axis is resampled from orig_freq to new_freq: ceil(new_freq × time / orig_freq) samples.`;
      default:
        return `**torchaudio.transforms.${layer.kind}** — the output has the same shape as the input.`;
    }
  },
};
