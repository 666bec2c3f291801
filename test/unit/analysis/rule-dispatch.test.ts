// Rules may narrow which layer, function and method calls their hooks are offered (RuleHooks.offers), so that a
// call is not handed to every rule. A filter must accept every call its hook acts on: analysing every fixture and
// example with the filters and with every call offered to every hook must give the same result, and a hook handed
// a call its filter refuses must report nothing.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { AnalysisContext } from '../../../src/analysis/interpret/context';
import type { HookFilters, KeyedEventName, RuleContext, RuleHooks } from '../../../src/analysis/interpret/events';
import { Interpreter } from '../../../src/analysis/interpret/interpreter';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { allRules } from '../../../src/analysis/rules/registry';
import type { Rule } from '../../../src/analysis/rules/rule';
import { fixtureDir } from './fixture-labels';
import { pythonFiles } from './random-edits';

/** The key a keyed event's filter is asked about (see AnalysisContext.emit). */
function keyOf(event: KeyedEventName, payload: unknown): string {
  const p = payload as { layer?: { kind: string }; qualname?: string; name?: string };
  return event === 'layerCall' ? p.layer!.kind : event === 'functionCall' ? p.qualname! : p.name!;
}

const KEYED: KeyedEventName[] = ['layerCall', 'functionCall', 'tensorMethod'];

/**
 * The rules with every call offered to every hook; a hook handed a call its filter refuses notes in `refusedReports`
 * what it reported or refuted there.
 */
function unfiltered(rules: readonly Rule[], refusedReports: string[]): Rule[] {
  return rules.map((rule) => {
    const filters: HookFilters = rule.hooks.offers ?? {};
    const hooks: RuleHooks = { ...rule.hooks, offers: undefined };
    for (const event of KEYED) {
      const hook = rule.hooks[event] as ((payload: unknown, ctx: RuleContext) => void) | undefined;
      const filter = filters[event];
      if (!hook || !filter) continue;
      (hooks as Record<string, unknown>)[event] = (payload: unknown, ctx: RuleContext) => {
        const key = keyOf(event, payload);
        if (filter(key)) return hook(payload, ctx);
        const note = (what: string) => refusedReports.push(`${rule.code} ${event} ${key}: ${what}`);
        hook(payload, { ...ctx, source: ctx.source, report: (r) => note(`reported ${r.message}`), refute: () => note('refuted'), text: (range) => ctx.text(range) });
      };
    }
    return { ...rule, hooks };
  });
}

describe('rule dispatch by call', () => {
  it('gives every fixture and example the same result whether or not hooks are offered only the calls their filters accept', async function () {
    this.timeout(300_000);
    const files = [...pythonFiles(fixtureDir('fixtures')), ...pythonFiles(fixtureDir('examples'))];
    assert.ok(files.length > 500, `only ${files.length} files`);
    const filtered = allRules();
    const keyedFilters = filtered.filter((r) => r.hooks.offers && KEYED.some((e) => r.hooks.offers![e]));
    assert.ok(keyedFilters.length > 20, 'most rules narrow the calls they are offered');
    const refusedReports: string[] = [];
    const everything = unfiltered(filtered, refusedReports);
    const parser = await DocumentParser.create();
    let findings = 0;
    try {
      for (const path of files) {
        const source = readFileSync(path, 'utf8');
        const module = parser.reset(source);
        const results = [filtered, everything].map((rules) => {
          const ctx = new AnalysisContext(source, rules, module.suppressions);
          new Interpreter(ctx).run(module.body);
          return JSON.stringify(ctx.result());
        });
        assert.equal(results[0], results[1], `${path}: the filters change the result`);
        findings += (JSON.parse(results[0]) as { findings: unknown[] }).findings.length;
      }
    } finally {
      parser.dispose();
    }
    assert.ok(findings > 300, `only ${findings} findings`);
    assert.deepEqual(refusedReports, []);
  });

  it('does not hand a layer call to a hook whose filter refuses its kind', () => {
    const seen: string[] = [];
    const rule = (code: string, offers?: HookFilters): Rule => ({
      ...allRules()[0],
      code,
      hooks: { offers, layerCall: (event) => void seen.push(`${code} ${event.layer.kind}`) },
    });
    const rules = [rule('X1', { layerCall: (kind) => kind === 'LSTM' }), rule('X2')];
    const ctx = new AnalysisContext('', rules, new Map());
    for (const kind of ['Linear', 'LSTM', 'Linear']) {
      ctx.emit('layerCall', { layer: { kind } as never, call: {} as never, args: [], kwargs: new Map() });
    }
    assert.deepEqual(seen, ['X2 Linear', 'X1 LSTM', 'X2 LSTM', 'X2 Linear']);
  });
});
