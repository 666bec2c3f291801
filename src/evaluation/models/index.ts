// The local model runner's public surface: load a model (TF.js model.json, Keras .keras/.h5, or
// a PyTorch class from a .py file with .pt/.pth or .safetensors weights), check a dataset against it, run it
// in batches, and hand the predictions to the evaluation engine. Pure Node: no vscode import.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { createAnalyzer } from '../../analysis';
import type { Analyzer } from '../../analysis';
import { chooseBackend } from '../backend';
import { DatasetOptions, openDataset, SequenceDataset } from '../datasets';
import { InputError } from '../errors';
import { EngineOptions, evaluate, evaluateTable } from '../evaluate';
import type { BackendName, EvaluationResult } from '../types';
import { loadKerasModel } from './keras/load';
import { checkLabelsAgainstClasses, predictionTable, writePredictionsCsv } from './predictions';
import { ModelPredictions, runModel, RunOptions } from './run';
import { PerStepOutput, scoreLanguageModel, tagTokens, writeTaggedJsonl, writeTokenScoresCsv } from './per-step';
import { evaluateTaggingFile, TaggingOptions } from '../sequence/tagging/evaluate';
import type { TaggingResult } from '../sequence/tagging/types';
import { activeBackend, useBackend } from './tf';
import { loadTfjsModel } from './tfjs/load';
import type { InitValues } from './torch/constructor-sizes';
import { loadTorchModel } from './torch/model';
import { readStateDict } from './weights';
import { Workspaces } from '../../workspace/disk-provider';
import type { ModelSummary, SequenceModel } from './types';

export type { ModelSummary, SequenceModel, InputSpec, LayerSummaryRow, ModelFormat } from './types';
export type { ModelPredictions, RunOptions } from './run';
export { runModel, CancelledError, DEFAULT_BATCH_SIZE } from './run';
export { verifyShapes, formatShapeCheck } from './verify-shapes';
export type { ShapeCheck, ShapeCheckRow } from './verify-shapes';
export { writePredictionsCsv, predictionTable } from './predictions';

export interface LoadModelOptions {
  /** The state dict of a .py model: .pt/.pth (torch.save) or .safetensors. */
  weightsPath?: string;
  /** Which state dict of a .pt checkpoint holding several (`model`, `model.encoder`). */
  stateDictKey?: string;
  /** Constructor arguments of a .py model (--init); what they leave open is taken from the weights. */
  init?: InitValues;
  /** The nn.Module class of a .py model. */
  className?: string;
  /** The project folder of a .py model: what the file imports from the project's other files is read there. */
  root?: string;
  analyzer?: Analyzer;
}

export function modelFormatOf(path: string): 'tfjs' | 'keras' | 'h5' | 'torch' | null {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'tfjs';
  if (extension === '.keras') return 'keras';
  if (extension === '.h5' || extension === '.hdf5') return 'h5';
  if (extension === '.py') return 'torch';
  return null;
}

/** Loads a model on the active TensorFlow.js backend (see `useBackend`). */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<SequenceModel> {
  const format = modelFormatOf(path);
  switch (format) {
    case 'tfjs':
      return loadTfjsModel(path);
    case 'keras':
    case 'h5':
      return loadKerasModel(path);
    case 'torch': {
      if (!options.weightsPath) throw new InputError(path, null, 'a PyTorch model needs its weights: pass --weights MODEL.pt, the file torch.save(model.state_dict(), "MODEL.pt") writes (or a .safetensors state dict)');
      let source: string;
      try {
        source = readFileSync(path, 'utf8');
      } catch (error) {
        throw new InputError(path, null, `cannot read the model (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      const weights = await readStateDict(options.weightsPath, { stateDictKey: options.stateDictKey });
      const analyzer = options.analyzer ?? await createAnalyzer();
      return loadTorchModel({ path, source, analyzer, className: options.className, weights, init: options.init, workspace: options.root !== undefined ? new Workspaces().for(options.root) : undefined });
    }
    default:
      throw new InputError(path, null, `unknown model format '${extname(path)}': use a TF.js model.json, a Keras .keras or .h5, or a PyTorch .py with --weights FILE.pt`);
  }
}

/** Keras' summary() table: layer (type), output shape, parameters; then totals. */
export function formatModelSummary(summary: ModelSummary): string {
  const rows = summary.layers.map((l) => [`${l.name} (${l.kind})`, l.outputShape, l.params.toLocaleString('en-US')]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('   ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 6);
  const input = summary.input.kind === 'ids'
    ? `token ids (None, ${summary.input.length ?? 'None'})${summary.input.vocabulary !== null ? `, ids below ${summary.input.vocabulary}` : ''}`
    : `features (None, ${summary.input.length ?? 'None'}, ${summary.input.features})`;
  const output = summary.outputActivation === 'logits'
    ? `${summary.outputUnits} logit${summary.outputUnits === 1 ? '' : 's'} (SeqLens applies ${summary.outputUnits === 1 ? 'a sigmoid' : 'softmax'})`
    : `${summary.outputUnits} unit${summary.outputUnits === 1 ? '' : 's'}, ${summary.outputActivation}`;
  return [
    `Model: "${summary.name}" (${summary.format}, ${summary.path})`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${summary.totalParams.toLocaleString('en-US')}`,
    `Input: ${input}`,
    `Output: ${output}`,
    ...(summary.readouts && summary.readouts.length > 0 ? [`Readout: ${summary.readouts.join('; ')}`] : []),
    ...summary.notes.map((n) => `Note: ${n}`),
  ].join('\n') + '\n';
}

export interface ModelEvaluationOptions {
  modelPath: string;
  dataPath: string;
  load?: LoadModelOptions;
  dataset?: Omit<DatasetOptions, 'input'>;
  run?: RunOptions;
  engine?: EngineOptions;
  backend?: BackendName;
  /** Also write the predictions CSV here (a tagger's: tagged JSON Lines). */
  predictionsOut?: string;
  /** A tagger's evaluation: seqeval's mode and scheme, and whether to keep example sentences (the panel). */
  tagging?: Pick<TaggingOptions, 'mode' | 'scheme' | 'examples'>;
}

export interface DatasetSummary {
  path: string;
  format: SequenceDataset['format'];
  kind: SequenceDataset['kind'];
  n: number;
  length: number;
  truncated: number;
  padded: number;
}

export interface ModelEvaluation {
  /** A tagger's run is a sequence-labelling result; every other run the evaluation engine's. */
  result: EvaluationResult | TaggingResult;
  model: ModelSummary;
  dataset: DatasetSummary;
  predictions: ModelPredictions;
  backend: BackendName;
}

/** Model + dataset → the evaluation engine's result, the model summary and the predictions. */
export async function evaluateModel(options: ModelEvaluationOptions): Promise<ModelEvaluation> {
  const started = performance.now();
  await useBackend(options.backend ?? options.engine?.backend);
  const model = await loadModel(options.modelPath, options.load);
  try {
    if (model.summary.perStep) return await evaluatePerStep(model, options, started);
    const dataset = await openDataset(options.dataPath, { ...options.dataset, input: model.summary.input });
    if (dataset.tokenLabels) throw new InputError(options.dataPath, null, `the labels are one per token, but ${model.summary.name} returns one output per sequence (${model.summary.outputUnits} class${model.summary.outputUnits === 1 ? '' : 'es'}): a tagger's forward returns one output per token`);
    const predictions = await runModel(model, dataset, { ...options.run, classNames: options.run?.classNames ?? options.engine?.classNames });
    checkLabelsAgainstClasses(predictions, options.dataPath);
    if (options.predictionsOut) {
      try {
        await writePredictionsCsv(predictions, options.predictionsOut);
      } catch (error) {
        throw new InputError(options.predictionsOut, null, `cannot write the predictions (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    const backend = activeBackend();
    const counter = await chooseBackend(backend);
    // Class names were applied to the predictions already; the engine sees the labels themselves.
    const result = await evaluateTable(predictionTable(predictions, options.dataPath, dataset.format), counter, { ...options.engine, classNames: undefined });
    result.source.elapsedMs = performance.now() - started;
    return {
      result,
      model: model.summary,
      dataset: datasetSummary(dataset),
      predictions,
      backend,
    };
  } finally {
    model.dispose();
  }
}

const datasetSummary = (dataset: SequenceDataset): DatasetSummary => ({ path: dataset.path, format: dataset.format, kind: dataset.kind, n: dataset.n, length: dataset.length, truncated: dataset.truncated, padded: dataset.padded });
const NO_PREDICTIONS: Omit<ModelPredictions, 'elapsedMs'> = { n: 0, classes: [], probabilities: new Float32Array(0), predicted: new Int32Array(0), labels: [] };

/**
 * A model with one output per token. With per-token labels in the data it is a tagger, scored token by
 * token; without them, an output over its own vocabulary is a language model, every token scored from
 * the ones before it. Either is written as the sequence evaluation's per-token file and evaluated as that
 * file is, so `seqlens eval` on the --predictions-out file gives the same report.
 */
async function evaluatePerStep(model: SequenceModel, options: ModelEvaluationOptions, started: number): Promise<ModelEvaluation> {
  const perStep = model.summary.perStep!;
  // --pad-id names the pad id when the model does not; the data is padded with it either way.
  const padId = options.dataset?.padId ?? perStep.padId;
  const dataset = await openDataset(options.dataPath, { tagNames: options.engine?.classNames, ...options.dataset, padId: padId ?? undefined, input: model.summary.input, unlabelled: true });
  const vocabulary = model.summary.input.vocabulary;
  if (dataset.tokenLabels) return evaluateTagger(model, dataset, { ...perStep, padId }, options, started);
  if (perStep.task === 'tagging') {
    throw new InputError(options.dataPath, null, `${model.summary.name}.forward returns one output per token over ${perStep.classes} classes, not its input vocabulary${vocabulary !== null ? ` of ${vocabulary}` : ''}: a tagger, scored against one gold label per token. Give them as a "tags" array beside each sample's ids (JSONL: {"ids": [...], "tags": [...]}, or "tokens" words with --vocab), or as an (N, T) labels .npy beside the (N, T) ids (--labels)`);
  }
  const scores = await scoreLanguageModel(model, dataset, { ...perStep, padId }, options.run);
  const out = options.predictionsOut ?? join(mkdtempSync(join(tmpdir(), 'seqlens-')), 'tokens.csv');
  try {
    try {
      await writeTokenScoresCsv(scores, out);
    } catch (error) {
      throw new InputError(out, null, `cannot write the predictions (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const backend = activeBackend();
    const result = await evaluate(out, { ...options.engine, backend, task: 'language-model' });
    if (!options.predictionsOut) result.source.path = options.dataPath;
    result.source.elapsedMs = performance.now() - started;
    const notes = [
      `a language model: forward returns one output per token over its input vocabulary (${perStep.classes}) and the data has no per-token labels, so each token is scored from the outputs at the step before it (${scores.count} tokens in ${dataset.n} sequences)`,
      ...paddingNotes(dataset, padId, options),
    ];
    return { result, model: { ...model.summary, notes: [...model.summary.notes, ...notes] }, dataset: datasetSummary(dataset), predictions: { ...NO_PREDICTIONS, elapsedMs: performance.now() - started }, backend };
  } finally {
    if (!options.predictionsOut) rmSync(dirname(out), { recursive: true, force: true });
  }
}

function paddingNotes(dataset: SequenceDataset, padId: number | null, options: ModelEvaluationOptions): string[] {
  if (padId === null) return [];
  return [`padding left out: ${dataset.padded} sequence${dataset.padded === 1 ? '' : 's'} padded with id ${padId}${options.dataset?.padId === undefined ? ' (the input Embedding\'s padding_idx)' : ' (--pad-id)'}; tokens equal to it are not scored`];
}

/** A tagger: every token's argmax beside its gold label, written as tagged JSON Lines and evaluated as that file is. */
async function evaluateTagger(model: SequenceModel, dataset: SequenceDataset, perStep: PerStepOutput, options: ModelEvaluationOptions, started: number): Promise<ModelEvaluation> {
  const given = options.dataset?.tagNames ?? options.engine?.classNames;
  if (given && given.length !== perStep.classes) throw new InputError(options.dataPath, null, `--class-names names ${given.length} classes, but ${model.summary.name} returns ${perStep.classes} outputs per token`);
  const names = given ?? Array.from({ length: perStep.classes }, (_, i) => String(i));
  if (options.predictionsOut && !/\.(jsonl|ndjson)$/i.test(options.predictionsOut)) throw new InputError(options.predictionsOut, null, 'a tagger\'s per-token predictions are written as tagged JSON Lines (one sequence a line, "tags" and "predictions"): name the file .jsonl');
  const tokens = await tagTokens(model, dataset, perStep, options.run);
  const out = options.predictionsOut ?? join(mkdtempSync(join(tmpdir(), 'seqlens-')), 'tags.jsonl');
  try {
    try {
      await writeTaggedJsonl(tokens, names, out);
    } catch (error) {
      throw new InputError(out, null, `cannot write the predictions (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const result = await evaluateTaggingFile(out, { ...options.tagging, format: 'jsonl' });
    if (!options.predictionsOut) result.source.path = options.dataPath;
    result.source.elapsedMs = performance.now() - started;
    const why = perStep.task === 'tagging'
      ? `forward returns one output per token over ${perStep.classes} classes, not its input vocabulary${model.summary.input.vocabulary !== null ? ` of ${model.summary.input.vocabulary}` : ''}, and the data gives one label per token`
      : `the data gives one label per token (forward's ${perStep.classes} outputs per token match the input vocabulary, which alone would make it a language model)`;
    const left = [
      tokens.padding > 0 ? `${tokens.padding} padding token${tokens.padding === 1 ? '' : 's'} (id ${perStep.padId})` : '',
      tokens.ignored > 0 ? `${tokens.ignored} token${tokens.ignored === 1 ? '' : 's'} labelled to ignore (a negative label such as -100${options.dataset?.ignoreLabel !== undefined ? `, or ${options.dataset.ignoreLabel}` : ''})` : '',
    ].filter(Boolean);
    const notes = [
      `a tagger: ${why}; each token's predicted class is its output's argmax (${tokens.count} tokens in ${dataset.n - tokens.empty} sequences scored${left.length > 0 ? `; left out: ${left.join(' and ')}` : ''})`,
      ...paddingNotes(dataset, perStep.padId, options),
      ...(given ? [] : [`the classes have no names (--class-names O,B-PER,…): tags are the class indices, so entity scores read them as seqeval would read such tags`]),
    ];
    return { result, model: { ...model.summary, notes: [...model.summary.notes, ...notes] }, dataset: datasetSummary(dataset), predictions: { ...NO_PREDICTIONS, elapsedMs: performance.now() - started }, backend: activeBackend() };
  } finally {
    if (!options.predictionsOut) rmSync(dirname(out), { recursive: true, force: true });
  }
}

export { evaluateModelInWorker, verifyShapesInWorker } from './worker-client';
export type { WorkerRunOptions } from './worker-client';
