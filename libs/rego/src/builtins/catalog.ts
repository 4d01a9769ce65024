// The builtin catalog: every builtin Arbiter supports, with OPA's names, arities and
// (simplified) argument/result types. The compiler type-checks calls against it; the code
// generator reads `impl` to decide whether a call runs inside the Wasm runtime or goes out to
// the TypeScript host table (host/…, builtins/index.ts).
//
// To move a builtin between the runtime and the host, edit its `impl` column below — this
// table is the single place that decides it.

import type { BuiltinDecl, TypeSpec } from './types';

const A: TypeSpec = 'any';
const N: TypeSpec = 'number';
const S: TypeSpec = 'string';
const B: TypeSpec = 'boolean';
const ARR: TypeSpec = 'array';
const OBJ: TypeSpec = 'object';
const SET: TypeSpec = 'set';
const anyOf = (...t: TypeSpec[]): TypeSpec => ({ anyOf: t });
const COLL = anyOf(ARR, SET);
const STR_COLL = anyOf(S, ARR, SET);
const KEYS = anyOf(ARR, OBJ, SET);
/** time.date & co accept ns or [ns, timezone]. */
const TIME = anyOf(N, ARR);

type Row = [name: string, args: TypeSpec[], result: TypeSpec, impl: 'runtime' | 'host', extra?: Partial<BuiltinDecl>];

const R = 'runtime' as const;
const H = 'host' as const;
const ND = { nondeterministic: true };

// prettier-ignore
const ROWS: Row[] = [
  // ---- operators ---------------------------------------------------------------------------
  ['plus',  [N, N], N, R, { infix: '+' }],
  ['minus', [anyOf(N, SET), anyOf(N, SET)], anyOf(N, SET), R, { infix: '-' }],
  ['mul',   [N, N], N, R, { infix: '*' }],
  ['div',   [N, N], N, R, { infix: '/' }],
  ['rem',   [N, N], N, R, { infix: '%' }],
  ['eq',    [A, A], B, R, { infix: '=' }],
  ['assign',[A, A], B, R, { infix: ':=' }],
  ['equal', [A, A], B, R, { infix: '==' }],
  ['neq',   [A, A], B, R, { infix: '!=' }],
  ['lt',    [A, A], B, R, { infix: '<' }],
  ['lte',   [A, A], B, R, { infix: '<=' }],
  ['gt',    [A, A], B, R, { infix: '>' }],
  ['gte',   [A, A], B, R, { infix: '>=' }],
  ['and',   [SET, SET], SET, R, { infix: '&' }],
  ['or',    [SET, SET], SET, R, { infix: '|' }],
  ['internal.member_2', [A, A], B, R, { infix: 'in' }],
  ['internal.member_3', [A, A, A], B, R, { infix: 'in' }],
  ['internal.print', [ARR], B, R],

  // ---- aggregates --------------------------------------------------------------------------
  ['count',   [anyOf(S, ARR, OBJ, SET)], N, R],
  ['sum',     [COLL], N, R],
  ['product', [COLL], N, R],
  ['max',     [COLL], A, R],
  ['min',     [COLL], A, R],
  ['sort',    [COLL], ARR, R],

  // ---- numbers -----------------------------------------------------------------------------
  ['abs',   [N], N, R],
  ['round', [N], N, R],
  ['ceil',  [N], N, R],
  ['floor', [N], N, R],
  ['numbers.range',      [N, N], ARR, H],
  ['numbers.range_step', [N, N, N], ARR, H],
  ['format_int',         [N, N], S, H],
  ['bits.or',     [N, N], N, H],
  ['bits.and',    [N, N], N, H],
  ['bits.xor',    [N, N], N, H],
  ['bits.negate', [N], N, H],
  ['bits.lsh',    [N, N], N, H],
  ['bits.rsh',    [N, N], N, H],
  ['rand.intn',   [S, N], N, H, ND],

  // ---- strings -----------------------------------------------------------------------------
  ['concat',      [S, COLL], S, R],
  ['contains',    [S, S], B, R],
  ['startswith',  [S, S], B, R],
  ['endswith',    [S, S], B, R],
  ['lower',       [S], S, R],
  ['upper',       [S], S, R],
  ['split',       [S, S], ARR, R],
  ['trim',        [S, S], S, R],
  ['trim_left',   [S, S], S, R],
  ['trim_right',  [S, S], S, R],
  ['trim_prefix', [S, S], S, R],
  ['trim_suffix', [S, S], S, R],
  ['trim_space',  [S], S, R],
  ['indexof',     [S, S], N, R],
  ['indexof_n',   [S, S], ARR, H],
  ['substring',   [S, N, N], S, R],
  ['replace',     [S, S, S], S, R],
  ['strings.replace_n', [OBJ, S], S, H],
  ['strings.reverse',   [S], S, H],
  ['strings.count',     [S, S], N, H],
  ['strings.any_prefix_match', [STR_COLL, STR_COLL], B, H],
  ['strings.any_suffix_match', [STR_COLL, STR_COLL], B, H],
  ['strings.render_template',  [S, OBJ], S, H],
  ['sprintf',     [S, ARR], S, R],

  // ---- types -------------------------------------------------------------------------------
  ['to_number',  [anyOf('null', B, N, S)], N, R],
  ['is_number',  [A], B, R],
  ['is_string',  [A], B, R],
  ['is_boolean', [A], B, R],
  ['is_array',   [A], B, R],
  ['is_set',     [A], B, R],
  ['is_object',  [A], B, R],
  ['is_null',    [A], B, R],
  ['type_name',  [A], S, R],

  // ---- arrays, objects, sets ---------------------------------------------------------------
  ['array.concat',  [ARR, ARR], ARR, R],
  ['array.slice',   [ARR, N, N], ARR, R],
  ['array.reverse', [ARR], ARR, R],
  ['object.get',    [OBJ, A, A], A, R],
  ['object.keys',   [OBJ], SET, R],
  ['object.union',  [OBJ, OBJ], OBJ, R],
  ['object.remove', [OBJ, KEYS], OBJ, R],
  ['object.union_n',[ARR], OBJ, H],
  ['object.filter', [OBJ, KEYS], OBJ, H],
  ['object.subset', [anyOf(OBJ, ARR, SET), anyOf(OBJ, ARR, SET)], B, H],
  ['union',         [SET], SET, R],
  ['intersection',  [SET], SET, R],
  ['walk',          [A], ARR, H],
  ['graph.reachable', [OBJ, COLL], SET, H],

  // ---- regex & glob (RE2 semantics, linear time) -------------------------------------------
  ['regex.match',    [S, S], B, H],
  ['regex.is_valid', [A], B, H],
  ['regex.find_n',   [S, S, N], ARR, H],
  ['regex.find_all_string_submatch_n', [S, S, N], ARR, H],
  ['regex.split',    [S, S], ARR, H],
  ['regex.replace',  [S, S, S], S, H],
  ['regex.template_match', [S, S, S, S], B, H],
  ['glob.match',      [S, anyOf('null', ARR), S], B, H],
  ['glob.quote_meta', [S], S, H],

  // ---- net ---------------------------------------------------------------------------------
  ['net.cidr_contains',   [S, S], B, H],
  ['net.cidr_intersects', [S, S], B, H],
  ['net.cidr_is_valid',   [S], B, H],
  ['net.cidr_expand',     [S], SET, H],
  ['net.cidr_merge',      [COLL], SET, H],
  // Sets are left out of the argument types: a set's entries are keyed by the element in OPA,
  // but reach the host as an array (keyed by index), so a set argument is rejected at compile time.
  ['net.cidr_contains_matches', [anyOf(S, ARR, OBJ), anyOf(S, ARR, OBJ)], SET, H],

  // ---- time --------------------------------------------------------------------------------
  ['time.now_ns',            [], N, H, ND],
  ['time.parse_rfc3339_ns',  [S], N, H],
  ['time.parse_ns',          [S, S], N, H],
  ['time.parse_duration_ns', [S], N, H],
  ['time.add_date',          [N, N, N, N], N, H],
  ['time.date',              [TIME], ARR, H],
  ['time.clock',             [TIME], ARR, H],
  ['time.weekday',           [TIME], S, H],
  ['time.diff',              [TIME, TIME], ARR, H],
  ['time.format',            [TIME], S, H],

  // ---- units & encodings -------------------------------------------------------------------
  ['units.parse',          [S], N, H],
  ['units.parse_bytes',    [S], N, H],
  ['base64.encode',        [S], S, H],
  ['base64.decode',        [S], S, H],
  ['base64.is_valid',      [S], B, H],
  ['base64url.encode',     [S], S, H],
  ['base64url.encode_no_pad', [S], S, H],
  ['base64url.decode',     [S], S, H],
  ['hex.encode',           [S], S, H],
  ['hex.decode',           [S], S, H],
  ['urlquery.encode',        [S], S, H],
  ['urlquery.decode',        [S], S, H],
  ['urlquery.encode_object', [OBJ], S, H],
  ['urlquery.decode_object', [S], OBJ, H],
  ['json.marshal',   [A], S, H],
  ['json.unmarshal', [S], A, H],
  ['json.is_valid',  [S], B, H],
  ['json.filter',    [OBJ, COLL], A, H],
  ['json.remove',    [OBJ, COLL], A, H],
  ['json.patch',     [A, ARR], A, H],
  ['yaml.marshal',   [A], S, H],
  ['yaml.unmarshal', [S], A, H],
  ['yaml.is_valid',  [S], B, H],

  // ---- semver ------------------------------------------------------------------------------
  ['semver.compare',  [S, S], N, H],
  ['semver.is_valid', [A], B, H],

  // ---- crypto & tokens ---------------------------------------------------------------------
  ['crypto.md5',         [S], S, H],
  ['crypto.sha1',        [S], S, H],
  ['crypto.sha256',      [S], S, H],
  ['crypto.hmac.md5',    [S, S], S, H],
  ['crypto.hmac.sha1',   [S, S], S, H],
  ['crypto.hmac.sha256', [S, S], S, H],
  ['crypto.hmac.sha512', [S, S], S, H],
  ['crypto.hmac.equal',  [S, S], B, H],
  ['io.jwt.decode',        [S], ARR, H],
  ['io.jwt.decode_verify', [S, OBJ], ARR, H],
  ['io.jwt.verify_rs256',  [S, S], B, H],
  ['io.jwt.verify_rs384',  [S, S], B, H],
  ['io.jwt.verify_rs512',  [S, S], B, H],
  ['io.jwt.verify_ps256',  [S, S], B, H],
  ['io.jwt.verify_ps384',  [S, S], B, H],
  ['io.jwt.verify_ps512',  [S, S], B, H],
  ['io.jwt.verify_es256',  [S, S], B, H],
  ['io.jwt.verify_es384',  [S, S], B, H],
  ['io.jwt.verify_es512',  [S, S], B, H],
  ['io.jwt.verify_hs256',  [S, S], B, H],
  ['io.jwt.verify_hs384',  [S, S], B, H],
  ['io.jwt.verify_hs512',  [S, S], B, H],
  ['uuid.rfc4122',         [S], S, H, ND],
  ['uuid.parse',           [S], OBJ, H],
];

function buildCatalog(rows: Row[]): ReadonlyMap<string, BuiltinDecl> {
  const map = new Map<string, BuiltinDecl>();
  for (const [name, args, result, impl, extra] of rows) {
    if (map.has(name)) throw new Error(`builtin catalog: duplicate row ${name}`);
    map.set(name, Object.freeze({ name, args, result, impl, ...extra }));
  }
  return map;
}

/** Every builtin Arbiter supports, keyed by its Rego name. */
export const BUILTINS: ReadonlyMap<string, BuiltinDecl> = buildCatalog(ROWS);

export function lookupBuiltin(name: string): BuiltinDecl | undefined {
  return BUILTINS.get(name);
}

/** Names of builtins the Wasm runtime implements itself. */
export function runtimeBuiltinNames(): string[] {
  return [...BUILTINS.values()].filter((d) => d.impl === 'runtime').map((d) => d.name);
}

/** Names of builtins served by the TypeScript host table. */
export function hostBuiltinNames(): string[] {
  return [...BUILTINS.values()].filter((d) => d.impl === 'host').map((d) => d.name);
}
