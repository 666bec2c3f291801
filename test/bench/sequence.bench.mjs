// Sequence-labelling evaluation of 1M tokens: `seqlens eval FILE.conll` end to end (process start,
// reading, both entity passes, both confusion matrices) beside scikit-learn's classification_report
// on the same tags as strings, in memory (the stand-in reference, Debian's /usr/bin/python3).
// With SEQEVAL_PATH pointing at a seqeval 1.2.2 checkout (not packaged; fetched by hand, never
// committed), seqeval's own classification_report in both modes is measured too.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'seqlens eval (sequence labelling) vs classification_report in memory';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');

// Reads the file first (not timed), then times only the report on the in-memory tag lists.
const PYTHON_REFERENCE = `
import sys, time
gold, pred, sentences_gold, sentences_pred, g, p = [], [], [], [], [], []
for line in open(sys.argv[1]):
    fields = line.split()
    if not fields:
        if g: sentences_gold.append(g); sentences_pred.append(p)
        g, p = [], []
        continue
    g.append(fields[-2]); p.append(fields[-1]); gold.append(fields[-2]); pred.append(fields[-1])
if g: sentences_gold.append(g); sentences_pred.append(p)
which = sys.argv[2]
t0 = time.perf_counter()
if which == 'sklearn':
    from sklearn.metrics import classification_report
    classification_report(gold, pred, zero_division=0)
elif which == 'seqeval-default':
    from seqeval.metrics import classification_report
    classification_report(sentences_gold, sentences_pred)
else:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2
    classification_report(sentences_gold, sentences_pred, mode='strict', scheme=IOB2)
print(time.perf_counter() - t0)
`;

async function generate(path, tokens) {
  const out = createWriteStream(path);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const types = ['PER', 'LOC', 'ORG', 'MISC'];
  let batch = [];
  let written = 0;
  while (written < tokens) {
    const length = 5 + Math.floor(random() * 30);
    let previous = 'O';
    for (let i = 0; i < length; i++) {
      let gold = 'O';
      if (random() < 0.25) gold = `B-${types[Math.floor(random() * 4)]}`;
      else if (previous !== 'O' && random() < 0.5) gold = `I-${previous.slice(2)}`;
      // A tagger right on 90% of the tokens; its mistakes include I- with no B- before it.
      let pred = gold;
      if (random() < 0.1) pred = random() < 0.4 ? 'O' : `${random() < 0.5 ? 'B' : 'I'}-${types[Math.floor(random() * 4)]}`;
      batch.push(`w${written} ${gold} ${pred}\n`);
      previous = gold;
      written++;
    }
    batch.push('\n');
    if (batch.length >= 50_000) {
      if (!out.write(batch.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

function best(times, run) {
  let fastest = Infinity;
  for (let i = 0; i < times; i++) fastest = Math.min(fastest, run());
  return fastest;
}

function runCli(file, args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [cli, 'eval', file, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`seqlens eval failed: ${child.stderr.trim().split('\n')[0]}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function runPython(file, which, env = {}) {
  const child = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE, file, which], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`${which} reference failed: ${(child.stderr || '').trim().split('\n').pop()}`);
  return Number(child.stdout.trim());
}

export async function run({ quick }) {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'seqlens-seq-bench-'));
  const rows = [];
  try {
    const file = join(dir, 'tags-1M.conll');
    await generate(file, 1_000_000);
    const repeats = quick ? 1 : 3;
    const reference = { name: 'sklearn classification_report, strings, in memory', value: best(repeats, () => runPython(file, 'sklearn')) };
    const target = 'ratio ≤ 0.1 (10× faster)';
    rows.push({ metric: 'eval 1M tokens CoNLL, default mode (end to end)', value: best(repeats, () => runCli(file, [])), unit: 's', reference, target });
    rows.push({ metric: 'eval 1M tokens CoNLL, strict IOB2 (end to end)', value: best(repeats, () => runCli(file, ['--mode', 'strict', '--scheme', 'IOB2'])), unit: 's', reference, target });
    const seqeval = process.env.SEQEVAL_PATH;
    if (seqeval) {
      const env = { PYTHONPATH: seqeval };
      const defaultMode = { name: 'seqeval 1.2.2 classification_report, in memory', value: best(1, () => runPython(file, 'seqeval-default', env)) };
      const strictMode = { name: 'seqeval 1.2.2 classification_report strict IOB2, in memory', value: best(1, () => runPython(file, 'seqeval-strict', env)) };
      rows.push({ metric: 'eval 1M tokens, default mode vs seqeval', value: rows[0].value, unit: 's', reference: defaultMode, target });
      rows.push({ metric: 'eval 1M tokens, strict mode vs seqeval', value: rows[1].value, unit: 's', reference: strictMode, target });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
