// `seqlens eval`: evaluate a predictions file and print the report.
import { writeFile } from 'node:fs/promises';
import { BACKEND_NAMES, BackendUnavailableError } from '../evaluation/backend';
import { InputError } from '../evaluation/errors';
import { DEFAULT_MAX_CURVE_POINTS, EngineOptions, evaluate } from '../evaluation/evaluate';
import { formatHtml } from '../evaluation/report/html';
import { formatJson } from '../evaluation/report/json';
import { formatPanel } from '../evaluation/report/panel';
import { DEFAULT_RESIDUAL_SAMPLES } from '../evaluation/samples';
import { formatText } from '../evaluation/report/text';
import type { BackendName, Task } from '../evaluation/types';
import { CliIO, EXIT_OK, EXIT_USAGE } from './io';

export const EVAL_USAGE = `Usage: seqlens eval [options] FILE [--train TRAIN_FILE] [--format text|json|html] [--out PATH]

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
  --key COL                 The sample column (text or id) compared with --train for leakage.
  --positive LABEL          The positive class for binary scores (default: the greater label).
  --threshold X             Predict positive when score >= X (default 0.5); given explicitly,
                            it also overrides a prediction column.
  --class-names N0,N1,…     Names for integer labels 0..K-1 (every one becomes a class).
  --backend tfjs-node|wasm|cpu
                            Force a TensorFlow.js backend (default: the first that loads, in that order).
  --curve-points N          Points kept per ROC/PR curve in the report (default ${DEFAULT_MAX_CURVE_POINTS}; 0 keeps all).
  -h, --help                Show this help.

Exit status: 0 on success, 2 on bad input (the message names the file, the line and the cause).
`;

const TASKS: readonly Task[] = ['classification', 'regression', 'language-model'];
const FORMATS = ['text', 'json', 'html', 'panel'] as const;
/** Points per ROC/PR curve the panel draws unless --curve-points says otherwise: more than a plot's width needs. */
const PANEL_CURVE_POINTS = 500;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

interface Parsed {
  file: string;
  format: Format;
  out?: string;
  options: EngineOptions;
}

function parseArgs(argv: string[]): Parsed | 'help' {
  const options: EngineOptions = {};
  const columns: NonNullable<EngineOptions['columns']> = {};
  let format: Format = 'text';
  let out: string | undefined;
  const files: string[] = [];
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
    switch (name) {
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
        if (!(TASKS as readonly string[]).includes(t)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}, not '${t}'`);
        options.task = t as Task;
        break;
      }
      case 'true': columns.true = value(); break;
      case 'pred': columns.pred = value(); break;
      case 'score': columns.score = value(); break;
      case 'class-scores': columns.classScores = list(); break;
      case 'logprob': columns.logprob = value(); break;
      case 'loss': columns.loss = value(); break;
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
  if (files.length === 0) throw new UsageError('no predictions file given');
  if (files.length > 1) throw new UsageError(`one predictions file at a time (got ${files.join(', ')}); use --train for a training file`);
  if (Object.keys(columns).length > 0) options.columns = columns;
  return { file: files[0], format, out, options };
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
    const result = await evaluate(parsed.file, options);
    const report = parsed.format === 'json' ? formatJson(result)
      : parsed.format === 'html' ? formatHtml(result)
      : parsed.format === 'panel' ? formatPanel(result)
      : formatText(result);
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
      return EXIT_USAGE;
    }
    throw error;
  }
}
