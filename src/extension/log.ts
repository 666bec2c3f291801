// The "SeqLens" output channel: one log for the whole extension, with levels the user can filter.
import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('SeqLens', { log: true });
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
