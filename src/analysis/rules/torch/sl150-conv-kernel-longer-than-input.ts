import { WindowArgs, windowArgs } from '../../layers/torch/convolution';
import { windows2d } from '../../layers/torch/convolution2d';
import { formatShape } from '../../shapes/shape';
import type { Rule } from '../rule';
import { layerName, originNote, relatedOrigin } from './describe';

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

export const convKernelLongerThanInput: Rule = {
  code: 'SL150',
  name: 'conv-kernel-longer-than-input',
  severity: 'error',
  framework: 'torch',
  summary: 'An nn.Conv1d or nn.Conv2d kernel (times its dilation) is longer than the padded input it slides over, typically a text CNN\'s n-word kernel over a batch of shorter sentences.',
  docs: {
    whatItDoes:
      'Compares each spatial axis of the input of an `nn.Conv1d` (its length) or `nn.Conv2d` (its height and width) with the kernel, where both are known numbers: the input with its zero padding on both sides must be at least `dilation × (kernel_size − 1) + 1` long. `padding=\'same\'` always fits.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: Calculated padded input size per channel: (4 x 128). Kernel size: (5 x 128). Kernel size can\'t be greater than actual input size`. In a text CNN with kernels of 3, 4 and 5 words the error comes from the data: a batch whose sentences are all shorter than the widest kernel (bucketed batches of short sentences, a one-word query at prediction time).',
    example: 'convs = nn.ModuleList([nn.Conv2d(1, 100, (k, 128)) for k in (3, 4, 5)])\nx = embed(tokens).unsqueeze(1)        # (64, 1, 4, 128): 4-token sentences\nfeatures = [conv(x) for conv in convs]   # the 5-word kernel does not fit',
    useInstead: '# pad every batch to at least the widest kernel (here 5 tokens), e.g. with <pad> or <sos>/<eos> tokens,\n# or give the convolutions padding: nn.Conv2d(1, 100, (k, 128), padding=(k - 1, 0))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Conv1d.html', 'https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Conv1d' || kind === 'Conv2d',
    },
    layerCall(event, ctx) {
      const layer = event.layer;
      if (layer.framework !== 'torch' || layer.broken || (layer.kind !== 'Conv1d' && layer.kind !== 'Conv2d')) return;
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
