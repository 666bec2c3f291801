import type { Call } from '../parse/ast';
import type { Origin } from '../shapes/dim';
import type { Value } from '../values/value';
import type { LayerDesc, ParamSpec } from './layer';

/** What a layer family needs from the interpreter while it computes an output. */
export interface ApplyContext {
  call: Call;
  /** The call expression as an origin, e.g. `self.gru(x)`, line 12. */
  origin: Origin;
  /** Applies another layer (Sequential's children). */
  applyLayer(layer: LayerDesc, args: Value[]): Value;
  /** The analysed file's text, for what the file sets once for every layer (Keras' image data format). */
  source?: string;
  /** Calls a Python function or lambda the program defined (Keras' Lambda layer). */
  callValue?(callee: Value, args: Value[], kwargs: Map<string, Value>): Value;
}

/** One family of layers (recurrent, embedding, linear, …): arguments in, shapes through, words for hovers. */
export interface LayerFamily {
  framework: 'torch' | 'keras';
  kinds: readonly string[];
  /** Constructor parameters in positional order, with their defaults. */
  params(kind: string): ParamSpec[];
  /** Output value for these inputs; never throws, returns unknown where it cannot tell. */
  apply(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, ctx: ApplyContext): Value;
  /** Markdown for a hover over the constructor. */
  hover(layer: LayerDesc): string;
}
