// Lowers tree-sitter's concrete Python tree into the small AST of ast.ts.
// Unknown or broken constructs become `other` nodes: lowering never throws.
import type { Range } from '../findings';
import type * as A from './ast';
import { FlatTree, NONE } from './cst';

/** A lowered top-level statement with what it carries for the module: comments and syntax errors. */
export interface LoweredTop {
  stmts: A.Stmt[];
  comments: { line: number; text: string }[];
  errors: Range[];
}

export function lowerTopLevel(tree: FlatTree, source: string): LoweredTop {
  const lowerer = new Lowerer(source, tree);
  const stmts = lowerer.isTrivia(0) ? [] : lowerer.stmt(0);
  lowerer.collect(0);
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
  // Indexed loops: this runs over every position of a file when a line is inserted at its top.
  for (let i = 0; i < positions.length; i++) positions[i].line += lines;
  for (let i = 0; i < top.comments.length; i++) top.comments[i].line += lines;
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

/**
 * Statements and expressions nested deeper than this lower to an unknown expression (or an empty
 * statement): 3,000 brackets or a 1 MB `1+1+…` line must not overflow the stack. Python itself refuses
 * more than 200 nested brackets.
 */
const MAX_NESTING = 100;
/** Decorators kept per definition, and the longest kept (`@property`, `@staticmethod`, `@hidden.setter`). */
const MAX_DECORATORS = 8;
const MAX_DECORATOR_TEXT = 200;

const BINARY_OPS = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);

/**
 * The empty list of a call's keywords, star arguments or an unmodelled expression's calls, shared by every node that
 * has none (most calls pass no `*args`): the lowered tree is read, never written, and a node's arrays are as
 * many objects again as its fields. Typed as mutable only to fit the AST's types.
 */
const NO_EXPRS: A.Expr[] = [];
const NO_CALLS: A.Call[] = [];
const NO_KEYWORDS: A.Keyword[] = [];

/** The stack of Lowerer.collect, kept from one statement to the next. */
const COLLECT_STACK: number[] = [];

/**
 * Lowers one statement copied into a flat tree. Nodes are the tree's indexes (see FlatTree): reading a
 * node's type, field or children reads the tree's arrays, and no object is made per syntax node.
 */
class Lowerer {
  comments: { line: number; text: string }[] = [];
  errors: Range[] = [];
  private depth = 0;
  /** `yield` expressions lowered in the current function body, to tell a generator. */
  private yields = 0;
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;

  constructor(private readonly source: string, private readonly tree: FlatTree) {
    this.firstChild = tree.firstChild;
    this.nextSibling = tree.nextSibling;
  }

  text(node: number): string {
    return this.source.slice(this.tree.starts[node], this.tree.ends[node]);
  }

  type(node: number): string {
    return this.tree.type(node);
  }

  rangeOf(node: number): Range {
    return { start: this.tree.startOf(node), end: this.tree.endOf(node) };
  }

  /**
   * Named nodes that carry no meaning for the program: comments and the backslash of an explicit line
   * join (`nn.LSTM(a, b, \` on one line, `batch_first=True)` on the next), which tree-sitter keeps as
   * an extra named node wherever it stands.
   */
  isTrivia(node: number): boolean {
    const type = this.tree.type(node);
    return type === 'comment' || type === 'line_continuation';
  }

  /** The first child with this field name. */
  field(node: number, name: string): number {
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.field(c) === name) return c;
    return NONE;
  }

  fields(node: number, name: string): number[] {
    const out: number[] = [];
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.field(c) === name) out.push(c);
    return out;
  }

  namedChildren(node: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.named(c) && !this.isTrivia(c)) out.push(c);
    return out;
  }

  /** The first named child that is not trivia, or NONE. */
  firstNamed(node: number): number {
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.named(c) && !this.isTrivia(c)) return c;
    return NONE;
  }

  /** The next named sibling that is not trivia, or NONE. */
  nextNamed(node: number): number {
    for (let c = this.nextSibling[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.named(c) && !this.isTrivia(c)) return c;
    return NONE;
  }

  childOfType(node: number, type: string): number {
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.type(c) === type) return c;
    return NONE;
  }

  children(node: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) out.push(c);
    return out;
  }

  /** Gathers comments and syntax errors anywhere under the node. */
  collect(node: number): void {
    // One stack for every statement (collect never nests): it grows once, to the widest statement.
    const stack = COLLECT_STACK;
    let depth = 0;
    stack[depth++] = node;
    while (depth > 0) {
      const n = stack[--depth];
      if (this.type(n) === 'comment') this.comments.push({ line: this.tree.startOf(n).line, text: this.text(n) });
      else if (this.tree.isError(n)) this.errors.push(this.rangeOf(n));
      for (let c = this.firstChild[n]; c !== NONE; c = this.nextSibling[c]) stack[depth++] = c;
    }
  }

  block(node: number): A.Stmt[] {
    if (node === NONE) return [];
    if (this.type(node) !== 'block') return this.stmt(node);
    const out: A.Stmt[] = [];
    for (let child = this.firstChild[node]; child !== NONE; child = this.nextSibling[child]) {
      if (!this.tree.named(child) || this.isTrivia(child)) continue;
      const stmts = this.stmt(child);
      for (let i = 0; i < stmts.length; i++) out.push(stmts[i]);
    }
    return out;
  }

  stmt(node: number): A.Stmt[] {
    if (this.depth >= MAX_NESTING) return [{ kind: 'other', range: this.rangeOf(node), exprs: [], tooDeep: true }];
    this.depth++;
    try {
      return this.lowerStmt(node);
    } finally {
      this.depth--;
    }
  }

  private lowerStmt(node: number): A.Stmt[] {
    const type = this.type(node);
    // Definitions make their own range; the rest share the statement's.
    switch (type) {
      case 'function_definition':
        return [this.functionDef(node)];
      case 'class_definition':
        return [this.classDef(node)];
      case 'comment':
      case 'line_continuation':
        return [];
      case 'block':
        return this.block(node);
      default:
        break;
    }
    const range = this.rangeOf(node);
    switch (type) {
      case 'expression_statement': {
        // One expression (the usual case) is read without listing the children.
        const only = this.firstNamed(node);
        if (only !== NONE && this.nextNamed(only) === NONE) {
          const onlyType = this.type(only);
          if (onlyType === 'assignment' || onlyType === 'augmented_assignment') return [this.assignment(only, range)];
          return [{ kind: 'expr', range, value: this.expr(only) }];
        }
        const inner = this.namedChildren(node);
        return [{ kind: 'expr', range, value: { kind: 'tuple', range, items: this.exprs(inner, 0) } }];
      }
      case 'return_statement': {
        const inner = this.namedChildren(node);
        return [{ kind: 'return', range, value: inner.length ? this.exprList(inner, range) : undefined }];
      }
      case 'decorated_definition': {
        const def = this.field(node, 'definition');
        if (def === NONE) return [];
        const lowered = this.stmt(def);
        if (lowered.length === 1 && lowered[0].kind === 'def') {
          const decorators: string[] = [];
          for (const child of this.namedChildren(node)) {
            if (this.type(child) !== 'decorator' || decorators.length >= MAX_DECORATORS) continue;
            const expr = this.namedChildren(child)[0];
            const text = expr !== undefined ? this.text(expr) : '';
            if (text.length <= MAX_DECORATOR_TEXT) decorators.push(text);
          }
          if (decorators.length) lowered[0].decorators = decorators;
        }
        return lowered;
      }
      case 'if_statement': {
        return [this.ifChain(node, this.field(node, 'condition'), this.field(node, 'consequence'), this.fields(node, 'alternative'), range)];
      }
      case 'for_statement': {
        const alt = this.field(node, 'alternative');
        return [{
          kind: 'for', range,
          target: this.exprOr(this.field(node, 'left'), range),
          iter: this.exprOr(this.field(node, 'right'), range),
          body: this.block(this.field(node, 'body')),
          // Without an `else:` there is nothing to run after the loop (the loop's own body is not its else).
          orelse: alt !== NONE ? this.block(this.field(alt, 'body')) : [],
        }];
      }
      case 'while_statement':
        return [{ kind: 'while', range, test: this.exprOr(this.field(node, 'condition'), range), body: this.block(this.field(node, 'body')) }];
      case 'with_statement': {
        const clause = this.childOfType(node, 'with_clause');
        const items: { value: A.Expr; target?: A.Expr }[] = [];
        for (const item of clause !== NONE ? this.namedChildren(clause) : []) {
          let value = this.field(item, 'value');
          if (value === NONE) value = this.firstNamed(item);
          if (value === NONE) continue;
          if (this.type(value) === 'as_pattern') {
            const [inner, target] = this.namedChildren(value);
            items.push({
              value: this.exprOr(inner ?? NONE, range),
              target: target !== undefined ? this.exprOr(this.orSelf(this.firstNamed(target), target), range) : undefined,
            });
          } else items.push({ value: this.expr(value) });
        }
        return [{ kind: 'with', range, items, body: this.block(this.field(node, 'body')) }];
      }
      case 'try_statement': {
        const handlers: A.Stmt[][] = [];
        let orelse: A.Stmt[] = [];
        let final: A.Stmt[] = [];
        for (let child = this.firstChild[node]; child !== NONE; child = this.nextSibling[child]) {
          const childType = this.type(child);
          if (childType === 'except_clause' || childType === 'except_group_clause') {
            handlers.push(this.block(this.childOfType(child, 'block')));
          } else if (childType === 'else_clause') orelse = this.block(this.field(child, 'body'));
          else if (childType === 'finally_clause') final = this.block(this.childOfType(child, 'block'));
        }
        return [{ kind: 'try', range, body: this.block(this.field(node, 'body')), handlers, orelse, final }];
      }
      case 'import_statement':
      case 'import_from_statement':
        return [this.importStmt(node, type, range)];
      case 'pass_statement':
        return [{ kind: 'pass', range, exprs: [] }];
      default: {
        // ERROR nodes and statements we do not model: keep any calls inside visible.
        const exprs: A.Expr[] = [];
        for (const child of this.namedChildren(node)) {
          const childType = this.type(child);
          if (childType.endsWith('_statement') || childType === 'function_definition' || childType === 'class_definition') continue;
          exprs.push(this.expr(child));
        }
        return [{ kind: 'other', range, exprs }];
      }
    }
  }

  /*
   * The closures of lowerStmt and lowerExpr live in methods of their own (exprs, importStmt, concatenatedString):
   * an arrow function there reads `this`, which made every call of them, for any node, allocate a context.
   */

  /** The nodes from `from` on, lowered in order. */
  exprs(nodes: number[], from: number): A.Expr[] {
    const out: A.Expr[] = [];
    for (let i = from; i < nodes.length; i++) out.push(this.expr(nodes[i]));
    return out;
  }

  importStmt(node: number, type: string, range: Range): A.Import {
    if (type === 'import_statement') return { kind: 'import', range, names: this.fields(node, 'name').map((n) => this.importName(n)) };
    const moduleNode = this.field(node, 'module_name');
    const module = moduleNode !== NONE ? this.text(moduleNode) : '';
    const names = this.fields(node, 'name').map((n) => {
      const { module: name, alias } = this.importName(n);
      return { module, name, alias };
    });
    if (this.childOfType(node, 'wildcard_import') !== NONE) names.push({ module, name: '*', alias: undefined });
    return { kind: 'import', range, names };
  }

  concatenatedString(node: number, range: Range): A.Expr {
    const strings = this.namedChildren(node);
    if (strings.some((s) => this.childOfType(s, 'interpolation') !== NONE)) return { kind: 'fstring', range, parts: strings.flatMap((s) => this.fstringParts(s)) };
    return { kind: 'str', range, value: strings.map((s) => this.stringValue(s)).join('') };
  }

  /** `node`, or `fallback` when it is NONE. */
  private orSelf(node: number, fallback: number): number {
    return node !== NONE ? node : fallback;
  }

  importName(node: number): { module: string; alias?: string } {
    if (this.type(node) === 'aliased_import') {
      const name = this.field(node, 'name');
      const alias = this.field(node, 'alias');
      return { module: name !== NONE ? this.text(name) : '', alias: alias !== NONE ? this.text(alias) : undefined };
    }
    return { module: this.text(node) };
  }

  ifChain(node: number, condition: number, consequence: number, alternatives: number[], range: Range, next = 0): A.If {
    let orelse: A.Stmt[] = [];
    const first = next < alternatives.length ? alternatives[next] : NONE;
    const firstType = first !== NONE ? this.type(first) : undefined;
    if (firstType === 'elif_clause' && this.depth >= MAX_NESTING) {
      orelse = [{ kind: 'other', range: this.rangeOf(first), exprs: [], tooDeep: true }];
    } else if (firstType === 'elif_clause') {
      this.depth++;
      try {
        orelse = [this.ifChain(first, this.field(first, 'condition'), this.field(first, 'consequence'), alternatives, this.rangeOf(first), next + 1)];
      } finally {
        this.depth--;
      }
    } else if (firstType === 'else_clause') {
      orelse = this.block(this.field(first, 'body'));
    }
    const test = condition !== NONE ? this.expr(condition) : this.exprOr(NONE, this.rangeOf(node));
    return { kind: 'if', range, test, body: this.block(consequence), orelse };
  }

  assignment(node: number, range: Range): A.Assign {
    const targets: A.Expr[] = [];
    let current = node;
    let value: A.Expr | undefined;
    let op: string | undefined;
    if (this.type(node) === 'augmented_assignment') {
      const operator = this.field(node, 'operator');
      op = operator !== NONE ? this.text(operator).replace('=', '') : undefined;
    }
    // `a = b = c` nests: assignment(left a, right assignment(left b, right c)).
    while (current !== NONE) {
      const left = this.field(current, 'left');
      const right = this.field(current, 'right');
      if (left !== NONE) targets.push(this.expr(left));
      if (right !== NONE && this.type(right) === 'assignment') {
        current = right;
        continue;
      }
      if (right !== NONE) value = this.expr(right);
      current = NONE;
    }
    const assign: A.Assign = { kind: 'assign', range, targets, value: value ?? { kind: 'other', range, calls: NO_CALLS }, op };
    if (this.field(node, 'type') !== NONE) assign.annotated = true;
    return assign;
  }

  functionDef(node: number): A.FunctionDef {
    const name = this.field(node, 'name');
    const params = this.params(this.field(node, 'parameters'));
    const outerYields = this.yields;
    this.yields = 0;
    const body = this.block(this.field(node, 'body'));
    const generator = this.yields > 0;
    this.yields = outerYields;
    return {
      kind: 'def',
      range: this.rangeOf(node),
      name: name !== NONE ? this.text(name) : '',
      nameRange: name !== NONE ? this.rangeOf(name) : this.rangeOf(node),
      params,
      body,
      ...(generator ? { generator } : {}),
    };
  }

  /**
   * `lambda params: body` as the function it makes: a def named `<lambda>` whose body returns the expression. A
   * `yield` inside it makes the lambda a generator, not the function around it.
   */
  private lambda(node: number, range: Range): A.Lambda {
    const params = this.params(this.field(node, 'parameters'));
    const outerYields = this.yields;
    this.yields = 0;
    const value = this.exprOr(this.field(node, 'body'), range);
    const generator = this.yields > 0;
    this.yields = outerYields;
    const def: A.FunctionDef = { kind: 'def', range, name: '<lambda>', nameRange: range, params, body: [{ kind: 'return', range: value.range, value }], ...(generator ? { generator } : {}) };
    return { kind: 'lambda', range, def };
  }

  private params(paramsNode: number): A.Param[] {
    const params: A.Param[] = [];
    for (let p = paramsNode !== NONE ? this.firstNamed(paramsNode) : NONE; p !== NONE; p = this.nextNamed(p)) {
      switch (this.type(p)) {
        case 'identifier':
          params.push({ name: this.text(p), range: this.rangeOf(p), variadic: false });
          break;
        case 'default_parameter':
        case 'typed_default_parameter': {
          const n = this.field(p, 'name');
          const v = this.field(p, 'value');
          if (n !== NONE) params.push({ name: this.text(n), range: this.rangeOf(n), default: v !== NONE ? this.expr(v) : undefined, variadic: false });
          break;
        }
        case 'typed_parameter': {
          const inner = this.firstNamed(p);
          if (inner !== NONE && this.type(inner) === 'identifier') params.push({ name: this.text(inner), range: this.rangeOf(inner), variadic: false });
          else if (inner !== NONE) params.push({ name: this.text(inner).replace(/^\*+/, ''), range: this.rangeOf(inner), variadic: true, ...starsOf(this.text(inner)) });
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          params.push({ name: this.text(p).replace(/^\*+/, ''), range: this.rangeOf(p), variadic: true, ...starsOf(this.text(p)) });
          break;
        default:
          break;
      }
    }
    return params;
  }

  classDef(node: number): A.ClassDef {
    const name = this.field(node, 'name');
    const supers = this.field(node, 'superclasses');
    return {
      kind: 'class',
      range: this.rangeOf(node),
      name: name !== NONE ? this.text(name) : '',
      nameRange: name !== NONE ? this.rangeOf(name) : this.rangeOf(node),
      bases: supers !== NONE ? this.namedChildren(supers).filter((c) => this.type(c) !== 'keyword_argument').map((c) => this.expr(c)) : [],
      body: this.block(this.field(node, 'body')),
    };
  }

  exprOr(node: number, range: Range): A.Expr {
    return node !== NONE ? this.expr(node) : { kind: 'other', range, calls: NO_CALLS };
  }

  exprList(nodes: number[], range: Range): A.Expr {
    if (nodes.length === 1) return this.expr(nodes[0]);
    return { kind: 'tuple', range, items: this.exprs(nodes, 0) };
  }

  expr(node: number): A.Expr {
    if (this.depth >= MAX_NESTING) return { kind: 'other', range: this.rangeOf(node), calls: NO_CALLS, tooDeep: true };
    this.depth++;
    try {
      return this.lowerExpr(node);
    } finally {
      this.depth--;
    }
  }

  private lowerExpr(node: number): A.Expr {
    const type = this.type(node);
    // A wrapper lowers to what it holds: its own range is made only when it holds nothing.
    if (type === 'parenthesized_expression' || type === 'keyword_argument' || type === 'as_pattern_target') {
      const inner = this.firstNamed(node);
      if (inner !== NONE) return this.expr(inner);
    }
    const range = this.rangeOf(node);
    switch (type) {
      case 'identifier':
        return { kind: 'name', range, id: this.text(node) };
      case 'attribute': {
        const object = this.field(node, 'object');
        const attr = this.field(node, 'attribute');
        return hoistStar({
          kind: 'attribute', range,
          object: this.exprOr(object, range),
          attr: attr !== NONE ? this.text(attr) : '',
          attrRange: attr !== NONE ? this.rangeOf(attr) : range,
        });
      }
      case 'call':
        return hoistStar(this.call(node, range));
      case 'lambda':
        return this.lambda(node, range);
      case 'integer': {
        const value = Number(integerDigits(this.text(node)));
        // Past 2^53 a number no longer holds the integer exactly: unknown.
        return Number.isSafeInteger(value) ? { kind: 'int', range, value } : { kind: 'other', range, calls: NO_CALLS };
      }
      case 'float':
        return { kind: 'float', range, value: Number(this.text(node).replace(/_/g, '')) };
      case 'string':
        if (this.childOfType(node, 'interpolation') !== NONE) return { kind: 'fstring', range, parts: this.fstringParts(node) };
        return { kind: 'str', range, value: this.stringValue(node) };
      case 'concatenated_string': {
        return this.concatenatedString(node, range);
      }
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
        return { kind: type as A.Const['kind'], range };
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list':
      case 'list_pattern': {
        // A syntax error among the elements (a stray character such as U+00A0) leaves the element count unknown.
        // Read twice over the children, rather than through a list of them.
        for (let c = this.firstNamed(node); c !== NONE; c = this.nextNamed(c)) if (this.tree.isError(c)) return { kind: 'other', range, calls: this.nestedCalls(node) };
        const items: A.Expr[] = [];
        for (let c = this.firstNamed(node); c !== NONE; c = this.nextNamed(c)) items.push(this.expr(c));
        return { kind: type === 'list' || type === 'list_pattern' ? 'list' : 'tuple', range, items };
      }
      case 'dictionary': {
        const entries: { key: A.Expr; value: A.Expr }[] = [];
        const splats: { at: number; value: A.Expr }[] = [];
        for (const pair of this.namedChildren(node)) {
          if (this.type(pair) === 'dictionary_splat') {
            const inner = this.firstNamed(pair);
            splats.push({ at: entries.length, value: inner !== NONE ? this.expr(inner) : { kind: 'other', range: this.rangeOf(pair), calls: NO_CALLS } });
            continue;
          }
          if (this.type(pair) !== 'pair') continue;
          const key = this.field(pair, 'key');
          const value = this.field(pair, 'value');
          if (key !== NONE && value !== NONE) entries.push({ key: this.expr(key), value: this.expr(value) });
        }
        return splats.length ? { kind: 'dict', range, entries, splats } : { kind: 'dict', range, entries };
      }
      case 'parenthesized_expression': {
        const inner = this.firstNamed(node);
        return inner !== NONE ? this.expr(inner) : { kind: 'other', range, calls: NO_CALLS };
      }
      case 'subscript': {
        const value = this.field(node, 'value');
        const object = this.exprOr(value, range);
        const index: A.Expr[] = [];
        for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) if (this.tree.field(c) === 'subscript') index.push(this.expr(c));
        return hoistStar({ kind: 'subscript', range, value: object, index });
      }
      case 'slice':
        return this.slice(node, range);
      case 'binary_operator': {
        const operator = this.field(node, 'operator');
        const op = operator !== NONE ? this.text(operator) : '';
        if (!BINARY_OPS.has(op)) break;
        return { kind: 'binop', range, op, left: this.exprOr(this.field(node, 'left'), range), right: this.exprOr(this.field(node, 'right'), range) };
      }
      case 'unary_operator': {
        const operator = this.field(node, 'operator');
        return { kind: 'unary', range, op: operator !== NONE ? this.text(operator) : '', operand: this.exprOr(this.field(node, 'argument'), range) };
      }
      case 'conditional_expression': {
        const parts = this.namedChildren(node);
        if (parts.length === 3) return { kind: 'conditional', range, body: this.expr(parts[0]), test: this.expr(parts[1]), orelse: this.expr(parts[2]) };
        break;
      }
      case 'list_splat':
      case 'list_splat_pattern': {
        const inner = this.firstNamed(node);
        return { kind: 'starred', range, value: this.exprOr(inner, range) };
      }
      case 'comparison_operator': {
        const operands = this.namedChildren(node);
        const ops: string[] = [];
        const starts = this.tree.starts;
        const ends = this.tree.ends;
        // Operators are unnamed tokens between the operands (`not in` and `is not` span two tokens).
        for (let i = 1; i < operands.length; i++) ops.push(this.source.slice(ends[operands[i - 1]], starts[operands[i]]).replace(/[()\s]+/g, ' ').trim());
        if (operands.length < 2) break;
        return { kind: 'compare', range, left: this.expr(operands[0]), ops, comparators: this.exprs(operands, 1) };
      }
      case 'boolean_operator': {
        const left = this.field(node, 'left');
        const right = this.field(node, 'right');
        const from = left !== NONE ? this.tree.ends[left] : this.tree.starts[node];
        const to = right !== NONE ? this.tree.starts[right] : this.tree.ends[node];
        const op = this.source.slice(from, to).trim();
        if (left === NONE || right === NONE || (op !== 'and' && op !== 'or')) break;
        return { kind: 'boolop', range, op, left: this.expr(left), right: this.expr(right) };
      }
      case 'not_operator': {
        const arg = this.field(node, 'argument');
        return { kind: 'unary', range, op: 'not', operand: this.exprOr(arg, range) };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(node, range);
      case 'yield': {
        this.yields++;
        const inner = this.firstNamed(node);
        return { kind: 'yield', range, value: inner !== NONE ? this.expr(inner) : undefined, from: /^yield\s+from\b/.test(this.text(node)) };
      }
      case 'keyword_argument':
      case 'as_pattern_target': {
        const inner = this.firstNamed(node);
        if (inner !== NONE) return this.expr(inner);
        break;
      }
      default:
        break;
    }
    return { kind: 'other', range, calls: this.nestedCalls(node) };
  }

  /** Calls inside constructs we do not model (comprehensions, lambdas, comparisons) stay visible to rules. */
  nestedCalls(node: number): A.Call[] {
    const out: A.Call[] = [];
    const stack = this.children(node);
    while (stack.length) {
      const n = stack.pop()!;
      const type = this.type(n);
      if (type === 'call') out.push(this.call(n, this.rangeOf(n)));
      else if (type !== 'lambda') for (let c = this.firstChild[n]; c !== NONE; c = this.nextSibling[c]) stack.push(c);
    }
    return out.length ? out.reverse() : NO_CALLS;
  }

  call(node: number, range: Range): A.Call {
    const func = this.exprOr(this.field(node, 'function'), range);
    const argsNode = this.field(node, 'arguments');
    const args: A.Expr[] = [];
    // Made at their first item: most calls have no keywords, and hardly any star arguments.
    let keywords: A.Keyword[] | undefined;
    let hasStarArgs = false;
    let starArgs: A.Expr[] | undefined;
    let starKwargs: A.Expr[] | undefined;
    if (argsNode !== NONE && this.type(argsNode) === 'generator_expression') args.push(this.expr(argsNode));
    else if (argsNode !== NONE) {
      for (let a = this.firstChild[argsNode]; a !== NONE; a = this.nextSibling[a]) {
        if (!this.tree.named(a) || this.isTrivia(a)) continue;
        const type = this.type(a);
        if (type === 'keyword_argument') {
          const name = this.field(a, 'name');
          const value = this.field(a, 'value');
          if (name !== NONE && value !== NONE) (keywords ??= []).push({ name: this.text(name), nameRange: this.rangeOf(name), value: this.expr(value), range: this.rangeOf(a) });
        } else if (type === 'list_splat' || type === 'dictionary_splat') {
          hasStarArgs = true;
          const inner = this.firstNamed(a);
          if (inner !== NONE) {
            if (type === 'list_splat') (starArgs ??= []).push(this.expr(inner));
            else (starKwargs ??= []).push(this.expr(inner));
          }
        } else {
          args.push(this.expr(a));
        }
      }
    }
    return {
      kind: 'call', range, func, args,
      keywords: keywords ?? NO_KEYWORDS,
      argsRange: argsNode !== NONE ? this.rangeOf(argsNode) : range,
      hasStarArgs,
      starArgs: starArgs ?? NO_EXPRS,
      starKwargs: starKwargs ?? NO_EXPRS,
    };
  }

  comprehension(node: number, range: Range): A.Expr {
    const body = this.field(node, 'body');
    const generators: { target: A.Expr; iter: A.Expr; ifs: A.Expr[] }[] = [];
    for (let clause = this.firstChild[node]; clause !== NONE; clause = this.nextSibling[clause]) {
      const clauseType = this.type(clause);
      if (clauseType === 'if_clause') {
        // An `if` filters the `for` before it; one that cannot be read leaves the comprehension unmodelled.
        const test = this.firstNamed(clause);
        const last = generators[generators.length - 1];
        if (test === NONE || !last) return { kind: 'other', range, calls: this.nestedCalls(node) };
        last.ifs.push(this.expr(test));
        continue;
      }
      if (clauseType !== 'for_in_clause') continue;
      const left = this.field(clause, 'left');
      const right = this.field(clause, 'right');
      if (left === NONE || right === NONE) return { kind: 'other', range, calls: this.nestedCalls(node) };
      generators.push({ target: this.expr(left), iter: this.expr(right), ifs: [] });
    }
    if (body === NONE || generators.length === 0) return { kind: 'other', range, calls: this.nestedCalls(node) };
    const type = this.type(node);
    const container = type === 'list_comprehension' ? 'list' : type === 'set_comprehension' ? 'set' : type === 'dictionary_comprehension' ? 'dict' : 'generator';
    if (this.type(body) === 'pair') {
      const key = this.field(body, 'key');
      return { kind: 'comprehension', range, container, element: this.exprOr(this.field(body, 'value'), range), ...(key !== NONE ? { key: this.expr(key) } : {}), generators };
    }
    return { kind: 'comprehension', range, container, element: this.expr(body), generators };
  }

  slice(node: number, range: Range): A.Slice {
    const parts: (A.Expr | undefined)[] = [undefined];
    for (let child = this.firstChild[node]; child !== NONE; child = this.nextSibling[child]) {
      const named = this.tree.named(child);
      if (!named && this.text(child) === ':') parts.push(undefined);
      else if (named && !this.isTrivia(child)) parts[parts.length - 1] = this.expr(child);
    }
    return { kind: 'slice', range, start: parts[0], stop: parts[1], step: parts[2] };
  }

  /** An f-string's literal pieces (decoded, `{{` read as `{`) and replacement fields; a plain string is one piece. */
  fstringParts(node: number): (string | A.FStringField)[] {
    const start = this.childOfType(node, 'string_start');
    const formatted = start !== NONE && /[fF]/.test(this.text(start));
    const raw = start !== NONE && /[rR]/.test(this.text(start));
    const parts: (string | A.FStringField)[] = [];
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) {
      const type = this.type(c);
      if (type === 'string_content' || type === 'escape_sequence') {
        let text = this.text(c);
        if (!raw && text.includes('\\')) text = text.replace(/\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r?\n|.)/g, unescape);
        parts.push(formatted ? text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : text);
      } else if (type === 'interpolation') {
        // Its children are read by type (the tree keeps no field names under an interpolation).
        const conversion = this.childOfType(c, 'type_conversion');
        const spec = this.childOfType(c, 'format_specifier');
        const expression = this.namedChildren(c).find((k) => k !== conversion && k !== spec) ?? NONE;
        // `{x=}` (the tree may keep no node for its `=`): what follows the expression starts with `=`.
        const whole = this.text(c);
        const written = expression !== NONE ? this.text(expression) : '';
        const selfDocumenting = whole.slice(whole.indexOf(written) + written.length).trimStart().startsWith('=');
        const nested = spec !== NONE && this.childOfType(spec, 'format_expression') !== NONE;
        parts.push({
          expr: this.exprOr(expression, this.rangeOf(c)),
          ...(conversion !== NONE ? { conversion: this.text(conversion).slice(1) } : {}),
          ...(spec !== NONE ? { spec: this.text(spec).slice(1) } : {}),
          ...(selfDocumenting || nested || expression === NONE ? { opaque: true } : {}),
        });
      }
    }
    return parts;
  }

  stringValue(node: number): string {
    if (this.childOfType(node, 'interpolation') !== NONE) return this.text(node);
    const start = this.childOfType(node, 'string_start');
    const raw = start !== NONE && /[rR]/.test(this.text(start));
    // The content is read as one leaf, its escape sequences inside it: decoded here, unless the string is raw.
    let text = '';
    for (let c = this.firstChild[node]; c !== NONE; c = this.nextSibling[c]) {
      const type = this.type(c);
      if (type === 'string_content' || type === 'escape_sequence') text += this.text(c);
    }
    // Only a backslash starts an escape: most strings have none, and are kept as read.
    return raw || !text.includes('\\') ? text : text.replace(/\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r?\n|.)/g, unescape);
  }
}

/** Which kind of variadic parameter a `*args` or `**kwargs` is, from its text. */
function starsOf(text: string): { stars?: 1 | 2 } {
  return text.startsWith('**') ? { stars: 2 } : text.startsWith('*') ? { stars: 1 } : {};
}

/** An integer literal's text without its digit separators and Python 2 `L` suffix, as Number reads it. */
function integerDigits(text: string): string {
  const digits = text.includes('_') ? text.replace(/_/g, '') : text;
  const last = digits.charCodeAt(digits.length - 1);
  return last === 108 || last === 76 ? digits.slice(0, -1) : digits;
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

/**
 * tree-sitter reads `*x.shape` in a tuple written without brackets (`b, n, h = *x.shape, heads`) as `(*x).shape`. A
 * starred object of an attribute, subscript or call is never Python, so the star moves out to the whole primary:
 * `*(x.shape)`, as Python reads it.
 */
function hoistStar(e: A.Expr): A.Expr {
  const inner = e.kind === 'attribute' ? e.object : e.kind === 'subscript' ? e.value : e.kind === 'call' ? e.func : undefined;
  if (inner?.kind !== 'starred') return e;
  const range = { start: inner.value.range.start, end: e.range.end };
  const primary: A.Expr = e.kind === 'attribute' ? { ...e, object: inner.value, range } : e.kind === 'subscript' ? { ...e, value: inner.value, range } : { ...(e as A.Call), func: inner.value, range };
  return { kind: 'starred', range: e.range, value: primary };
}
