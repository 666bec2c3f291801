import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer, createAnalyzer } from '../../../src/analysis';
import type { AnalysisResult } from '../../../src/analysis/findings';

let shared: Promise<Analyzer> | undefined;

export function analyzer(): Promise<Analyzer> {
  shared ??= createAnalyzer();
  return shared;
}

/** Analyses a snippet; `import torch` and `import torch.nn as nn` are prepended unless it imports itself. */
export async function run(body: string): Promise<AnalysisResult> {
  const source = /^\s*(import|from) /m.test(body) ? body : `import torch\nimport torch.nn as nn\n${body}`;
  return (await analyzer()).analyze(source, 'snippet.py');
}

export async function codes(body: string): Promise<string[]> {
  return (await run(body)).findings.map((f) => f.code);
}

/** The inferred shape label of the last assignment to `name`. */
export async function shapeOf(body: string, name: string): Promise<string | undefined> {
  const sites = (await run(body)).tensors.filter((t) => t.name === name);
  return sites[sites.length - 1]?.shape;
}

/** test/oracle/product-errors.json: PyTorch 1.13's answers on random operands, written by test/oracle/product_errors.py. */
let productErrors: Record<string, unknown> | undefined;

/** One section of product-errors.json (its `views`, `axes`, `stores`, …), the file read once for every test. */
export function productErrorCases<T>(section: string): T[] {
  productErrors ??= JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'oracle', 'product-errors.json'), 'utf8')) as Record<string, unknown>;
  const cases = productErrors[section];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`test/oracle/product-errors.json has no cases under "${section}"`);
  return cases as T[];
}
