// The lexer of the fast parser (fast-parser.ts): Python's tokens as tree-sitter-python's lexer and scanner see
// them. It reads one token ahead (`peek`), keeps the extras read before it (comments, line continuations) pending
// for the parser to place, counts open brackets, and scans the lines between statements for their indentation and
// comments as the scanner does. The parser is a subclass: it reads the waiting token and the lexer's state from
// these fields directly (tk, ts, te, tv, pos, …), as the hot path needs, and moves the lexer on by setting them
// (`has`, `pos`, `lineStart`, `closable`, `depth`, `inInterpolation`); strings past their start token are scanned
// by the parser, which builds their nodes as it goes.

/** Thrown on anything the fast parser does not reproduce exactly; the text is then parsed by tree-sitter. */
export class Refused extends Error {
  constructor(readonly reason: string, readonly at: number) {
    super(`${reason} at ${at}`);
  }
}

// Token kinds.
export const T_EOF = 0;
export const T_NEWLINE = 1;
export const T_NAME = 2;
export const T_INT = 3;
export const T_FLOAT = 4;
export const T_STRING = 5;
export const T_OP = 6;
export const T_KW = 7;

// Operator codes: a single character's code, or these for longer operators.
export const OP_ARROW = 256; // ->
export const OP_POW = 257; // **
export const OP_FLOORDIV = 258; // //
export const OP_SHL = 259;
export const OP_SHR = 260;
export const OP_LE = 261;
export const OP_GE = 262;
export const OP_EQ = 263;
export const OP_NE = 264;
export const OP_WALRUS = 265;
export const OP_ELLIPSIS = 266;
export const OP_AUG = 267; // any augmented assignment (+=, //=, ...), its text is read from the source
export const OP_LTGT = 268; // <>

// Keyword codes.
export const K_FALSE = 1, K_NONE = 2, K_TRUE = 3, K_AND = 4, K_AS = 5, K_ASSERT = 6, K_ASYNC = 7, K_AWAIT = 8, K_BREAK = 9,
  K_CLASS = 10, K_CONTINUE = 11, K_DEF = 12, K_DEL = 13, K_ELIF = 14, K_ELSE = 15, K_EXCEPT = 16, K_FINALLY = 17,
  K_FOR = 18, K_FROM = 19, K_GLOBAL = 20, K_IF = 21, K_IMPORT = 22, K_IN = 23, K_IS = 24, K_LAMBDA = 25,
  K_NONLOCAL = 26, K_NOT = 27, K_OR = 28, K_PASS = 29, K_RAISE = 30, K_RETURN = 31, K_TRY = 32, K_WHILE = 33,
  K_WITH = 34, K_YIELD = 35;

// Character codes.
export const CH_TAB = 9, CH_LF = 10, CH_FF = 12, CH_CR = 13, CH_SPACE = 32, CH_BANG = 33, CH_DQUOTE = 34, CH_HASH = 35,
  CH_PERCENT = 37, CH_AMP = 38, CH_SQUOTE = 39, CH_LPAREN = 40, CH_RPAREN = 41, CH_STAR = 42, CH_PLUS = 43,
  CH_COMMA = 44, CH_MINUS = 45, CH_DOT = 46, CH_SLASH = 47, CH_0 = 48, CH_1 = 49, CH_7 = 55, CH_9 = 57, CH_COLON = 58,
  CH_SEMI = 59, CH_LT = 60, CH_EQ = 61, CH_GT = 62, CH_AT = 64, CH_UPPER_A = 65, CH_UPPER_N = 78, CH_UPPER_Z = 90,
  CH_LBRACKET = 91, CH_BACKSLASH = 92, CH_RBRACKET = 93, CH_CARET = 94, CH_UNDERSCORE = 95, CH_A = 97, CH_B = 98,
  CH_E = 101, CH_F = 102, CH_J = 106, CH_L = 108, CH_O = 111, CH_R = 114, CH_U = 117, CH_X = 120, CH_Z = 122,
  CH_LBRACE = 123, CH_PIPE = 124, CH_RBRACE = 125, CH_TILDE = 126, CH_ASCII_LAST = 127;
/** ORed into an ASCII letter's code, gives the lower-case letter's. */
const ASCII_CASE_BIT = 32;

const KEYWORDS = new Map<string, number>(Object.entries({
  False: K_FALSE, None: K_NONE, True: K_TRUE, and: K_AND, as: K_AS, assert: K_ASSERT, async: K_ASYNC, await: K_AWAIT,
  break: K_BREAK, class: K_CLASS, continue: K_CONTINUE, def: K_DEF, del: K_DEL, elif: K_ELIF, else: K_ELSE,
  except: K_EXCEPT, finally: K_FINALLY, for: K_FOR, from: K_FROM, global: K_GLOBAL, if: K_IF, import: K_IMPORT,
  in: K_IN, is: K_IS, lambda: K_LAMBDA, nonlocal: K_NONLOCAL, not: K_NOT, or: K_OR, pass: K_PASS, raise: K_RAISE,
  return: K_RETURN, try: K_TRY, while: K_WHILE, with: K_WITH, yield: K_YIELD,
}));

/** By character code: whether a keyword starts with it (most names are then told apart without a substring). */
const KEYWORD_START = new Uint8Array(128);
for (const word of KEYWORDS.keys()) KEYWORD_START[word.charCodeAt(0)] = 1;

function isIdentStart(c: number): boolean {
  return (c >= CH_A && c <= CH_Z) || (c >= CH_UPPER_A && c <= CH_UPPER_Z) || c === CH_UNDERSCORE;
}

export function isIdentPart(c: number): boolean {
  return (c >= CH_A && c <= CH_Z) || (c >= CH_UPPER_A && c <= CH_UPPER_Z) || c === CH_UNDERSCORE || (c >= CH_0 && c <= CH_9);
}

function isAlnum(c: number): boolean {
  return isIdentPart(c) && c !== CH_UNDERSCORE;
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** The lexer of one text (the fast parser's base class). Throws Refused. */
export class FastLexer {
  protected readonly src: string;
  protected readonly n: number;
  protected pos = 0;
  /** Whether a token is lexed and waiting (tk, ts, te, tv). */
  protected has = false;
  protected tk = T_EOF;
  protected ts = 0;
  protected te = 0;
  protected tv = 0;
  /** For T_STRING: the quote character, whether triple, raw, formatted. */
  protected quote = 0;
  protected triple = false;
  protected raw = false;
  protected formatted = false;
  /** Whether a closing bracket may follow the last token taken (see checkBracketLine). */
  protected closable = true;
  /** Open brackets (newlines inside are whitespace). */
  protected depth = 0;
  /** After a newline token: the next newlines are blank lines. */
  protected lineStart = true;
  /** Inside an f-string's replacement field. */
  protected inInterpolation = 0;
  /** Extras read before the waiting token, not yet placed: type id, start, end. */
  protected pendingType: number[] = [];
  protected pendingStart: number[] = [];
  protected pendingEnd: number[] = [];
  /** Indentation of the open blocks, as tree-sitter-python's scanner counts it (a tab is 8, \r and \f reset). */
  protected indents: number[] = [0];
  /** What scanLines found. */
  protected lineIndent = 0;
  protected lineCode = 0;
  protected lineCommentIndent = -1;
  protected lineComment = -1;

  /** `comment` and `lineContinuation`: the type ids of the extras it reads. */
  constructor(source: string, private readonly comment: number, private readonly lineContinuation: number) {
    this.src = source;
    this.n = source.length;
    // A byte order mark is whitespace to tree-sitter.
    if (this.n > 0 && source.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  protected refuse(reason: string, at = this.pos): never {
    throw new Refused(reason, at);
  }

  /** Lexes the next token if none is waiting; extras before it become pending. */
  protected peek(): number {
    if (this.has) return this.tk;
    const src = this.src;
    const n = this.n;
    let p = this.pos;
    for (;;) {
      if (p >= n) {
        this.setToken(this.lineStart || this.depth > 0 ? T_EOF : T_NEWLINE, p, p, 0);
        if (this.depth > 0) this.refuse('unclosed bracket', p);
        return this.tk;
      }
      const c = src.charCodeAt(p);
      if (c === CH_SPACE || c === CH_TAB || c === CH_FF || c === CH_CR) {
        p++;
        continue;
      }
      if (c === CH_LF) {
        if (this.depth > 0) {
          if (!this.closable) this.checkBracketLine(p + 1);
          p++;
          continue;
        }
        if (this.lineStart) {
          p++;
          continue;
        }
        this.setToken(T_NEWLINE, p, p, 0);
        return T_NEWLINE;
      }
      if (c === CH_HASH) {
        if (this.inInterpolation) this.refuse('comment in an f-string', p);
        let e = src.indexOf('\n', p);
        if (e === -1) e = n;
        // The comment token (`#` then /.*/) runs to the line feed: a carriage return before it is part of it.
        this.pendingType.push(this.comment);
        this.pendingStart.push(p);
        this.pendingEnd.push(e);
        p = e;
        continue;
      }
      if (c === CH_BACKSLASH) {
        // A line continuation: an extra, unless blank lines or a comment follow (the scanner then puts a newline before it).
        let e = p + 1;
        if (src.charCodeAt(e) === CH_CR) e++;
        if (src.charCodeAt(e) !== CH_LF) this.refuse('backslash', p);
        e++;
        if (this.lineStart && this.depth === 0) this.refuse('continuation at line start', p);
        if (this.depth === 0) this.checkContinuedLine(e);
        // Before a string, the scanner reads the continuation as blanks before the string's start: no node.
        if (this.stringStartsAt(e)) {
          p = e;
          continue;
        }
        this.pendingType.push(this.lineContinuation);
        this.pendingStart.push(p);
        this.pendingEnd.push(e);
        p = e;
        continue;
      }
      this.lexToken(p, c);
      return this.tk;
    }
  }

  /** Whether a string starts after the blanks (and line continuations) from `p`, on the same line. */
  private stringStartsAt(p: number): boolean {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c === CH_SPACE || c === CH_TAB || c === CH_FF) p++;
      else if (c === CH_BACKSLASH && src.charCodeAt(p + 1) === CH_LF) p += 2;
      else if (c === CH_BACKSLASH && src.charCodeAt(p + 1) === CH_CR && src.charCodeAt(p + 2) === CH_LF) p += 3;
      else break;
    }
    let q = p;
    while (q < p + 3 && isIdentStart(src.charCodeAt(q))) q++;
    const quote = src.charCodeAt(q);
    if (quote !== CH_DQUOTE && quote !== CH_SQUOTE) return false;
    for (let i = p; i < q; i++) {
      const c = src.charCodeAt(i) | ASCII_CASE_BIT;
      if (c !== CH_R && c !== CH_F && c !== CH_B && c !== CH_U) return false;
    }
    return true;
  }

  /** After a line continuation at statement level: the next line must hold code. */
  private checkContinuedLine(p: number): void {
    const src = this.src;
    for (; p < this.n; p++) {
      const c = src.charCodeAt(p);
      if (c === CH_SPACE) continue;
      if (c === CH_LF || c === CH_CR || c === CH_HASH || c === CH_TAB || c === CH_FF || c === CH_BACKSLASH) this.refuse('continuation before a blank line', p);
      return;
    }
    this.refuse('continuation at the end', p);
  }

  /**
   * A newline inside brackets where no closing bracket may come next (after an operator, `=`, `:`, …): the scanner
   * ends a block there if the next line is indented less than the block. Refused rather than worked out.
   */
  private checkBracketLine(p: number): void {
    const block = this.indents[this.indents.length - 1];
    if (block === 0) return;
    const src = this.src;
    let indent = 0;
    for (; p < this.n; p++) {
      const c = src.charCodeAt(p);
      if (c === CH_SPACE) indent++;
      else if (c === CH_TAB) indent += 8;
      else if (c === CH_CR || c === CH_FF) indent = 0;
      else if (c === CH_LF) return;
      else break;
    }
    if (indent < block) this.refuse('bracketed line indented less than its block', p);
  }

  private setToken(kind: number, start: number, end: number, value: number): void {
    this.has = true;
    this.tk = kind;
    this.ts = start;
    this.te = end;
    this.tv = value;
  }

  private lexToken(p: number, c: number): void {
    const src = this.src;
    if (isIdentStart(c)) {
      let e = p + 1;
      while (e < this.n && isIdentPart(src.charCodeAt(e))) e++;
      const next = src.charCodeAt(e);
      if (next === CH_DQUOTE || next === CH_SQUOTE) {
        this.lexStringStart(p, e);
        return;
      }
      if (next > CH_ASCII_LAST) this.refuse('non-ASCII name', e);
      const kw = e - p >= 2 && e - p <= 8 && KEYWORD_START[c] === 1 ? KEYWORDS.get(src.slice(p, e)) : undefined;
      if (kw !== undefined) this.setToken(T_KW, p, e, kw);
      else this.setToken(T_NAME, p, e, 0);
      return;
    }
    if (isDigit(c) || (c === CH_DOT && isDigit(src.charCodeAt(p + 1)))) {
      this.lexNumber(p);
      return;
    }
    if (c === CH_DQUOTE || c === CH_SQUOTE) {
      this.lexStringStart(p, p);
      return;
    }
    if (c > CH_ASCII_LAST) this.refuse('non-ASCII character', p);
    const d = src.charCodeAt(p + 1);
    const e3 = src.charCodeAt(p + 2);
    switch (c) {
      case CH_LPAREN: case CH_LBRACKET: case CH_LBRACE:
      case CH_RPAREN: case CH_RBRACKET: case CH_RBRACE:
      case CH_COMMA: case CH_SEMI: case CH_TILDE:
        return this.setToken(T_OP, p, p + 1, c);
      case CH_COLON:
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_WALRUS) : this.setToken(T_OP, p, p + 1, c);
      case CH_DOT:
        return d === CH_DOT && e3 === CH_DOT ? this.setToken(T_OP, p, p + 3, OP_ELLIPSIS) : this.setToken(T_OP, p, p + 1, c);
      case CH_EQ:
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_EQ) : this.setToken(T_OP, p, p + 1, c);
      case CH_BANG:
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_NE) : this.setToken(T_OP, p, p + 1, c);
      case CH_MINUS:
        if (d === CH_GT) return this.setToken(T_OP, p, p + 2, OP_ARROW);
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_AUG) : this.setToken(T_OP, p, p + 1, c);
      case CH_PLUS: case CH_PERCENT: case CH_AT: case CH_AMP: case CH_PIPE: case CH_CARET:
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_AUG) : this.setToken(T_OP, p, p + 1, c);
      case CH_STAR:
        if (d === CH_STAR) return e3 === CH_EQ ? this.setToken(T_OP, p, p + 3, OP_AUG) : this.setToken(T_OP, p, p + 2, OP_POW);
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_AUG) : this.setToken(T_OP, p, p + 1, c);
      case CH_SLASH:
        if (d === CH_SLASH) return e3 === CH_EQ ? this.setToken(T_OP, p, p + 3, OP_AUG) : this.setToken(T_OP, p, p + 2, OP_FLOORDIV);
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_AUG) : this.setToken(T_OP, p, p + 1, c);
      case CH_LT:
        if (d === CH_LT) return e3 === CH_EQ ? this.setToken(T_OP, p, p + 3, OP_AUG) : this.setToken(T_OP, p, p + 2, OP_SHL);
        if (d === CH_GT) return this.setToken(T_OP, p, p + 2, OP_LTGT);
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_LE) : this.setToken(T_OP, p, p + 1, c);
      case CH_GT:
        if (d === CH_GT) return e3 === CH_EQ ? this.setToken(T_OP, p, p + 3, OP_AUG) : this.setToken(T_OP, p, p + 2, OP_SHR);
        return d === CH_EQ ? this.setToken(T_OP, p, p + 2, OP_GE) : this.setToken(T_OP, p, p + 1, c);
      default:
        this.refuse('unexpected character', p);
    }
  }

  private lexNumber(p: number): void {
    const src = this.src;
    let e = p;
    let float = false;
    const c0 = src.charCodeAt(p);
    const c1 = src.charCodeAt(p + 1) | ASCII_CASE_BIT;
    if (c0 === CH_0 && (c1 === CH_X || c1 === CH_O || c1 === CH_B)) {
      // 0x, 0o, 0b: digits of the base (and underscores), an optional L.
      const base = c1 === CH_X ? 16 : c1 === CH_O ? 8 : 2;
      e = p + 2;
      for (;;) {
        const c = src.charCodeAt(e);
        const lower = c | ASCII_CASE_BIT;
        const digit = base === 16 ? isDigit(c) || (lower >= CH_A && lower <= CH_F) : base === 8 ? c >= CH_0 && c <= CH_7 : c === CH_0 || c === CH_1;
        if (!digit && c !== CH_UNDERSCORE) break;
        e++;
      }
      if (e === p + 2) this.refuse('number', p);
      if ((src.charCodeAt(e) | ASCII_CASE_BIT) === CH_L) e++;
    } else {
      e = this.digits(p);
      if (src.charCodeAt(e) === CH_DOT) {
        float = true;
        e = this.digits(e + 1);
      }
      if ((src.charCodeAt(e) | ASCII_CASE_BIT) === CH_E) {
        let x = e + 1;
        if (src.charCodeAt(x) === CH_PLUS || src.charCodeAt(x) === CH_MINUS) x++;
        if (!isDigit(src.charCodeAt(x))) this.refuse('number', p);
        e = this.digits(x);
        float = true;
      }
      const last = src.charCodeAt(e) | ASCII_CASE_BIT;
      if (last === CH_J) e++;
      else if (last === CH_L && !float) e++;
    }
    // Underscores only between digits, as Python writes them.
    for (let i = p; i < e; i++) if (src.charCodeAt(i) === CH_UNDERSCORE && !(isAlnum(src.charCodeAt(i - 1)) && isAlnum(src.charCodeAt(i + 1)))) this.refuse('number', p);
    const after = src.charCodeAt(e);
    if (isIdentPart(after) || after === CH_DOT || after > CH_ASCII_LAST || after === CH_DQUOTE || after === CH_SQUOTE) this.refuse('number', e);
    this.setToken(float ? T_FLOAT : T_INT, p, e, 0);
  }

  /** The end of the decimal digits (and underscores) from `p`. */
  private digits(p: number): number {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(p);
      if (!isDigit(c) && c !== CH_UNDERSCORE) return p;
      p++;
    }
  }

  /** A string's start: prefix letters in [p, q), then its quotes. */
  private lexStringStart(p: number, q: number): void {
    const src = this.src;
    let raw = false;
    let formatted = false;
    let bytes = false;
    for (let i = p; i < q; i++) {
      const c = src.charCodeAt(i) | ASCII_CASE_BIT;
      if (c === CH_R && !raw) raw = true;
      else if (c === CH_F && !formatted && !bytes) formatted = true;
      else if (c === CH_B && !bytes && !formatted) bytes = true;
      else if (c === CH_U && q - p === 1) continue;
      else this.refuse('string prefix', p);
    }
    const quote = src.charCodeAt(q);
    const triple = src.charCodeAt(q + 1) === quote && src.charCodeAt(q + 2) === quote;
    this.quote = quote;
    this.triple = triple;
    this.raw = raw;
    this.formatted = formatted;
    this.setToken(T_STRING, p, q + (triple ? 3 : 1), 0);
  }

  /**
   * What tree-sitter-python's scanner sees after a line ends (from `p`, at the newline): the indentation of the
   * next line of code (-1 at the end of the text), where it starts, and the indentation and start of the first
   * comment line before it (-1 if none), into lineIndent, lineCode, lineCommentIndent and lineComment.
   */
  protected scanLines(p: number): void {
    const src = this.src;
    const n = this.n;
    let indent = 0;
    let commentIndent = -1;
    let comment = -1;
    for (;;) {
      if (p >= n) {
        indent = -1;
        break;
      }
      const c = src.charCodeAt(p);
      if (c === CH_LF) {
        indent = 0;
        p++;
      } else if (c === CH_SPACE) {
        indent++;
        p++;
      } else if (c === CH_CR || c === CH_FF) {
        indent = 0;
        p++;
      } else if (c === CH_TAB) {
        indent += 8;
        p++;
      } else if (c === CH_HASH) {
        if (commentIndent === -1) {
          commentIndent = indent;
          comment = p;
        }
        const e = src.indexOf('\n', p);
        if (e === -1) {
          p = n;
          indent = -1;
          break;
        }
        p = e + 1;
        indent = 0;
      } else if (c === CH_BACKSLASH) this.refuse('backslash between lines', p);
      else break;
    }
    this.lineIndent = indent;
    this.lineCode = p;
    this.lineCommentIndent = commentIndent;
    this.lineComment = comment;
  }

  /** The scanner's indentation of the line holding `p` (its characters before `p` must be blanks). */
  protected indentBefore(p: number): number {
    const src = this.src;
    let start = p;
    while (start > 0 && src.charCodeAt(start - 1) !== CH_LF) start--;
    let indent = 0;
    for (let i = start; i < p; i++) {
      const c = src.charCodeAt(i);
      if (c === CH_SPACE) indent++;
      else if (c === CH_TAB) indent += 8;
      else if (c === CH_CR || c === CH_FF) indent = 0;
      else if (c === 0xfeff && i === 0) continue;
      else this.refuse('statement not at line start', p);
    }
    return indent;
  }

  protected keywordAt(p: number): number {
    const src = this.src;
    let e = p;
    while (e < this.n && isIdentPart(src.charCodeAt(e))) e++;
    if (e === p) return 0;
    return KEYWORDS.get(src.slice(p, e)) ?? 0;
  }

  protected skipBlanks(p: number): number {
    while (p < this.n && this.src.charCodeAt(p) === CH_SPACE) p++;
    return p;
  }
}
