// Reads a fixture's labels: `# expect: SL101, SL105` markers (written by hand, where the diagnostic
// belongs) and the `# oracle:` header (written by test/oracle/torch_oracle.py from a real PyTorch run).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Expectation {
  code: string;
  /** 0-based line. */
  line: number;
}

export interface Fixture {
  path: string;
  name: string;
  source: string;
  expectations: Expectation[];
  oracle: string[];
}

const EXPECT = /#\s*expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/;

export function readFixture(path: string): Fixture {
  const source = readFileSync(path, 'utf8');
  const expectations: Expectation[] = [];
  const oracle: string[] = [];
  source.split('\n').forEach((text, line) => {
    const m = EXPECT.exec(text);
    if (m) for (const code of m[1].split(',')) expectations.push({ code: code.trim(), line });
    const o = /^#\s*oracle:\s*(.*)$/.exec(text);
    if (o) oracle.push(o[1]);
  });
  return { path, name: path.split(/[\\/]/).pop()!, source, expectations, oracle };
}

export function fixtureDir(...parts: string[]): string {
  // Compiled tests run from out/test/unit/analysis; fixtures stay in the source tree.
  return join(__dirname, '..', '..', '..', '..', 'test', ...parts);
}

export function readFixtures(dir: string): Fixture[] {
  return readdirSync(dir).filter((f) => f.endsWith('.py')).sort().map((f) => readFixture(join(dir, f)));
}
