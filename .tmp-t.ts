import { goSprintf } from './libs/rego/src/builtins/sprintf';
const cases: [string, unknown[]][] = [
 ['%v %s %d', [1, 'a', 2]], ['%.2f', [3.14159]], ['%f', [5]], ['%s', [5]], ['%v', [1234567.5]], ['%v', [0.00001]],
 ['%v', [[1,'a',{b:null,a:true}]]], ['%x %X %q', ['hi', 255n, 'a"\n']], ['%t', [true]], ['%%', []], ['%d %d', [1]], ['%d', [1,2,'x']],
 ['%5d|%-5d|%05d', [42,42,-42]], ['%e', [123456.789]], ['%g', [1e21]], ['%s', [123456789123456789123n]], ['%.3s', ['héllo']], ['%08.3f', [-3.14159]], ['%x', [255]], ['%#x', [255]], ['%v', [0.1+0.2]], ['%.1f', [0.05]], ['%v', [100.0]], ['%v',[1e100]]
];
for (const [f, a] of cases) console.log(JSON.stringify(f), '=>', JSON.stringify(goSprintf(f, a)));
