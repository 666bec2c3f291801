// The evaluation engine's public surface. Pure Node: no vscode import anywhere below.
export { evaluate, evaluateTable, DEFAULT_MAX_CURVE_POINTS } from './evaluate';
export type { EngineOptions } from './evaluate';
export { chooseBackend, BackendUnavailableError, BACKEND_NAMES } from './backend';
export { InputError } from './errors';
export { readPredictions, detectFormat } from './readers/index';
export { sweepPoint, sweepIndexAt } from './metrics/curves';
export { WARNING_CATALOGUE } from './warnings';
export { formatText } from './report/text';
export { formatJson, toJsonObject } from './report/json';
export { formatHtml } from './report/html';
export type * from './types';
