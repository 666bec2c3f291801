// Phrases shared by the PyTorch rules' messages: "GRU (line 4)", "100 features (torch.randn(…), line 5)".
import type { RelatedLocation } from '../../findings';
import type { LayerDesc } from '../../layers/layer';
import { argOrigin } from '../../layers/layer';
import { Dim, describeOrigin, lineOf } from '../../shapes/dim';

export function layerName(layer: LayerDesc): string {
  return `${layer.kind} (${lineOf({ range: layer.call.range, text: '' })})`;
}

/** `input_size=50 (line 4)`: an argument with the value it has and where it was set. */
export function expected(layer: LayerDesc, arg: string, value: number): string {
  return `${arg}=${value} (${lineOf(argOrigin(layer, arg))})`;
}

export function whereFrom(dim: Dim): string {
  return dim.kind !== 'unknown' && dim.origin ? ` (${describeOrigin(dim.origin)})` : '';
}

export function relatedArg(layer: LayerDesc, arg: string, message: string): RelatedLocation {
  return { range: argOrigin(layer, arg).range, message };
}

export function relatedDim(dim: Dim, message: string): RelatedLocation[] {
  return dim.kind !== 'unknown' && dim.origin ? [{ range: dim.origin.range, message }] : [];
}

export function producerLayer(dim: Dim): LayerDesc | undefined {
  return dim.kind !== 'unknown' && dim.producer && typeof dim.producer === 'object' && 'kind' in (dim.producer as object) ? (dim.producer as LayerDesc) : undefined;
}
