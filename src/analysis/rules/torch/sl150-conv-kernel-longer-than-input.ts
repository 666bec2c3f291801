import { WindowArgs, windowArgs } from '../../layers/torch/convolution';
import { perAxis, windows2d } from '../../layers/torch/convolution2d';
import type { Call } from '../../parse/ast';
import type { RuleContext } from '../../interpret/events';
import { formatShape } from '../../shapes/shape';
import { poolArguments } from '../../ops/pooling';
import { Value, boolValue } from '../../values/value';
import type { Rule } from '../rule';
import { layerName, originNote, relatedOrigin } from './describe';

/** The pooling layers checked, with their number of spatial axes. */
const POOL_LAYERS: Record<string, 1 | 2> = { MaxPool1d: 1, AvgPool1d: 1, MaxPool2d: 2, AvgPool2d: 2 };
/** The functional poolings checked (torch.nn.functional.<name>), with their number of spatial axes. */
const POOL_FUNCTIONS: Record<string, 1 | 2> = { max_pool1d: 1, avg_pool1d: 1, max_pool2d: 2, avg_pool2d: 2 };
const FUNCTIONAL = 'torch.nn.functional.';

/** What PyTorch compares on one spatial axis: the input with its zero padding against the dilated kernel. */
interface AxisFit {
  padded: number;
  kernel: number;
}

/**
 * One spatial axis of a convolution: the padded input size and the dilated kernel size when both are known numbers.
 * padding='same' keeps every length (PyTorch pads as much as the kernel needs), so it never fails this way.
 */
function axisFit(size: number | undefined, w: WindowArgs | undefined): AxisFit | undefined {
  if (size === undefined || !w || w.kernel === undefined || w.dilation === undefined || w.padding === undefined || w.padding === 'same') return undefined;
  if (!(w.kernel >= 1) || !(w.dilation >= 1)) return undefined;
  const p = w.padding === 'valid' ? 0 : w.padding;
  if (!(p >= 0)) return undefined;
  return { padded: size + 2 * p, kernel: w.dilation * (w.kernel - 1) + 1 };
}

/**
 * The window of each spatial axis of a functional pooling (its arguments as poolArguments reads them). An axis whose
 * arguments are not all known ints is undefined.
 */
function functionalWindows(op: string, args: Value[], kwargs: Map<string, Value>, n: number): (WindowArgs | undefined)[] {
  const given = poolArguments(op, args, kwargs);
  const none = Array(n).fill(undefined);
  const kernel = given.kernel ? perAxis(given.kernel, n) : undefined;
  const strideValue = given.stride;
  const stride = strideValue === undefined || strideValue.kind === 'none' || ((strideValue.kind === 'tuple' || strideValue.kind === 'list') && strideValue.items.length === 0) ? kernel : perAxis(strideValue, n);
  const padding = given.padding === undefined ? Array(n).fill(0) : perAxis(given.padding, n);
  const dilation = given.dilation === undefined ? Array(n).fill(1) : perAxis(given.dilation, n);
  const ceilMode = given.ceil === undefined ? false : boolValue(given.ceil);
  if (!kernel || !stride || !padding || !dilation || ceilMode === undefined) return none;
  return kernel.map((k, i) => ({ kernel: k, stride: stride[i], padding: padding[i], dilation: dilation[i], ceilMode }));
}

/**
 * A pooling window longer than the padded axis it slides over. PyTorch's output length is then below one: it raises
 * "Output size is too small" (max pooling returns an empty axis only outside autograd, for an input that needs no
 * gradient). With ceil_mode a window may start in the padding, so only ceil_mode=False is compared; a padding over
 * half the window is another error.
 */
function checkPooling(ctx: RuleContext, input: Value | undefined, spatial: number, ws: (WindowArgs | undefined)[], call: Call, what: string, related: { range: Call['range']; message: string }[]): void {
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
  const dims = input.shape.dims;
  if (dims.length !== spatial + 1 && dims.length !== spatial + 2) return;
  if (ws.some((w) => !w || w.ceilMode !== false || typeof w.padding !== 'number' || w.kernel === undefined || 2 * w.padding > w.kernel)) return;
  const sizes = dims.slice(dims.length - spatial).map((d) => (d.kind === 'int' ? d.value : undefined));
  const fits = sizes.map((s, i) => axisFit(s, ws[i]));
  if (fits.some((f) => f === undefined) || !fits.some((f) => f!.padded < f!.kernel)) return;
  const padded = fits.map((f) => f!.padded).join(' x ');
  const window = fits.map((f) => f!.kernel).join(' x ');
  const axes = spatial === 1 ? 'length' : fits[0]!.padded < fits[0]!.kernel ? (fits[1]!.padded < fits[1]!.kernel ? 'height and width' : 'height') : 'width';
  ctx.report({
    range: call.range,
    message:
      `${what} slides a window of (${window}) over the input ${formatShape(input.shape)}${originNote(input)}, which is only (${padded}) with its padding, too short in its ${axes}: ` +
      'the pooled axis would have no position, and PyTorch raises "Output size is too small" (a max pooling of a tensor that needs no gradient returns that empty axis instead). A window meant to span the whole axis (max-over-time pooling) is that axis\' size, not another one\'s',
    related: [...related, ...relatedOrigin(input, call.range, `the ${formatShape(input.shape)} input comes from here`)],
    fixes: [],
  });
}

export const convKernelLongerThanInput: Rule = {
  code: 'SL150',
  name: 'conv-kernel-longer-than-input',
  severity: 'error',
  framework: 'torch',
  summary: 'An nn.Conv1d or nn.Conv2d kernel (times its dilation) or a 1-D or 2-D pooling window is longer than the padded input it slides over, typically a text CNN\'s n-word kernel over a batch of shorter sentences, or a max-over-time pooling sized by another axis.',
  docs: {
    whatItDoes:
      'Compares each spatial axis of the input of an `nn.Conv1d` (its length) or `nn.Conv2d` (its height and width) with the kernel, where both are known numbers: the input with its zero padding on both sides must be at least `dilation × (kernel_size − 1) + 1` long. `padding=\'same\'` always fits. The windows of `nn.MaxPool1d`, `nn.AvgPool1d`, `nn.MaxPool2d`, `nn.AvgPool2d` and `F.max_pool1d`, `F.avg_pool1d`, `F.max_pool2d`, `F.avg_pool2d` are compared the same way when `ceil_mode` is off.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Calculated padded input size per channel: (4 x 128). Kernel size: (5 x 128). Kernel size can\'t be greater than actual input size`. In a text CNN with kernels of 3, 4 and 5 words the error comes from the data: a batch whose sentences are all shorter than the widest kernel (bucketed batches of short sentences, a one-word query at prediction time). A pooling window longer than its input raises `Given input size: (50x1x28). Calculated output size: (50x1x0). Output size is too small`; in a character CNN the usual cause is a max-over-time pooling whose window is read off the wrong axis (`F.max_pool1d(conved, conved.shape[1])`, the channels, instead of `conved.shape[2]`, the positions).',
    example: 'convs = nn.ModuleList([nn.Conv2d(1, 100, (k, 128)) for k in (3, 4, 5)])\nx = embed(tokens).unsqueeze(1)        # (64, 1, 4, 128): 4-token sentences\nfeatures = [conv(x) for conv in convs]   # the 5-word kernel does not fit',
    useInstead: '# pad every batch to at least the widest kernel (here 5 tokens), e.g. with <pad> or <sos>/<eos> tokens,\n# or give the convolutions padding: nn.Conv2d(1, 100, (k, 128), padding=(k - 1, 0))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.functional.max_pool1d.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Conv1d' || kind === 'Conv2d' || kind in POOL_LAYERS,
      functionCall: (qualname) => qualname.startsWith(FUNCTIONAL) && qualname.slice(FUNCTIONAL.length) in POOL_FUNCTIONS,
    },
    functionCall(event, ctx) {
      if (!event.qualname.startsWith(FUNCTIONAL)) return;
      const op = event.qualname.slice(FUNCTIONAL.length);
      const spatial = POOL_FUNCTIONS[op];
      if (!spatial) return;
      const input = event.args[0] ?? event.kwargs.get('input');
      checkPooling(ctx, input, spatial, functionalWindows(op, event.args, event.kwargs, spatial), event.call, `F.${op}`, []);
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || layer.broken) return;
      const poolSpatial = POOL_LAYERS[layer.kind];
      if (poolSpatial) {
        const ws = poolSpatial === 1 ? [windowArgs(layer)] : windows2d(layer);
        checkPooling(ctx, event.args[0] ?? event.kwargs.get('input'), poolSpatial, ws, event.call, layerName(layer), [{ range: layer.call.range, message: `${layer.kind} defined here` }]);
        return;
      }
      if (layer.kind !== 'Conv1d' && layer.kind !== 'Conv2d') return;
      const t = event.args[0];
      if (t?.kind !== 'tensor' || !t.shape.rankKnown) return;
      const dims = t.shape.dims;
      const spatial = layer.kind === 'Conv1d' ? 1 : 2;
      // Conv1d takes (N, C, L) or unbatched (C, L); Conv2d (N, C, H, W) or (C, H, W). Other ranks are another error.
      if (dims.length !== spatial + 1 && dims.length !== spatial + 2) return;
      const sizes = dims.slice(dims.length - spatial).map((d) => (d.kind === 'int' ? d.value : undefined));
      const ws = layer.kind === 'Conv1d' ? [windowArgs(layer)] : windows2d(layer);
      const fits = sizes.map((s, i) => axisFit(s, ws[i]));
      if (fits.some((f) => f === undefined) || !fits.some((f) => f!.padded < f!.kernel)) return;
      const padded = fits.map((f) => f!.padded).join(' x ');
      const kernel = fits.map((f) => f!.kernel).join(' x ');
      const axes = layer.kind === 'Conv1d' ? 'length' : fits[0]!.padded < fits[0]!.kernel ? (fits[1]!.padded < fits[1]!.kernel ? 'height and width' : 'height') : 'width';
      ctx.report({
        range: event.call.range,
        message:
          `${layerName(layer)} slides a kernel of (${kernel}) over the input ${formatShape(t.shape)}${originNote(t)}, which is only (${padded}) with its padding, too short in its ${axes}: ` +
          `PyTorch raises "Calculated padded input size per channel: (${padded}). Kernel size: (${kernel}). Kernel size can't be greater than actual input size"`,
        related: [{ range: layer.call.range, message: `${layer.kind} defined here` }, ...relatedOrigin(t, event.call.range, `the ${formatShape(t.shape)} input comes from here`)],
        fixes: [],
      });
    },
  },
};
