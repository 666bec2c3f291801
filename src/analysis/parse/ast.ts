// A small Python syntax tree: just what shape inference reads, in plain objects.
// It is lowered from tree-sitter's concrete tree (see lower.ts) so that the
// interpreter never crosses into wasm, and so that unchanged top-level statements
// can be reused after an edit.
import type { Range } from '../findings';

interface NodeBase {
  range: Range;
}

export interface Name extends NodeBase { kind: 'name'; id: string }
export interface Attribute extends NodeBase { kind: 'attribute'; object: Expr; attr: string; attrRange: Range }
export interface Keyword { name: string; nameRange: Range; value: Expr; range: Range }
export interface Call extends NodeBase {
  kind: 'call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
  /** Range of the parenthesised argument list, for inserting arguments. */
  argsRange: Range;
  /** `*args` or `**kwargs` present: the call's arguments are not all visible. */
  hasStarArgs: boolean;
  /** The expressions after `*` and `**`, which may still be known sequences and dicts. */
  starArgs: Expr[];
  starKwargs: Expr[];
}
/** `a < b == c`, `x is None`, `k in d`. */
export interface Compare extends NodeBase { kind: 'compare'; left: Expr; ops: string[]; comparators: Expr[] }
/** `a and b`, `a or b`. */
export interface BoolOp extends NodeBase { kind: 'boolop'; op: 'and' | 'or'; left: Expr; right: Expr }
/** `[elt for target in iter if …]` and its set, dict and generator siblings. */
export interface Comprehension extends NodeBase {
  kind: 'comprehension';
  container: 'list' | 'set' | 'dict' | 'generator';
  element: Expr;
  /** A dict comprehension's key (`{k: v for …}`); `element` is its value. */
  key?: Expr;
  /** Each `for target in iter`, with the `if` conditions that follow it before the next `for`. */
  generators: { target: Expr; iter: Expr; ifs: Expr[] }[];
}
export interface Num extends NodeBase { kind: 'int' | 'float'; value: number }
export interface Str extends NodeBase { kind: 'str'; value: string }
/**
 * An f-string: its literal text and its replacement fields in order. A field's `spec` is its format specifier as
 * written; `opaque` marks a field whose text cannot be computed here (`{x=}`, a specifier with a nested field).
 */
export interface FString extends NodeBase { kind: 'fstring'; parts: (string | FStringField)[] }
export interface FStringField { expr: Expr; conversion?: string; spec?: string; opaque?: boolean }
export interface Const extends NodeBase { kind: 'true' | 'false' | 'none' | 'ellipsis' }
export interface Sequence extends NodeBase { kind: 'tuple' | 'list'; items: Expr[] }
/** `splats`: the `**mapping` items of the display, each after the first `at` entries (`{**base, 'lr': 0.1}`). */
export interface Dict extends NodeBase { kind: 'dict'; entries: { key: Expr; value: Expr }[]; splats?: { at: number; value: Expr }[] }
export interface Slice extends NodeBase { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr }
export interface Subscript extends NodeBase { kind: 'subscript'; value: Expr; index: Expr[] }
export interface BinOp extends NodeBase { kind: 'binop'; op: string; left: Expr; right: Expr }
export interface UnaryOp extends NodeBase { kind: 'unary'; op: string; operand: Expr }
export interface Conditional extends NodeBase { kind: 'conditional'; body: Expr; test: Expr; orelse: Expr }
export interface Starred extends NodeBase { kind: 'starred'; value: Expr }
/** `lambda params: value`, as the def it makes (named `<lambda>`, its body one `return value`). */
export interface Lambda extends NodeBase { kind: 'lambda'; def: FunctionDef }
/** Anything else the interpreter does not model (a walrus, `await`, a syntax error…). */
/** `tooDeep`: nested past the lowering's limit, so not lowered at all. */
export interface OtherExpr extends NodeBase { kind: 'other'; calls: Call[]; tooDeep?: boolean }

export type Expr =
  | Name | Attribute | Call | Num | Str | FString | Const | Sequence | Dict | Slice | Subscript
  | BinOp | UnaryOp | Conditional | Starred | Comprehension | Compare | BoolOp | Yield | Lambda | OtherExpr;
/** `yield value` (`from`: `yield from iterable`). Its own value is whatever the caller sends: unknown. */
export interface Yield extends NodeBase { kind: 'yield'; value?: Expr; from: boolean }

export interface Param {
  name: string;
  range: Range;
  default?: Expr;
  /** `*args` / `**kwargs`. */
  variadic: boolean;
  /** Which of the two a variadic parameter is: 1 for `*args`, 2 for `**kwargs`; absent for a bare `*`. */
  stars?: 1 | 2;
}

export interface FunctionDef extends NodeBase {
  kind: 'def';
  name: string;
  nameRange: Range;
  params: Param[];
  body: Stmt[];
  /** A `yield` in its own body (not a nested def's) makes it a generator: a call returns the sequence of yielded values. */
  generator?: boolean;
  /** Its decorators as written, without the `@` (`property`, `staticmethod`, `hidden.setter`); at most MAX_DECORATORS. */
  decorators?: string[];
}
export interface ClassDef extends NodeBase {
  kind: 'class';
  name: string;
  nameRange: Range;
  bases: Expr[];
  body: Stmt[];
}
export interface Assign extends NodeBase {
  kind: 'assign';
  /** `a = b = value` gives two targets. */
  targets: Expr[];
  value: Expr;
  /** Augmented assignment operator such as `+`, absent for `=`. */
  op?: string;
  /** `name: type` or `name: type = value`: a field of a typing.NamedTuple or a dataclass when written in a class. */
  annotated?: true;
}
export interface ExprStmt extends NodeBase { kind: 'expr'; value: Expr }
export interface Return extends NodeBase { kind: 'return'; value?: Expr }
export interface If extends NodeBase { kind: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface For extends NodeBase { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
export interface While extends NodeBase { kind: 'while'; test: Expr; body: Stmt[] }
export interface With extends NodeBase { kind: 'with'; items: { value: Expr; target?: Expr }[]; body: Stmt[] }
export interface Try extends NodeBase { kind: 'try'; body: Stmt[]; handlers: Stmt[][]; orelse: Stmt[]; final: Stmt[] }
export interface Import extends NodeBase {
  kind: 'import';
  /** `import a.b as c` → { module: 'a.b', alias: 'c' }; `from a import b as c` → { module: 'a', name: 'b', alias: 'c' }. */
  names: { module: string; name?: string; alias?: string }[];
}
export interface OtherStmt extends NodeBase { kind: 'pass' | 'other'; exprs: Expr[]; tooDeep?: boolean }

export type Stmt =
  | FunctionDef | ClassDef | Assign | ExprStmt | Return | If | For | While | With | Try | Import | OtherStmt;

export interface Module {
  body: Stmt[];
  /** Ranges where tree-sitter found a syntax error; analysis goes on around them. */
  syntaxErrors: Range[];
  /** Line → rule codes suppressed there (`# seqlens: ignore[SL101]`); an empty set suppresses all. */
  suppressions: Map<number, Set<string>>;
  /**
   * The body by top-level node, in order (a decorated definition or `a; b` on one line is one group). A group
   * that did not change since the last parse of the same document is the same array.
   */
  groups?: Stmt[][];
}
