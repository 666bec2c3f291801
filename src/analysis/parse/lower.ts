// Lowers tree-sitter's concrete Python tree into the small AST of ast.ts.
// Unknown or broken constructs become `other` nodes: lowering never throws.
import type { Range } from '../findings';
import type * as A from './ast';
import { CstNode, field, fields, isTrivia, namedChildren } from './cst';

/** A lowered top-level statement with what it carries for the module: comments and syntax errors. */
export interface LoweredTop {
  stmts: A.Stmt[];
  comments: { line: number; text: string }[];
  errors: Range[];
}

export function lowerTopLevel(node: CstNode, source: string): LoweredTop {
  const lowerer = new Lowerer(source);
  const stmts = isTrivia(node) ? [] : lowerer.stmt(node);
  lowerer.collect(node);
  return { stmts, comments: lowerer.comments, errors: lowerer.errors };
}

/**
 * The same lowered statement `lines` lines further down (or up): a copy whose positions are moved, so
 * that inserting a line above a statement does not copy and lower it again. Positions shared between
 * ranges stay shared in the copy; nothing else in a lowered statement depends on its place.
 */
export function moveLowered(top: LoweredTop, lines: number): LoweredTop {
  const moved = new Map<object, unknown>();
  const move = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    // An object reached twice (a shared position or range) is copied once, so identities stay as they were.
    const seen = moved.get(value);
    if (seen !== undefined) return seen;
    let copy: unknown;
    if (Array.isArray(value)) {
      const items = new Array<unknown>(value.length);
      moved.set(value, items);
      for (let i = 0; i < value.length; i++) items[i] = move(value[i]);
      copy = items;
    } else if (isPosition(value)) {
      copy = { line: value.line + lines, column: value.column };
      moved.set(value, copy);
    } else {
      const fields: Record<string, unknown> = {};
      moved.set(value, fields);
      for (const key in value) fields[key] = move((value as Record<string, unknown>)[key]);
      copy = fields;
    }
    return copy;
  };
  return {
    stmts: move(top.stmts) as A.Stmt[],
    comments: top.comments.map((c) => ({ line: c.line + lines, text: c.text })),
    errors: move(top.errors) as Range[],
  };
}

const positionsOf = new WeakMap<LoweredTop, { line: number; column: number }[]>();

/**
 * Moves a lowered statement `lines` lines down (or up) in place: its own positions change, and so does
 * everything that holds them (values, findings and hovers kept from its last interpretation). Its position
 * objects are listed once, so a statement moved again costs one addition per position.
 */
export function moveLoweredInPlace(top: LoweredTop, lines: number): LoweredTop {
  let positions = positionsOf.get(top);
  if (!positions) {
    const found: { line: number; column: number }[] = [];
    const seen = new Set<object>();
    const stack: unknown[] = [top.stmts, top.errors];
    while (stack.length) {
      const value = stack.pop();
      if (typeof value !== 'object' || value === null || seen.has(value)) continue;
      seen.add(value);
      if (Array.isArray(value)) for (const item of value) stack.push(item);
      else if (isPosition(value)) found.push(value);
      else for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
    positionsOf.set(top, (positions = found));
  }
  for (const position of positions) position.line += lines;
  for (const comment of top.comments) comment.line += lines;
  return top;
}

/** A position object ({ line, column } and nothing else), told apart without listing every node's keys. */
function isPosition(value: object): value is { line: number; column: number } {
  const v = value as { line?: unknown; column?: unknown };
  if (typeof v.line !== 'number' || typeof v.column !== 'number') return false;
  let keys = 0;
  for (const _ in value) if (++keys > 2) return false;
  return keys === 2;
}

function rangeOf(node: CstNode): Range {
  return { start: node.start, end: node.end };
}

/**
 * Statements and expressions nested deeper than this lower to an unknown expression (or an empty
 * statement): 3,000 brackets or a 1 MB `1+1+…` line must not overflow the stack. Python itself refuses
 * more than 200 nested brackets.
 */
const MAX_NESTING = 100;

const BINARY_OPS = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);

class Lowerer {
  comments: { line: number; text: string }[] = [];
  errors: Range[] = [];
  private depth = 0;
  /** `yield` expressions lowered in the current function body, to tell a generator. */
  private yields = 0;

  constructor(private readonly source: string) {}

  text(node: CstNode): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  /** Gathers comments and syntax errors anywhere under the node. */
  collect(node: CstNode): void {
    const stack = [node];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'comment') this.comments.push({ line: n.start.line, text: this.text(n) });
      else if (n.isError) this.errors.push(rangeOf(n));
      const children = n.children;
      for (let i = 0; i < children.length; i++) stack.push(children[i]);
    }
  }

  block(node: CstNode | undefined): A.Stmt[] {
    if (!node) return [];
    if (node.type !== 'block') return this.stmt(node);
    const out: A.Stmt[] = [];
    for (const child of namedChildren(node)) out.push(...this.stmt(child));
    return out;
  }

  stmt(node: CstNode): A.Stmt[] {
    if (this.depth >= MAX_NESTING) return [{ kind: 'other', range: rangeOf(node), exprs: [], tooDeep: true }];
    this.depth++;
    try {
      return this.lowerStmt(node);
    } finally {
      this.depth--;
    }
  }

  private lowerStmt(node: CstNode): A.Stmt[] {
    const range = rangeOf(node);
    switch (node.type) {
      case 'expression_statement': {
        const inner = namedChildren(node);
        if (inner.length === 1 && (inner[0].type === 'assignment' || inner[0].type === 'augmented_assignment')) {
          return [this.assignment(inner[0], range)];
        }
        if (inner.length === 1) return [{ kind: 'expr', range, value: this.expr(inner[0]) }];
        return [{ kind: 'expr', range, value: { kind: 'tuple', range, items: inner.map((n) => this.expr(n)) } }];
      }
      case 'return_statement': {
        const inner = namedChildren(node);
        return [{ kind: 'return', range, value: inner.length ? this.exprList(inner, range) : undefined }];
      }
      case 'function_definition':
        return [this.functionDef(node)];
      case 'class_definition':
        return [this.classDef(node)];
      case 'decorated_definition': {
        const def = field(node, 'definition');
        return def ? this.stmt(def) : [];
      }
      case 'if_statement': {
        return [this.ifChain(node, field(node, 'condition'), field(node, 'consequence'), fields(node, 'alternative'), range)];
      }
      case 'for_statement':
        return [{
          kind: 'for', range,
          target: this.exprOr(field(node, 'left'), range),
          iter: this.exprOr(field(node, 'right'), range),
          body: this.block(field(node, 'body')),
          // Without an `else:` there is nothing to run after the loop (the loop's own body is not its else).
          orelse: ((alt) => (alt ? this.block(field(alt, 'body')) : []))(field(node, 'alternative')),
        }];
      case 'while_statement':
        return [{ kind: 'while', range, test: this.exprOr(field(node, 'condition'), range), body: this.block(field(node, 'body')) }];
      case 'with_statement': {
        const clause = node.children.find((c) => c.type === 'with_clause');
        const items: { value: A.Expr; target?: A.Expr }[] = [];
        for (const item of clause ? namedChildren(clause) : []) {
          const value = field(item, 'value') ?? namedChildren(item)[0];
          if (!value) continue;
          if (value.type === 'as_pattern') {
            const [inner, target] = namedChildren(value);
            items.push({ value: this.exprOr(inner, range), target: target ? this.exprOr(namedChildren(target)[0] ?? target, range) : undefined });
          } else items.push({ value: this.expr(value) });
        }
        return [{ kind: 'with', range, items, body: this.block(field(node, 'body')) }];
      }
      case 'try_statement': {
        const handlers: A.Stmt[][] = [];
        let orelse: A.Stmt[] = [];
        let final: A.Stmt[] = [];
        for (const child of node.children) {
          if (child.type === 'except_clause' || child.type === 'except_group_clause') {
            handlers.push(this.block(child.children.find((c) => c.type === 'block')));
          } else if (child.type === 'else_clause') orelse = this.block(field(child, 'body'));
          else if (child.type === 'finally_clause') final = this.block(child.children.find((c) => c.type === 'block'));
        }
        return [{ kind: 'try', range, body: this.block(field(node, 'body')), handlers, orelse, final }];
      }
      case 'import_statement':
        return [{ kind: 'import', range, names: fields(node, 'name').map((n) => this.importName(n)) }];
      case 'import_from_statement': {
        const moduleNode = field(node, 'module_name');
        const module = moduleNode ? this.text(moduleNode) : '';
        const names = fields(node, 'name').map((n) => {
          const { module: name, alias } = this.importName(n);
          return { module, name, alias };
        });
        if (node.children.some((c) => c.type === 'wildcard_import')) names.push({ module, name: '*', alias: undefined });
        return [{ kind: 'import', range, names }];
      }
      case 'pass_statement':
        return [{ kind: 'pass', range, exprs: [] }];
      case 'comment':
      case 'line_continuation':
        return [];
      case 'block':
        return this.block(node);
      default: {
        // ERROR nodes and statements we do not model: keep any calls inside visible.
        const exprs: A.Expr[] = [];
        for (const child of namedChildren(node)) {
          if (child.type.endsWith('_statement') || child.type === 'function_definition' || child.type === 'class_definition') continue;
          exprs.push(this.expr(child));
        }
        return [{ kind: 'other', range, exprs }];
      }
    }
  }

  importName(node: CstNode): { module: string; alias?: string } {
    if (node.type === 'aliased_import') {
      const name = field(node, 'name');
      const alias = field(node, 'alias');
      return { module: name ? this.text(name) : '', alias: alias ? this.text(alias) : undefined };
    }
    return { module: this.text(node) };
  }

  ifChain(node: CstNode, condition: CstNode | undefined, consequence: CstNode | undefined, alternatives: CstNode[], range: Range, next = 0): A.If {
    let orelse: A.Stmt[] = [];
    const first = alternatives[next];
    if (first?.type === 'elif_clause' && this.depth >= MAX_NESTING) {
      orelse = [{ kind: 'other', range: rangeOf(first), exprs: [], tooDeep: true }];
    } else if (first?.type === 'elif_clause') {
      this.depth++;
      try {
        orelse = [this.ifChain(first, field(first, 'condition'), field(first, 'consequence'), alternatives, rangeOf(first), next + 1)];
      } finally {
        this.depth--;
      }
    } else if (first?.type === 'else_clause') {
      orelse = this.block(field(first, 'body'));
    }
    return { kind: 'if', range, test: this.exprOr(condition, rangeOf(node)), body: this.block(consequence), orelse };
  }

  assignment(node: CstNode, range: Range): A.Assign {
    const targets: A.Expr[] = [];
    let current: CstNode | undefined = node;
    let value: A.Expr = { kind: 'other', range, calls: [] };
    let op: string | undefined;
    if (node.type === 'augmented_assignment') {
      const operator = field(node, 'operator');
      op = operator ? this.text(operator).replace('=', '') : undefined;
    }
    // `a = b = c` nests: assignment(left a, right assignment(left b, right c)).
    while (current) {
      const left = field(current, 'left');
      const right: CstNode | undefined = field(current, 'right');
      if (left) targets.push(this.expr(left));
      if (right && right.type === 'assignment') {
        current = right;
        continue;
      }
      if (right) value = this.expr(right);
      current = undefined;
    }
    return { kind: 'assign', range, targets, value, op };
  }

  functionDef(node: CstNode): A.FunctionDef {
    const name = field(node, 'name');
    const params: A.Param[] = [];
    const paramsNode = field(node, 'parameters');
    for (const p of paramsNode ? namedChildren(paramsNode) : []) {
      switch (p.type) {
        case 'identifier':
          params.push({ name: this.text(p), range: rangeOf(p), variadic: false });
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const n = field(p, 'name');
          const v = field(p, 'value');
          if (n) params.push({ name: this.text(n), range: rangeOf(n), default: v ? this.expr(v) : undefined, variadic: false });
          break;
        }
        case 'typed_parameter': {
          const inner = namedChildren(p)[0];
          if (inner?.type === 'identifier') params.push({ name: this.text(inner), range: rangeOf(inner), variadic: false });
          else if (inner) params.push({ name: this.text(inner).replace(/^\*+/, ''), range: rangeOf(inner), variadic: true });
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          params.push({ name: this.text(p).replace(/^\*+/, ''), range: rangeOf(p), variadic: true });
          break;
        default:
          break;
      }
    }
    const outerYields = this.yields;
    this.yields = 0;
    const body = this.block(field(node, 'body'));
    const generator = this.yields > 0;
    this.yields = outerYields;
    return {
      kind: 'def',
      range: rangeOf(node),
      name: name ? this.text(name) : '',
      nameRange: name ? rangeOf(name) : rangeOf(node),
      params,
      body,
      ...(generator ? { generator } : {}),
    };
  }

  classDef(node: CstNode): A.ClassDef {
    const name = field(node, 'name');
    const supers = field(node, 'superclasses');
    return {
      kind: 'class',
      range: rangeOf(node),
      name: name ? this.text(name) : '',
      nameRange: name ? rangeOf(name) : rangeOf(node),
      bases: supers ? namedChildren(supers).filter((c) => c.type !== 'keyword_argument').map((c) => this.expr(c)) : [],
      body: this.block(field(node, 'body')),
    };
  }

  exprOr(node: CstNode | undefined, range: Range): A.Expr {
    return node ? this.expr(node) : { kind: 'other', range, calls: [] };
  }

  exprList(nodes: CstNode[], range: Range): A.Expr {
    if (nodes.length === 1) return this.expr(nodes[0]);
    return { kind: 'tuple', range, items: nodes.map((n) => this.expr(n)) };
  }

  expr(node: CstNode): A.Expr {
    if (this.depth >= MAX_NESTING) return { kind: 'other', range: rangeOf(node), calls: [], tooDeep: true };
    this.depth++;
    try {
      return this.lowerExpr(node);
    } finally {
      this.depth--;
    }
  }

  private lowerExpr(node: CstNode): A.Expr {
    const range = rangeOf(node);
    switch (node.type) {
      case 'identifier':
        return { kind: 'name', range, id: this.text(node) };
      case 'attribute': {
        const object = field(node, 'object');
        const attr = field(node, 'attribute');
        return {
          kind: 'attribute', range,
          object: this.exprOr(object, range),
          attr: attr ? this.text(attr) : '',
          attrRange: attr ? rangeOf(attr) : range,
        };
      }
      case 'call':
        return this.call(node);
      case 'integer': {
        const value = Number(this.text(node).replace(/_/g, '').replace(/[lL]$/, ''));
        // Past 2^53 a number no longer holds the integer exactly: unknown.
        return Number.isSafeInteger(value) ? { kind: 'int', range, value } : { kind: 'other', range, calls: [] };
      }
      case 'float':
        return { kind: 'float', range, value: Number(this.text(node).replace(/_/g, '')) };
      case 'string':
        return { kind: 'str', range, value: this.stringValue(node) };
      case 'concatenated_string':
        return { kind: 'str', range, value: namedChildren(node).map((s) => this.stringValue(s)).join('') };
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
        return { kind: node.type, range };
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list':
      case 'list_pattern': {
        // A syntax error among the elements (a stray character such as U+00A0) leaves the element count unknown.
        const items = namedChildren(node);
        if (items.some((n) => n.isError)) return { kind: 'other', range, calls: this.nestedCalls(node) };
        return { kind: node.type === 'list' || node.type === 'list_pattern' ? 'list' : 'tuple', range, items: items.map((n) => this.expr(n)) };
      }
      case 'dictionary': {
        const entries: { key: A.Expr; value: A.Expr }[] = [];
        for (const pair of namedChildren(node)) {
          if (pair.type !== 'pair') continue;
          const key = field(pair, 'key');
          const value = field(pair, 'value');
          if (key && value) entries.push({ key: this.expr(key), value: this.expr(value) });
        }
        return { kind: 'dict', range, entries };
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.expr(inner) : { kind: 'other', range, calls: [] };
      }
      case 'subscript': {
        const value = field(node, 'value');
        return { kind: 'subscript', range, value: this.exprOr(value, range), index: fields(node, 'subscript').map((n) => this.expr(n)) };
      }
      case 'slice':
        return this.slice(node);
      case 'binary_operator': {
        const operator = field(node, 'operator');
        const op = operator ? this.text(operator) : '';
        if (!BINARY_OPS.has(op)) break;
        return { kind: 'binop', range, op, left: this.exprOr(field(node, 'left'), range), right: this.exprOr(field(node, 'right'), range) };
      }
      case 'unary_operator': {
        const operator = field(node, 'operator');
        return { kind: 'unary', range, op: operator ? this.text(operator) : '', operand: this.exprOr(field(node, 'argument'), range) };
      }
      case 'conditional_expression': {
        const parts = namedChildren(node);
        if (parts.length === 3) return { kind: 'conditional', range, body: this.expr(parts[0]), test: this.expr(parts[1]), orelse: this.expr(parts[2]) };
        break;
      }
      case 'list_splat':
      case 'list_splat_pattern': {
        const inner = namedChildren(node)[0];
        return { kind: 'starred', range, value: this.exprOr(inner, range) };
      }
      case 'comparison_operator': {
        const operands = namedChildren(node);
        const ops: string[] = [];
        // Operators are unnamed tokens between the operands (`not in` and `is not` span two tokens).
        for (let i = 1; i < operands.length; i++) ops.push(this.source.slice(operands[i - 1].endIndex, operands[i].startIndex).replace(/[()\s]+/g, ' ').trim());
        if (operands.length < 2) break;
        return { kind: 'compare', range, left: this.expr(operands[0]), ops, comparators: operands.slice(1).map((n) => this.expr(n)) };
      }
      case 'boolean_operator': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const op = this.source.slice(left?.endIndex ?? node.startIndex, right?.startIndex ?? node.endIndex).trim();
        if (!left || !right || (op !== 'and' && op !== 'or')) break;
        return { kind: 'boolop', range, op, left: this.expr(left), right: this.expr(right) };
      }
      case 'not_operator': {
        const arg = field(node, 'argument');
        return { kind: 'unary', range, op: 'not', operand: this.exprOr(arg, range) };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node);
      case 'yield': {
        this.yields++;
        const inner = namedChildren(node)[0];
        return { kind: 'yield', range, value: inner ? this.expr(inner) : undefined, from: /^yield\s+from\b/.test(this.text(node)) };
      }
      case 'keyword_argument':
      case 'as_pattern_target': {
        const inner = namedChildren(node)[0];
        if (inner) return this.expr(inner);
        break;
      }
      default:
        break;
    }
    return { kind: 'other', range, calls: this.nestedCalls(node) };
  }

  /** Calls inside constructs we do not model (comprehensions, lambdas, comparisons) stay visible to rules. */
  nestedCalls(node: CstNode): A.Call[] {
    const out: A.Call[] = [];
    const stack = [...node.children];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'call') out.push(this.call(n));
      else if (n.type !== 'lambda') stack.push(...n.children);
    }
    return out.reverse();
  }

  call(node: CstNode): A.Call {
    const range = rangeOf(node);
    const func = this.exprOr(field(node, 'function'), range);
    const argsNode = field(node, 'arguments');
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let hasStarArgs = false;
    const starArgs: A.Expr[] = [];
    const starKwargs: A.Expr[] = [];
    if (argsNode?.type === 'generator_expression') args.push(this.expr(argsNode));
    else for (const a of argsNode ? namedChildren(argsNode) : []) {
      if (a.type === 'keyword_argument') {
        const name = field(a, 'name');
        const value = field(a, 'value');
        if (name && value) keywords.push({ name: this.text(name), nameRange: rangeOf(name), value: this.expr(value), range: rangeOf(a) });
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        hasStarArgs = true;
        const inner = namedChildren(a)[0];
        if (inner) (a.type === 'list_splat' ? starArgs : starKwargs).push(this.expr(inner));
      } else {
        args.push(this.expr(a));
      }
    }
    return { kind: 'call', range, func, args, keywords, argsRange: argsNode ? rangeOf(argsNode) : range, hasStarArgs, starArgs, starKwargs };
  }

  comprehension(node: CstNode): A.Expr {
    const range = rangeOf(node);
    const body = field(node, 'body');
    const generators: { target: A.Expr; iter: A.Expr; ifs: A.Expr[] }[] = [];
    for (const clause of node.children) {
      if (clause.type === 'if_clause') {
        // An `if` filters the `for` before it; one that cannot be read leaves the comprehension unmodelled.
        const test = clause.children.find((c) => c.named && !isTrivia(c));
        const last = generators[generators.length - 1];
        if (!test || !last) return { kind: 'other', range, calls: this.nestedCalls(node) };
        last.ifs.push(this.expr(test));
        continue;
      }
      if (clause.type !== 'for_in_clause') continue;
      const left = field(clause, 'left');
      const right = field(clause, 'right');
      if (!left || !right) return { kind: 'other', range, calls: this.nestedCalls(node) };
      generators.push({ target: this.expr(left), iter: this.expr(right), ifs: [] });
    }
    if (!body || generators.length === 0) return { kind: 'other', range, calls: this.nestedCalls(node) };
    const container = node.type === 'list_comprehension' ? 'list' : node.type === 'set_comprehension' ? 'set' : node.type === 'dictionary_comprehension' ? 'dict' : 'generator';
    if (body.type === 'pair') {
      const key = field(body, 'key');
      return { kind: 'comprehension', range, container, element: this.exprOr(field(body, 'value'), range), ...(key ? { key: this.expr(key) } : {}), generators };
    }
    return { kind: 'comprehension', range, container, element: this.expr(body), generators };
  }

  slice(node: CstNode): A.Slice {
    const parts: (A.Expr | undefined)[] = [undefined];
    for (const child of node.children) {
      if (!child.named && this.text(child) === ':') parts.push(undefined);
      else if (child.named && !isTrivia(child)) parts[parts.length - 1] = this.expr(child);
    }
    return { kind: 'slice', range: rangeOf(node), start: parts[0], stop: parts[1], step: parts[2] };
  }

  stringValue(node: CstNode): string {
    if (node.children.some((c) => c.type === 'interpolation')) return this.text(node);
    const start = node.children.find((c) => c.type === 'string_start');
    const raw = start !== undefined && /[rR]/.test(this.text(start));
    // The content is read as one leaf, its escape sequences inside it: decoded here, unless the string is raw.
    const text = node.children.filter((c) => c.type === 'string_content' || c.type === 'escape_sequence').map((c) => this.text(c)).join('');
    return raw ? text : text.replace(/\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r?\n|.)/g, unescape);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** A string's escape sequence as the character it stands for; one this does not know stays as written. */
function unescape(text: string): string {
  const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(text);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : text;
  }
  const octal = /^\\([0-7]{1,3})$/.exec(text);
  if (octal) return String.fromCharCode(parseInt(octal[1], 8));
  if (text === '\\\r\n') return '';
  return text.length === 2 && text[1] in ESCAPES ? ESCAPES[text[1]] : text;
}
