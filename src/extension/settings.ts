// The user's `seqlens.*` settings, read fresh each time so that a change applies without reloading.
import * as vscode from 'vscode';
import type { Severity } from '../analysis/findings';

export const SETTINGS_SECTION = 'seqlens';

/** A rule's severity as the user wants it; `off` drops the rule's diagnostics. */
export type SeverityOverride = Severity | 'off';

export interface SeqLensSettings {
  enable: boolean;
  /** Rule code (`SL101`) → severity; codes not listed keep the rule's default. */
  severityOverrides: Readonly<Record<string, SeverityOverride>>;
  inlayHints: boolean;
  /** Milliseconds of quiet after the last keystroke before a document is analysed again. */
  analysisDelay: number;
}

const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];
export const DEFAULT_ANALYSIS_DELAY = 250;

function cleanOverrides(raw: unknown): Record<string, SeverityOverride> {
  const out: Record<string, SeverityOverride> = {};
  if (raw === null || typeof raw !== 'object') return out;
  for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string' && (SEVERITY_OVERRIDES as readonly string[]).includes(value)) {
      out[code.trim().toUpperCase()] = value as SeverityOverride;
    }
  }
  return out;
}

export function readSettings(scope?: vscode.ConfigurationScope): SeqLensSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const delay = config.get<number>('analysisDelay', DEFAULT_ANALYSIS_DELAY);
  return {
    enable: config.get<boolean>('enable', true),
    severityOverrides: cleanOverrides(config.get('severity', {})),
    inlayHints: config.get<boolean>('inlayHints.enabled', true),
    analysisDelay: Number.isFinite(delay) && delay >= 0 ? delay : DEFAULT_ANALYSIS_DELAY,
  };
}

/** The severity a finding is shown with, or undefined when the user turned its rule off. */
export function effectiveSeverity(settings: SeqLensSettings, code: string, severity: Severity): Severity | undefined {
  const override = settings.severityOverrides[code];
  if (override === 'off') return undefined;
  return override ?? severity;
}
