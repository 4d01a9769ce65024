import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, type Token } from './lexer';

const toks = (src: string): Token[] => lex('t.rego', src).tokens.filter((t) => t.kind !== 'eof');
const kinds = (src: string): string[] => toks(src).map((t) => `${t.kind}:${t.value}`);

test('numbers keep their raw text: ints, fractions, exponents, huge values', () => {
  assert.deepEqual(kinds('0 42 3.14 1e10 2.5E-3 6e+2 123456789012345678901234567890'), [
    'number:0', 'number:42', 'number:3.14', 'number:1e10', 'number:2.5E-3', 'number:6e+2',
    'number:123456789012345678901234567890',
  ]);
});

test('a dot not followed by a digit ends a number; `1e` without digits stays separate', () => {
  assert.deepEqual(kinds('x[1].y'), ['ident:x', 'punct:[', 'number:1', 'punct:]', 'punct:.', 'ident:y']);
  assert.deepEqual(kinds('1.x'), ['number:1', 'punct:.', 'ident:x']);
  assert.equal(toks('12abc')[0].kind, 'error');
});

test('string escapes decode, including \\u and surrogate pairs', () => {
  const [s] = toks(String.raw`"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00"`);
  assert.equal(s.kind, 'string');
  assert.equal(s.value, 'q" b\\ s/ \b\f\n\r\t é 😀');
});

test('invalid escapes and unterminated strings are error tokens, lexing continues', () => {
  const ts = toks('"a\\qb" x "\\u12" y "open\nz');
  assert.deepEqual(ts.map((t) => t.kind), ['error', 'ident', 'error', 'ident', 'error', 'ident']);
  assert.match(ts[0].value, /invalid escape sequence \\q/);
  assert.match(ts[2].value, /\\u/);
  assert.match(ts[4].value, /non-terminated string/);
  assert.equal(ts[5].value, 'z');
  assert.equal(ts[5].loc.line, 2);
});

test('raw strings keep backslashes and span lines', () => {
  const ts = toks('`a\\n "b"\nc` d');
  assert.equal(ts[0].value, 'a\\n "b"\nc');
  assert.equal(ts[0].raw, true);
  assert.deepEqual([ts[1].value, ts[1].loc.line, ts[1].loc.col], ['d', 2, 4]);
  assert.equal(toks('`open')[0].kind, 'error');
});

test('operators: two-character ones win', () => {
  assert.deepEqual(
    toks(':= == != <= >= = < > + - * / % & | : ; , . ( ) [ ] { }').map((t) => t.value),
    [':=', '==', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', ':', ';', ',', '.', '(', ')', '[', ']', '{', '}'],
  );
  const bang = toks('a ! b');
  assert.equal(bang[1].kind, 'error');
  assert.match(bang[1].value, /illegal character/);
});

test('locations: 1-based line/col in code points, 0-based UTF-16 offsets', () => {
  const src = 'x := "😀é"; y\n\t  ü := 1';
  const ts = toks(src);
  const y = ts.find((t) => t.value === 'y')!;
  // 11 code points but 12 UTF-16 units precede `y` (the emoji is a surrogate pair).
  assert.deepEqual([y.loc.line, y.loc.col, y.loc.offset], [1, 12, 12]);
  assert.equal(src.slice(y.loc.offset, y.end), 'y');
  const assign = ts.filter((t) => t.value === ':=')[1];
  // `ü` is not an identifier character: it is an error token at col 4; `:=` is at col 6.
  assert.equal(ts.find((t) => t.kind === 'error')!.loc.col, 4);
  assert.deepEqual([assign.loc.line, assign.loc.col], [2, 6]);
  assert.equal(src.slice(assign.loc.offset, assign.end), ':=');
});

test('newline flags and comments', () => {
  const r = lex('t.rego', 'a # one\n# two\n  b c\n');
  const [a, b, c, eof] = r.tokens;
  assert.deepEqual([a.nlBefore, b.nlBefore, c.nlBefore, eof.kind], [false, true, false, 'eof']);
  assert.deepEqual(r.comments.map((x) => [x.text, x.loc.line, x.loc.col]), [[' one', 1, 3], [' two', 2, 1]]);
});

test('CRLF line endings and a BOM are whitespace', () => {
  const ts = toks('\ufeffa\r\nb');
  assert.deepEqual(ts.map((t) => [t.value, t.loc.line, t.loc.col, t.nlBefore]), [['a', 1, 2, false], ['b', 2, 1, true]]);
});

test('a fraction or exponent beyond float64 is an error token (was an internal error in codegen)', () => {
  assert.deepEqual(kinds('1e400 1e100100 1e308 1' + '0'.repeat(400)), [
    'error:number out of range 1e400', 'error:number out of range 1e100100', 'number:1e308', `number:1${'0'.repeat(400)}`,
  ]);
});
