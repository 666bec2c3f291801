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

/**
 * A module class M of torch code: `init` runs in __init__ and `forward` in forward(self, <params>), each of their lines
 * indented into the method. `functional` also imports torch.nn.functional as F; `cfg` gives __init__ a config argument
 * and sets self.memory = cfg.memory, an attribute whose value the analysis cannot follow.
 */
export function moduleProgram(init: string, forward: string, options: { params?: string; functional?: boolean; cfg?: boolean } = {}): string {
  const indent = (code: string): string => code.split('\n').map((l) => `        ${l}`).join('\n');
  const imports = `import torch\nimport torch.nn as nn\n${options.functional ? 'import torch.nn.functional as F\n' : ''}`;
  const constructor = options.cfg ? '    def __init__(self, cfg):\n        super().__init__()\n        self.memory = cfg.memory\n' : '    def __init__(self):\n        super().__init__()\n';
  return `${imports}class M(nn.Module):\n${constructor}${indent(init)}\n    def forward(self, ${options.params ?? 'x'}):\n${indent(forward)}\n`;
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
