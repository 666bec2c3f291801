// KerasTuner (keras_tuner, formerly kerastuner): a tuner is made from a hypermodel, a function of a HyperParameters
// object that builds and compiles a Keras model, and its search(x, y, ...) builds that model and fits it with the
// arguments given to search, once per trial. The analysis runs one trial whose hyperparameters are not known.
import type { Value } from '../values/value';
import { UNKNOWN } from '../values/value';

/** The tuners whose first argument (or hypermodel=) is the hypermodel. */
const TUNER = /^(keras_tuner|kerastuner)(\.tuners)?\.(RandomSearch|Hyperband|BayesianOptimization|GridSearch|Tuner)$/;

export const TUNER_CLASS = 'keras_tuner.Tuner';
export const HYPERPARAMETERS_CLASS = 'keras_tuner.HyperParameters';

export function isTunerPath(path: string): boolean {
  return TUNER.test(path);
}

/** A tuner: what it holds is its hypermodel, a function or an instance with a build(hp) method. */
export function tunerOf(args: Value[], kwargs: Map<string, Value>): Value {
  const hypermodel = args[0] ?? kwargs.get('hypermodel');
  return hypermodel ? { kind: 'qualname', name: TUNER_CLASS, hypermodel } : UNKNOWN;
}

/** What a trial's hyperparameter gives: hp.Fixed(name, value) its value; Int, Float, Choice and Boolean a value not known. */
export function hyperParameterMethod(name: string, args: Value[], kwargs: Map<string, Value>): Value {
  if (name === 'Fixed') return args[1] ?? kwargs.get('value') ?? UNKNOWN;
  return UNKNOWN;
}
