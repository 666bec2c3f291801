// A tfjs-layers layer for Keras' default GRU (reset_after=True), which the stock tfjs GRUCell
// refuses. Its weights keep Keras' layout: kernel (input, 3·units) and recurrent_kernel
// (units, 3·units) with gates z, r, h, and bias (2, 3·units) whose rows are the input and the
// recurrent biases. The recurrence itself is the shared kernel (recurrent/kernels.ts), so Keras
// and PyTorch GRUs run the same code. Registered under its own class name, it also works inside
// tfjs' Bidirectional wrapper, which clones the layer by class name with go_backwards flipped.
import { Activation, RecurrentWeights, runRecurrent, Tensor1D, Tensor2D, Tensor3D } from '../recurrent/kernels';
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
      // Converted on every call (a few slices of small matrices): a cached copy would outlive
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
        tf.dispose([...weights.kernels, ...weights.recurrentKernels, ...weights.biases, weights.candidateRecurrentBias!]);
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

    /** Keras (z, r, h) columns → the kernel's per-gate (r, z, n) matrices; recurrent biases of r and z folded in. */
    private weightsForKernel(): RecurrentWeights {
      const units = this.units;
      const [kernel, recurrent, bias] = this.getWeights();
      const converted = tf.tidy(() => {
        const gate = (m: Tensor, g: number) => tf.slice(m, [0, g * units], [m.shape[0], units]) as Tensor2D;
        const b = bias ?? tf.zeros([2, 3 * units]);
        const inputBias = tf.reshape(tf.slice(b, [0, 0], [1, 3 * units]), [3 * units]);
        const recurrentBias = tf.reshape(tf.slice(b, [1, 0], [1, 3 * units]), [3 * units]);
        const part = (v: Tensor, g: number) => tf.slice(v, [g * units], [units]) as Tensor1D;
        const z = 0;
        const r = 1;
        const h = 2;
        return {
          kernels: [gate(kernel, r), gate(kernel, z), gate(kernel, h)],
          recurrentKernels: [gate(recurrent, r), gate(recurrent, z), gate(recurrent, h)],
          biases: [tf.add(part(inputBias, r), part(recurrentBias, r)) as Tensor1D, tf.add(part(inputBias, z), part(recurrentBias, z)) as Tensor1D, part(inputBias, h)],
          candidateRecurrentBias: part(recurrentBias, h),
        };
      });
      return {
        cell: 'gru',
        units,
        inputSize: kernel.shape[0],
        resetAfter: true,
        activation: this.activation,
        ...converted,
      };
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
