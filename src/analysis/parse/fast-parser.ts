// A hand-written parser for the cold parse of a Python file: it fills the same flat tree as the copy of
// tree-sitter's tree (cst.ts), one top-level statement at a time, with tree-sitter-python's node types, fields,
// offsets and comment placement, so that the unchanged lowering reads it. It is exact or it refuses: any
// construct it does not reproduce exactly as tree-sitter-python does (a syntax error, Python 2 statements,
// `match`, unusual string prefixes, non-ASCII outside strings and comments, odd indentation) throws
// `Refused`, and the caller parses the whole text with tree-sitter instead.
//
// Comments and line continuations (tree-sitter's extras) go where tree-sitter puts them: into the smallest
// node holding a token before and a token after them, counting the hidden newline, indent and dedent tokens.
// Read left to right, that is the node a token or child is being added to when the extra was read before it
// (`flush`). Whether a comment after the last line of an indented block sits in the block or after it follows
// tree-sitter-python's scanner: comments are taken into the block while the first of them is indented at least
// as deep as the block (see `endOfLine`).
//
// The lexer (tokens, extras, brackets, indentation) is the base class, in fast-lexer.ts.
import { CstNode, FlatTree, giveBackFlatTree, LineIndex, NONE, reuseOrLower, Tables, takeFlatTree } from './cst';
import {
  CH_A, CH_AMP, CH_AT, CH_BACKSLASH, CH_BANG, CH_CARET, CH_COLON, CH_COMMA, CH_CR, CH_DOT, CH_DQUOTE, CH_EQ, CH_GT,
  CH_LBRACE, CH_LBRACKET, CH_LF, CH_LPAREN, CH_LT, CH_MINUS, CH_PERCENT, CH_PIPE, CH_PLUS, CH_RBRACE, CH_RBRACKET,
  CH_RPAREN, CH_SEMI, CH_SLASH, CH_SPACE, CH_SQUOTE, CH_STAR, CH_TAB, CH_TILDE, CH_UPPER_N, CH_Z, FastLexer,
  isIdentPart, K_AND, K_AS, K_ASSERT, K_ASYNC, K_AWAIT, K_BREAK, K_CLASS, K_CONTINUE, K_DEF, K_DEL, K_ELIF, K_ELSE,
  K_EXCEPT, K_FALSE, K_FINALLY, K_FOR, K_FROM, K_GLOBAL, K_IF, K_IMPORT, K_IN, K_IS, K_LAMBDA, K_NONE, K_NONLOCAL,
  K_NOT, K_OR, K_PASS, K_RAISE, K_RETURN, K_TRUE, K_TRY, K_WHILE, K_WITH, K_YIELD, OP_ARROW, OP_AUG, OP_ELLIPSIS,
  OP_EQ, OP_FLOORDIV, OP_GE, OP_LE, OP_LTGT, OP_NE, OP_POW, OP_SHL, OP_SHR, OP_WALRUS, Refused, T_EOF, T_FLOAT, T_INT,
  T_KW, T_NAME, T_NEWLINE, T_OP, T_STRING,
} from './fast-lexer';

export { Refused };

/** Which star operands splatElement takes besides a name. */
const SPLAT_ANY = 0;
const SPLAT_NAME = 1;
const SPLAT_FIRST = 2;

/** Binary operators' precedences in tree-sitter-python (not Python's: `^` binds tighter than `&` there). */
function binaryPrecedence(op: number): number {
  switch (op) {
    case CH_PIPE: return 14;
    case CH_AMP: return 15;
    case CH_CARET: return 16;
    case OP_SHL: case OP_SHR: return 17;
    case CH_PLUS: case CH_MINUS: return 18;
    case CH_STAR: case CH_AT: case CH_SLASH: case CH_PERCENT: case OP_FLOORDIV: return 19;
    case OP_POW: return 21;
    default: return -1;
  }
}

/** The node types, fields and tokens the parser makes, by name. */
interface Ids {
  [name: string]: number;
}

const NODE_TYPES = [
  'identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'string', 'string_start', 'string_content',
  'string_end', 'interpolation', 'format_specifier', 'format_expression', 'type_conversion', 'concatenated_string',
  'comment', 'line_continuation', 'attribute', 'subscript', 'slice', 'call', 'argument_list', 'keyword_argument',
  'list_splat', 'dictionary_splat', 'parenthesized_expression', 'tuple', 'list', 'set', 'dictionary', 'pair',
  'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'for_in_clause',
  'if_clause', 'binary_operator', 'unary_operator', 'not_operator', 'boolean_operator', 'comparison_operator',
  'conditional_expression', 'lambda', 'lambda_parameters', 'named_expression', 'await', 'yield', 'expression_list',
  'pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'dictionary_splat_pattern', 'as_pattern',
  'as_pattern_target', 'expression_statement', 'assignment', 'augmented_assignment', 'type', 'return_statement',
  'pass_statement', 'break_statement', 'continue_statement', 'delete_statement', 'raise_statement',
  'global_statement', 'nonlocal_statement', 'assert_statement', 'import_statement', 'import_from_statement',
  'future_import_statement', 'dotted_name', 'aliased_import', 'relative_import', 'import_prefix', 'wildcard_import',
  'if_statement', 'elif_clause', 'else_clause', 'for_statement', 'while_statement', 'try_statement', 'except_clause',
  'finally_clause', 'with_statement', 'with_clause', 'with_item', 'function_definition', 'parameters',
  'default_parameter', 'typed_parameter', 'typed_default_parameter', 'keyword_separator', 'positional_separator',
  'class_definition', 'decorated_definition', 'decorator', 'block', 'generic_type', 'type_parameter', 'union_type',
];

const TOKENS = [';', '+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>', '~', ':', '+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '&=', '|=', '^=', '>>=', '<<='];

const FIELDS = ['expression', 'format_specifier', 'type_conversion', 'alias', 'alternative', 'argument', 'arguments', 'attribute', 'body', 'cause', 'condition', 'consequence', 'definition', 'function', 'key', 'left', 'module_name', 'name', 'object', 'operator', 'parameters', 'return_type', 'right', 'subscript', 'superclasses', 'type', 'value'];

interface Resolved {
  types: Ids;
  tokens: Ids;
  fields: Ids;
}

const resolvedByTables = new WeakMap<Tables, Resolved | null>();

/** The ids of the names the parser uses, looked up once per language; null if one is missing. */
function resolve(tables: Tables): Resolved | null {
  let resolved = resolvedByTables.get(tables);
  if (resolved !== undefined) return resolved;
  const find = (name: string, named: boolean): number => {
    for (let id = 0; id < tables.types.length; id++) if (tables.types[id] === name && tables.named[id] === named) return id;
    return -1;
  };
  const types: Ids = {};
  const tokens: Ids = {};
  const fields: Ids = {};
  let ok = true;
  for (const name of NODE_TYPES) if ((types[name] = find(name, true)) < 0) ok = false;
  for (const name of TOKENS) if ((tokens[name] = find(name, false)) < 0) ok = false;
  for (const name of FIELDS) if ((fields[name] = tables.fields.indexOf(name)) <= 0) ok = false;
  resolved = ok ? { types, tokens, fields } : null;
  resolvedByTables.set(tables, resolved);
  return resolved;
}

/** Whether the fast parser can fill trees of this language (its node types and fields are all there). */
export function fastParserSupports(tables: Tables): boolean {
  return resolve(tables) !== null;
}

/** Where a statement list closes: what follows it and where (see endOfLine). */
const enum Line {
  Same,
  Dedent,
}

/**
 * One text's parse. `next(tree)` copies the next top-level node (a statement, or a comment between statements)
 * into the flat tree and returns true, or returns false at the end. Throws Refused.
 */
export class FastParser extends FastLexer {
  private tree: FlatTree;
  private readonly t: Ids;
  private readonly tok: Ids;
  private readonly f: Ids;
  private readonly noFields: boolean[];
  /** End of the last token taken or extra placed. */
  private prevEnd = 0;
  /** Extras placed at module level, each its own top-level node, in order. */
  private queueType: number[] = [];
  private queueStart: number[] = [];
  private queueEnd: number[] = [];
  private queueAt = 0;
  /** At top level: in the middle of a line of `;`-separated statements. */
  private midLine = false;

  constructor(source: string, tree: FlatTree) {
    const ids = resolve(tree.tables);
    if (!ids) throw new Refused('language', 0);
    super(source, ids.types.comment, ids.types.line_continuation);
    this.tree = tree;
    this.t = ids.types;
    this.tok = ids.tokens;
    this.f = ids.fields;
    this.noFields = tree.tables.noFields;
  }

  // ---------------------------------------------------------------- tree building

  /** Places the pending extras in `owner` (NONE: the module) and clears them. */
  private flush(owner: number): void {
    const count = this.pendingType.length;
    if (count === 0) return;
    for (let i = 0; i < count; i++) {
      const start = this.pendingStart[i];
      const end = this.pendingEnd[i];
      if (owner === NONE) {
        this.queueType.push(this.pendingType[i]);
        this.queueStart.push(start);
        this.queueEnd.push(end);
      } else this.tree.add(owner, this.pendingType[i], 0, start, end, false);
      this.prevEnd = end;
    }
    this.pendingType.length = 0;
    this.pendingStart.length = 0;
    this.pendingEnd.length = 0;
  }

  private fieldIn(parent: number, field: number): number {
    return parent !== NONE && this.noFields[this.tree.typeIds[parent]] ? 0 : field;
  }

  /** Opens a node at the waiting token, as the last child of `parent`. */
  private open(parent: number, type: number, field: number): number {
    this.peek();
    this.flush(parent);
    return this.tree.add(parent, type, this.fieldIn(parent, field), this.ts, this.ts, false);
  }

  private close(node: number): number {
    this.tree.ends[node] = this.prevEnd;
    return node;
  }

  /** Takes the waiting token as part of `owner` (not kept). */
  private take(owner: number): void {
    this.peek();
    this.flush(owner);
    // The scanner's newline token is empty, right after the last token or comment: it does not end a node.
    if (this.tk !== T_NEWLINE) this.prevEnd = this.te;
    this.pos = this.te;
    this.has = false;
    this.lineStart = this.tk === T_NEWLINE;
    this.closable = this.closesAfter();
  }

  /** Whether a closing bracket may follow the waiting token (an element ends with it, or a list may end there). */
  private closesAfter(): boolean {
    switch (this.tk) {
      case T_NAME: case T_INT: case T_FLOAT:
        return true;
      case T_KW:
        return this.tv === K_TRUE || this.tv === K_FALSE || this.tv === K_NONE;
      case T_OP:
        switch (this.tv) {
          case CH_LPAREN: case CH_LBRACKET: case CH_LBRACE: case CH_RPAREN: case CH_RBRACKET: case CH_RBRACE: case CH_COMMA: case OP_ELLIPSIS:
            return true;
          default:
            return false;
        }
      default:
        return false;
    }
  }

  /** Takes the waiting token as a leaf node of `parent`. */
  private leaf(parent: number, type: number, field: number): number {
    this.peek();
    this.flush(parent);
    const node = this.tree.add(parent, type, this.fieldIn(parent, field), this.ts, this.te, false);
    this.take(parent);
    return node;
  }

  /** Takes an operator token, kept (as tree-sitter's copy keeps it) when the parent keeps its tokens. */
  private operator(parent: number, field: number): void {
    this.peek();
    this.flush(parent);
    if (this.tree.tables.keepsTokens[this.tree.typeIds[parent]]) {
      const id = this.tok[this.src.slice(this.ts, this.te)];
      if (id === undefined) this.refuse('operator', this.ts);
      this.tree.add(parent, id, this.fieldIn(parent, field), this.ts, this.te, false);
    }
    this.take(parent);
  }

  /** `node` (the last child of its parent, complete) becomes the first child of a new node in its place. */
  private wrap(node: number, type: number, innerField: number): number {
    this.tree.wrap(node, type, this.noFields[type] ? 0 : innerField);
    return node;
  }

  /** The first child of a node made by `wrap`. */
  private inner(node: number): number {
    return this.tree.firstChild[node];
  }

  /** Moves all children of `node` under a new node, its only child, with field `field` (in `node`). */
  private wrapChildren(node: number, type: number, field: number): number {
    const tree = this.tree;
    const first = tree.firstChild[node];
    const last = tree.lastChild[node];
    const made = tree.add(NONE, type, this.fieldIn(node, field), tree.starts[first], tree.ends[last], false);
    tree.firstChild[made] = first;
    tree.lastChild[made] = last;
    tree.firstChild[node] = made;
    tree.lastChild[node] = made;
    if (this.noFields[type]) for (let c = first; c !== NONE; c = tree.nextSibling[c]) tree.fieldIds[c] = 0;
    return made;
  }

  private isOp(code: number): boolean {
    return this.peek() === T_OP && this.tv === code;
  }

  private isKw(code: number): boolean {
    return this.peek() === T_KW && this.tv === code;
  }

  private expectOp(owner: number, code: number): void {
    if (!this.isOp(code)) this.refuse('expected ' + (code < 256 ? String.fromCharCode(code) : code), this.ts);
    this.take(owner);
  }

  private expectKw(owner: number, code: number): void {
    if (!this.isKw(code)) this.refuse('expected keyword', this.ts);
    this.take(owner);
  }

  private typeOf(node: number): number {
    return this.tree.typeIds[node];
  }

  // ---------------------------------------------------------------- top level

  /** Copies the next top-level node into the tree (cleared first); false at the end of the text. */
  next(tree: FlatTree): boolean {
    this.tree = tree;
    tree.clear();
    if (this.queueAt < this.queueType.length) return this.emitQueued();
    this.queueType.length = this.queueStart.length = this.queueEnd.length = this.queueAt = 0;
    if (this.midLine) {
      this.simpleTopLevel();
      return true;
    }
    // Between statements: blank lines and comments, then a statement at column 0.
    const kind = this.peek();
    if (this.pendingType.length) {
      this.flush(NONE);
      return this.emitQueued();
    }
    if (kind === T_EOF) return false;
    if (this.indentBefore(this.ts) !== 0) this.refuse('indented statement at top level', this.ts);
    if (this.isCompound()) {
      this.compound(NONE, 0);
      this.afterCompound(0);
    } else this.simpleTopLevel();
    return true;
  }

  private emitQueued(): boolean {
    const i = this.queueAt++;
    this.tree.add(NONE, this.queueType[i], 0, this.queueStart[i], this.queueEnd[i], false);
    return true;
  }

  /** One simple statement at top level: a node of its own; a `;` or the newline after it goes to the module. */
  private simpleTopLevel(): void {
    this.simpleStatement(NONE);
    this.midLine = false;
    if (this.isOp(CH_SEMI)) {
      // A `;` between top-level statements is a node of the module's, as the copy of tree-sitter's tree keeps it.
      this.flush(NONE);
      this.queueType.push(this.tok[';']);
      this.queueStart.push(this.ts);
      this.queueEnd.push(this.te);
      this.take(NONE);
      const k = this.peek();
      if (k !== T_NEWLINE && k !== T_EOF) {
        this.midLine = true;
        return;
      }
    }
    this.endOfSimpleLine(NONE);
  }

  /** The newline ending a line of simple statements (taken into `owner`, with the comment before it). */
  private endOfSimpleLine(owner: number): void {
    const k = this.peek();
    if (k === T_NEWLINE) this.take(owner);
    else if (k === T_EOF) {
      this.flush(owner);
      this.has = false;
      this.pos = this.n;
      this.lineStart = true;
    } else this.refuse('expected end of line', this.ts);
  }

  /** After a compound statement at top level, the next line of code must be at column 0. */
  private afterCompound(level: number): void {
    if (this.has) return;
    this.scanLines(this.pos);
    if (this.lineIndent > level) this.refuse('unexpected indent', this.lineCode);
  }

  /**
   * After a line of a block indented `level` (the lexer at its end): takes the comment lines that the scanner
   * puts in the block, and returns whether the block goes on (Line.Same) or ends (Line.Dedent).
   */
  private endOfLine(block: number, level: number): Line {
    if (this.has) this.refuse('lookahead at end of line', this.ts);
    for (;;) {
      this.scanLines(this.pos);
      if (this.lineIndent === level) return Line.Same;
      if (this.lineIndent > level) this.refuse('unexpected indent', this.lineCode);
      if (this.lineCommentIndent === -1 || this.lineCommentIndent < level) return Line.Dedent;
      // A comment indented at least as deep as the block, before the dedent: it is the block's.
      const comment = this.lineComment;
      let e = this.src.indexOf('\n', comment);
      if (e === -1) e = this.n;
      this.pendingType.push(this.t.comment);
      this.pendingStart.push(comment);
      this.pendingEnd.push(e);
      this.flush(block);
      this.pos = e;
      this.lineStart = true;
    }
  }

  /** Whether the next line of code, at `level`, starts with the keyword that continues a compound statement. */
  private continues(level: number, keyword: number): boolean {
    if (this.has) return this.tk === T_KW && this.tv === keyword;
    this.scanLines(this.pos);
    if (this.lineIndent !== level) return false;
    const kw = this.keywordAt(this.lineCode);
    if (kw !== keyword) return false;
    this.peek();
    return this.tk === T_KW && this.tv === keyword;
  }

  // ---------------------------------------------------------------- statements

  private isCompound(): boolean {
    const k = this.peek();
    if (k === T_OP) return this.tv === CH_AT;
    if (k !== T_KW) return false;
    switch (this.tv) {
      case K_IF: case K_FOR: case K_WHILE: case K_TRY: case K_WITH: case K_DEF: case K_CLASS: case K_ASYNC:
        return true;
      default:
        return false;
    }
  }

  /** The statements of a block indented `level`, from its first statement to its dedent. */
  private blockBody(block: number, level: number): void {
    for (;;) {
      if (this.indentBefore(this.peek() === T_EOF ? this.refuse('end in block') : this.ts) !== level) this.refuse('indentation', this.ts);
      if (this.isCompound()) {
        this.compound(block, level);
        if (this.has) this.refuse('lookahead after compound statement', this.ts);
      } else this.simpleLine(block);
      if (this.endOfLine(block, level) === Line.Dedent) return;
    }
  }

  /** `;`-separated simple statements and their newline, in a block. */
  private simpleLine(block: number): void {
    for (;;) {
      this.simpleStatement(block);
      if (!this.isOp(CH_SEMI)) break;
      this.take(block);
      const k = this.peek();
      if (k === T_NEWLINE || k === T_EOF) break;
    }
    this.endOfSimpleLine(block);
  }

  /** A compound statement's suite after its colon: an indented block or statements on the same line. */
  private suite(owner: number, field: number, level: number): void {
    const k = this.peek();
    if (k === T_NEWLINE || k === T_EOF) {
      if (k === T_EOF) this.refuse('empty suite', this.ts);
      // The newline is no token here: the scanner gives an indent instead, taken into the statement.
      this.scanLines(this.ts);
      const indent = this.lineIndent;
      if (indent <= level) this.refuse('no indented block', this.lineCode);
      this.flush(owner);
      this.has = false;
      this.pos = this.ts;
      this.lineStart = true;
      this.indents.push(indent);
      const block = this.open(owner, this.t.block, field);
      this.blockBody(block, indent);
      this.close(block);
      this.indents.pop();
      return;
    }
    if (this.isCompound()) this.refuse('compound statement after colon', this.ts);
    const block = this.open(owner, this.t.block, field);
    this.simpleLine(block);
    this.close(block);
  }

  private compound(parent: number, level: number): void {
    this.peek();
    if (this.tk === T_OP) return this.decorated(parent, level);
    switch (this.tv) {
      case K_IF: return this.ifStatement(parent, level);
      case K_FOR: return this.forStatement(parent, level);
      case K_WHILE: return this.whileStatement(parent, level);
      case K_TRY: return this.tryStatement(parent, level);
      case K_WITH: return this.withStatement(parent, level);
      case K_DEF: return void this.functionDefinition(parent, level, 0);
      case K_CLASS: return void this.classDefinition(parent, level, 0);
      case K_ASYNC: {
        const kw = this.keywordAt(this.skipBlanks(this.te));
        if (kw === K_DEF) return void this.functionDefinition(parent, level, 0);
        if (kw === K_FOR) return this.forStatement(parent, level);
        if (kw === K_WITH) return this.withStatement(parent, level);
        return this.refuse('async', this.ts);
      }
      default:
        this.refuse('statement', this.ts);
    }
  }

  private ifStatement(parent: number, level: number): void {
    const s = this.open(parent, this.t.if_statement, 0);
    this.take(s);
    this.expression(s, this.f.condition);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.consequence, level);
    for (;;) {
      if (this.continues(level, K_ELIF)) {
        const e = this.open(s, this.t.elif_clause, this.f.alternative);
        this.take(e);
        this.expression(e, this.f.condition);
        this.expectOp(e, CH_COLON);
        this.suite(e, this.f.consequence, level);
        this.close(e);
        continue;
      }
      if (this.continues(level, K_ELSE)) this.elseClause(s, this.f.alternative, level);
      break;
    }
    this.close(s);
  }

  private elseClause(parent: number, field: number, level: number): void {
    const e = this.open(parent, this.t.else_clause, field);
    this.take(e);
    this.expectOp(e, CH_COLON);
    this.suite(e, this.f.body, level);
    this.close(e);
  }

  private forStatement(parent: number, level: number): void {
    const s = this.open(parent, this.t.for_statement, 0);
    if (this.isKw(K_ASYNC)) this.take(s);
    this.expectKw(s, K_FOR);
    this.targets(s, this.f.left);
    this.expectKw(s, K_IN);
    this.expressions(s, this.f.right, false);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    if (this.continues(level, K_ELSE)) this.elseClause(s, this.f.alternative, level);
    this.close(s);
  }

  private whileStatement(parent: number, level: number): void {
    const s = this.open(parent, this.t.while_statement, 0);
    this.take(s);
    this.expression(s, this.f.condition);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    if (this.continues(level, K_ELSE)) this.elseClause(s, this.f.alternative, level);
    this.close(s);
  }

  private tryStatement(parent: number, level: number): void {
    const s = this.open(parent, this.t.try_statement, 0);
    this.take(s);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    let handlers = 0;
    while (this.continues(level, K_EXCEPT)) {
      handlers++;
      const e = this.open(s, this.t.except_clause, 0);
      this.take(e);
      if (this.isOp(CH_STAR)) this.refuse('except*', this.ts);
      if (!this.isOp(CH_COLON)) {
        const value = this.expression(e, this.f.value);
        if (this.isKw(K_AS)) this.asPattern(value);
        else if (this.isOp(CH_COMMA)) this.refuse('except with comma', this.ts);
      }
      this.expectOp(e, CH_COLON);
      this.suite(e, 0, level);
      this.close(e);
    }
    if (handlers > 0 && this.continues(level, K_ELSE)) this.elseClause(s, 0, level);
    if (this.continues(level, K_FINALLY)) {
      const e = this.open(s, this.t.finally_clause, 0);
      this.take(e);
      this.expectOp(e, CH_COLON);
      this.suite(e, 0, level);
      this.close(e);
    } else if (handlers === 0) this.refuse('try without handlers', this.pos);
    this.close(s);
  }

  private withStatement(parent: number, level: number): void {
    const s = this.open(parent, this.t.with_statement, 0);
    if (this.isKw(K_ASYNC)) this.take(s);
    this.expectKw(s, K_WITH);
    if (this.isOp(CH_LPAREN)) this.refuse('parenthesized with', this.ts);
    const clause = this.open(s, this.t.with_clause, 0);
    for (;;) {
      const item = this.open(clause, this.t.with_item, 0);
      const value = this.expression(item, this.f.value);
      if (this.isKw(K_AS)) this.asPattern(value);
      this.close(item);
      if (!this.isOp(CH_COMMA)) break;
      this.take(clause);
    }
    this.close(clause);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    this.close(s);
  }

  /** `value as target` (the waiting token is `as`): an as_pattern in the value's place. */
  private asPattern(value: number): void {
    const pattern = this.wrap(value, this.t.as_pattern, 0);
    this.take(pattern);
    const target = this.open(pattern, this.t.as_pattern_target, this.f.alias);
    this.expression(target, 0);
    this.close(target);
    this.close(pattern);
  }

  private functionDefinition(parent: number, level: number, field: number): number {
    const s = this.open(parent, this.t.function_definition, field);
    if (this.isKw(K_ASYNC)) this.take(s);
    this.expectKw(s, K_DEF);
    this.name(s, this.f.name);
    if (!this.isOp(CH_LPAREN)) this.refuse('type parameters', this.ts);
    const params = this.open(s, this.t.parameters, this.f.parameters);
    this.take(params);
    this.depth++;
    this.parameterList(params, true, CH_RPAREN);
    this.depth--;
    this.expectOp(params, CH_RPAREN);
    this.close(params);
    if (this.isOp(OP_ARROW)) {
      this.take(s);
      this.typeNode(s, this.f.return_type);
    }
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    return this.close(s);
  }

  /**
   * A type annotation. `Name[...]` is a generic_type there, its parameters types themselves; anything after it
   * (`List[int] | None`) is refused.
   */
  private typeNode(parent: number, field: number): void {
    const type = this.open(parent, this.t.type, field);
    if (this.tk === T_NAME && this.src.charCodeAt(this.te) === CH_LBRACKET) {
      const generic = this.open(type, this.t.generic_type, 0);
      this.leaf(generic, this.t.identifier, 0);
      const params = this.open(generic, this.t.type_parameter, 0);
      this.take(params);
      this.depth++;
      for (;;) {
        this.typeNode(params, 0);
        if (!this.isOp(CH_COMMA)) break;
        this.take(params);
        if (this.isOp(CH_RBRACKET)) break;
      }
      this.depth--;
      this.expectOp(params, CH_RBRACKET);
      this.close(params);
      this.close(generic);
      // `List[int] | None`: a union_type of two types.
      if (this.isOp(CH_PIPE)) {
        const union = this.wrap(this.wrap(generic, this.t.type, 0), this.t.union_type, 0);
        this.take(union);
        this.typeNode(union, 0);
        this.close(union);
        const right = this.tree.firstChild[this.tree.lastChild[union]];
        const rightType = this.typeOf(right);
        if (rightType !== this.t.identifier && rightType !== this.t.none && rightType !== this.t.generic_type) this.refuse('union type', this.tree.starts[right]);
      }
      const k = this.peek();
      if (k === T_OP && (this.tv === CH_DOT || this.tv === CH_LPAREN || this.tv === CH_LBRACKET || binaryPrecedence(this.tv) >= 0 || this.tv === CH_LT || this.tv === CH_GT)) this.refuse('generic type in an expression', this.ts);
      if (k === T_KW && (this.tv === K_IF || this.tv === K_AND || this.tv === K_OR || this.tv === K_IN || this.tv === K_IS || this.tv === K_NOT)) this.refuse('generic type in an expression', this.ts);
    } else this.expression(type, 0);
    this.close(type);
  }

  /** Parameters up to the closing token `end` (`)` of a definition, `:` of a lambda). */
  private parameterList(parent: number, typed: boolean, end: number): void {
    while (!this.isOp(end)) {
      const k = this.peek();
      if (k === T_OP && (this.tv === CH_STAR || this.tv === OP_POW)) {
        const double = this.tv === OP_POW;
        if (!double && this.isSeparatorAfter(this.te)) {
          this.leaf(parent, this.t.keyword_separator, 0);
        } else {
          const splat = this.open(parent, double ? this.t.dictionary_splat_pattern : this.t.list_splat_pattern, 0);
          this.take(splat);
          this.name(splat, 0);
          this.close(splat);
          if (typed && this.isOp(CH_COLON)) {
            const typedParam = this.wrap(splat, this.t.typed_parameter, 0);
            this.take(typedParam);
            this.typeNode(typedParam, this.f.type);
            this.close(typedParam);
          }
        }
      } else if (k === T_OP && this.tv === CH_SLASH) {
        this.leaf(parent, this.t.positional_separator, 0);
      } else if (k === T_NAME) {
        const name = this.name(parent, 0);
        if (typed && this.isOp(CH_COLON)) {
          const param = this.wrap(name, this.t.typed_parameter, 0);
          this.take(param);
          this.typeNode(param, this.f.type);
          if (this.isOp(CH_EQ)) {
            this.tree.typeIds[param] = this.t.typed_default_parameter;
            this.tree.fieldIds[this.inner(param)] = this.f.name;
            this.take(param);
            this.expression(param, this.f.value);
          }
          this.close(param);
        } else if (this.isOp(CH_EQ)) {
          const param = this.wrap(name, this.t.default_parameter, this.f.name);
          this.take(param);
          this.expression(param, this.f.value);
          this.close(param);
        }
      } else this.refuse('parameter', this.ts);
      if (!this.isOp(CH_COMMA)) break;
      this.take(parent);
    }
  }

  /** Whether a `*` at `p` stands alone (a keyword-only marker): a comma or closing follows. */
  private isSeparatorAfter(p: number): boolean {
    p = this.skipBlanks(p);
    const c = this.src.charCodeAt(p);
    return c === CH_COMMA || c === CH_RPAREN || c === CH_COLON;
  }

  private classDefinition(parent: number, level: number, field: number): number {
    const s = this.open(parent, this.t.class_definition, field);
    this.take(s);
    this.name(s, this.f.name);
    if (this.isOp(CH_LBRACKET)) this.refuse('type parameters', this.ts);
    if (this.isOp(CH_LPAREN)) this.argumentList(s, this.f.superclasses, false);
    this.expectOp(s, CH_COLON);
    this.suite(s, this.f.body, level);
    return this.close(s);
  }

  private decorated(parent: number, level: number): void {
    const s = this.open(parent, this.t.decorated_definition, 0);
    while (this.isOp(CH_AT)) {
      const d = this.open(s, this.t.decorator, 0);
      this.take(d);
      this.expression(d, 0);
      if (this.peek() !== T_NEWLINE) this.refuse('decorator', this.ts);
      this.take(d);
      this.close(d);
      this.scanLines(this.pos);
      if (this.lineIndent !== level) this.refuse('decorator indentation', this.lineCode);
    }
    if (this.isKw(K_CLASS)) this.classDefinition(s, level, this.f.definition);
    else if (this.isKw(K_DEF) || (this.isKw(K_ASYNC) && this.keywordAt(this.skipBlanks(this.te)) === K_DEF)) this.functionDefinition(s, level, this.f.definition);
    else this.refuse('decorated statement', this.ts);
    this.close(s);
  }

  private name(parent: number, field: number): number {
    if (this.peek() !== T_NAME) this.refuse('expected a name', this.ts);
    return this.leaf(parent, this.t.identifier, field);
  }

  /** A simple statement, as the last child of `parent` (NONE: a top-level node). */
  private simpleStatement(parent: number): void {
    const k = this.peek();
    if (k === T_KW) {
      switch (this.tv) {
        case K_PASS: return void this.leaf(parent, this.t.pass_statement, 0);
        case K_BREAK: return void this.leaf(parent, this.t.break_statement, 0);
        case K_CONTINUE: return void this.leaf(parent, this.t.continue_statement, 0);
        case K_RETURN: {
          const s = this.open(parent, this.t.return_statement, 0);
          this.take(s);
          if (this.startsExpression()) this.expressions(s, 0, false);
          this.close(s);
          return;
        }
        case K_DEL: {
          const s = this.open(parent, this.t.delete_statement, 0);
          this.take(s);
          this.expressions(s, 0, false);
          this.close(s);
          return;
        }
        case K_RAISE: {
          const s = this.open(parent, this.t.raise_statement, 0);
          this.take(s);
          if (this.startsExpression()) this.expressions(s, 0, false);
          if (this.isKw(K_FROM)) {
            this.take(s);
            this.expression(s, this.f.cause);
          }
          this.close(s);
          return;
        }
        case K_GLOBAL:
        case K_NONLOCAL: {
          const s = this.open(parent, this.tv === K_GLOBAL ? this.t.global_statement : this.t.nonlocal_statement, 0);
          this.take(s);
          for (;;) {
            this.name(s, 0);
            if (!this.isOp(CH_COMMA)) break;
            this.take(s);
          }
          this.close(s);
          return;
        }
        case K_ASSERT: {
          const s = this.open(parent, this.t.assert_statement, 0);
          this.take(s);
          for (;;) {
            this.expression(s, 0);
            if (!this.isOp(CH_COMMA)) break;
            this.take(s);
          }
          this.close(s);
          return;
        }
        case K_IMPORT: return this.importStatement(parent);
        case K_FROM: return this.fromImport(parent);
        default:
          break;
      }
    }
    if (k === T_NAME) this.checkSoftKeyword();
    this.expressionStatement(parent);
  }

  /** `print x`, `exec code`, `match x:`, `type X = …`: refused unless the name is plainly used as a name. */
  private checkSoftKeyword(): void {
    const len = this.te - this.ts;
    if (len !== 4 && len !== 5) return;
    const word = this.src.slice(this.ts, this.te);
    if (word !== 'print' && word !== 'exec' && word !== 'match' && word !== 'type') return;
    const c = this.src.charCodeAt(this.skipBlanks(this.te));
    const d = this.src.charCodeAt(this.skipBlanks(this.te) + 1);
    if (c === CH_DOT || (c === CH_EQ && d !== CH_EQ)) return;
    if (c === CH_LPAREN && (word === 'print' || word === 'exec' || word === 'type')) return;
    this.refuse('soft keyword statement', this.ts);
  }

  private importStatement(parent: number): void {
    const s = this.open(parent, this.t.import_statement, 0);
    this.take(s);
    this.importList(s, false);
    this.close(s);
  }

  private importList(s: number, parenthesized: boolean): void {
    for (;;) {
      const name = this.dottedName(s, this.f.name);
      if (this.isKw(K_AS)) {
        const aliased = this.wrap(name, this.t.aliased_import, this.f.name);
        this.take(aliased);
        this.name(aliased, this.f.alias);
        this.close(aliased);
      }
      if (!this.isOp(CH_COMMA)) break;
      this.take(s);
      if (parenthesized && this.isOp(CH_RPAREN)) break;
      if (!parenthesized && (this.peek() === T_NEWLINE || this.tk === T_EOF)) break;
    }
  }

  private dottedName(parent: number, field: number): number {
    const d = this.open(parent, this.t.dotted_name, field);
    for (;;) {
      this.name(d, 0);
      if (!this.isOp(CH_DOT)) break;
      this.take(d);
    }
    return this.close(d);
  }

  private fromImport(parent: number): void {
    // `from __future__ import …` is a statement type of its own.
    const future = this.src.startsWith('__future__', this.skipBlanks(this.te)) && !isIdentPart(this.src.charCodeAt(this.skipBlanks(this.te) + 10));
    const s = this.open(parent, future ? this.t.future_import_statement : this.t.import_from_statement, 0);
    this.take(s);
    if (future) this.take(s);
    else if (this.isOp(CH_DOT) || this.isOp(OP_ELLIPSIS)) {
      if (this.tv === OP_ELLIPSIS) this.refuse('relative import with three dots', this.ts);
      const relative = this.open(s, this.t.relative_import, this.f.module_name);
      const prefix = this.open(relative, this.t.import_prefix, 0);
      while (this.isOp(CH_DOT)) this.take(prefix);
      if (this.isOp(OP_ELLIPSIS)) this.refuse('relative import with three dots', this.ts);
      this.close(prefix);
      if (this.peek() === T_NAME) this.dottedName(relative, 0);
      this.close(relative);
    } else this.dottedName(s, this.f.module_name);
    this.expectKw(s, K_IMPORT);
    if (this.isOp(CH_STAR)) {
      if (future) this.refuse('future import *', this.ts);
      this.leaf(s, this.t.wildcard_import, 0);
    } else if (this.isOp(CH_LPAREN)) {
      this.take(s);
      this.depth++;
      this.importList(s, true);
      this.depth--;
      this.expectOp(s, CH_RPAREN);
    } else this.importList(s, false);
    this.close(s);
  }

  /** An expression statement, an assignment or an augmented assignment. */
  private expressionStatement(parent: number): void {
    const s = this.open(parent, this.t.expression_statement, 0);
    if (this.isKw(K_YIELD)) {
      this.yieldExpression(s, 0);
      this.close(s);
      return;
    }
    let count = 0;
    let trailing = false;
    for (;;) {
      this.starOrExpression(s, 0);
      count++;
      trailing = false;
      if (!this.isOp(CH_COMMA)) break;
      this.take(s);
      trailing = true;
      if (!this.startsExpression()) break;
    }
    const k = this.peek();
    if (k === T_OP && (this.tv === CH_EQ || this.tv === CH_COLON || this.tv === OP_AUG)) {
      const op = this.tv;
      if (count > 1 || trailing) {
        if (op !== CH_EQ) this.refuse('annotated tuple', this.ts);
        this.toPatterns(s);
        // With its trailing comma, if any.
        this.tree.ends[this.wrapChildren(s, this.t.pattern_list, 0)] = this.prevEnd;
      } else this.toPattern(this.tree.firstChild[s]);
      const assignment = this.wrapChildren(s, op === OP_AUG ? this.t.augmented_assignment : this.t.assignment, 0);
      const left = this.tree.firstChild[assignment];
      this.tree.fieldIds[left] = this.f.left;
      if (op === OP_AUG) {
        this.operator(assignment, this.f.operator);
        this.rightHandSide(assignment, false);
      } else if (op === CH_COLON) {
        this.take(assignment);
        this.typeNode(assignment, this.f.type);
        if (this.isOp(CH_EQ)) {
          this.take(assignment);
          this.rightHandSide(assignment, true);
        }
      } else {
        this.take(assignment);
        this.rightHandSide(assignment, true);
      }
      this.close(assignment);
    }
    this.close(s);
  }

  /** The right side of `=` (chained `a = b = c` nests assignments) or of an augmented assignment. */
  private rightHandSide(assignment: number, chained: boolean): void {
    const chain: number[] = [];
    let owner = assignment;
    for (;;) {
      let right: number;
      if (this.isKw(K_YIELD)) right = this.yieldExpression(owner, this.f.right);
      else right = this.expressions(owner, this.f.right, true);
      if (!this.isOp(CH_EQ)) break;
      if (!chained) this.refuse('chained augmented assignment', this.ts);
      if (this.typeOf(right) === this.t.yield) this.refuse('yield target', this.ts);
      this.toPattern(right);
      owner = this.wrap(right, this.t.assignment, this.f.left);
      chain.push(owner);
      this.take(owner);
    }
    for (let i = chain.length - 1; i >= 0; i--) this.close(chain[i]);
    if (this.isOp(CH_COLON) || this.peek() === T_OP && this.tv === OP_AUG) this.refuse('assignment', this.ts);
  }

  private yieldExpression(parent: number, field: number): number {
    const y = this.open(parent, this.t.yield, field);
    this.take(y);
    if (this.isKw(K_FROM)) {
      this.take(y);
      this.expression(y, 0);
    } else if (this.startsExpression()) this.expressions(y, 0, false);
    return this.close(y);
  }

  /** Turns an assignment target read as an expression into tree-sitter's pattern nodes, or refuses. */
  private toPattern(node: number): void {
    const type = this.typeOf(node);
    const t = this.t;
    if (type === t.identifier || type === t.attribute || type === t.subscript || type === t.list_splat_pattern) return;
    if (type === t.pattern_list || type === t.tuple_pattern || type === t.list_pattern) {
      // Already a pattern (loop targets); its items still need converting.
    } else if (type === t.tuple || type === t.parenthesized_expression) this.tree.typeIds[node] = t.tuple_pattern;
    else if (type === t.list) this.tree.typeIds[node] = t.list_pattern;
    else if (type === t.expression_list) this.tree.typeIds[node] = t.pattern_list;
    else if (type === t.list_splat) {
      const inner = this.firstNamed(node);
      const innerType = this.typeOf(inner);
      if (innerType !== t.identifier && innerType !== t.attribute && innerType !== t.subscript) this.refuse('star target', this.tree.starts[node]);
      this.tree.typeIds[node] = t.list_splat_pattern;
      return;
    } else this.refuse('assignment target', this.tree.starts[node]);
    this.toPatterns(node);
  }

  private toPatterns(node: number): void {
    for (let c = this.tree.firstChild[node]; c !== NONE; c = this.tree.nextSibling[c]) {
      const type = this.typeOf(c);
      if (type !== this.t.comment && type !== this.t.line_continuation) this.toPattern(c);
    }
  }

  private firstNamed(node: number): number {
    for (let c = this.tree.firstChild[node]; c !== NONE; c = this.tree.nextSibling[c]) {
      const type = this.typeOf(c);
      if (type !== this.t.comment && type !== this.t.line_continuation && this.tree.tables.named[type]) return c;
    }
    return NONE;
  }

  /** Loop or comprehension targets: `a`, `a, b`, `(a, b)`, `*rest`, up to `in`. */
  private targets(parent: number, field: number): number {
    let first = this.target(parent, field);
    if (this.isOp(CH_COMMA)) {
      first = this.wrap(first, this.t.pattern_list, 0);
      while (this.isOp(CH_COMMA)) {
        this.take(first);
        if (this.isKw(K_IN)) break;
        this.target(first, 0);
      }
      this.close(first);
    }
    this.toPattern(first);
    return first;
  }

  private target(parent: number, field: number): number {
    if (this.isOp(CH_STAR)) {
      const splat = this.open(parent, this.t.list_splat, field);
      this.take(splat);
      this.primary(splat, 0);
      return this.close(splat);
    }
    return this.primary(parent, field);
  }

  // ---------------------------------------------------------------- expressions

  private startsExpression(): boolean {
    const k = this.peek();
    switch (k) {
      case T_NAME: case T_INT: case T_FLOAT: case T_STRING:
        return true;
      case T_KW:
        switch (this.tv) {
          case K_NOT: case K_LAMBDA: case K_AWAIT: case K_TRUE: case K_FALSE: case K_NONE:
            return true;
          default:
            return false;
        }
      case T_OP:
        switch (this.tv) {
          case CH_LPAREN: case CH_LBRACKET: case CH_LBRACE: case CH_MINUS: case CH_PLUS: case CH_TILDE: case CH_STAR: case OP_ELLIPSIS:
            return true;
          default:
            return false;
        }
      default:
        return false;
    }
  }

  /** An expression, or a comma list of them (an expression_list); `star` allows `*a` items. */
  private expressions(parent: number, field: number, star: boolean): number {
    let node = star ? this.starOrExpression(parent, field) : this.expression(parent, field);
    if (this.isOp(CH_COMMA)) {
      node = this.wrap(node, this.t.expression_list, 0);
      while (this.isOp(CH_COMMA)) {
        this.take(node);
        if (!this.startsExpression()) break;
        if (star) this.starOrExpression(node, 0);
        else this.expression(node, 0);
      }
      this.close(node);
    }
    return node;
  }

  /** `*a` (a list_splat of a name, attribute or subscript) or an expression. */
  private starOrExpression(parent: number, field: number): number {
    if (this.isOp(CH_STAR)) {
      // Outside brackets `*x` is a primary of its own: `*x.shape` is an attribute of `*x` there. Only `*name` is read.
      const splat = this.open(parent, this.t.list_splat, field);
      this.take(splat);
      if (this.peek() !== T_NAME) this.refuse('star expression', this.ts);
      this.leaf(splat, this.t.identifier, 0);
      if (this.peek() === T_OP && (this.tv === CH_DOT || this.tv === CH_LPAREN || this.tv === CH_LBRACKET)) this.refuse('star expression', this.ts);
      return this.close(splat);
    }
    return this.expression(parent, field);
  }

  /** A full expression: lambda, conditional, walrus, boolean operators. */
  private expression(parent: number, field: number): number {
    if (this.isKw(K_LAMBDA)) return this.lambda(parent, field);
    let node = this.orExpression(parent, field);
    if (this.isKw(K_IF)) {
      node = this.wrap(node, this.t.conditional_expression, 0);
      this.take(node);
      this.orExpression(node, 0);
      this.expectKw(node, K_ELSE);
      this.expression(node, 0);
      this.close(node);
    } else if (this.isOp(OP_WALRUS)) {
      if (this.typeOf(node) !== this.t.identifier) this.refuse('walrus target', this.ts);
      node = this.wrap(node, this.t.named_expression, this.f.name);
      this.take(node);
      this.expression(node, this.f.value);
      this.close(node);
    }
    return node;
  }

  private lambda(parent: number, field: number): number {
    const node = this.open(parent, this.t.lambda, field);
    this.take(node);
    if (!this.isOp(CH_COLON)) {
      const params = this.open(node, this.t.lambda_parameters, this.f.parameters);
      this.parameterList(params, false, CH_COLON);
      this.close(params);
    }
    this.expectOp(node, CH_COLON);
    this.expression(node, this.f.body);
    return this.close(node);
  }

  /** `a or b` over `and` operands, or (`and`) `a and b` over `not` operands: left-associative chains. */
  private orExpression(parent: number, field: number, and = false): number {
    let node = and ? this.notExpression(parent, field) : this.orExpression(parent, field, true);
    while (this.isKw(and ? K_AND : K_OR)) {
      node = this.wrap(node, this.t.boolean_operator, this.f.left);
      this.take(node);
      if (and) this.notExpression(node, this.f.right);
      else this.orExpression(node, this.f.right, true);
      this.close(node);
    }
    return node;
  }

  private notExpression(parent: number, field: number): number {
    if (this.isKw(K_NOT)) {
      const node = this.open(parent, this.t.not_operator, field);
      this.take(node);
      this.notExpression(node, this.f.argument);
      return this.close(node);
    }
    return this.comparison(parent, field);
  }

  private comparisonOperator(): boolean {
    const k = this.peek();
    if (k === T_OP) {
      const v = this.tv;
      return v === CH_LT || v === CH_GT || v === OP_EQ || v === OP_NE || v === OP_LE || v === OP_GE || v === OP_LTGT;
    }
    return k === T_KW && (this.tv === K_IN || this.tv === K_IS || this.tv === K_NOT);
  }

  private comparison(parent: number, field: number): number {
    let node = this.binary(parent, field, 14);
    if (!this.comparisonOperator()) return node;
    node = this.wrap(node, this.t.comparison_operator, 0);
    while (this.comparisonOperator()) {
      if (this.tk === T_OP && this.tv === OP_LTGT) this.refuse('<>', this.ts);
      if (this.tk === T_KW && this.tv === K_NOT) {
        this.take(node);
        this.expectKw(node, K_IN);
      } else if (this.tk === T_KW && this.tv === K_IS) {
        this.take(node);
        if (this.isKw(K_NOT)) this.take(node);
      } else this.take(node);
      this.binary(node, 0, 14);
    }
    return this.close(node);
  }

  private binary(parent: number, field: number, min: number): number {
    let node = this.unary(parent, field);
    for (;;) {
      if (this.peek() !== T_OP) return node;
      const prec = binaryPrecedence(this.tv);
      if (prec < min) return node;
      node = this.wrap(node, this.t.binary_operator, this.f.left);
      this.operator(node, this.f.operator);
      this.binary(node, this.f.right, prec === 21 ? 21 : prec + 1);
      this.close(node);
    }
  }

  private unary(parent: number, field: number): number {
    const k = this.peek();
    if (k === T_OP && (this.tv === CH_MINUS || this.tv === CH_PLUS || this.tv === CH_TILDE)) {
      const node = this.open(parent, this.t.unary_operator, field);
      this.operator(node, this.f.operator);
      this.binary(node, this.f.argument, 21);
      return this.close(node);
    }
    if (k === T_KW && this.tv === K_AWAIT) {
      const node = this.open(parent, this.t.await, field);
      this.take(node);
      this.binary(node, 0, 21);
      return this.close(node);
    }
    return this.primary(parent, field);
  }

  /** An atom with its trailers: attributes, calls, subscripts. */
  private primary(parent: number, field: number): number {
    let node = this.atom(parent, field);
    for (;;) {
      if (this.peek() !== T_OP) return node;
      const v = this.tv;
      if (v === CH_DOT) {
        node = this.wrap(node, this.t.attribute, this.f.object);
        this.take(node);
        this.name(node, this.f.attribute);
        this.close(node);
      } else if (v === CH_LPAREN) {
        node = this.wrap(node, this.t.call, this.f.function);
        this.argumentList(node, this.f.arguments, true);
        this.close(node);
      } else if (v === CH_LBRACKET) {
        node = this.wrap(node, this.t.subscript, this.f.value);
        this.take(node);
        this.depth++;
        for (;;) {
          this.subscriptItem(node);
          if (!this.isOp(CH_COMMA)) break;
          this.take(node);
          if (this.isOp(CH_RBRACKET)) break;
        }
        this.depth--;
        this.expectOp(node, CH_RBRACKET);
        this.close(node);
      } else return node;
    }
  }

  private subscriptItem(parent: number): void {
    if (this.isOp(CH_STAR)) this.refuse('star in subscript', this.ts);
    let node: number;
    if (this.isOp(CH_COLON)) node = this.open(parent, this.t.slice, this.f.subscript);
    else {
      const value = this.expression(parent, this.f.subscript);
      if (!this.isOp(CH_COLON)) return;
      node = this.wrap(value, this.t.slice, 0);
    }
    // [start] : [stop] [: [step]]
    this.operator(node, 0);
    if (!this.isOp(CH_COLON) && !this.isOp(CH_COMMA) && !this.isOp(CH_RBRACKET)) this.expression(node, 0);
    if (this.isOp(CH_COLON)) {
      this.operator(node, 0);
      if (!this.isOp(CH_COMMA) && !this.isOp(CH_RBRACKET)) this.expression(node, 0);
    }
    this.close(node);
  }

  /** `( arguments )` of a call or a class's bases; a call with a lone generator takes it as its arguments. */
  private argumentList(parent: number, field: number, call: boolean): number {
    const list = this.open(parent, this.t.argument_list, field);
    this.take(list);
    this.depth++;
    let count = 0;
    while (!this.isOp(CH_RPAREN)) {
      const k = this.peek();
      let arg: number;
      if (k === T_OP && this.tv === CH_STAR) arg = this.splatElement(list, call && !this.calleeIsPrint(parent) ? SPLAT_ANY : SPLAT_NAME);
      else if (k === T_OP && this.tv === OP_POW) {
        arg = this.open(list, this.t.dictionary_splat, 0);
        this.take(arg);
        this.expression(arg, 0);
        this.close(arg);
      } else {
        arg = this.expression(list, 0);
        if (this.isOp(CH_EQ)) {
          if (this.typeOf(arg) !== this.t.identifier) this.refuse('keyword argument', this.ts);
          arg = this.wrap(arg, this.t.keyword_argument, this.f.name);
          this.take(arg);
          this.expression(arg, this.f.value);
          this.close(arg);
        } else if (this.isKw(K_FOR)) {
          if (!call || count > 0) this.refuse('generator argument', this.ts);
          // f(x for x in y): the parentheses are the generator's.
          this.tree.typeIds[list] = this.t.generator_expression;
          this.tree.fieldIds[arg] = this.f.body;
          this.comprehensionClauses(list);
          if (!this.isOp(CH_RPAREN)) this.refuse('generator argument', this.ts);
          break;
        }
      }
      count++;
      if (!this.isOp(CH_COMMA)) break;
      this.take(list);
    }
    this.depth--;
    this.expectOp(list, CH_RPAREN);
    return this.close(list);
  }

  private comprehensionClauses(parent: number): void {
    if (!this.isKw(K_FOR) && !this.isKw(K_ASYNC)) this.refuse('comprehension', this.ts);
    for (;;) {
      if (this.isKw(K_FOR) || this.isKw(K_ASYNC)) {
        const clause = this.open(parent, this.t.for_in_clause, 0);
        if (this.isKw(K_ASYNC)) this.take(clause);
        this.expectKw(clause, K_FOR);
        this.targets(clause, this.f.left);
        this.expectKw(clause, K_IN);
        for (;;) {
          if (this.isKw(K_LAMBDA)) this.refuse('lambda in comprehension', this.ts);
          this.orExpression(clause, this.f.right);
          if (!this.isOp(CH_COMMA)) break;
          this.refuse('comma in comprehension', this.ts);
        }
        this.close(clause);
      } else if (this.isKw(K_IF)) {
        const clause = this.open(parent, this.t.if_clause, 0);
        this.take(clause);
        if (this.isKw(K_LAMBDA)) this.refuse('lambda in comprehension', this.ts);
        this.orExpression(clause, 0);
        this.close(clause);
      } else return;
    }
  }

  private atom(parent: number, field: number): number {
    const k = this.peek();
    switch (k) {
      case T_NAME:
        return this.leaf(parent, this.t.identifier, field);
      case T_INT:
        return this.leaf(parent, this.t.integer, field);
      case T_FLOAT:
        return this.leaf(parent, this.t.float, field);
      case T_STRING: {
        let node = this.string(parent, field, this.t.string);
        if (this.peek() === T_STRING) {
          node = this.wrap(node, this.t.concatenated_string, 0);
          while (this.peek() === T_STRING) this.string(node, 0, this.t.string);
          this.close(node);
        }
        return node;
      }
      case T_KW:
        switch (this.tv) {
          case K_TRUE: return this.leaf(parent, this.t.true, field);
          case K_FALSE: return this.leaf(parent, this.t.false, field);
          case K_NONE: return this.leaf(parent, this.t.none, field);
          default:
            return this.refuse('expression', this.ts);
        }
      case T_OP:
        switch (this.tv) {
          case OP_ELLIPSIS: return this.leaf(parent, this.t.ellipsis, field);
          case CH_LPAREN: return this.parenthesized(parent, field);
          case CH_LBRACKET: return this.bracketed(parent, field);
          case CH_LBRACE: return this.braced(parent, field);
          default:
            return this.refuse('expression', this.ts);
        }
      default:
        return this.refuse('expression', this.ts);
    }
  }

  /**
   * `*expression` in a list, tuple, set or call. tree-sitter reads `*f(x)` either as a splat of the call or as a call
   * of `*f` (a primary of its own), as its ambiguity resolution falls: a splat in a call's arguments, or in a
   * collection with a comma; a call of `*f` as the only element of a list or set (`[*f(x)]`), and in `print(a, *f(x))`.
   * `when` says which operands other than a name are taken: SPLAT_ANY, SPLAT_NAME (none), SPLAT_FIRST (a first
   * element: if a comma follows).
   */
  private splatElement(parent: number, when: number): number {
    const splat = this.open(parent, this.t.list_splat, 0);
    this.take(splat);
    const inner = this.expression(splat, 0);
    if (this.typeOf(inner) !== this.t.identifier && when !== SPLAT_ANY && !(when === SPLAT_FIRST && this.isOp(CH_COMMA))) this.refuse('star expression', this.tree.starts[inner]);
    return this.close(splat);
  }

  /** Whether a call's function is the name `print` or `exec` (Python 2 statements to tree-sitter, see splatElement). */
  private calleeIsPrint(call: number): boolean {
    const callee = this.tree.firstChild[call];
    if (this.typeOf(callee) !== this.t.identifier) return false;
    const length = this.tree.ends[callee] - this.tree.starts[callee];
    if (length !== 4 && length !== 5) return false;
    const name = this.src.slice(this.tree.starts[callee], this.tree.ends[callee]);
    return name === 'print' || name === 'exec';
  }

  /** An element of a list, tuple or set: an expression or `*expression`; `first` for the first element. */
  private element(parent: number, first = false): number {
    if (this.isOp(CH_STAR)) return this.splatElement(parent, first ? SPLAT_FIRST : SPLAT_ANY);
    if (this.isKw(K_YIELD)) this.refuse('yield in a collection', this.ts);
    return this.expression(parent, 0);
  }

  /** The elements after the first, up to `close`. */
  private moreElements(node: number, close: number): void {
    while (this.isOp(CH_COMMA)) {
      this.take(node);
      if (this.isOp(close)) break;
      this.element(node);
    }
  }

  private parenthesized(parent: number, field: number): number {
    const node = this.open(parent, this.t.tuple, field);
    this.take(node);
    this.depth++;
    if (this.isOp(CH_RPAREN)) {
      this.depth--;
      this.take(node);
      return this.close(node);
    }
    if (this.isKw(K_YIELD)) {
      this.tree.typeIds[node] = this.t.parenthesized_expression;
      this.yieldExpression(node, 0);
    } else {
      const first = this.element(node, true);
      if (this.isOp(CH_COMMA)) this.moreElements(node, CH_RPAREN);
      else if (this.isKw(K_FOR) || this.isKw(K_ASYNC)) {
        if (this.typeOf(first) === this.t.list_splat) this.refuse('star generator', this.ts);
        this.tree.typeIds[node] = this.t.generator_expression;
        this.tree.fieldIds[first] = this.f.body;
        this.comprehensionClauses(node);
      } else {
        if (this.typeOf(first) === this.t.list_splat) this.refuse('parenthesized star', this.ts);
        this.tree.typeIds[node] = this.t.parenthesized_expression;
      }
    }
    this.depth--;
    this.expectOp(node, CH_RPAREN);
    return this.close(node);
  }

  private bracketed(parent: number, field: number): number {
    const node = this.open(parent, this.t.list, field);
    this.take(node);
    this.depth++;
    if (!this.isOp(CH_RBRACKET)) {
      const first = this.element(node, true);
      if (this.isKw(K_FOR) || this.isKw(K_ASYNC)) {
        if (this.typeOf(first) === this.t.list_splat) this.refuse('star comprehension', this.ts);
        this.tree.typeIds[node] = this.t.list_comprehension;
        this.tree.fieldIds[first] = this.f.body;
        this.comprehensionClauses(node);
      } else this.moreElements(node, CH_RBRACKET);
    }
    this.depth--;
    this.expectOp(node, CH_RBRACKET);
    return this.close(node);
  }

  private braced(parent: number, field: number): number {
    const node = this.open(parent, this.t.dictionary, field);
    this.take(node);
    this.depth++;
    if (!this.isOp(CH_RBRACE)) {
      if (this.isOp(OP_POW)) {
        this.dictionaryItems(node);
      } else {
        const first = this.element(node, true);
        if (this.isOp(CH_COLON)) {
          if (this.typeOf(first) === this.t.list_splat) this.refuse('star key', this.ts);
          const pair = this.wrap(first, this.t.pair, this.f.key);
          this.take(pair);
          this.expression(pair, this.f.value);
          this.close(pair);
          if (this.isKw(K_FOR) || this.isKw(K_ASYNC)) {
            this.tree.typeIds[node] = this.t.dictionary_comprehension;
            this.tree.fieldIds[pair] = this.f.body;
            this.comprehensionClauses(node);
          } else if (this.isOp(CH_COMMA)) {
            this.take(node);
            if (!this.isOp(CH_RBRACE)) this.dictionaryItems(node);
          }
        } else if (this.isKw(K_FOR) || this.isKw(K_ASYNC)) {
          if (this.typeOf(first) === this.t.list_splat) this.refuse('star comprehension', this.ts);
          this.tree.typeIds[node] = this.t.set_comprehension;
          this.tree.fieldIds[first] = this.f.body;
          this.comprehensionClauses(node);
        } else {
          this.tree.typeIds[node] = this.t.set;
          this.moreElements(node, CH_RBRACE);
        }
      }
    }
    this.depth--;
    this.expectOp(node, CH_RBRACE);
    return this.close(node);
  }

  /** A dictionary's entries (`key: value` or `**mapping`), from the current one. */
  private dictionaryItems(node: number): void {
    for (;;) {
      if (this.isOp(OP_POW)) {
        const splat = this.open(node, this.t.dictionary_splat, 0);
        this.take(splat);
        this.expression(splat, 0);
        this.close(splat);
      } else {
        const pair = this.open(node, this.t.pair, 0);
        this.expression(pair, this.f.key);
        this.expectOp(pair, CH_COLON);
        this.expression(pair, this.f.value);
        this.close(pair);
      }
      if (!this.isOp(CH_COMMA)) return;
      this.take(node);
      if (this.isOp(CH_RBRACE)) return;
    }
  }

  // ---------------------------------------------------------------- strings

  /**
   * A string literal from its waiting start token: string_start, its content (one string_content between
   * replacement fields), interpolations of an f-string, string_end. `type` is string or, nested, the same.
   */
  private string(parent: number, field: number, type: number): number {
    const node = this.open(parent, type, field);
    const src = this.src;
    const n = this.n;
    const quote = this.quote;
    const triple = this.triple;
    const raw = this.raw;
    const formatted = this.formatted;
    this.tree.add(node, this.t.string_start, 0, this.ts, this.te, false);
    this.take(node);
    let p = this.te;
    let content = p;
    /** Where the scanner's current content token started, and whether it holds more than raw backslash pairs. */
    let segment = p;
    let hasContent = false;
    for (;;) {
      if (p >= n) this.refuse('unterminated string', p);
      const c = src.charCodeAt(p);
      if (c === CH_BACKSLASH) {
        const d = src.charCodeAt(p + 1);
        if (d === CH_CR && src.charCodeAt(p + 2) === CH_LF) p += 3;
        else if (formatted && !raw && d === CH_UPPER_N && src.charCodeAt(p + 2) === CH_LBRACE) {
          const close = src.indexOf('}', p + 3);
          if (close === -1 || close === p + 3) this.refuse('escape', p);
          for (let i = p + 3; i < close; i++) if (src.charCodeAt(i) === quote || src.charCodeAt(i) === CH_LF) this.refuse('escape', p);
          p = close + 1;
        } else if (raw) {
          // The scanner steps over the backslash, then over an escaped quote or backslash, without counting them as
          // content (see the end of the string).
          p += d === quote || d === CH_BACKSLASH || d === CH_LF ? 2 : 1;
          continue;
        } else {
          if (formatted && (d === CH_LBRACE || d === CH_RBRACE)) this.refuse('escaped brace', p);
          p += p + 1 < n ? 2 : 1;
        }
        hasContent = true;
        continue;
      }
      if (c === quote) {
        if (!triple) break;
        if (src.charCodeAt(p + 1) === quote && src.charCodeAt(p + 2) === quote) break;
        p++;
        continue;
      }
      if (c === CH_LF && !triple) this.refuse('newline in string', p);
      if (formatted && (c === CH_LBRACE || c === CH_RBRACE)) {
        if (src.charCodeAt(p + 1) === c) {
          // `{{` is a token of its own: the scanner starts counting content again after it.
          if (p > segment && !hasContent) this.refuse('raw escapes before a brace', p);
          p += 2;
          segment = p;
          hasContent = false;
          continue;
        }
        if (c === CH_RBRACE) this.refuse('single } in f-string', p);
        if (p > segment && !hasContent) this.refuse('raw escapes before a replacement field', p);
        if (p > content) this.tree.add(node, this.t.string_content, 0, content, p, false);
        p = this.interpolation(node, p, this.t.interpolation);
        content = p;
        segment = p;
        hasContent = false;
        continue;
      }
      if (c === 0) this.refuse('NUL in string', p);
      p++;
      hasContent = true;
    }
    const end = p + (triple ? 3 : 1);
    // The scanner ends a raw string whose last content is only backslash pairs (`r'\''`) with a string_end
    // token holding them: it counts no content until an ordinary character.
    if (p > segment && !hasContent) {
      if (segment > content) this.tree.add(node, this.t.string_content, 0, content, segment, false);
      this.tree.add(node, this.t.string_end, 0, segment, end, false);
    } else {
      if (p > content) this.tree.add(node, this.t.string_content, 0, content, p, false);
      this.tree.add(node, this.t.string_end, 0, p, end, false);
    }
    this.pos = end;
    this.prevEnd = end;
    this.has = false;
    this.lineStart = false;
    this.closable = true;
    return this.close(node);
  }

  /** A replacement field `{expression[=][!c][:spec]}` from its `{` at `p`; returns the offset after its `}`. */
  private interpolation(parent: number, p: number, type: number): number {
    const src = this.src;
    const node = this.tree.add(parent, type, 0, p, p, false);
    const savedDepth = this.depth;
    this.pos = p + 1;
    this.prevEnd = p + 1;
    this.has = false;
    this.lineStart = false;
    this.depth = 1;
    this.inInterpolation++;
    const withFields = !this.noFields[type];
    if (this.isKw(K_YIELD)) this.refuse('yield in f-string', this.ts);
    if (this.isOp(CH_STAR)) this.refuse('star in f-string', this.ts);
    if (this.isKw(K_LAMBDA)) this.refuse('lambda in f-string', this.ts);
    this.expressions(node, withFields ? this.f.expression : 0, false);
    if (this.isOp(CH_EQ)) this.take(node);
    this.peek();
    if (this.tk === T_OP && this.tv === CH_BANG) {
      const letter = src.charCodeAt(this.te);
      if (!(letter >= CH_A && letter <= CH_Z)) this.refuse('conversion', this.ts);
      this.tree.add(node, this.t.type_conversion, withFields ? this.f.type_conversion : 0, this.ts, this.te + 1, false);
      this.prevEnd = this.te + 1;
      this.pos = this.te + 1;
      this.has = false;
      this.peek();
    }
    let q: number;
    if (this.tk === T_OP && this.tv === CH_COLON) {
      // The format specifier is read as raw text up to `}`, with nested replacement fields.
      const start = this.ts;
      const spec = this.tree.add(node, this.t.format_specifier, withFields ? this.f.format_specifier : 0, start, start + 1, false);
      q = start + 1;
      let end = q;
      let afterField = false;
      for (;;) {
        const c = src.charCodeAt(q);
        if (q >= this.n || c === CH_LF || c === CH_DQUOTE || c === CH_SQUOTE || c === CH_BACKSLASH) this.refuse('format specifier', q);
        if (c === CH_RBRACE) break;
        if (c === CH_LBRACE) {
          q = this.interpolation(spec, q, this.t.format_expression);
          end = q;
          afterField = true;
          continue;
        }
        if ((c === CH_SPACE || c === CH_TAB) && (q === start + 1 || afterField)) this.refuse('blank in format specifier', q);
        afterField = false;
        q++;
        end = q;
      }
      this.tree.ends[spec] = end;
      this.has = false;
    } else {
      if (this.tk !== T_OP || this.tv !== CH_RBRACE) this.refuse('replacement field', this.ts);
      q = this.ts;
      this.flush(node);
      this.has = false;
    }
    if (this.pendingType.length) this.refuse('extra in f-string', q);
    this.inInterpolation--;
    this.depth = savedDepth;
    this.tree.ends[node] = q + 1;
    this.prevEnd = q + 1;
    this.pos = q + 1;
    return q + 1;
  }
}

/**
 * Every top-level node of the text as plain nodes, as the fast parser makes them, or why it refuses the text
 * (the differential check compares them with tree-sitter's copy).
 */
export function fastCopyTree(tables: Tables, source: string): CstNode[] | Refused {
  const tree = new FlatTree(tables, new LineIndex(source));
  try {
    const parser = new FastParser(source, tree);
    const out: CstNode[] = [];
    while (parser.next(tree)) out.push(tree.toCstNode());
    return out;
  } catch (error) {
    if (error instanceof Refused) return error;
    if (error instanceof RangeError) return new Refused('too deep', 0);
    throw error;
  }
}

/**
 * The text's top-level nodes parsed by the fast parser, as copyTopLevel gives tree-sitter's (same keys, same
 * `reuse` and `lower`), or undefined if the fast parser refuses the text: the caller then discards what `reuse`
 * and `lower` were given and parses with tree-sitter.
 */
export function fastCopyTopLevel<T>(
  tables: Tables,
  source: string,
  reuse: (key: string, line: number, start: number, end: number) => T | undefined,
  lower: (node: FlatTree, key: string) => T,
): T[] | undefined {
  if (!resolve(tables)) return undefined;
  const lines = new LineIndex(source);
  const flat = takeFlatTree(tables, lines);
  const out: T[] = [];
  try {
    const parser = new FastParser(source, flat);
    while (parser.next(flat)) out.push(reuseOrLower(source, lines, flat.starts[0], flat.ends[0], reuse, (key) => lower(flat, key)));
    return out;
  } catch (error) {
    // A refusal, or a stack overflow on very deep nesting: tree-sitter parses the text instead.
    if (error instanceof Refused || error instanceof RangeError) return undefined;
    throw error;
  } finally {
    giveBackFlatTree(flat);
  }
}
