// Spectral ops: torch.fft's transforms (and numpy.fft's, which follow the same sizes), torch.stft, the window
// functions, and torchaudio's functions that frame a waveform (torchaudio.compliance.kaldi's fbank, mfcc and
// spectrogram). Each keeps the axes it does not transform and sizes the ones it does as PyTorch 1.13 and torchaudio
// 0.13 do; test/oracle/op_shapes.py checks them. Complex results have no dtype of their own here: 'unknown'.
import type { Origin } from '../shapes/dim';
import { Dim, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, normaliseAxis, shapeOf } from '../shapes/shape';
import { TensorValue, Value, boolValue, intValue } from '../values/value';

type Sizer = (n: Dim, size: number | undefined) => Dim;

const keep: Sizer = (n, size) => (size !== undefined ? intDim(size) : n);
/** rfft, ihfft: n//2 + 1 entries of the (possibly padded or trimmed) axis. */
const half: Sizer = (n, size) => {
  const m = size ?? (n.kind === 'int' ? n.value : undefined);
  return m !== undefined ? intDim(Math.floor(m / 2) + 1) : UNKNOWN_DIM;
};
/** irfft, hfft: n entries, by default 2 × (m − 1) of an axis of m. */
const full: Sizer = (n, size) => {
  if (size !== undefined) return intDim(size);
  return n.kind === 'int' ? intDim(2 * (n.value - 1)) : UNKNOWN_DIM;
};

/** One-axis transforms: the sizer of the transformed axis, and whether the result is real. */
const ONE_AXIS: Record<string, [Sizer, boolean]> = {
  fft: [keep, false], ifft: [keep, false], rfft: [half, false], irfft: [full, true], hfft: [full, true], ihfft: [half, false],
};
/** Transforms over several axes (fft2 over the last two by default, fftn over all or the last len(s)). */
const MANY_AXES: Record<string, [Sizer, boolean, boolean]> = {
  fft2: [keep, false, true], ifft2: [keep, false, true], rfft2: [half, false, true], irfft2: [full, true, true],
  fftn: [keep, false, false], ifftn: [keep, false, false], rfftn: [half, false, false], irfftn: [full, true, false],
  hfft2: [full, true, true], ihfft2: [half, false, true], hfftn: [full, true, false], ihfftn: [half, false, false],
};

function tensor(dims: Dim[], dtype: TensorValue['dtype'], origin: Origin, numpy?: boolean): TensorValue {
  const out: TensorValue = { kind: 'tensor', dtype, origin, shape: shapeOf(dims) };
  if (numpy) out.numpy = true;
  return out;
}

function unknownTensor(origin: Origin, dtype: TensorValue['dtype'] = 'unknown', numpy?: boolean): TensorValue {
  const out: TensorValue = { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
  if (numpy) out.numpy = true;
  return out;
}

/** The ints of a tuple or list written out, or of a single int; undefined when any is not known. */
function ints(v: Value | undefined): number[] | undefined {
  if (!v) return undefined;
  const single = intValue(v);
  if (single !== undefined && v.kind !== 'bool') return [single];
  if ((v.kind !== 'tuple' && v.kind !== 'list') || v.element) return undefined;
  const out: number[] = [];
  for (const item of v.items) {
    const i = intValue(item);
    if (i === undefined || item.kind === 'bool') return undefined;
    out.push(i);
  }
  return out;
}

/**
 * torch.fft.<name>(input, n / s, dim, norm) and numpy.fft.<name>(a, n / s, axis / axes, norm): undefined for a name
 * that is no transform. A size not known for the transformed axis leaves that axis unknown, the rank known.
 */
export function fftCall(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin, numpy: boolean): Value | undefined {
  if (name === 'fftshift' || name === 'ifftshift') {
    const input = args[0] ?? kwargs.get(numpy ? 'x' : 'input');
    return input?.kind === 'tensor' ? { ...input, origin } : undefined;
  }
  if (name === 'fftfreq' || name === 'rfftfreq') {
    const n = intValue(args[0] ?? kwargs.get('n'));
    if (n === undefined) return tensor([UNKNOWN_DIM], 'float', origin, numpy);
    if (n <= 0) return undefined;
    return tensor([intDim(name === 'fftfreq' ? n : Math.floor(n / 2) + 1)], 'float', origin, numpy);
  }
  const input = args[0] ?? kwargs.get(numpy ? 'a' : 'input');
  if (input?.kind !== 'tensor') return undefined;
  const one = ONE_AXIS[name];
  const many = MANY_AXES[name];
  if (!one && !many) return undefined;
  const real = one ? one[1] : many[1];
  const dtype = real ? 'float' : 'unknown';
  if (!input.shape.rankKnown) return unknownTensor(origin, dtype, numpy);
  const dims = input.shape.dims;
  const rank = dims.length;
  // An argument not known: every axis kept, none sized.
  const rankOnly = () => tensor(dims.map(() => UNKNOWN_DIM), dtype, origin, numpy);
  const sizeArg = args[1] ?? kwargs.get(one ? 'n' : 's');
  const axisArg = args[2] ?? kwargs.get(numpy ? (one ? 'axis' : 'axes') : 'dim');
  if (one) {
    const size = sizeArg === undefined || sizeArg.kind === 'none' ? undefined : intValue(sizeArg);
    if (sizeArg !== undefined && sizeArg.kind !== 'none' && (size === undefined || sizeArg.kind === 'bool')) return rankOnly();
    if (size !== undefined && size < 1) return undefined;
    const axis = axisArg === undefined || axisArg.kind === 'none' ? -1 : intValue(axisArg);
    const a = axis === undefined ? undefined : normaliseAxis(axis, rank);
    if (a === undefined) return axis === undefined ? rankOnly() : undefined;
    const out = dims.slice();
    out[a] = one[0](dims[a], size);
    if (out[a].kind === 'int' && out[a].value < 1) return undefined;
    return tensor(out, dtype, origin, numpy);
  }
  const [sizer, , twoD] = many;
  const sizes = sizeArg === undefined || sizeArg.kind === 'none' ? undefined : ints(sizeArg);
  if (sizeArg !== undefined && sizeArg.kind !== 'none' && !sizes) return rankOnly();
  let axes: number[] | undefined;
  if (axisArg !== undefined && axisArg.kind !== 'none') axes = ints(axisArg);
  else if (twoD) axes = [-2, -1];
  else axes = sizes ? sizes.map((_, i) => i - sizes.length) : dims.map((_, i) => i);
  if (!axes) return rankOnly();
  if (sizes && sizes.length !== axes.length) return undefined;
  const normal = axes.map((a) => normaliseAxis(a, rank));
  if (normal.some((a) => a === undefined) || new Set(normal).size !== normal.length || normal.length === 0) return undefined;
  const out = dims.slice();
  normal.forEach((a, i) => {
    const last = i === normal.length - 1;
    // Only the last transformed axis is halved (or restored); the others keep s or their size.
    out[a!] = last ? sizer(dims[a!], sizes?.[i]) : keep(dims[a!], sizes?.[i]);
  });
  if (out.some((d) => d.kind === 'int' && d.value < 1)) return undefined;
  return tensor(out, dtype, origin, numpy);
}

/** torch.hann_window(window_length, periodic=True, …) and the other windows: (window_length,) of floats. */
export const WINDOW_FUNCTIONS = new Set(['hann_window', 'hamming_window', 'blackman_window', 'bartlett_window', 'kaiser_window']);

export function windowFunction(args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const n = args[0] ?? kwargs.get('window_length');
  if (!n) return undefined;
  const length = intValue(n);
  if (length !== undefined && (length < 0 || n.kind === 'bool')) return undefined;
  return tensor([length === undefined ? UNKNOWN_DIM : intDim(length)], 'float', origin);
}

/** The frames a transform of frames of n_fft, every hop, makes of length samples (padded by n_fft // 2 if centred). */
export function frameCount(length: Dim, nFft: number, hop: number, center: boolean): Dim | 'raises' {
  if (length.kind !== 'int') return UNKNOWN_DIM;
  const padded = center ? length.value + 2 * Math.floor(nFft / 2) : length.value;
  if (nFft > padded) return 'raises';
  return intDim(1 + Math.floor((padded - nFft) / hop));
}

/** The options of torch.stft (or of torchaudio's Spectrogram), when those that size the result are known. */
export interface StftOptions {
  nFft: number | undefined;
  hop: number | undefined;
  win: number | undefined;
  center: boolean | undefined;
  onesided: boolean | undefined;
  padMode?: string;
}

/**
 * The spectrogram of a signal (…, L) by STFT: (…, n_fft // 2 + 1 or n_fft, frames). `batchRanks` are the input ranks
 * accepted (torch.stft: 1 and 2; torchaudio folds any leading axes). Undefined where PyTorch raises.
 */
export function stftShape(input: TensorValue, o: StftOptions, batchRanks: number[] | 'any'): Dim[] | undefined | 'unknown' {
  if (!input.shape.rankKnown) return 'unknown';
  const dims = input.shape.dims;
  if (batchRanks === 'any' ? dims.length < 1 : !batchRanks.includes(dims.length)) return undefined;
  const lead = dims.slice(0, -1);
  const length = dims[dims.length - 1];
  if (o.nFft === undefined || o.hop === undefined || o.win === undefined || o.center === undefined || o.onesided === undefined) {
    return [...lead, o.nFft !== undefined && o.onesided !== undefined ? intDim(o.onesided ? Math.floor(o.nFft / 2) + 1 : o.nFft) : UNKNOWN_DIM, UNKNOWN_DIM];
  }
  if (o.nFft <= 0 || o.hop <= 0 || o.win <= 0 || o.win > o.nFft) return undefined;
  // Reflection padding needs more samples than it pads.
  if (o.center && (o.padMode ?? 'reflect') === 'reflect' && length.kind === 'int' && Math.floor(o.nFft / 2) >= length.value) return undefined;
  const frames = frameCount(length, o.nFft, o.hop, o.center);
  if (frames === 'raises') return undefined;
  return [...lead, intDim(o.onesided ? Math.floor(o.nFft / 2) + 1 : o.nFft), frames];
}

const STFT_PARAMS = ['n_fft', 'hop_length', 'win_length', 'window', 'center', 'pad_mode', 'normalized', 'onesided', 'return_complex'];

/** An optional int argument: its value, the default when absent or None, undefined when given but not known. */
export function optionalInt(v: Value | undefined, fallback: number | undefined): number | undefined {
  if (v === undefined || v.kind === 'none') return fallback;
  return v.kind === 'bool' ? undefined : intValue(v);
}

/**
 * torch.stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode='reflect',
 * normalized=False, onesided=None, return_complex=None), and x.stft(n_fft, …): `rest` are the arguments after the
 * input. A real input gives (…, freq, frames) complex with return_complex=True, else (…, freq, frames, 2) real.
 */
export function stft(input: Value | undefined, rest: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  if (input?.kind !== 'tensor') return undefined;
  const arg = (i: number) => rest[i] ?? kwargs.get(STFT_PARAMS[i]);
  const nFft = optionalInt(arg(0), undefined);
  const win = optionalInt(arg(2), nFft);
  // floor(n_fft / 4) by default, whatever the window's length (torchaudio's default is win_length // 2).
  const hop = optionalInt(arg(1), nFft === undefined ? undefined : Math.floor(nFft / 4));
  // A real input is onesided by default; a complex one (dtype not known here) is not.
  const onesidedArg = arg(7);
  const onesided = onesidedArg === undefined || onesidedArg.kind === 'none' ? (input.dtype === 'float' || input.dtype === 'long' ? true : undefined) : boolValue(onesidedArg);
  const centerArg = arg(4);
  const center = centerArg === undefined ? true : boolValue(centerArg);
  const padMode = arg(5);
  const window = arg(3);
  if (window?.kind === 'tensor' && window.shape.rankKnown && (window.shape.dims.length !== 1 || (window.shape.dims[0].kind === 'int' && win !== undefined && window.shape.dims[0].value !== win))) return undefined;
  const shape = stftShape(input, { nFft, hop, win, center, onesided, padMode: padMode?.kind === 'str' ? padMode.value : padMode === undefined ? 'reflect' : undefined }, [1, 2]);
  if (shape === undefined) return undefined;
  const complexArg = arg(8);
  const complex = complexArg === undefined || complexArg.kind === 'none' ? false : boolValue(complexArg);
  if (shape === 'unknown' || complex === undefined) return unknownTensor(origin, complex === false ? 'float' : 'unknown');
  return complex ? tensor(shape, 'unknown', origin) : tensor([...shape, intDim(2)], 'float', origin);
}

/** torch.view_as_real (…) complex → (…, 2) real; torch.view_as_complex (…, 2) → (…). */
export function complexView(name: 'view_as_real' | 'view_as_complex', input: Value | undefined, origin: Origin): Value | undefined {
  if (input?.kind !== 'tensor') return undefined;
  if (!input.shape.rankKnown) return unknownTensor(origin, name === 'view_as_real' ? 'float' : 'unknown');
  const dims = input.shape.dims;
  if (name === 'view_as_real') return tensor([...dims, intDim(2)], 'float', origin);
  const last = dims[dims.length - 1];
  if (!last || (last.kind === 'int' && last.value !== 2)) return undefined;
  return tensor(dims.slice(0, -1), 'unknown', origin);
}

/**
 * torchaudio.compliance.kaldi's fbank, mfcc and spectrogram of a (channels, samples) waveform: (frames, features),
 * frames of frame_length ms every frame_shift ms at sample_frequency Hz (snip_edges=True keeps whole frames only).
 */
export function kaldiFeatures(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  if (name !== 'fbank' && name !== 'mfcc' && name !== 'spectrogram') return undefined;
  const wave = args[0] ?? kwargs.get('waveform');
  if (wave?.kind !== 'tensor') return undefined;
  if (!wave.shape.rankKnown) return unknownTensor(origin, 'float');
  if (wave.shape.dims.length !== 2) return undefined;
  // Positional arguments past the waveform are rare and differ between the three: only keywords are read.
  if (args.length > 1) return tensor([UNKNOWN_DIM, UNKNOWN_DIM], 'float', origin);
  const num = (key: string, fallback: number): number | undefined => {
    const v = kwargs.get(key);
    if (v === undefined) return fallback;
    if (v.kind === 'int' || v.kind === 'float') return v.value;
    return undefined;
  };
  const flag = (key: string, fallback: boolean): boolean | undefined => (kwargs.has(key) ? boolValue(kwargs.get(key)) : fallback);
  const rate = num('sample_frequency', 16000);
  const shiftMs = num('frame_shift', 10);
  const lengthMs = num('frame_length', 25);
  const snip = flag('snip_edges', true);
  // Samples per frame and between frames, truncated as Kaldi does.
  const size = rate !== undefined && lengthMs !== undefined ? Math.trunc(rate * lengthMs * 0.001) : undefined;
  const shift = rate !== undefined && shiftMs !== undefined ? Math.trunc(rate * shiftMs * 0.001) : undefined;
  let features: Dim = UNKNOWN_DIM;
  if (name === 'fbank') {
    const bins = intValue(kwargs.get('num_mel_bins') ?? { kind: 'int', value: 23 });
    const energy = flag('use_energy', false);
    if (bins !== undefined && energy !== undefined) features = intDim(bins + (energy ? 1 : 0));
  } else if (name === 'mfcc') {
    const ceps = intValue(kwargs.get('num_ceps') ?? { kind: 'int', value: 13 });
    if (ceps !== undefined) features = intDim(ceps);
  } else if (size !== undefined) {
    const round = flag('round_to_power_of_two', true);
    if (round !== undefined) features = intDim(Math.floor((round ? nextPowerOfTwo(size) : size) / 2) + 1);
  }
  const samples = wave.shape.dims[1];
  let frames: Dim = UNKNOWN_DIM;
  if (size !== undefined && shift !== undefined && snip !== undefined && samples.kind === 'int') {
    if (shift < 1 || size < 2 || size > samples.value) return undefined;
    frames = intDim(snip ? 1 + Math.floor((samples.value - size) / shift) : Math.floor((samples.value + Math.floor(shift / 2)) / shift));
  }
  return tensor([frames, features], 'float', origin);
}

function nextPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}
