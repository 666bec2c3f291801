// Numbers as the panel prints them. NaN arrives as null (JSON has no NaN): both print as "—".

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function fixed(value: unknown, digits = 3): string {
  return isNumber(value) ? value.toFixed(digits) : '—';
}

export function percent(value: unknown, digits = 1): string {
  return isNumber(value) ? `${(value * 100).toFixed(digits)}%` : '—';
}

export function count(value: unknown): string {
  return isNumber(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

/** A threshold or score: enough digits to tell neighbouring scores apart. */
export function score(value: unknown): string {
  if (!isNumber(value)) return '—';
  const text = value.toPrecision(4);
  return text.includes('e') ? value.toExponential(3) : String(Number(text));
}

export function milliseconds(ms: unknown): string {
  if (!isNumber(ms)) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
