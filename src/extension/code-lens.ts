// "Evaluate model" above every model class: a class whose bases mention Module (nn.Module,
// torch.nn.Module, LightningModule) or keras.Model.
import * as vscode from 'vscode';
import { EVALUATE_MODEL_COMMAND, VERIFY_SHAPES_COMMAND } from './evaluate';

const CLASS_HEADER = /^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)?/gm;
const MODEL_BASE = /Module\b|\bkeras\.(?:models\.)?Model\b/;

export interface ModelClass {
  name: string;
  line: number;
  /** A PyTorch module (not a Keras model): "Verify shapes" can rebuild it. */
  torch: boolean;
}

export function findModelClasses(text: string): ModelClass[] {
  const classes: ModelClass[] = [];
  let line = 0;
  let counted = 0;
  // One pass of a multiline regex over the text; lines are counted only up to each match.
  for (const match of text.matchAll(CLASS_HEADER)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    const bases = match[2] ?? '';
    if (MODEL_BASE.test(bases)) classes.push({ name: match[1], line, torch: /Module\b/.test(bases) });
  }
  return classes;
}

export class EvaluateModelCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());
  /** The last scan, reused while the document is unchanged (lenses are asked for again on every scroll). */
  private cache: { uri: string; version: number; classes: ModelClass[] } | undefined;

  private modelClasses(document: vscode.TextDocument): ModelClass[] {
    const uri = document.uri.toString();
    if (this.cache?.uri !== uri || this.cache.version !== document.version) {
      this.cache = { uri, version: document.version, classes: findModelClasses(document.getText()) };
    }
    return this.cache.classes;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Evaluation needs a trusted workspace; in Restricted Mode the lens is not offered at all.
    if (!vscode.workspace.isTrusted) return [];
    return this.modelClasses(document).flatMap(({ name, line, torch }) => {
      const range = document.lineAt(line).range;
      const lenses = [new vscode.CodeLens(range, {
        title: 'Evaluate model',
        tooltip: `Evaluate ${name} against a predictions file`,
        command: EVALUATE_MODEL_COMMAND,
        arguments: [document.uri, name],
      })];
      if (torch) {
        lenses.push(new vscode.CodeLens(range, {
          title: 'Verify shapes',
          tooltip: `Run ${name} once in TensorFlow.js with random weights and compare each layer's real output shape with the inferred one`,
          command: VERIFY_SHAPES_COMMAND,
          arguments: [document.uri, name],
        }));
      }
      return lenses;
    });
  }

  dispose(): void {
    this.trustListener.dispose();
    this.changed.dispose();
  }
}
