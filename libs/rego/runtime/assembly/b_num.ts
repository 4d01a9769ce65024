// Numeric and comparison builtins. Errors (wrong types, division by zero) make the call
// undefined (return 0), or abort in strict mode (err.ts).

import {
  T_NUMBER, T_ARRAY, T_SET, T_OBJECT, T_STRING, T_NULL, T_BOOL, N_INT, N_BIG,
  tag, len, elem, numKind, mkInt, mkFloat, mkBool, toF64, mkColl, strPtr,
} from './value';
import { compare, equal } from './compare';
import { copyColl, setHas, setAdd, dot, objGet } from './coll';
import { insertAt, objVal } from './value';
import { scanNumber, parseNumber } from './number';
import { bigAdd, bigMul, bigQuoRem, bigDivides, isIntegral } from './bigint';
import { builtinErr, builtinErrValue, typeErr, elemErr } from './err';

@inline function isNum(v: usize): bool { return v != 0 && tag(v) == T_NUMBER; }
@inline function bothInt(a: usize, b: usize): bool { return numKind(a) == N_INT && numKind(b) == N_INT; }

/** The type error of a two-number operator, or 0 when both operands are numbers. */
function numOperands(name: string, a: usize, b: usize): usize {
  if (!isNum(a)) return typeErr(name, 1, "number", a);
  return typeErr(name, 2, "number", b);
}

export function b_plus(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return numOperands("plus", a, b);
  return plus(a, b);
}

function plus(a: usize, b: usize): usize {
  if (bothInt(a, b)) {
    const x = load<i64>(a, 8), y = load<i64>(b, 8);
    const r = x + y;
    // Overflow iff both operands have the same sign and the result's sign differs.
    if (((x ^ r) & (y ^ r)) >= 0) return mkInt(r);
  }
  if (isIntegral(a) && isIntegral(b)) return bigAdd(a, b, false);
  return mkFloat(toF64(a) + toF64(b));
}

function setDiff(a: usize, b: usize): usize {
  const r = mkColl(T_SET, len(a));
  const n = len(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = elem(a, i);
    if (!setHas(b, x)) insertAt(r, len(r), x, 0);
  }
  return r;
}

export function b_minus(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  if (tag(a) == T_SET && tag(b) == T_SET) return setDiff(a, b);
  if (!isNum(a) || !isNum(b)) {
    if (!isNum(a) && tag(a) != T_SET) return typeErr("minus", 1, "one of {number, set}", a);
    return typeErr("minus", 2, isNum(a) ? "number" : "set", b);
  }
  if (bothInt(a, b)) {
    const x = load<i64>(a, 8), y = load<i64>(b, 8);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return mkInt(r);
  }
  if (isIntegral(a) && isIntegral(b)) return bigAdd(a, b, true);
  return mkFloat(toF64(a) - toF64(b));
}

export function b_mul(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return numOperands("mul", a, b);
  return mul(a, b);
}

function mul(a: usize, b: usize): usize {
  if (bothInt(a, b)) {
    const x = load<i64>(a, 8), y = load<i64>(b, 8);
    if (x > -3037000499 && x < 3037000499 && y > -3037000499 && y < 3037000499) return mkInt(x * y);
    const f = <f64>x * <f64>y;
    if (Math.abs(f) < 9.0e18) return mkInt(x * y);
  }
  if (isIntegral(a) && isIntegral(b)) return bigMul(a, b);
  return mkFloat(toF64(a) * toF64(b));
}

export function b_div(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return numOperands("div", a, b);
  const d = toF64(b);
  if (d == 0) return builtinErr("div", "divide by zero");
  if (bothInt(a, b)) {
    const x = load<i64>(a, 8), y = load<i64>(b, 8);
    if (y != -1 && x % y == 0) return mkInt(x / y);
  }
  // beyond i64 (or i64.MIN / -1): exact when the division is
  if (isIntegral(a) && isIntegral(b) && (!bothInt(a, b) || load<i64>(b, 8) == -1) && bigDivides(a, b)) return bigQuoRem(a, b, false);
  return mkFloat(toF64(a) / d);
}

export function b_rem(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return numOperands("rem", a, b);
  if (!bothInt(a, b)) {
    if (isIntegral(a) && isIntegral(b)) {
      if (toF64(b) == 0) return builtinErr("rem", "modulo by zero");
      return bigQuoRem(a, b, true);
    }
    const x = toF64(a), y = toF64(b);
    if (x != Math.trunc(x) || y != Math.trunc(y)) return builtinErr("rem", "modulo on floating-point number");
    if (y == 0) return builtinErr("rem", "modulo by zero");
    return mkFloat(x % y);
  }
  const x = load<i64>(a, 8), y = load<i64>(b, 8);
  if (y == 0) return builtinErr("rem", "modulo by zero");
  if (y == -1) return mkInt(0);
  return mkInt(x % y);
}

export function b_equal(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(equal(a, b));
}
export function b_eq(a: usize, b: usize): usize { return b_equal(a, b); }
export function b_assign(a: usize, b: usize): usize { return b_equal(a, b); }
export function b_neq(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(!equal(a, b));
}
export function b_lt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(compare(a, b) < 0);
}
export function b_lte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(compare(a, b) <= 0);
}
export function b_gt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(compare(a, b) > 0);
}
export function b_gte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return mkBool(compare(a, b) >= 0);
}

function isColl(v: usize): bool {
  return v != 0 && (tag(v) == T_ARRAY || tag(v) == T_SET);
}

export function b_sum(c: usize): usize {
  if (!isColl(c)) return typeErr("sum", 1, "one of {set, array}", c);
  let acc = mkInt(0);
  const n = len(c);
  for (let i: u32 = 0; i < n; i++) {
    const x = elem(c, i);
    if (!isNum(x)) return elemErr("sum", 1, c, "number", x);
    acc = plus(acc, x);
  }
  return acc;
}

export function b_product(c: usize): usize {
  if (!isColl(c)) return typeErr("product", 1, "one of {set, array}", c);
  let acc = mkInt(1);
  const n = len(c);
  for (let i: u32 = 0; i < n; i++) {
    const x = elem(c, i);
    if (!isNum(x)) return elemErr("product", 1, c, "number", x);
    acc = mul(acc, x);
  }
  return acc;
}

export function b_max(c: usize): usize {
  if (!isColl(c)) return typeErr("max", 1, "one of {set, array}", c);
  if (len(c) == 0) return 0;
  if (tag(c) == T_SET) return elem(c, len(c) - 1);
  let m = elem(c, 0);
  for (let i: u32 = 1; i < len(c); i++) if (compare(elem(c, i), m) > 0) m = elem(c, i);
  return m;
}

export function b_min(c: usize): usize {
  if (!isColl(c)) return typeErr("min", 1, "one of {set, array}", c);
  if (len(c) == 0) return 0;
  if (tag(c) == T_SET) return elem(c, 0);
  let m = elem(c, 0);
  for (let i: u32 = 1; i < len(c); i++) if (compare(elem(c, i), m) < 0) m = elem(c, i);
  return m;
}

export function b_abs(a: usize): usize {
  if (!isNum(a)) return typeErr("abs", 1, "number", a);
  if (numKind(a) == N_INT) {
    const x = load<i64>(a, 8);
    if (x >= 0) return a;
    if (x != i64.MIN_VALUE) return mkInt(-x);
  }
  if (isIntegral(a)) return toF64(a) < 0 ? bigAdd(mkInt(0), a, true) : a;
  return mkFloat(Math.abs(toF64(a)));
}

export function b_round(a: usize): usize {
  if (!isNum(a)) return typeErr("round", 1, "number", a);
  if (numKind(a) != 1) return a;
  const x = toF64(a);
  // Half away from zero, as Go's math.Round.
  const r = x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
  return mkFloat(r);
}

export function b_ceil(a: usize): usize {
  if (!isNum(a)) return typeErr("ceil", 1, "number", a);
  if (numKind(a) != 1) return a;
  return mkFloat(Math.ceil(toF64(a)));
}

export function b_floor(a: usize): usize {
  if (!isNum(a)) return typeErr("floor", 1, "number", a);
  if (numKind(a) != 1) return a;
  return mkFloat(Math.floor(toF64(a)));
}

export function b_to_number(a: usize): usize {
  if (a == 0) return 0;
  const t = tag(a);
  if (t == T_NUMBER) return a;
  if (t == T_NULL) return mkInt(0);
  if (t == T_BOOL) return mkInt(<i64>load<u32>(a, 4));
  if (t != T_STRING) return typeErr("to_number", 1, "one of {null, boolean, number, string}", a);
  const p = strPtr(a), n = len(a);
  if (n == 0) return badNumber(a);
  // Accept an optional leading '+' and a leading '.' / trailing '.' as Go's ParseFloat does.
  const q = scanNumber(p, p + n);
  if (q != p + n) return badNumber(a);
  return parseNumber(p, n, true);
}

function badNumber(s: usize): usize {
  return builtinErrValue("to_number", "strconv.ParseFloat: parsing ", s, ": invalid syntax");
}

export { N_BIG, T_OBJECT, copyColl, setAdd, dot, objGet, objVal };
