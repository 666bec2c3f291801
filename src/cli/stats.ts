// `seqlens check --stats`: how much of the checked models' forward passes the analysis knows, summed over files,
// and the calls that most often lose a known shape (what to model next).
import type { CoverageStats, KnowledgeCounts } from '../analysis/coverage';

export interface StatsTotal extends Omit<CoverageStats, 'lostAt' | 'keras' | 'kerasUnmodelled'> {
  files: number;
  /** Calls that turned a known shape into an unknown one, most frequent first. */
  lostAt: { call: string; count: number }[];
  /** Keras model code (see CoverageStats.keras), summed. */
  keras: KnowledgeCounts;
  /** Keras layers not modelled, most frequent first. */
  kerasUnmodelled: { layer: string; count: number }[];
}

export function sumCoverage(perFile: (CoverageStats | undefined)[], topCalls = 25): StatsTotal {
  const total = { files: 0, names: 0, rankKnown: 0, fullyKnown: 0, knownValues: 0, unknown: 0 };
  const lost = new Map<string, number>();
  const keras: KnowledgeCounts = { names: 0, rankKnown: 0, fullyKnown: 0, knownValues: 0, unknown: 0 };
  const unmodelled = new Map<string, number>();
  for (const c of perFile) {
    total.files++;
    if (!c) continue;
    if (c.keras) for (const k of Object.keys(keras) as (keyof KnowledgeCounts)[]) keras[k] += c.keras[k];
    for (const [layer, n] of Object.entries(c.kerasUnmodelled ?? {})) unmodelled.set(layer, (unmodelled.get(layer) ?? 0) + n);
    total.names += c.names;
    total.rankKnown += c.rankKnown;
    total.fullyKnown += c.fullyKnown;
    total.knownValues += c.knownValues;
    total.unknown += c.unknown;
    for (const [call, n] of Object.entries(c.lostAt)) lost.set(call, (lost.get(call) ?? 0) + n);
  }
  const lostAt = [...lost].map(([call, count]) => ({ call, count })).sort((a, b) => b.count - a.count || a.call.localeCompare(b.call)).slice(0, topCalls);
  const kerasUnmodelled = [...unmodelled].map(([layer, count]) => ({ layer, count })).sort((a, b) => b.count - a.count || a.layer.localeCompare(b.layer)).slice(0, topCalls);
  return { ...total, lostAt, keras, kerasUnmodelled };
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a';
}

export function formatStatsText(s: StatsTotal): string {
  const lines = [
    '',
    `Coverage of forward (names assigned in forward and the methods it calls, over ${s.files} file${s.files === 1 ? '' : 's'}):`,
    `  names                     ${s.names}`,
    `  tensor of known rank      ${s.rankKnown} (${pct(s.rankKnown, s.names)})`,
    `    of which fully known    ${s.fullyKnown} (${pct(s.fullyKnown, s.names)})`,
    `  known non-tensor value    ${s.knownValues} (${pct(s.knownValues, s.names)})`,
    `  unknown                   ${s.unknown} (${pct(s.unknown, s.names)})`,
  ];
  if (s.keras.names) {
    lines.push(
      `Coverage of Keras model code (names assigned from layer calls and in call(), layers added to Sequential models, data given to fit/evaluate/predict):`,
      `  names                     ${s.keras.names}`,
      `  tensor of known rank      ${s.keras.rankKnown} (${pct(s.keras.rankKnown, s.keras.names)})`,
      `    of which fully known    ${s.keras.fullyKnown} (${pct(s.keras.fullyKnown, s.keras.names)})`,
      `  known non-tensor value    ${s.keras.knownValues} (${pct(s.keras.knownValues, s.keras.names)})`,
      `  unknown                   ${s.keras.unknown} (${pct(s.keras.unknown, s.keras.names)})`,
    );
  }
  if (s.kerasUnmodelled.length) {
    lines.push('Keras layers not modelled yet (constructions):');
    for (const { layer, count } of s.kerasUnmodelled) lines.push(`  ${String(count).padStart(5)}  layers.${layer}`);
  }
  if (s.lostAt.length) {
    lines.push('Calls that most often turn a known shape into an unknown one:');
    for (const { call, count } of s.lostAt) lines.push(`  ${String(count).padStart(5)}  ${call}`);
  }
  return lines.join('\n') + '\n';
}
