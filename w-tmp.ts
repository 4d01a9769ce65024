import { parseQuery } from './libs/rego/src/syntax/index';
const q = 'data.gate.allow with input as {"n": 1} with data.x as 2';
const b = parseQuery('<q>', q).body!;
console.log(JSON.stringify(b[0].with.map(w => [w.loc, w.target.loc])), JSON.stringify(b[0].loc));
