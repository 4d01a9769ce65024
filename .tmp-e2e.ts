import { compile } from './libs/rego/src/index';
import { loadPolicy } from './libs/rego/src/host';
(async () => {
  const r = await compile({ modules: [{ file: 'p.rego', text: `package p
import rego.v1
s := sprintf("%v-%d-%s", [input.a, 5, "x"])
t := time.now_ns()
t2 := time.now_ns()
same if t == t2
u := uuid.rfc4122("k")
u2 := uuid.rfc4122("k")
d := time.add_date(t, 1, 0, 0)
m if regex.match("^a+$", "aaa")
bad := regex.match("(", "x")
cidrs := net.cidr_expand("10.0.0.0/30")
big := 1700000000000000123 + 0
` }], entrypoints: ['p'] });
  if (r.errors.length) { console.log(r.errors); return; }
  const p = await loadPolicy(r.wasm!);
  console.log(p.entrypoints, p.builtins);
  const out = p.evaluate({ a: [1, 'b'] }, 'p', { nowNs: 1700000000000000123n });
  console.log(JSON.stringify(out, (_k, v) => typeof v === 'bigint' ? `${v}n` : v, 1));
})();
