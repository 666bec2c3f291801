// A tfjs-layers layer for Keras' default GRU (reset_after=True), which the stock tfjs GRUCell
// refuses. Its weights keep Keras' layout: kernel (input, 3·units) and recurrent_kernel
// (units, 3·units) with gates z, r, h, and bias (2, 3·units) whose rows are the input and the
// recurrent biases. The recurrence itself is the shared kernel (recurrent/kernels.ts), so Keras
// and PyTorch GRUs run the same code. Registered under its own class name, it also works inside
// tfjs' Bidirectional wrapper, which clones the layer by class name with go_backwards flipped.
import { Activation, disposeWeights, RecurrentWeights, recurrentWeights, runRecurrent, Tensor3D } from '../recurrent/kernels';
import { tfjs, Tensor } from '../tf';

export const RESET_AFTER_GRU = 'SeqLensResetAfterGRU';

export interface ResetAfterGruConfig {
  units: number;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  name?: string;
  [key: string]: unknown;
}

const CANDIDATE_ACTIVATIONS: Record<string, Activation> = { tanh: 'tanh', relu: 'relu', sigmoid: 'sigmoid', linear: 'linear' };

let registered = false;

/** Registers the layer class with tfjs' serialization (once). */
export function registerResetAfterGru(): void {
  if (registered) return;
  registered = true;
  const tf = tfjs();

  class ResetAfterGRU extends tf.layers.Layer {
    static className = RESET_AFTER_GRU;
    readonly units: number;
    readonly activation: Activation;
    readonly useBias: boolean;
    readonly returnSequences: boolean;
    readonly returnState: boolean;
    readonly goBackwards: boolean;
    private readonly original: ResetAfterGruConfig;

    constructor(config: ResetAfterGruConfig) {
      super(config as ConstructorParameters<typeof tf.layers.Layer>[0]);
      this.original = config;
      this.units = config.units;
      const activation = CANDIDATE_ACTIVATIONS[config.activation ?? 'tanh'];
      if (!activation) throw new Error(`GRU '${config.name}': activation '${config.activation}' is not supported (tanh, relu, sigmoid, linear)`);
      if ((config.recurrentActivation ?? 'sigmoid') !== 'sigmoid') {
        throw new Error(`GRU '${config.name}': recurrent_activation '${config.recurrentActivation}' is not supported with reset_after=True (sigmoid is)`);
      }
      if (config.returnState) throw new Error(`GRU '${config.name}': return_state=True is not supported`);
      this.activation = activation;
      this.useBias = config.useBias ?? true;
      this.returnSequences = config.returnSequences ?? false;
      this.returnState = false;
      this.goBackwards = config.goBackwards ?? false;
      this.supportsMasking = false;
    }

    build(inputShape: (number | null)[] | (number | null)[][]): void {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
      const features = shape[shape.length - 1];
      if (features === null) throw new Error(`GRU '${this.name}': the number of input features is not known`);
      const zeros = tf.initializers.zeros();
      this.addWeight('kernel', [features, 3 * this.units], 'float32', zeros);
      this.addWeight('recurrent_kernel', [this.units, 3 * this.units], 'float32', zeros);
      if (this.useBias) this.addWeight('bias', [2, 3 * this.units], 'float32', zeros);
      this.built = true;
    }

    computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
      return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
    }

    call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown>): Tensor {
      if (kwargs && kwargs.mask !== undefined && kwargs.mask !== null) {
        throw new Error(`GRU '${this.name}': masked input (Embedding mask_zero=True) is not supported with reset_after=True`);
      }
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor3D;
      // Converted on every call (a read and a reorder of small matrices): a cached copy would outlive
      // the layer, because tfjs' Bidirectional wrapper never disposes the layers it wraps.
      const weights = this.weightsForKernel();
      try {
        const result = runRecurrent(x, weights, { reverse: this.goBackwards, returnSequence: this.returnSequences });
        if (!this.returnSequences) return result.lastH;
        result.lastH.dispose();
        // Keras returns a backwards layer's outputs in processing order; the kernel gives input order.
        if (!this.goBackwards) return result.sequence!;
        const reversed = tf.reverse(result.sequence!, 1);
        result.sequence!.dispose();
        return reversed;
      } finally {
        disposeWeights(weights);
      }
    }

    getConfig() {
      const config = { ...super.getConfig() } as Record<string, unknown>;
      for (const key of ['units', 'activation', 'recurrentActivation', 'useBias', 'returnSequences', 'returnState', 'goBackwards'] as const) {
        if (this.original[key] !== undefined) config[key] = this.original[key];
      }
      config.goBackwards = this.goBackwards;
      return config as ReturnType<InstanceType<typeof tf.layers.Layer>['getConfig']>;
    }

    /** Keras (z, r, h) columns → the kernel's (r, z, n) order; recurrent biases of r and z folded in. */
    private weightsForKernel(): RecurrentWeights {
      const units = this.units;
      const width = 3 * units;
      const [kernel, recurrent, bias] = this.getWeights();
      const keras = [1, 0, 2]; // the kernel's gate g (r, z, n) is Keras' column block keras[g]
      const reorder = (values: Float32Array | Int32Array | Uint8Array, rows: number) => {
        const out = new Float32Array(rows * width);
        for (let r = 0; r < rows; r++) {
          for (let g = 0; g < 3; g++) out.set(values.subarray(r * width + keras[g] * units, r * width + (keras[g] + 1) * units), r * width + g * units);
        }
        return out;
      };
      const b = bias ? bias.dataSync() : new Float32Array(2 * width);
      const inputBias = reorder(b.subarray(0, width), 1);
      const recurrentBias = reorder(b.subarray(width, 2 * width), 1);
      for (let k = 0; k < 2 * units; k++) inputBias[k] += recurrentBias[k];
      return recurrentWeights({
        cell: 'gru',
        units,
        inputSize: kernel.shape[0],
        kernel: reorder(kernel.dataSync(), kernel.shape[0]),
        recurrentKernel: reorder(recurrent.dataSync(), units),
        bias: inputBias,
        candidateRecurrentBias: recurrentBias.slice(2 * units),
        activation: this.activation,
      });
    }
  }

  tf.serialization.registerClass(ResetAfterGRU);
}

/** A new reset-after GRU layer, for building models in code (tests, fixtures, "Verify shapes"). */
export function createResetAfterGru(config: ResetAfterGruConfig): import('@tensorflow/tfjs').layers.Layer {
  registerResetAfterGru();
  const tf = tfjs();
  const cls = tf.serialization.SerializationMap.getMap().classNameMap[RESET_AFTER_GRU][0] as unknown as new (c: ResetAfterGruConfig) => import('@tensorflow/tfjs').layers.Layer;
  return new cls(config);
}
