// What a loaded model is to the rest of SeqLens: plain data for the summary and the panel, and a
// function from one batch of inputs to class probabilities.
import type { Tensor } from './tf';

export type ModelFormat = 'tfjs' | 'keras' | 'h5' | 'torch';

/** What one sample must look like: token ids (B, T) for models that embed, features (B, T, F) otherwise. */
export interface InputSpec {
  kind: 'ids' | 'features';
  /** Fixed sequence length, or null when any length runs. */
  length: number | null;
  /** Features per step (feature models). */
  features: number | null;
  /** Embedding rows: every id must be below it (models that embed). */
  vocabulary: number | null;
}

export interface LayerSummaryRow {
  /** The layer's name (Keras) or attribute path (PyTorch), or the expression in forward. */
  name: string;
  kind: string;
  /** As Keras prints it: `(None, 20, 64)`. */
  outputShape: string;
  params: number;
}

export interface ModelSummary {
  format: ModelFormat;
  path: string;
  /** Keras model name or PyTorch class name. */
  name: string;
  layers: LayerSummaryRow[];
  totalParams: number;
  input: InputSpec;
  /** Number of output units (1 for a single sigmoid). */
  outputUnits: number;
  /** How outputs become probabilities: already probabilities, or logits SeqLens turns into them. */
  outputActivation: 'softmax' | 'sigmoid' | 'log_softmax' | 'logits';
  /** PyTorch: how forward reads the recurrent output out (`last step out[:, -1, :]`, …). */
  readouts?: string[];
  /** Anything the user should know: unused weights, time-major input. */
  notes: string[];
  /** A model with one output per time step, scored per token (see per-step.ts). */
  perStep?: import('./per-step').PerStepOutput;
}

export interface SequenceModel {
  readonly summary: ModelSummary;
  /** The model's own outputs for a batch (ids int32 (B, T) or features float32 (B, T, F)). */
  predictRaw(batch: Tensor): Tensor;
  /** Class probabilities (B, K); a single sigmoid unit gives (B, 2): [1 − p, p]. */
  predictProbabilities(batch: Tensor): Tensor;
  dispose(): void;
}
