#!/usr/bin/env node
// Brings the real public PyTorch files listed in test/realcode/torch-files.json out of fetched repository
// snapshots into the git-ignored folder .realcode/torch/<owner>__<repo>/<path>. Public code is never committed:
// only the manifest (repository, commit, paths) is. Besides the listed files (measured) and their `context`,
// every other Python module of the repository at that commit is brought too (bounded, not measured), so that
// `seqlens check --root <owner>__<repo>` can follow the imports of a model file and find its train.py.
//
// A snapshot is a git directory fetched beforehand (the search tool's `fetch github:owner/name`), found at
// <mirror>/<owner>+<name>/repo/.git or <mirror>/<owner>+<name>/repo. The mirror folder defaults to /work/.mirror
// and can be set with SEQLENS_MIRROR or --mirror DIR.
//
// Usage: node test/realcode/bring.mjs [--manifest attention-files.json] [--mirror DIR] [--out DIR] [--quiet]
// (another manifest brings its files into .realcode/<its name before -files.json>, e.g. .realcode/attention or
// .realcode/runner for runner-files.json, whose `models` and `excluded` entries bring.mjs passes over)
// Exit status: 0 when every listed file was brought, 1 when some snapshots or files are missing (those are listed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const mirror = resolve(option('--mirror', process.env.SEQLENS_MIRROR || '/work/.mirror'));
const manifestOption = option('--manifest', 'torch-files.json');
// A manifest is named as in this folder (runner-files.json) or by a path (test/realcode/runner-files.json).
const manifestPath = existsSync(manifestOption) ? resolve(manifestOption) : join(here, manifestOption);
const manifestName = basename(manifestPath);
const out = resolve(root, option('--out', join('.realcode', manifestName.replace(/-files\.json$/, ''))));
const quiet = process.argv.includes('--quiet');
/** Bounds on the sibling modules brought per repository. */
const MAX_SIBLINGS = 400;
const MAX_SIBLING_BYTES = 512 * 1024;

export function gitDirOf(mirrorDir, repo) {
  const base = join(mirrorDir, repo.replace('/', '+'), 'repo');
  for (const candidate of [join(base, '.git'), base]) {
    if (existsSync(join(candidate, 'HEAD')) && existsSync(join(candidate, 'objects'))) return candidate;
  }
  return undefined;
}

function git(gitDir, args, encoding = 'utf8') {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function folderOf(repo) {
  return repo.replace('/', '__');
}

function main() {
  if (!existsSync(manifestPath)) {
    console.error(`${manifestOption}: no such manifest (looked in ${here} and the current folder)`);
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const missingSnapshots = [];
  const missingFiles = [];
  let brought = 0;
  let context = 0;
  rmSync(out, { recursive: true, force: true });
  for (const entry of manifest.repos) {
    const gitDir = gitDirOf(mirror, entry.repo);
    if (!gitDir) {
      missingSnapshots.push(entry.repo);
      continue;
    }
    try {
      git(gitDir, ['cat-file', '-e', `${entry.commit}^{commit}`]);
    } catch {
      missingSnapshots.push(`${entry.repo} (snapshot lacks commit ${entry.commit})`);
      continue;
    }
    const listed = new Set([...entry.files, ...(entry.context ?? [])]);
    let tree = [];
    try {
      tree = git(gitDir, ['ls-tree', '-r', '-l', entry.commit]).split('\n').map((line) => /^\d+ blob \w+\s+(\d+)\t(.*\.py)$/.exec(line)).filter(Boolean);
    } catch {
      tree = [];
    }
    const siblings = tree.filter(([, size, path]) => !listed.has(path) && Number(size) <= MAX_SIBLING_BYTES).map(([, , path]) => path).slice(0, MAX_SIBLINGS);
    for (const [list, counted] of [[entry.files, true], [entry.context ?? [], false], [siblings, false]]) {
      for (const path of list) {
        let bytes;
        try {
          bytes = git(gitDir, ['show', `${entry.commit}:${path}`], 'buffer');
        } catch {
          missingFiles.push(`${entry.repo}: ${path}`);
          continue;
        }
        const target = join(out, folderOf(entry.repo), path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes);
        if (counted) brought++;
        else context++;
      }
    }
  }
  const total = manifest.repos.reduce((n, e) => n + e.files.length, 0);
  if (!quiet) {
    console.log(`brought ${brought}/${total} model files (+${context} context and sibling modules) from ${manifest.repos.length - missingSnapshots.length}/${manifest.repos.length} snapshots into ${out}`);
  }
  if (missingSnapshots.length) {
    console.log(`missing snapshots (fetch them, e.g. with the search tool's fetch github:OWNER/NAME, into ${mirror}):`);
    for (const m of missingSnapshots) console.log(`  ${m}`);
  }
  if (missingFiles.length) {
    console.log('missing files:');
    for (const m of missingFiles) console.log(`  ${m}`);
  }
  process.exitCode = missingSnapshots.length || missingFiles.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
