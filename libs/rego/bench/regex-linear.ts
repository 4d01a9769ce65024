// regex.match("(a+)+$", "aaa…ab") through Arbiter's host builtin (RE2 via re2js) versus JS
// RegExp. RE2 time grows linearly with n; backtracking RegExp grows exponentially, so it is
// only run on small n and stopped once a single match takes longer than BUDGET_MS.
//
//   npm run bench:regex

import { HOST_BUILTINS } from '../src/builtins/index';

const PATTERN = '(a+)+$';
const BUDGET_MS = 1500;
const regexMatch = HOST_BUILTINS['regex.match'];

function input(n: number): string {
  return 'a'.repeat(n) + 'b';
}

function timeMs(fn: () => unknown, minTotalMs = 50): { ms: number; result: unknown } {
  let runs = 0;
  let result: unknown;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  do {
    result = fn();
    runs++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
  } while (elapsed < minTotalMs && runs < 10_000);
  return { ms: elapsed / runs, result };
}

function pad(s: string | number, w: number): string {
  return String(s).padStart(w);
}

regexMatch(PATTERN, input(10)); // compile + warm the cache and JIT

console.log(`regex.match(${JSON.stringify(PATTERN)}, "a"*n + "b") — Arbiter host builtin (re2js, RE2 semantics)`);
console.log(`${pad('n', 7)} ${pad('ms/match', 12)} ${pad('µs per char', 12)}  result`);
for (const n of [10, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) {
  const s = input(n);
  const { ms, result } = timeMs(() => regexMatch(PATTERN, s));
  console.log(`${pad(n, 7)} ${pad(ms.toFixed(4), 12)} ${pad(((ms * 1000) / (n + 1)).toFixed(3), 12)}  ${String(result)}`);
}

console.log(`\nContrast: JS RegExp /${PATTERN}/ (backtracking), stopped after a match exceeds ${BUDGET_MS} ms`);
console.log(`${pad('n', 7)} ${pad('ms/match', 12)}`);
const re = new RegExp(PATTERN);
for (let n = 10; n <= 40; n += 2) {
  const s = input(n);
  const { ms } = timeMs(() => re.test(s), 0);
  console.log(`${pad(n, 7)} ${pad(ms.toFixed(4), 12)}`);
  if (ms > BUDGET_MS) {
    console.log(`(stopped: each +2 characters roughly quadruples the time; n = 10000 would never finish)`);
    break;
  }
}
