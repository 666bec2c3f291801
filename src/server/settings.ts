// The `seqlens` settings section as the server reads it from the client (`workspace/configuration`,
// or the initialization options of a client that has no configuration requests). Anything malformed
// falls back to the default, so a typo in a settings file never switches analysis off.
import type { Severity } from '../analysis/findings';

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
export const DEFAULT_SETTINGS: SeqLensSettings = { enable: true, severityOverrides: {}, inlayHints: true, analysisDelay: DEFAULT_ANALYSIS_DELAY };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cleanOverrides(raw: unknown): Record<string, SeverityOverride> {
  const out: Record<string, SeverityOverride> = {};
  if (!isRecord(raw)) return out;
  for (const [code, value] of Object.entries(raw)) {
    if (typeof value === 'string' && (SEVERITY_OVERRIDES as readonly string[]).includes(value)) {
      out[code.trim().toUpperCase()] = value as SeverityOverride;
    }
  }
  return out;
}

/**
 * The settings from a `seqlens` section. Keys may be nested (`{ inlayHints: { enabled } }`, as VS Code
 * sends them) or dotted (`{ "inlayHints.enabled": … }`, as a hand-written Neovim or Helix config may).
 */
export function parseSettings(raw: unknown): SeqLensSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  const inlay = isRecord(raw.inlayHints) ? raw.inlayHints.enabled : raw['inlayHints.enabled'];
  const delay = raw.analysisDelay;
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable,
    severityOverrides: cleanOverrides(raw.severity),
    inlayHints: typeof inlay === 'boolean' ? inlay : DEFAULT_SETTINGS.inlayHints,
    analysisDelay: typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? Math.min(delay, 5000) : DEFAULT_ANALYSIS_DELAY,
  };
}

/** The severity a finding is shown with, or undefined when the user turned its rule off. */
export function effectiveSeverity(settings: SeqLensSettings, code: string, severity: Severity): Severity | undefined {
  const override = settings.severityOverrides[code];
  if (override === 'off') return undefined;
  return override ?? severity;
}
