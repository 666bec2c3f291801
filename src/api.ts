// Programmatic entry bundled as dist/api.js.
export { analyze, createAnalyzer } from './analysis';
export type { Analyzer, DocumentAnalysis } from './analysis';
export type { AnalysisResult, Finding, Fix, LayerSite, TensorSite, Range, Position, Severity } from './analysis/findings';
export { evaluate } from './evaluation';
export { evaluateModel, evaluateModelInWorker, verifyShapes, loadModel, formatModelSummary } from './evaluation/models';
