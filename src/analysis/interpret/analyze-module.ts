import type { AnalysisResult } from '../findings';
import type { Module } from '../parse/ast';
import { allRules } from '../rules/registry';
import { AnalysisContext } from './context';
import { ImportFollower, Interpreter } from './interpreter';

/** Runs every rule over one parsed module. Never throws: an internal failure yields what was found so far. */
export function analyzeModule(module: Module, source: string, imports?: ImportFollower): AnalysisResult {
  const ctx = new AnalysisContext(source, allRules(), module.suppressions);
  try {
    new Interpreter(ctx, imports).run(module.body);
  } catch {
    // Defensive: the interpreter is written not to throw; if it does, keep the findings gathered so far.
  }
  return ctx.result();
}
