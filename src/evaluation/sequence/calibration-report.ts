// The calibration section of a classification result: per class (the positive class for binary
// scores), top label, and what temperature scaling fitted on the same data would give.
import type { EvalWarning, Label } from '../types';
import { percent, warning } from '../warnings';
import { brierScore, ClassCalibration, reliability, topLabel, TopLabelCalibration } from './calibration';
import { fitTemperature, scaledTopLabel, TemperatureFit } from './temperature';

export interface TemperatureScaling extends TemperatureFit {
  /** Top-label ECE after dividing the logits by the fitted temperature. */
  eceAfter: number;
  /** Always true: the temperature was fitted on the evaluated data itself, so the ECE after it is optimistic. */
  fittedOnThisData: true;
}

export interface CalibrationResult {
  bins: number;
  perClass: ClassCalibration[];
  topLabel: TopLabelCalibration | null;
  temperature: TemperatureScaling | null;
}

/** Top-label ECE from which, with confidence above accuracy by as much, the model is called overconfident. */
export const OVERCONFIDENCE_ECE = 0.05;
export const OVERCONFIDENCE_GAP = 0.05;

/**
 * columns: probabilities per class in sorted class order; truthColumn[i]: the true class's column
 * (-1 when the true class has no column); scored: the columns to report one versus rest.
 */
export function calibrationOf(columns: { label: Label; values: ArrayLike<number> }[], truthColumn: Int32Array, scored: number[], bins: number): CalibrationResult {
  const perClass = scored.map((c) => {
    const positive = (i: number) => truthColumn[i] === c;
    return { label: columns[c].label, ...reliability(columns[c].values, positive, bins), brier: brierScore(columns[c].values, positive) };
  });
  if (columns.length < 2 || truthColumn.some((c) => c < 0)) return { bins, perClass, topLabel: null, temperature: null };
  const values = columns.map((c) => c.values);
  const top = topLabel(values, truthColumn, bins);
  // The logits are log(p), read row by row: no copy of the scores is held, which keeps 10 M rows in budget.
  const logits = { columns: values, probabilities: true };
  const fit = fitTemperature(logits, truthColumn);
  const eceAfter = fit.temperature === null ? NaN : scaledTopLabel(logits, fit.temperature, truthColumn, bins).ece;
  return { bins, perClass, topLabel: top, temperature: { ...fit, eceAfter, fittedOnThisData: true } };
}

export function calibrationWarnings(calibration: CalibrationResult): EvalWarning[] {
  const top = calibration.topLabel;
  if (!top || !(top.ece >= OVERCONFIDENCE_ECE) || !(top.meanConfidence - top.accuracy >= OVERCONFIDENCE_GAP)) return [];
  const t = calibration.temperature;
  const after = t && t.temperature !== null ? ` Temperature scaling fitted on this same data (T = ${t.temperature.toFixed(2)}) would bring the ECE to ${t.eceAfter.toFixed(3)}; fit T on a validation set to know what it really gives.` : '';
  return [warning('SLE311', `Mean confidence is ${percent(top.meanConfidence)} but accuracy is ${percent(top.accuracy)}; top-label ECE ${top.ece.toFixed(3)} over ${calibration.bins} bins.${after}`)];
}
