// The Rego abstract syntax tree: what the parser produces and every compile stage consumes.
// Each node carries the location of its first character so diagnostics can say file:line:col.

export interface Location {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in Unicode code points. */
  col: number;
  /** 0-based offset into the source text (UTF-16 units), for slicing the original text. */
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------------------------

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

export interface NullTerm {
  type: 'null';
  loc: Location;
}
export interface BooleanTerm {
  type: 'boolean';
  value: boolean;
  loc: Location;
}
/** Numbers keep their source text so integers of any size stay exact. */
export interface NumberTerm {
  type: 'number';
  raw: string;
  loc: Location;
}
export interface StringTerm {
  type: 'string';
  value: string;
  loc: Location;
}
/**
 * A variable. `_` is the wildcard; the parser renames every `_` to a fresh `$wildN` name
 * (OPA: `$N`) so later stages never see a bare `_`.
 */
export interface VarTerm {
  type: 'var';
  name: string;
  loc: Location;
}
/**
 * A reference: `head` followed by a path. `input.a[x].b` is
 * `{head: var input, path: [string "a", var x, string "b"]}`. The head may also be a
 * composite or call term (`[1,2][i]`, `f(x).y`). Dot segments are string terms.
 */
export interface RefTerm {
  type: 'ref';
  head: Term;
  path: Term[];
  loc: Location;
}
export interface ArrayTerm {
  type: 'array';
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  type: 'object';
  entries: Array<[Term, Term]>;
  loc: Location;
}
export interface SetTerm {
  type: 'set';
  items: Term[];
  loc: Location;
}
export interface ArrayComprehension {
  type: 'arraycompr';
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  type: 'setcompr';
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  type: 'objectcompr';
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}
/**
 * A call of a builtin or a user function. `op` is the operator's name as dotted segments:
 * `count(x)` → ["count"], `array.concat(a, b)` → ["array","concat"],
 * `data.lib.f(x)` → ["data","lib","f"], an imported/aliased `lib.f(x)` → ["lib","f"]
 * (the resolve stage rewrites it to ["data", ...]).
 * Infix operators are parsed into calls with OPA's builtin names:
 *   `+` plus, `-` minus, `*` mul, `/` div, `%` rem, `&` and, `|` or,
 *   `==` equal, `!=` neq, `<` lt, `<=` lte, `>` gt, `>=` gte,
 *   `x in xs` internal.member_2, `k, v in xs` internal.member_3.
 * Unary minus on a non-literal is `minus(0, x)`; on a number literal it is folded into the literal.
 */
export interface CallTerm {
  type: 'call';
  op: string[];
  args: Term[];
  loc: Location;
}

// ---------------------------------------------------------------------------------------------
// Expressions and bodies
// ---------------------------------------------------------------------------------------------

export type Body = Expr[];

/** `with <target> as <value>`; target is a ref rooted at `input` or `data` (or a function name). */
export interface WithModifier {
  target: RefTerm | VarTerm;
  value: Term;
  loc: Location;
}

export type Expr =
  | TermExpr
  | UnifyExpr
  | AssignExpr
  | SomeDeclExpr
  | SomeInExpr
  | EveryExpr;

interface ExprBase {
  loc: Location;
  /** `not <expr>` */
  negated: boolean;
  with: WithModifier[];
}
/** A bare term: defined and not `false` means true. Calls and comparisons are terms too. */
export interface TermExpr extends ExprBase {
  kind: 'term';
  term: Term;
}
/** `a = b` (unification). */
export interface UnifyExpr extends ExprBase {
  kind: 'unify';
  lhs: Term;
  rhs: Term;
}
/** `a := b` (declares the variables of `a`, which may be a var or an array/object pattern). */
export interface AssignExpr extends ExprBase {
  kind: 'assign';
  lhs: Term;
  rhs: Term;
}
/** `some x, y` */
export interface SomeDeclExpr extends ExprBase {
  kind: 'some';
  vars: VarTerm[];
}
/** `some v in xs` / `some k, v in xs` (key absent for the one-variable form). */
export interface SomeInExpr extends ExprBase {
  kind: 'somein';
  key?: Term;
  value: Term;
  collection: Term;
}
/** `every v in xs { body }` / `every k, v in xs { body }` */
export interface EveryExpr extends ExprBase {
  kind: 'every';
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
}

// ---------------------------------------------------------------------------------------------
// Rules and modules
// ---------------------------------------------------------------------------------------------

/**
 * The kinds of rule:
 * - complete: `p := v if {…}`, `p if {…}` (value true), `default p := v`
 * - partial_set: `p contains x if {…}`
 * - partial_object: `p[k] := v if {…}` where the ref's last segment is a variable
 *   (general ref heads `p.q[r] := v` are partial_object with a multi-segment ref)
 * - function: `f(x, y) := v if {…}`
 */
export type RuleKind = 'complete' | 'partial_set' | 'partial_object' | 'function';

export interface RuleHead {
  /**
   * The rule's ref relative to its package: `p` → [string "p"]; `a.b[c]` →
   * [string "a", string "b", var c]. The first segment is always a string.
   * For partial_set, ref is the set's path and `key` is the element.
   * For partial_object, `key` is the last ref segment (also kept in `ref`).
   */
  ref: Term[];
  /** Function parameters. */
  args?: Term[];
  /** partial_set: the element; partial_object: the key term. */
  key?: Term;
  /** The value; `true` when the head has no value (`p if {…}`). */
  value: Term;
  /** `:=` in the head (true) or `=` / implicit (false). */
  assign: boolean;
  loc: Location;
}

export interface Rule {
  kind: RuleKind;
  default: boolean;
  head: RuleHead;
  /** An empty body means `true` (e.g. `p := 1`). */
  body: Body;
  /** `else [= value] [if] { body }` chain; each link's head shares this rule's ref/args. */
  else?: ElseClause;
  loc: Location;
}

export interface ElseClause {
  value: Term;
  body: Body;
  else?: ElseClause;
  loc: Location;
}

export interface Import {
  /** `import data.foo.bar` → ref with head var `data`; `import rego.v1` → head var `rego`. */
  path: RefTerm;
  alias?: string;
  loc: Location;
}

export interface Package {
  /** `package a.b` → ["a","b"] (without the implicit `data`). */
  path: string[];
  loc: Location;
}

export interface Module {
  file: string;
  package: Package;
  imports: Import[];
  rules: Rule[];
  /** Comments are kept for tooling (e.g. `# METADATA` later); the compiler ignores them. */
  comments: Array<{ text: string; loc: Location }>;
}
