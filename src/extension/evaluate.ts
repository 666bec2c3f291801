// `SeqLens: Evaluate Model`: find the predictions file, evaluate it off the extension host's thread,
// and show the result in the evaluation panel beside the editor.
//
// Which file: the one passed in (Explorer context menu, tests), else the predictions file in the
// active editor, else the user picks one (the last choice of this workspace first). The evaluation
// runs the bundled CLI (dist/cli.js eval --format panel) in a child Node process rather than
// importing the engine: TensorFlow.js is large and slow to load and must never enter the extension
// host. The notification's Cancel kills the child.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelRun } from '../evaluation/report/panel';
import type { ModelSummary } from '../server/protocol';
import { describeError, type Log } from './log';
import { EvaluationPanels } from './panel/evaluation-panel';
import { formatShapeCheckLog, toShapeCheckView, type ShapeCheckView } from './panel/shape-check';
import { checkInitAnswer, initOf, initTemplate, parseValuesNeeded, withInit } from './init-values';

export const EVALUATE_MODEL_COMMAND = 'seqlens.evaluateModel';
export const EVALUATE_FILE_COMMAND = 'seqlens.evaluatePredictions';
export const VERIFY_SHAPES_COMMAND = 'seqlens.verifyShapes';
/** Prediction tables, and tagged files (CoNLL, as CONLL_EXTENSIONS in src/evaluation/sequence/readers). */
export const PREDICTION_EXTENSIONS = ['csv', 'tsv', 'json', 'jsonl', 'npy', 'npz', 'conll', 'conlleval', 'iob', 'iob1', 'iob2', 'bio', 'bioes', 'iobes', 'bilou'];
/** The state dict saved beside a model's .py file (model.pt, model.pth or model.safetensors), if any. */
function weightsBeside(modelPath: string): string | undefined {
  return ['.pt', '.pth', '.safetensors'].map((ext) => modelPath.replace(/\.py$/i, ext)).find((p) => existsSync(p));
}

/** What `seqlens eval --model` runs: a PyTorch .py (with .pt/.pth or .safetensors weights), Keras .keras/.h5, or a TF.js model.json. */
const MODEL_FILE = /\.(py|keras|h5)$|(^|[\\/])model\.json$/i;
const DATASET_EXTENSIONS = ['jsonl', 'csv', 'tsv', 'npy'];
const LAST_CHOICE_KEY = 'seqlens.evaluate.recentPredictions';
const RECENT_LIMIT = 5;
/**
 * How long the command waits for the panel to say it has drawn the result before returning anyway.
 * The panel says so after its next paint, or at once when it is hidden; this bound only keeps a
 * webview that never answers (closed while loading, its script failed) from holding the result, and
 * it stays well under the 30 s a caller such as the editor suite gives the whole command.
 */
const RENDER_TIMEOUT_MS = 10_000;
/** What is kept of the evaluation child's output. */
const MAX_CHILD_STDOUT = 512 * 1024 * 1024;
const MAX_CHILD_STDERR = 64 * 1024;

export interface EvalOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The run the panel shows, when the evaluation succeeded. */
  run?: PanelRun;
  /** Milliseconds from the command to the panel's first paint of the result (undefined if it did not report). */
  commandToRenderedMs?: number;
  /** Milliseconds the child process took, start to exit. */
  evaluationMs?: number;
  /** The model that ran, when a model was evaluated on a dataset. */
  model?: unknown;
  cancelled?: boolean;
}

export interface ShapeCheckOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The check the panel shows, when it ran. */
  check?: ShapeCheckView;
  /** Milliseconds from the command to the panel's first paint of the check (undefined if it did not report). */
  commandToRenderedMs?: number;
  cancelled?: boolean;
}

export function isPredictionsFile(uri: vscode.Uri): boolean {
  return PREDICTION_EXTENSIONS.includes(path.extname(uri.path).slice(1).toLowerCase());
}

export function runEvalCli(cliPath: string, args: string[], cwd: string | undefined, token?: vscode.CancellationToken): Promise<EvalOutcome> {
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, [cliPath, 'eval', ...args], {
      cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let cancelled = false;
    // Output is capped: the panel's JSON is large but bounded; anything past the caps is dropped
    // (and the JSON then fails to parse, which is reported).
    let stdoutBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes + chunk.length <= MAX_CHILD_STDOUT) stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_CHILD_STDERR) stderr += chunk.slice(0, MAX_CHILD_STDERR - stderr.length);
    });
    const cancel = token?.onCancellationRequested(() => {
      cancelled = true;
      child.kill();
    });
    child.on('error', (error) => {
      cancel?.dispose();
      reject(error);
    });
    child.on('close', (exitCode) => {
      cancel?.dispose();
      resolve({ exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr, cancelled });
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

/** The predictions file in the active editor (text, or a binary .npy/.npz shown by a custom editor). */
function activePredictionsFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const candidates = [
    vscode.window.activeTextEditor?.document.uri,
    input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined,
  ];
  return candidates.find((uri): uri is vscode.Uri => uri !== undefined && uri.scheme === 'file' && isPredictionsFile(uri));
}

const NOT_PREDICTIONS = /(^|[\\/])(package(-lock)?|tsconfig[^\\/]*|jsconfig|\.eslintrc|launch|settings|tasks|extensions|composer|angular|manifest)\.json$/i;

export class EvaluationFlow implements vscode.Disposable {
  readonly panels: EvaluationPanels;
  private readonly cliPath: string;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    /** The file's model classes, from the language server's analysis. */
    private readonly models: (file: vscode.Uri) => Promise<ModelSummary[]>,
  ) {
    this.cliPath = path.join(context.extensionPath, 'dist', 'cli.js');
    this.panels = new EvaluationPanels(context.extensionUri, log, {
      evaluate: async (file) => (await this.evaluate(file)).run,
      evaluateArgs: async (args, name) => (await this.evaluateArgs(args, name)).run,
      pickAndEvaluate: async (title) => {
        const file = await this.pickPredictionsFile(title);
        if (!file) return undefined;
        return (file instanceof vscode.Uri ? await this.evaluate(file) : await this.evaluateArgs(file.args, file.name)).run;
      },
    }, context.workspaceState);
  }

  /** The command: resolve the file, evaluate it, show the panel; resolves once the panel has drawn it. */
  async run(uri?: vscode.Uri, className?: string, predictions?: vscode.Uri): Promise<EvalOutcome | undefined> {
    const started = performance.now();
    if (!vscode.workspace.isTrusted) {
      await explainRestrictedMode();
      return undefined;
    }
    const model = typeof className === 'string' ? className : 'the model';
    const given = predictions ?? (uri instanceof vscode.Uri && isPredictionsFile(uri) ? uri : undefined);
    const modelFile = uri instanceof vscode.Uri && uri.scheme === 'file' && MODEL_FILE.test(uri.fsPath) ? uri : undefined;
    const choice = given ?? activePredictionsFile() ?? (await this.pickPredictionsFile(`SeqLens: predictions file for ${model}`, uri, modelFile && { file: modelFile, className: typeof className === 'string' ? className : undefined }));
    if (!choice) return undefined;
    let outcome: EvalOutcome;
    if (choice instanceof vscode.Uri) {
      this.log.info(`evaluate ${model}${uri && uri !== choice ? ` (${uri.toString(true)})` : ''} with predictions file ${choice.fsPath}`);
      this.panels.open();
      outcome = await this.evaluate(choice, uri);
    } else {
      this.log.info(`run ${model} (${choice.args.join(' ')})`);
      this.panels.open();
      outcome = await this.evaluateArgs(choice.args, choice.name, uri);
    }
    if (outcome.run) {
      let timer: NodeJS.Timeout | undefined;
      const rendered = await Promise.race([
        this.panels.show([outcome.run]),
        new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), RENDER_TIMEOUT_MS); }),
      ]);
      clearTimeout(timer);
      if (rendered !== undefined) outcome.commandToRenderedMs = performance.now() - started;
    }
    return outcome;
  }

  /**
   * "SeqLens: Verify Shapes": builds the PyTorch model of a .py file (the given one, else the active
   * editor's) in TensorFlow.js with random weights (or the state dict beside it) in a child process, runs one dummy batch, and
   * shows each step's real output shape beside the inferred one in the panel, and in the log.
   */
  async verifyShapes(uri?: vscode.Uri, className?: string): Promise<ShapeCheckOutcome | undefined> {
    const started = performance.now();
    if (!vscode.workspace.isTrusted) {
      await explainRestrictedMode();
      return undefined;
    }
    const active = vscode.window.activeTextEditor?.document;
    const file = uri instanceof vscode.Uri ? uri : active && active.languageId === 'python' ? active.uri : undefined;
    if (!file || file.scheme !== 'file' || !/\.py$/i.test(file.fsPath)) {
      void vscode.window.showInformationMessage('SeqLens: Verify Shapes checks a PyTorch model: open its .py file (or use the Verify shapes lens above the model class).');
      return undefined;
    }
    // Unsaved edits would not be what the child process reads.
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    if (document?.isDirty) await document.save();
    if (typeof className !== 'string') {
      // From the palette: a file with several model classes asks which one, as the lens would have said.
      const classes = await this.models(file).catch((error: unknown) => (this.log.warn(`the model classes of ${file.fsPath} are unknown: ${describeError(error)}`), []));
      if (classes.length > 1) {
        const pick = await vscode.window.showQuickPick(classes.map((c) => ({ label: c.className, description: `line ${c.range.start.line + 1}` })), { title: 'SeqLens: verify the shapes of which model?' });
        if (!pick) return undefined;
        className = pick.label;
      }
    }
    const name = typeof className === 'string' ? className : path.basename(file.fsPath);
    const args = ['--model', file.fsPath];
    if (typeof className === 'string') args.push('--class', className);
    // A state dict beside the model gives the constructor sizes its file leaves open.
    const weights = weightsBeside(file.fsPath);
    if (weights) args.push('--weights', weights);
    args.push('--verify-shapes', '--format', 'json');
    this.log.info(`verify shapes of ${name} (${args.join(' ')})`);
    this.panels.open();
    this.panels.status({ type: 'busy', text: `Verifying the shapes of ${name}…` });
    const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
    let outcome: ShapeCheckOutcome;
    for (let run = args; ;) {
      try {
        outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `SeqLens: verifying the shapes of ${name}`, cancellable: true },
          (_progress, token) => runEvalCli(this.cliPath, run, folder?.uri.fsPath, token),
        );
      } catch (error) {
        this.log.error(`seqlens eval --verify-shapes could not start: ${describeError(error)}`);
        this.panels.status({ type: 'error', message: `Could not start the shape check: ${String(error)}` });
        return { exitCode: null, stdout: '', stderr: String(error) };
      }
      // Values the file and the weights leave open: asked for, then the check runs again with them.
      const again = outcome.exitCode === 2 && !outcome.cancelled ? await this.askValues(outcome.stdout, run, name) : undefined;
      if (!again) break;
      run = again;
      this.panels.status({ type: 'busy', text: `Verifying the shapes of ${name}…` });
    }
    if (outcome.stderr.trim()) this.log.warn(`seqlens eval --verify-shapes messages:\n${outcome.stderr.trimEnd()}`);
    if (outcome.cancelled) {
      this.panels.status({ type: 'error', message: `Shape check of ${name} cancelled.` });
      return outcome;
    }
    if (outcome.exitCode === 0) {
      let printed: unknown;
      try {
        printed = JSON.parse(outcome.stdout);
      } catch (error) {
        printed = undefined;
        outcome.stderr += `\nthe shape check printed something that is not JSON (${String(error)})`;
      }
      const check = toShapeCheckView(printed, file.fsPath);
      if (check) {
        outcome.check = check;
        this.log.info(`shape check:\n${formatShapeCheckLog(check)}`);
        let timer: NodeJS.Timeout | undefined;
        const rendered = await Promise.race([
          this.panels.showShapeCheck(check),
          new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), RENDER_TIMEOUT_MS); }),
        ]);
        clearTimeout(timer);
        if (rendered !== undefined) outcome.commandToRenderedMs = performance.now() - started;
        if (check.mismatches > 0) {
          void vscode.window.showWarningMessage(`SeqLens: ${check.mismatches} inferred shape(s) of ${check.className} differ from the real ones; see the panel.`);
        }
        return outcome;
      }
      if (printed !== undefined) outcome.stderr += '\nthe shape check printed JSON that is not a shape check';
    }
    const reason = firstLine(outcome.stderr) || `exit code ${outcome.exitCode}`;
    this.panels.status({ type: 'error', message: `Could not verify the shapes of ${name}: ${reason}` });
    const showLog = 'Show Log';
    void vscode.window.showErrorMessage(`SeqLens could not verify the shapes of ${name}: ${reason}`, showLog).then((choice) => choice === showLog && this.log.show(true));
    return outcome;
  }

  /** Evaluates one file in a child process under a cancellable progress notification. */
  async evaluate(file: vscode.Uri, near?: vscode.Uri): Promise<EvalOutcome> {
    if (vscode.workspace.isTrusted) await this.remember(file);
    return this.evaluateArgs([file.fsPath], path.basename(file.fsPath), near ?? file);
  }

  /** Runs `seqlens eval ARGS --format panel`: a predictions file, or a model on a dataset. */
  async evaluateArgs(args: string[], name: string, near?: vscode.Uri): Promise<EvalOutcome> {
    if (!vscode.workspace.isTrusted) {
      await explainRestrictedMode();
      return { exitCode: null, stdout: '', stderr: 'the workspace is not trusted' };
    }
    const folder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.[0];
    this.panels.status({ type: 'busy', text: `Evaluating ${name}…` });
    let outcome: EvalOutcome;
    const started = performance.now();
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SeqLens: evaluating ${name}`, cancellable: true },
        (_progress, token) => runEvalCli(this.cliPath, [...args, '--format', 'panel'], folder?.uri.fsPath, token),
      );
    } catch (error) {
      this.log.error(`seqlens eval could not start: ${describeError(error)}`);
      this.panels.status({ type: 'error', message: `Could not start the evaluation: ${String(error)}` });
      void vscode.window.showErrorMessage(`SeqLens could not start the evaluation: ${error instanceof Error ? error.message : String(error)}`);
      return { exitCode: null, stdout: '', stderr: String(error) };
    }
    outcome.evaluationMs = performance.now() - started;
    if (outcome.stderr.trim()) this.log.warn(`seqlens eval messages:\n${outcome.stderr.trimEnd()}`);
    if (outcome.cancelled) {
      this.log.info(`evaluation of ${name} cancelled`);
      this.panels.status({ type: 'error', message: `Evaluation of ${name} cancelled.` });
      return outcome;
    }
    if (outcome.exitCode === 0) {
      try {
        const printed = JSON.parse(outcome.stdout) as PanelRun & { model?: unknown };
        outcome.model = printed.model;
        // A model run is evaluated again by running the model again, not by reading its dataset as predictions.
        outcome.run = args[0] === '--model' ? { ...printed, rerun: args } : printed;
        this.log.info(`evaluated ${name}: ${outcome.run.task}, ${outcome.run.n} ${outcome.run.task === 'sequence-labelling' ? 'tokens' : 'rows'}, ${outcome.run.backend ?? 'no backend'}, ${outcome.run.source.elapsedMs.toFixed(0)} ms`);
        return outcome;
      } catch (error) {
        outcome.stderr += `\nthe evaluation printed something that is not the panel's JSON (${String(error)})`;
      }
    }
    const again = outcome.exitCode === 2 && args[0] === '--model' ? await this.askValues(outcome.stdout, args, name) : undefined;
    if (again) return this.evaluateArgs(again, name, near);
    const reason = firstLine(outcome.stderr) || `exit code ${outcome.exitCode}`;
    this.panels.status({ type: 'error', message: `Could not evaluate ${name}: ${reason}` });
    const showLog = 'Show Log';
    void vscode.window.showErrorMessage(`SeqLens could not evaluate ${name}: ${reason}`, showLog).then((choice) => choice === showLog && this.log.show(true));
    return outcome;
  }

  /**
   * When the CLI refused to build the model until it is given values (constructor arguments the file
   * and the weights leave open), asks for them in an input box. Returns the arguments to run again
   * with `--init`, or undefined when nothing was asked or the user dismissed the box.
   */
  private async askValues(stdout: string, args: readonly string[], name: string): Promise<string[] | undefined> {
    const needed = parseValuesNeeded(stdout);
    if (!needed) return undefined;
    this.log.info(`${name} needs values for ${needed.names.join(', ')}: asking for them`);
    const answer = await vscode.window.showInputBox({
      title: `SeqLens: values to build ${name}`,
      prompt: needed.cause.slice(0, 500) || `Give ${needed.names.join(', ')}`,
      value: initTemplate(needed.names, initOf(args)),
      placeHolder: needed.names.map((n) => `${n}=VALUE`).join(','),
      ignoreFocusOut: true,
      validateInput: (text) => checkInitAnswer(needed.names, text),
    });
    if (answer === undefined || checkInitAnswer(needed.names, answer) !== undefined) return undefined;
    this.log.info(`running ${name} again with --init ${answer}`);
    return withInit(args, answer);
  }

  private recent(): vscode.Uri[] {
    const saved = this.context.workspaceState.get<unknown>(LAST_CHOICE_KEY);
    return Array.isArray(saved) ? saved.filter((s): s is string => typeof s === 'string').map((s) => vscode.Uri.parse(s)) : [];
  }

  private async remember(file: vscode.Uri): Promise<void> {
    const key = file.toString();
    const list = [key, ...this.recent().map((u) => u.toString()).filter((u) => u !== key)].slice(0, RECENT_LIMIT);
    await this.context.workspaceState.update(LAST_CHOICE_KEY, list);
  }

  /**
   * A quick pick of predictions files: this workspace's recent choices first, then the workspace's
   * files, then Browse…; with a model (from its CodeLens), first the choice to run it on a dataset.
   */
  async pickPredictionsFile(title: string, near?: vscode.Uri, model?: { file: vscode.Uri; className?: string }): Promise<vscode.Uri | ModelRun | undefined> {
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: boolean; runModel?: boolean };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = title;
    pick.placeholder = 'Pick a predictions file (.csv, .tsv, .json, .jsonl, .npy, .npz) or a tagged file (.conll)';
    pick.matchOnDescription = true;
    const browse: Item = { label: '$(folder-opened) Browse…', browse: true, alwaysShow: true };
    const runModel: Item[] = model
      ? [{ label: `$(play) Run ${model.className ?? path.basename(model.file.fsPath)} on a dataset…`, detail: 'TensorFlow.js runs the model locally and evaluates its predictions', runModel: true, alwaysShow: true }]
      : [];
    const recent = this.recent();
    const describe = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, true);
    const recentItems: Item[] = recent.map((uri, i) => ({ label: path.basename(uri.fsPath), description: describe(uri), detail: i === 0 ? 'last evaluated in this workspace' : undefined, uri }));
    const build = (found: vscode.Uri[]): Item[] => {
      const seen = new Set(recent.map((u) => u.toString()));
      const others = found.filter((u) => !seen.has(u.toString()) && !NOT_PREDICTIONS.test(u.fsPath)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      return [
        ...runModel,
        ...(recentItems.length ? [{ label: 'recent', kind: vscode.QuickPickItemKind.Separator } as Item, ...recentItems] : []),
        ...(others.length ? [{ label: 'workspace', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
        ...others.map((uri) => ({ label: path.basename(uri.fsPath), description: describe(uri), uri })),
        browse,
      ];
    };
    pick.items = build([]);
    pick.busy = true;
    void vscode.workspace.findFiles(`**/*.{${PREDICTION_EXTENSIONS.join(',')}}`, '**/{node_modules,.git,.venv,venv,__pycache__,.vscode-test}/**', 500).then((found) => {
      const active = pick.activeItems;
      pick.items = build(found);
      // The item the user was on stays active; with none, the quick pick's own choice (the first match) stands.
      if (active.length) pick.activeItems = pick.items.filter((i) => active.some((a) => a.label === i.label && a.description === i.description));
      pick.busy = false;
    }, () => { pick.busy = false; });
    const chosen = await new Promise<Item | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    if (!chosen) return undefined;
    if (chosen.uri) return chosen.uri;
    if (chosen.runModel && model) return this.pickModelRun(model.file, model.className);
    const folder = near ? vscode.workspace.getWorkspaceFolder(near) : vscode.workspace.workspaceFolders?.[0];
    return (await vscode.window.showOpenDialog({
      title,
      openLabel: 'Evaluate',
      canSelectMany: false,
      defaultUri: recent[0] ? vscode.Uri.file(path.dirname(recent[0].fsPath)) : folder?.uri,
      filters: { Predictions: PREDICTION_EXTENSIONS, 'All files': ['*'] },
    }))?.[0];
  }

  /** The dataset (and, for a PyTorch file, its weights) to run a model on; the weights beside the model are taken without asking. */
  private async pickModelRun(modelFile: vscode.Uri, className: string | undefined): Promise<ModelRun | undefined> {
    const near = vscode.Uri.file(path.dirname(modelFile.fsPath));
    const data = (await vscode.window.showOpenDialog({
      title: `SeqLens: dataset to run ${className ?? path.basename(modelFile.fsPath)} on`,
      openLabel: 'Run and evaluate',
      defaultUri: near,
      filters: { Datasets: DATASET_EXTENSIONS, 'All files': ['*'] },
    }))?.[0];
    if (!data) return undefined;
    const args = ['--model', modelFile.fsPath];
    if (className) args.push('--class', className);
    if (/\.py$/i.test(modelFile.fsPath)) {
      const beside = weightsBeside(modelFile.fsPath);
      const weights = beside ? vscode.Uri.file(beside) : (await vscode.window.showOpenDialog({
        title: `SeqLens: weights of ${className ?? path.basename(modelFile.fsPath)} (a state dict saved by torch.save, or .safetensors)`,
        openLabel: 'Use these weights',
        defaultUri: near,
        filters: { 'State dicts': ['pt', 'pth', 'safetensors'] },
      }))?.[0];
      if (!weights) return undefined;
      args.push('--weights', weights.fsPath);
    }
    args.push('--data', data.fsPath);
    return { args, name: `${className ?? path.basename(modelFile.fsPath)} on ${path.basename(data.fsPath)}` };
  }

  dispose(): void {
    this.panels.dispose();
  }
}

/** `seqlens eval` arguments that run a model on a dataset. */
export interface ModelRun {
  args: string[];
  name: string;
}

/** Restricted Mode: say why evaluation is off, and offer the way to turn it on. */
async function explainRestrictedMode(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    'SeqLens evaluates models only in a trusted workspace: evaluation reads your data files and runs Node.js on them in a child process. Trust this workspace to enable it.',
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

export function registerEvaluateModel(context: vscode.ExtensionContext, log: Log, models: (file: vscode.Uri) => Promise<ModelSummary[]>): vscode.Disposable {
  const flow = new EvaluationFlow(context, log, models);
  /** Arguments: the model's document and class name (from the CodeLens), and optionally the predictions file, skipping the picker. */
  const command = (uri?: vscode.Uri, className?: string, predictions?: vscode.Uri) => flow.run(uri, className, predictions);
  return vscode.Disposable.from(
    flow,
    vscode.commands.registerCommand(EVALUATE_MODEL_COMMAND, command),
    /** Arguments: the model's document and class name (from the CodeLens); else the active Python editor. */
    vscode.commands.registerCommand(VERIFY_SHAPES_COMMAND, (uri?: vscode.Uri, className?: string) => flow.verifyShapes(uri instanceof vscode.Uri ? uri : undefined, typeof className === 'string' ? className : undefined)),
    // The Explorer's context menu passes the clicked file (and the selection) to this one.
    vscode.commands.registerCommand(EVALUATE_FILE_COMMAND, (file?: vscode.Uri) => flow.run(undefined, undefined, file instanceof vscode.Uri ? file : undefined)),
  );
}
