import { compile } from './libs/rego/src/index';
(async () => {
  const r = await compile({ modules: [{ file: 'p.rego', text: `package p
s := sprintf("%d", [input.n])
m := regex.match("a", input.s)
` }], entrypoints: ['p/s', 'p/m'] });
  const b = Buffer.from(r.wasm!);
  console.log(r.errors, b.length, b.indexOf('"arbiter.sprintf"'), b.indexOf('regex.match'), b.toString('latin1').match(/\{"[^}]*sprintf[^}]*\}/)?.[0]);
})();
