#!/usr/bin/env node
// The real-code measurement (`npm run realcode`, after `npm run build`):
//  (a) recall on the reported bugs rebuilt in test/fixtures/torch-reported: a bug is caught when an error or warning
//      (never a hint) from the expected rule lands on the line its `# expect:` marker sits on;
//  (b) false alarms on their fixed twins: any error or warning;
//  (c) every finding (error, warning, information, hint) on the real public files of test/realcode/torch-files.json,
//      brought from fetched snapshots into .realcode/torch by bring.mjs, listed for a person to judge: a finding is
//      true only when a PyTorch run reproduces it;
//  (d) coverage from `seqlens check --stats` when the CLI offers it.
// Prints a table and writes .realcode/summary.json. CI cannot fetch, so this is run by hand before finishing work.
//
// Usage: node test/realcode/run.mjs [--no-bring] [--mirror DIR] [--no-root] [--only FAMILY]
// The checks run one per core, or SEQLENS_REALCODE_JOBS at a time; the summary is the same whatever the number.
// --no-root checks the files without --root, so each file's workspace is its project folder, else its own folder.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const cli = join(root, 'dist', 'cli.js');
// Each family: its rebuilt reported bugs and its manifest of real files (brought into .realcode/<family>).
const FAMILIES = [
  { name: 'torch', reportedDir: join(root, 'test', 'fixtures', 'torch-reported'), manifest: 'torch-files.json', realDir: join(root, '.realcode', 'torch') },
  { name: 'attention', reportedDir: join(root, 'test', 'fixtures', 'attention-reported'), manifest: 'attention-files.json', realDir: join(root, '.realcode', 'attention') },
  { name: 'keras', reportedDir: join(root, 'test', 'fixtures', 'keras-reported'), manifest: 'keras-files.json', realDir: join(root, '.realcode', 'keras'), framework: 'Keras' },
];
const LOUD = new Set(['error', 'warning']);
const WITH_ROOT = !process.argv.includes('--no-root');

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}

/** The repository folder a brought file belongs to (.realcode/<family>/<owner>__<repo>), or undefined. */
function repoRootOf(path) {
  const brought = join(root, '.realcode');
  const parts = relative(brought, resolve(root, path)).split(/[\\/]/);
  return parts[0] === '..' || parts.length < 3 ? undefined : join(brought, parts[0], parts[1]);
}

/** Paths grouped by repository folder ('' for files outside .realcode). */
function byRepository(paths) {
  const groups = new Map();
  for (const p of paths) {
    const key = repoRootOf(p) ?? '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  return groups;
}

// The checks run this many at a time (SEQLENS_REALCODE_JOBS, else one per core): each is its own process, and the
// results are put back in the order the files were listed, so the summary does not depend on which finished first.
const JOBS = Math.max(1, Number(process.env.SEQLENS_REALCODE_JOBS) || availableParallelism());

/** Runs `seqlens check ...args`, resolving to its parsed JSON; exit 0 (clean) and 1 (findings) are both success. */
function runCheck(args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [cli, 'check', ...args], { cwd: root });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (status !== 0 && status !== 1) return reject(new Error(`seqlens check exited ${status}: ${Buffer.concat(err).toString('utf8').trim()}`));
      try {
        resolveRun(JSON.parse(stdout));
      } catch {
        reject(new Error(`seqlens check printed no JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/**
 * `seqlens check --format json` over many files, in chunks (command-line length), JOBS at a time, in the order given.
 * The real files are checked per repository with `--root` on it, so imports are followed inside the repository and
 * nowhere else. Resolves to every chunk's parsed output.
 */
async function check(paths, extra = []) {
  const jobs = [];
  for (const [repo, group] of byRepository(paths)) for (let i = 0; i < group.length; i += 40) {
    const rootArgs = repo && WITH_ROOT ? ['--root', repo] : [];
    jobs.push(['--format', 'json', ...rootArgs, ...extra, ...group.slice(i, i + 40)]);
  }
  const outputs = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      outputs[i] = await runCheck(jobs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOBS, jobs.length) }, worker));
  return outputs;
}

// ---------------------------------------------------------------- (a), (b) the reported bugs

const EXPECT = /#\s*expect:\s*(SL\d{3}|NEW\b[^\n]*?)\s*$/;

/** The `# expect:` marker of a rebuilt bug: { code, line (1-based) }; NEW markers name a rule that does not exist yet. */
export function expectationOf(source) {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = EXPECT.exec(lines[i]);
    if (m) return { code: m[1].startsWith('NEW') ? 'NEW' : m[1], rule: m[1], line: i + 1 };
  }
  return undefined;
}

function reportedBugs(reportedDir) {
  if (!existsSync(reportedDir)) return [];
  const ids = readdirSync(reportedDir).filter((f) => f.endsWith('-bug.py')).map((f) => f.slice(0, -'-bug.py'.length)).sort();
  return ids.map((id) => {
    const bug = join(reportedDir, `${id}-bug.py`);
    const fixed = join(reportedDir, `${id}-fixed.py`);
    const source = readFileSync(bug, 'utf8');
    const url = /^#\s*source:\s*(\S+)/m.exec(source)?.[1] ?? '';
    return { id, bug, fixed: existsSync(fixed) ? fixed : undefined, url, expect: expectationOf(source) };
  });
}

async function measureBugs(reportedDir) {
  const bugs = reportedBugs(reportedDir);
  const paths = bugs.flatMap((b) => [b.bug, ...(b.fixed ? [b.fixed] : [])]);
  const byPath = new Map((await check(paths)).flatMap((o) => o.files).map((f) => [resolve(root, f.path), f.diagnostics]));
  const rows = bugs.map((b) => {
    const found = byPath.get(b.bug) ?? [];
    const loud = found.filter((d) => LOUD.has(d.severity));
    const caught = !!b.expect && b.expect.code !== 'NEW' && loud.some((d) => d.code === b.expect.code && d.line === b.expect.line);
    const twin = b.fixed ? (byPath.get(b.fixed) ?? []).filter((d) => LOUD.has(d.severity)) : [];
    return {
      id: b.id,
      url: b.url,
      expected: b.expect ? `${b.expect.rule} line ${b.expect.line}` : 'no marker',
      caught,
      got: found.map((d) => `${d.severity} ${d.code}@${d.line}`),
      fixedFalseAlarms: twin.map((d) => `${d.severity} ${d.code}@${d.line}: ${d.message}`),
    };
  });
  return rows;
}

// ---------------------------------------------------------------- (c) the real files

/**
 * Checks the listed files that are brought. When the CLI offers `--stats`, one pass gives both the findings and the
 * coverage (`check --stats --format json` prints the files' diagnostics beside the stats).
 */
async function measureRealFiles(manifestName, realDir) {
  const manifest = JSON.parse(readFileSync(join(here, manifestName), 'utf8'));
  const present = [];
  const absent = [];
  for (const entry of manifest.repos) {
    for (const path of entry.files) {
      const p = join(realDir, entry.repo.replace('/', '__'), path);
      (existsSync(p) ? present : absent).push(p);
    }
  }
  const stats = statsAvailable(present);
  const outputs = present.length ? await check(present, stats.available ? ['--stats'] : []) : [];
  const results = outputs.flatMap((o) => o.files);
  const findings = [];
  let lines = 0;
  for (const f of results) {
    const abs = resolve(root, f.path);
    lines += readFileSync(abs, 'utf8').split('\n').length;
    for (const d of f.diagnostics) {
      findings.push({ file: relative(realDir, abs), line: d.line, severity: d.severity, code: d.code, message: d.message });
    }
  }
  const repos = new Set(manifest.repos.map((e) => e.repo));
  const owners = new Set(manifest.repos.map((e) => e.repo.split('/')[0]));
  const coverage = stats.available ? coverageOf(outputs) : stats;
  return { listed: present.length + absent.length, checked: present.length, absent: absent.map((p) => relative(root, p)), repos: repos.size, owners: owners.size, lines, findings, coverage };
}

// ---------------------------------------------------------------- (d) coverage

/** Whether the CLI offers `check --stats` ({ available: false, why } when it does not, or no file is brought). */
function statsAvailable(paths) {
  if (!paths.length) return { available: false, why: 'no real files brought' };
  const probe = spawnSync(process.execPath, [cli, 'check', '--stats', '--format', 'json', paths[0]], { cwd: root, encoding: 'utf8' });
  if (probe.status === 2) return { available: false, why: (probe.stderr || probe.stdout).trim().split('\n')[0] };
  return { available: true };
}

/** The stats of every chunk, and their sum. */
function coverageOf(outputs) {
  const chunks = outputs.map((parsed) => parsed.stats ?? parsed);
  if (chunks.some((c) => c === undefined)) return { available: false, why: 'check --stats printed no JSON' };
  // The stats' exact shape belongs to the CLI; sum the numeric fields that every chunk shares.
  const total = {};
  for (const c of chunks) {
    for (const [k, v] of Object.entries(c)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
    // Keras model code is counted apart (names from layer calls and call(), Sequential layers, fit's data).
    for (const [k, v] of Object.entries(c.keras ?? {})) if (typeof v === 'number') total[`keras.${k}`] = (total[`keras.${k}`] ?? 0) + v;
  }
  return { available: true, total, chunks };
}

// ---------------------------------------------------------------- report

function pct(n, d) {
  return d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a';
}

async function main() {
  // --only NAME measures one family (torch, attention or keras) and keeps the other families' last figures.
  const only = process.argv.indexOf('--only');
  const summaryPath = join(root, '.realcode', 'summary.json');
  const summary = only >= 0 && existsSync(summaryPath) ? JSON.parse(readFileSync(summaryPath, 'utf8')) : {};
  for (const family of FAMILIES.filter((f) => only < 0 || f.name === process.argv[only + 1])) {
    if (!process.argv.includes('--no-bring')) {
      const args = [join(here, 'bring.mjs'), '--quiet', '--manifest', family.manifest];
      const m = process.argv.indexOf('--mirror');
      if (m >= 0) args.push('--mirror', process.argv[m + 1]);
      const bring = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
      if (bring.stdout.trim()) console.log(bring.stdout.trim());
    }
    summary[family.name] = await report(family);
  }
  mkdirSync(join(root, '.realcode'), { recursive: true });
  writeFileSync(summaryPath, JSON.stringify(summary, null, 1));
  console.log('\nwrote .realcode/summary.json');
}

async function report(family) {
  const bugs = await measureBugs(family.reportedDir);
  const real = await measureRealFiles(family.manifest, family.realDir);
  const coverage = real.coverage;

  console.log(`\n== ${family.name}\nReported bugs (${relative(root, family.reportedDir)}): caught = error/warning of the expected rule on the expected line`);
  console.log('id'.padEnd(56) + 'expected'.padEnd(34) + 'caught  fixed twin   got');
  for (const r of bugs) {
    console.log(r.id.padEnd(56) + r.expected.padEnd(34) + (r.caught ? 'yes     ' : 'MISS    ') + (r.fixedFalseAlarms.length ? 'FALSE ALARM  ' : 'clean        ') + r.got.join(', '));
  }
  const caught = bugs.filter((r) => r.caught).length;
  const twins = bugs.filter((r) => r.fixedFalseAlarms.length).length;
  console.log(`\nrecall: ${caught}/${bugs.length} (${pct(caught, bugs.length)})   fixed twins with a false alarm: ${twins}/${bugs.length}`);
  for (const r of bugs.filter((x) => x.fixedFalseAlarms.length)) console.log(`  ${r.id}-fixed.py: ${r.fixedFalseAlarms.join('; ')}`);

  console.log(`\nReal files: ${real.checked}/${real.listed} checked (${real.repos} repositories, ${real.owners} owners, ${real.lines} lines)`);
  const bySeverity = {};
  for (const f of real.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  console.log(`findings: ${real.findings.length} (${Object.entries(bySeverity).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}); judge each: true only if a ${family.framework ?? 'PyTorch'} run reproduces it`);
  for (const f of real.findings) console.log(`  ${f.severity.padEnd(11)} ${f.code} ${f.file}:${f.line}  ${f.message}`);
  if (real.absent.length) console.log(`not brought (${real.absent.length}): run node test/realcode/bring.mjs --manifest ${family.manifest} to see which snapshots are missing`);

  console.log('\nCoverage (seqlens check --stats):');
  if (coverage.available) console.log('  ' + JSON.stringify(coverage.total));
  else console.log(`  not available: ${coverage.why}`);
  return {
    bugs: { total: bugs.length, caught, recall: bugs.length ? caught / bugs.length : null, fixedTwinsWithFalseAlarm: twins, rows: bugs },
    realFiles: { listed: real.listed, checked: real.checked, repos: real.repos, owners: real.owners, lines: real.lines, bySeverity, findings: real.findings },
    coverage,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
