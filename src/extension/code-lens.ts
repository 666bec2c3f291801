// "Evaluate model" above every model class: a class whose bases mention Module (nn.Module,
// torch.nn.Module, LightningModule) or keras.Model.
import * as vscode from 'vscode';
import { EVALUATE_MODEL_COMMAND } from './evaluate';

const CLASS_HEADER = /^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)?/;
const MODEL_BASE = /Module\b|\bkeras\.(?:models\.)?Model\b/;

export interface ModelClass {
  name: string;
  line: number;
}

export function findModelClasses(text: string): ModelClass[] {
  const classes: ModelClass[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = CLASS_HEADER.exec(line);
    if (match && MODEL_BASE.test(match[2] ?? '')) classes.push({ name: match[1], line: index });
  });
  return classes;
}

export class EvaluateModelCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Evaluation runs code-adjacent tooling; in Restricted Mode the lens is not offered at all.
    if (!vscode.workspace.isTrusted) return [];
    return findModelClasses(document.getText()).map(({ name, line }) => {
      const range = document.lineAt(line).range;
      return new vscode.CodeLens(range, {
        title: 'Evaluate model',
        tooltip: `Evaluate ${name} against a predictions file`,
        command: EVALUATE_MODEL_COMMAND,
        arguments: [document.uri, name],
      });
    });
  }

  dispose(): void {
    this.trustListener.dispose();
    this.changed.dispose();
  }
}
