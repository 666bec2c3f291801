// Real reported shape bugs, each rebuilt from the poster's code as <dir>/<id>-bug.py beside its fixed twin from the
// accepted answer (PyTorch: test/fixtures/torch-reported, Keras: test/fixtures/keras-reported).
// - A bug is caught when an error or warning (a hint does not count) of the rule named by its `# expect:` marker lands
//   on the marker's line. `# expect: NEW <name>` names a rule that does not exist yet: such a bug cannot be caught.
// - KNOWN-MISSES.txt lists, by id, the bugs the analyzer does not catch yet. A listed bug is reported, not failed; a
//   bug that is not listed must be caught, and a listed bug that is now caught fails until it is taken off the list,
//   so the list always tells the current state.
// - A fixed twin must get no error or warning at all.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer, createAnalyzer } from '../../../src/analysis';
import type { Finding } from '../../../src/analysis/findings';
import { fixtureDir } from './fixture-labels';

const loud = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const show = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.code}@${f.range.start.line + 1} ${f.message}`).join('\n  ') || '(nothing)';

interface ReportedBug {
  id: string;
  source: string;
  fixed: string;
  /** The rule code, or 'NEW' for a rule that does not exist yet. */
  code: string;
  rule: string;
  /** 0-based line of the `# expect:` marker. */
  line: number;
}

const EXPECT = /#\s*expect:\s*(SL\d{3}|NEW\b[^\n]*?)\s*$/;

export function readBugs(dir: string): ReportedBug[] {
  const ids = readdirSync(dir).filter((f) => f.endsWith('-bug.py')).map((f) => f.slice(0, -'-bug.py'.length)).sort();
  return ids.map((id) => {
    const source = readFileSync(join(dir, `${id}-bug.py`), 'utf8');
    const fixedPath = join(dir, `${id}-fixed.py`);
    const lines = source.split('\n');
    const line = lines.findIndex((l) => EXPECT.test(l));
    const rule = line >= 0 ? EXPECT.exec(lines[line])![1] : '';
    return { id, source, fixed: existsSync(fixedPath) ? readFileSync(fixedPath, 'utf8') : '', code: rule.startsWith('NEW') ? 'NEW' : rule, rule, line };
  });
}

function readKnownMisses(dir: string): Map<string, string> {
  const misses = new Map<string, string>();
  const path = join(dir, 'KNOWN-MISSES.txt');
  if (!existsSync(path)) return misses;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [id, ...why] = line.split(/\s+/);
    misses.set(id, why.join(' '));
  }
  return misses;
}

/** The suite for one folder of rebuilt reported bugs. */
export function describeReportedBugs(framework: string, folder: string, minimum: number): void {
  const dir = fixtureDir('fixtures', folder);
  let analyzer: Analyzer;
  describe(`real reported ${framework} bugs (test/fixtures/${folder})`, () => {
    before(async () => {
      analyzer = await createAnalyzer();
    });
    const bugs = readBugs(dir);
    const knownMisses = readKnownMisses(dir);
    const missed: string[] = [];

    it(`holds at least ${minimum} rebuilt bugs, each with one \`# expect:\` marker, a source and a fixed twin`, () => {
      assert.ok(bugs.length >= minimum, `only ${bugs.length} rebuilt bugs`);
      for (const bug of bugs) {
        assert.ok(bug.line >= 0, `${bug.id}-bug.py has no # expect: marker`);
        assert.ok(bug.fixed, `${bug.id} has no fixed twin`);
        assert.match(bug.source, /^# source: https?:\/\/\S+/m, `${bug.id}-bug.py names no source`);
        assert.doesNotMatch(bug.fixed, /#\s*expect:/, `${bug.id}-fixed.py carries an # expect: marker`);
      }
    });

    it('KNOWN-MISSES.txt lists only ids that exist', () => {
      const ids = new Set(bugs.map((b) => b.id));
      assert.deepEqual([...knownMisses.keys()].filter((id) => !ids.has(id)), []);
    });

    for (const bug of bugs) {
      const known = knownMisses.has(bug.id);
      it(`${bug.id}: ${known ? 'known miss, still missed' : `${bug.rule} on line ${bug.line + 1}`}`, () => {
        const findings = analyzer.analyze(bug.source, `${bug.id}-bug.py`).findings;
        const caught = bug.code !== 'NEW' && findings.some((f) => loud(f) && f.code === bug.code && f.range.start.line === bug.line);
        if (known) {
          missed.push(`${bug.id} (${bug.rule} line ${bug.line + 1}): ${knownMisses.get(bug.id)}`);
          assert.ok(!caught, `${bug.id} is caught now: take it off KNOWN-MISSES.txt`);
        } else {
          assert.ok(caught, `missing ${bug.rule} on line ${bug.line + 1}; got:\n  ${show(findings)}`);
        }
      });

      it(`${bug.id}-fixed.py raises no error or warning`, () => {
        const findings = analyzer.analyze(bug.fixed, `${bug.id}-fixed.py`).findings.filter(loud);
        assert.deepEqual(findings.map((f) => `${f.code}@${f.range.start.line + 1}`), [], `false alarms:\n  ${show(findings)}`);
      });
    }

    after(() => {
      const caught = bugs.length - missed.length;
      console.log(`      recall on real reported ${framework} bugs: ${caught}/${bugs.length} (${((100 * caught) / Math.max(1, bugs.length)).toFixed(1)}%); known misses:`);
      for (const m of missed) console.log(`        ${m}`);
    });
  });
}

/** A thread's address without its fragment, query or trailing slash: two fixtures of one thread share it. */
function thread(source: string): string | undefined {
  const url = /^# source: (https?:\/\/\S+)/m.exec(source)?.[1];
  return url?.replace(/[#?].*$/, '').replace(/\/+$/, '').toLowerCase();
}

/**
 * Every rebuilt bug comes from its own thread, across all the folders: a round that picks a thread already rebuilt
 * would count an old bug as held out.
 */
export function describeDistinctSources(folders: string[]): void {
  describe('real reported bugs, every folder', () => {
    it('no two rebuilt bugs come from the same thread', () => {
      const seen = new Map<string, string>();
      const repeated: string[] = [];
      for (const folder of folders) {
        for (const bug of readBugs(fixtureDir('fixtures', folder))) {
          const key = thread(bug.source);
          if (!key) continue;
          const first = seen.get(key);
          if (first) repeated.push(`${folder}/${bug.id} and ${first}: ${key}`);
          else seen.set(key, `${folder}/${bug.id}`);
        }
      }
      assert.deepEqual(repeated, []);
    });
  });
}

