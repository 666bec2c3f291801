// `seqlens eval`: evaluate a predictions file, or run a model on a dataset and evaluate its
// predictions, and print the report.
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { projectRootOf } from '../workspace/disk-provider';
import { BACKEND_NAMES, BackendUnavailableError } from '../evaluation/backend';
import { InputError, ValuesNeeded } from '../evaluation/errors';
import { DEFAULT_MAX_CURVE_POINTS, EngineOptions, evaluate } from '../evaluation/evaluate';
import { formatHtml } from '../evaluation/report/html';
import { formatJson, toJsonObject } from '../evaluation/report/json';
import { formatPanel, formatTaggingPanel, toPanelRun, toTaggingPanelRun } from '../evaluation/report/panel';
import type { DatasetOptions, Padding } from '../evaluation/datasets';
import type { LoadModelOptions } from '../evaluation/models';
import { parseInitValues } from '../evaluation/models/torch/constructor-sizes';
import { DEFAULT_RESIDUAL_SAMPLES } from '../evaluation/samples';
import { formatText } from '../evaluation/report/text';
import { formatTaggingHtml, formatTaggingJson, formatTaggingText, taggingJsonObject } from '../evaluation/report/tagging';
import { taggingFormatOf } from '../evaluation/sequence/readers/index';
import { evaluateTaggingFile, TaggingOptions } from '../evaluation/sequence/tagging/evaluate';
import { parseSchemeName, SCHEME_NAMES } from '../evaluation/sequence/tagging/schemes';
import { MAX_CALIBRATION_BINS } from '../evaluation/sequence/calibration';
import type { BackendName, Task } from '../evaluation/types';
import { CliIO, EXIT_OK, EXIT_USAGE } from './io';

export const EVAL_USAGE = `Usage: seqlens eval [options] FILE [--train TRAIN_FILE] [--format text|json|html] [--out PATH]
       seqlens eval --model MODEL --data DATA [--weights WEIGHTS] [--class CLASS]
                    [--predictions-out FILE.csv|FILE.jsonl] [--format text|json|html|panel]
       seqlens eval --model MODEL.py --verify-shapes [--class CLASS] [--weights WEIGHTS] [--init NAME=N,…]
                    [--inputs X.npy [--outputs-out Y.npy]]

Evaluates a predictions file (.csv, .tsv, .json, .jsonl, .npy, .npz) the way scikit-learn
would: confusion matrix, per-class precision/recall/F1, averages, accuracy, balanced accuracy,
MCC, Cohen's kappa; with scores, ROC/PR curves, AUC, average precision, log loss and a full
threshold sweep. Regression (MSE, MAE, RMSE, R²) and language models (cross-entropy,
perplexity) too. Columns are found by name; the options below override that.

Options:
  --format text|json|html   Report format (default text). (\`panel\` writes what the editor's
                            evaluation panel draws: the JSON report plus the threshold sweep,
                            the first rows of each matrix cell and a residual sample.)
  --out PATH                Write the report to PATH instead of standard output.
  --train FILE              A training-set predictions file: warns on an overfitting gap and on leakage.
  --task classification|regression|language-model
  --true COL                True labels (default: y_true, label, target, …).
  --pred COL                Predicted labels (default: y_pred, prediction, …).
  --score COL               Score or probability of the positive class (default: score, prob, …).
  --class-scores C1,C2,…    Per-class probability or logit columns (default: p_<class>, prob_<k>, logit_<class>).
  --logprob COL             Per-token log-probabilities (language models).
  --loss COL                Per-token losses, natural log (language models).
  --seq-id COL              The sequence each token belongs to (language models; default: seq_id,
                            sequence_id, sentence_id, doc_id, …): gives perplexity by sequence length.
  --key COL                 The sample column (text or id) compared with --train for leakage.
  --positive LABEL          The positive class for binary scores (default: the greater label).
  --threshold X             Predict positive when score >= X (default 0.5); given explicitly,
                            it also overrides a prediction column.
  --class-names N0,N1,…     Names for integer labels 0..K-1 (every one becomes a class); for a tagger
                            run with --model, its output classes in order (O,B-PER,I-PER,…), which
                            text tags in the data are matched against.
  --backend tfjs-node|wasm|cpu
                            Force a TensorFlow.js backend (default: the first that loads, in that order).
  --curve-points N          Points kept per ROC/PR curve in the report (default ${DEFAULT_MAX_CURVE_POINTS}; 0 keeps all).
  --calibration-bins N      Uniform bins of the reliability diagram, ECE and MCE (default 10).
  --length-buckets E1,E2,…  Edges of the sequence-length buckets, right-closed as pandas.cut, open at
                            both ends (default: the 20/40/60/80% length quantiles rounded to 1, 2 or
                            5 × a power of ten). Lengths come from a length/len/n_tokens column, a
                            token-id column (ids other than --pad-id) or the text split on whitespace;
                            for a language model, from the tokens of each sequence (--seq-id).

Sequence labelling (taggers: NER, POS, chunking), from a CoNLL file (.conll, .iob, .bio, …: token,
gold tag, predicted tag per line, a blank line between sentences) or JSON Lines with "tags" and
"predictions" arrays: token accuracy, entity-level precision/recall/F1 per type with micro, macro
and weighted averages as seqeval 1.2.2 computes them, the tag and entity-type confusion matrices.
  --task sequence-labelling Read FILE as a tagged file whatever its extension.
  --mode default|strict     seqeval's default mode (conlleval-compatible; the default), or strict
                            (also for a tagger run with --model).
  --scheme IOB1|IOB2|IOE1|IOE2|IOBES|BILOU
                            Strict mode's tagging scheme (default: detected from the gold tags, as
                            seqeval does; IOB1 and IOE1 are never detected).
  -h, --help                Show this help.

Running a model (TensorFlow.js, locally; no Python):
  --model MODEL             A TF.js model.json, a Keras .keras or .h5, or a PyTorch .py file whose
                            nn.Module class is analysed and rebuilt (Embedding, RNN/GRU/LSTM,
                            Linear, Dropout; the readout as forward writes it).
  --weights FILE            The state dict of a .py model: the .pt/.pth file torch.save(model.state_dict(),
                            PATH) writes (read without Python; nothing in it runs), or .safetensors.
  --state-dict-key KEY      The state dict to use in a .pt checkpoint that holds several
                            ({"encoder": …, "decoder": …}); nested keys joined by '.'.
  --class CLASS             The nn.Module class to run when the .py file defines several.
  --root DIR                The project folder of a .py model: classes and constants the file
                            imports from the project's other files are read there (default: the
                            nearest folder above the file with a project marker, else its own).
  --init NAME=VALUE,…       Constructor arguments of a .py model (numbers, True, False or strings),
                            a config object's fields (args.hidden_dim=128) and names the file reads
                            but never defines (n_class=26). What --init leaves out is solved from
                            the weights: the state dict the model's __init__ builds must equal the
                            saved one (an Embedding's weight gives vocab_size × embed_dim, an LSTM's
                            weight_ih_l0 4·hidden × input, its _l1/_reverse tensors the layers and
                            directions, rnn_type the string that builds them); what the weights
                            leave open is run twice and kept only when the outputs agree.
  --data DATA               Token ids (.jsonl {"ids": [...], "label": …}, .csv/.tsv with an ids
                            column, .npy (N, T) with labels beside it), raw text (.jsonl/.csv text
                            column) with --vocab, or features (.npy (N, T, F)). A tagger's labels
                            are one per token: .jsonl {"ids": [...], "tags": [...]} (or pre-split
                            words {"tokens": ["EU", …], "tags": ["B-ORG", …]} with --vocab), or an
                            (N, T) labels .npy beside the (N, T) ids. A model whose forward returns
                            one output per token is a tagger when the data has per-token labels (or
                            its classes are not its input vocabulary), else a language model.
  --labels FILE.npy         Labels of a .npy dataset (default: found beside it, e.g. x.npy → y.npy):
                            (N,) one per sequence, or (N, T) one per token for a tagger.
  --ignore-label L          A tagger's per-token label that is not scored (besides negative labels,
                            such as PyTorch's ignore_index -100, which never are): e.g. a label pad.
                            Tokens equal to the pad id (the Embedding's padding_idx, or --pad-id) are
                            not scored either; padded sequences without a known pad id are refused.
  --vocab FILE              Vocabulary for raw text: JSON {"word": id} or one token a line.
  --oov-id N                Id of unknown words (default: the vocabulary's <unk>/[UNK]/<oov> entry).
  --max-length N            Pad or truncate to N steps when the model does not fix a length
                            (default: the longest sample).
  --padding pre|post        Where padding goes (default pre, as Keras' pad_sequences).
  --truncating pre|post     Which end a long sequence loses (default pre).
  --pad-id N                Id written into padding (default 0).
  --batch-size N            Sequences per batch (default 256).
  --predictions-out FILE    Write index, y_true, y_pred and prob_<label> per sample as CSV; a language
                            model's per-token log-probabilities (CSV); a tagger's per-token tags as
                            tagged JSON Lines (.jsonl: seq_id, positions, tokens, tags, predictions),
                            which \`seqlens eval FILE.jsonl\` reads back to the same report.
  --verify-shapes           Build a .py model with random weights (or --weights, which also give
                            constructor sizes), run one dummy batch and print
                            each step's real output shape beside the statically inferred one.
  --inputs X.npy            With --verify-shapes: run this batch instead of a random one: integer ids
                            for a model whose first layer is an Embedding, else floats, batch first,
                            of whatever shape forward takes ((B, T), (B, T, F), one sequence (T), one
                            token (1)). Every pass runs on it, the first included: no dummy batch.
  --input NAME=FILE.npy     With --inputs: what forward's parameter NAME gets, batch first like X
                            (a decoder's input: --input trg=Y.npy); repeatable. Parameters not given
                            are told by where forward sends them: an initial state gets init_hidden
                            or zeros, lengths the padding's (every sequence whole when no pad id is
                            known: no padding_idx, no --pad-id), masks are built from the lengths,
                            an attention mask is None.
  --pad-id N                With --verify-shapes: the padding id forward's lengths and masks count.
  --outputs-out Y.npy       With --inputs: write the model's raw output for it (float32 .npy), to set
                            beside PyTorch's (np.load) on the same inputs and weights.

Exit status: 0 on success, 2 on bad input (the message names the file, the line and the cause).
`;

const TASKS: readonly Task[] = ['classification', 'regression', 'language-model'];
const FORMATS = ['text', 'json', 'html', 'panel'] as const;
/** Points per ROC/PR curve the panel draws unless --curve-points says otherwise: more than a plot's width needs. */
const PANEL_CURVE_POINTS = 500;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

interface ModelArgs {
  model: string;
  inputs?: string;
  /** --input NAME=FILE.npy: a forward parameter given by name (a decoder's input). */
  namedInputs?: Record<string, string>;
  outputsOut?: string;
  data?: string;
  load: LoadModelOptions;
  dataset: Omit<DatasetOptions, 'input'>;
  batchSize?: number;
  predictionsOut?: string;
  verifyShapes: boolean;
}

interface Parsed {
  file: string;
  format: Format;
  out?: string;
  options: EngineOptions;
  model?: ModelArgs;
  /** Set when the file is read as a tagged file (by --task sequence-labelling, --mode or --scheme). */
  tagging?: TaggingOptions & { forced: boolean };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function parseArgs(argv: string[]): Parsed | 'help' {
  const options: EngineOptions = {};
  const columns: NonNullable<EngineOptions['columns']> = {};
  let format: Format = 'text';
  let out: string | undefined;
  const files: string[] = [];
  const model: Partial<ModelArgs> & { load: LoadModelOptions; dataset: Omit<DatasetOptions, 'input'> } = { load: {}, dataset: {} };
  let verifyShapes = false;
  const tagging: TaggingOptions & { forced: boolean } = { forced: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('--') || arg === '--') {
      if (arg === '--') { files.push(...argv.slice(i + 1)); break; }
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
      i++;
      return next;
    };
    const list = () => value().split(',').map((s) => s.trim()).filter((s) => s !== '');
    const count = (least: number): number => {
      const text = value();
      const n = Number(text);
      if (!Number.isInteger(n) || n < least) throw new UsageError(`--${name} must be an integer of at least ${least}, not '${text}'`);
      return n;
    };
    const end = (): Padding => {
      const text = value();
      if (text !== 'pre' && text !== 'post') throw new UsageError(`--${name} must be pre or post, not '${text}'`);
      return text;
    };
    switch (name) {
      case 'model': model.model = value(); break;
      case 'data': model.data = value(); break;
      case 'weights': model.load.weightsPath = value(); break;
      case 'state-dict-key': model.load.stateDictKey = value(); break;
      case 'init': {
        const init = parseInitValues(value());
        if (typeof init === 'string') throw new UsageError(`--init takes NAME=VALUE,…: ${init}`);
        model.load.init = { ...model.load.init, ...init };
        break;
      }
      case 'class': model.load.className = value(); break;
      case 'root': model.load.root = value(); break;
      case 'labels': model.dataset.labelsPath = value(); break;
      case 'vocab': model.dataset.vocabPath = value(); break;
      case 'oov-id': model.dataset.oovId = count(0); break;
      case 'pad-id': model.dataset.padId = count(0); options.padId = model.dataset.padId; break;
      case 'ignore-label': {
        const text = value().trim();
        if (text === '') throw new UsageError('--ignore-label takes the label that marks a token not to score, e.g. -100 or O');
        model.dataset.ignoreLabel = text;
        break;
      }
      case 'length-buckets': {
        const edges = list().map(Number);
        if (edges.length === 0 || edges.some((e) => !Number.isFinite(e)) || edges.some((e, i) => i > 0 && e <= edges[i - 1])) {
          throw new UsageError('--length-buckets takes increasing numbers, e.g. 10,20,50,100');
        }
        options.lengthBuckets = edges;
        break;
      }
      case 'max-length': model.dataset.maxLength = count(1); break;
      case 'padding': model.dataset.padding = end(); break;
      case 'truncating': model.dataset.truncating = end(); break;
      case 'batch-size': model.batchSize = count(1); break;
      case 'predictions-out': model.predictionsOut = value(); break;
      case 'inputs': model.inputs = value(); break;
      case 'input': {
        const given = value();
        const eq = given.indexOf('=');
        const key = given.slice(0, eq).trim();
        if (eq <= 0 || !/^[A-Za-z_]\w*$/.test(key) || given.slice(eq + 1).trim() === '') throw new UsageError(`--input takes NAME=FILE.npy (a parameter of forward and its array), not '${given}'`);
        model.namedInputs = { ...(model.namedInputs ?? {}), [key]: given.slice(eq + 1).trim() };
        break;
      }
      case 'outputs-out': model.outputsOut = value(); break;
      case 'verify-shapes': verifyShapes = true; break;
      case 'format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be text, json, html or panel, not '${f}'`);
        format = f as Format;
        break;
      }
      case 'out': out = value(); break;
      case 'train': options.trainPath = value(); break;
      case 'task': {
        const t = value();
        if (t === 'sequence-labelling') { tagging.forced = true; break; }
        if (!(TASKS as readonly string[]).includes(t)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}, sequence-labelling, not '${t}'`);
        options.task = t as Task;
        break;
      }
      case 'mode': {
        const m = value();
        if (m !== 'default' && m !== 'strict') throw new UsageError(`--mode must be default or strict, not '${m}'`);
        tagging.mode = m;
        break;
      }
      case 'scheme': {
        const text = value();
        const scheme = parseSchemeName(text);
        if (!scheme) throw new UsageError(`--scheme must be one of ${SCHEME_NAMES.join(', ')}, not '${text}'`);
        tagging.scheme = scheme;
        break;
      }
      case 'true': columns.true = value(); break;
      case 'pred': columns.pred = value(); break;
      case 'score': columns.score = value(); break;
      case 'class-scores': columns.classScores = list(); break;
      case 'logprob': columns.logprob = value(); break;
      case 'loss': columns.loss = value(); break;
      case 'seq-id': columns.sequence = value(); break;
      case 'key': columns.key = value(); break;
      case 'positive': options.positiveLabel = value(); break;
      case 'threshold': {
        const text = value();
        const t = Number(text);
        if (text.trim() === '' || !Number.isFinite(t)) throw new UsageError(`--threshold must be a number, not '${text}'`);
        options.threshold = t;
        break;
      }
      case 'class-names': options.classNames = list(); break;
      case 'backend': {
        const b = value();
        if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, not '${b}'`);
        options.backend = b as BackendName;
        break;
      }
      case 'calibration-bins': {
        const text = value();
        const bins = Number(text);
        if (!Number.isInteger(bins) || bins < 1 || bins > MAX_CALIBRATION_BINS) throw new UsageError(`--calibration-bins must be an integer from 1 to ${MAX_CALIBRATION_BINS}, not '${text}'`);
        options.calibrationBins = bins;
        break;
      }
      case 'curve-points': {
        const text = value();
        const points = Number(text);
        if (!Number.isInteger(points) || points < 0 || points === 1) throw new UsageError(`--curve-points must be 0 (all) or an integer of at least 2, not '${text}'`);
        options.maxCurvePoints = points;
        break;
      }
      default:
        throw new UsageError(`unknown option --${name}`);
    }
  }
  if (Object.keys(columns).length > 0) options.columns = columns;
  const modelOnly = ['data', 'weights', 'state-dict-key', 'init', 'class', 'root', 'labels', 'vocab', 'oov-id', 'max-length', 'padding', 'truncating', 'batch-size', 'predictions-out', 'verify-shapes', 'inputs', 'input', 'outputs-out', 'ignore-label'];
  if (model.model === undefined) {
    const stray = modelOnly.find((o) => argv.some((a) => a === `--${o}` || a.startsWith(`--${o}=`)));
    if (stray) throw new UsageError(`--${stray} goes with --model MODEL`);
  } else {
    if (files.length > 0) throw new UsageError(`with --model, the data comes from --data, not ${files.join(', ')}`);
    if (options.trainPath) throw new UsageError('--train compares predictions files; it does not combine with --model');
    if (!verifyShapes && model.data === undefined) throw new UsageError('--model needs --data DATA (or --verify-shapes)');
    if (verifyShapes && !model.model.endsWith('.py')) throw new UsageError('--verify-shapes checks a PyTorch .py model');
    if (model.load.root !== undefined && !isFolder(model.load.root)) throw new UsageError(`--root must be a folder: '${model.load.root}'`);
    if (model.model.endsWith('.py')) model.load.root ??= projectRootOf(model.model);
    if ((model.inputs !== undefined || model.outputsOut !== undefined) && !verifyShapes) throw new UsageError('--inputs and --outputs-out go with --verify-shapes');
    if (model.namedInputs !== undefined && model.inputs === undefined) throw new UsageError('--input NAME=FILE.npy goes with --verify-shapes --inputs X.npy (the sequences)');
    if (model.outputsOut !== undefined && model.inputs === undefined) throw new UsageError('--outputs-out needs --inputs X.npy (the batch the outputs are for)');
    return { file: model.data ?? model.model, format, out, options, model: { ...model, model: model.model, verifyShapes }, tagging };
  }
  if (files.length === 0) throw new UsageError('no predictions file given (or run a model with --model MODEL --data DATA)');
  if (files.length > 1) throw new UsageError(`one predictions file at a time (got ${files.join(', ')}); use --train for a training file`);
  const taggingAsked = tagging.forced || tagging.mode !== undefined || tagging.scheme !== undefined;
  return { file: files[0], format, out, options, ...(taggingAsked ? { tagging } : {}) };
}

/** Runs the model on the data and formats the report, with the model summary beside it. */
async function modelReport(parsed: Parsed, args: ModelArgs, engine: EngineOptions): Promise<string> {
  // Loaded here so that evaluating a predictions file never loads the model runner.
  const models = await import('../evaluation/models');
  // The model runs in a child process of its own, watched for memory: whatever it does ends that
  // process, and this one reports it as file: cause.
  if (args.verifyShapes) {
    const check = await models.verifyShapesInWorker({
      path: args.model, className: args.load.className, weightsPath: args.load.weightsPath, stateDictKey: args.load.stateDictKey, init: args.load.init, root: args.load.root, backend: engine.backend,
      inputsPath: args.inputs, namedInputs: args.namedInputs, outputsPath: args.outputsOut, padId: args.dataset.padId,
    });
    return parsed.format === 'json' ? `${JSON.stringify(check, null, 2)}\n` : models.formatShapeCheck(check);
  }
  const evaluation = await models.evaluateModelInWorker({
    modelPath: args.model,
    dataPath: args.data!,
    load: args.load,
    dataset: args.dataset,
    run: { batchSize: args.batchSize },
    engine,
    predictionsOut: args.predictionsOut,
    tagging: { mode: parsed.tagging?.mode, scheme: parsed.tagging?.scheme, examples: parsed.format === 'panel' },
  });
  const { result, model, dataset } = evaluation;
  const modelJson = { ...model, dataset };
  const data = `Data: ${dataset.path}: ${dataset.n} sequences of ${dataset.length} steps${dataset.padded > 0 ? `, ${dataset.padded} padded` : ''}${dataset.truncated > 0 ? `, ${dataset.truncated} truncated` : ''}\n`;
  if (result.task === 'sequence-labelling') {
    switch (parsed.format) {
      case 'json': return `${JSON.stringify({ ...taggingJsonObject(result), model: modelJson }, null, 2)}\n`;
      case 'panel': return `${JSON.stringify({ ...toTaggingPanelRun(result), model: modelJson })}\n`;
      case 'html': return formatTaggingHtml(result).replace('<body>', `<body><pre class="model-summary">${escapeHtml(models.formatModelSummary(model))}</pre>`);
      default: return `${models.formatModelSummary(model)}${data}\n${formatTaggingText(result)}`;
    }
  }
  switch (parsed.format) {
    case 'json':
      return `${JSON.stringify({ ...toJsonObject(result), model: modelJson }, null, 2)}\n`;
    case 'panel':
      return `${JSON.stringify({ ...toPanelRun(result), model: modelJson })}\n`;
    case 'html':
      return formatHtml(result).replace('<body>', `<body><pre class="model-summary">${escapeHtml(models.formatModelSummary(model))}</pre>`);
    default:
      return `${models.formatModelSummary(model)}${data}\n${formatText(result)}`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function runEval(argv: string[], io: CliIO): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`seqlens eval: ${error.message}\n\n${EVAL_USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (parsed === 'help') {
    io.out(EVAL_USAGE);
    return EXIT_OK;
  }
  try {
    const options: EngineOptions = parsed.format === 'panel'
      ? { maxCurvePoints: PANEL_CURVE_POINTS, ...parsed.options, cellSamples: true, residualSamples: DEFAULT_RESIDUAL_SAMPLES }
      : parsed.options;
    let report: string;
    if (parsed.model) {
      report = await modelReport(parsed, parsed.model, options);
    } else if (parsed.tagging || taggingFormatOf(parsed.file)) {
      const { forced, ...taggingOptions } = parsed.tagging ?? { forced: false };
      const result = await evaluateTaggingFile(parsed.file, { ...taggingOptions, ...(forced && !taggingFormatOf(parsed.file) ? { format: 'conll' } : {}), examples: parsed.format === 'panel' });
      report = parsed.format === 'panel' ? formatTaggingPanel(result)
        : parsed.format === 'json' ? formatTaggingJson(result)
        : parsed.format === 'html' ? formatTaggingHtml(result)
        : formatTaggingText(result);
    } else {
      const result = await evaluate(parsed.file, options);
      report = parsed.format === 'json' ? formatJson(result)
        : parsed.format === 'html' ? formatHtml(result)
        : parsed.format === 'panel' ? formatPanel(result)
        : formatText(result);
    }
    if (parsed.out) {
      try {
        await writeFile(parsed.out, report);
      } catch (error) {
        io.err(`seqlens eval: cannot write ${parsed.out} (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
        return EXIT_USAGE;
      }
    } else {
      io.out(report);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError || error instanceof BackendUnavailableError) {
      io.err(`seqlens eval: ${error.message}\n`);
      // For editors: what to ask the user before running the model again with --init.
      if (error instanceof ValuesNeeded && (parsed.format === 'panel' || parsed.format === 'json')) {
        io.out(`${JSON.stringify({ valuesNeeded: { names: error.names, message: error.message, cause: error.cause } })}\n`);
      }
      return EXIT_USAGE;
    }
    throw error;
  }
}
