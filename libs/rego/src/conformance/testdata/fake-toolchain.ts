// A scripted stand-in for the compiler + host, for testing the runners' own logic (counting,
// comparison, error matching, time limits) independently of the real compiler. Directives in
// module comments say what each entrypoint does:
//   # value <entrypoint> <json>      evaluate returns [{result: json}]
//   # undefined <entrypoint>         evaluate returns []
//   # throw <entrypoint> <message>   evaluate throws
//   # strict_throw <entrypoint> <message>   throws with strictBuiltinErrors, else undefined
//   # hang <entrypoint>              evaluate never returns (busy loop)
//   # compile_error <line> <code> <message>
import type { Toolchain } from '../../testing/toolchain';
import type { DiagnosticCode } from '../../diagnostics';

type Action =
  | { kind: 'value'; v: unknown }
  | { kind: 'undefined' }
  | { kind: 'throw'; msg: string }
  | { kind: 'strict_throw'; msg: string }
  | { kind: 'hang' };

export const toolchain: Toolchain = {
  compile(req) {
    const errors = [];
    const actions: Record<string, Action> = {};
    for (const m of req.modules) {
      for (const line of m.text.split('\n')) {
        const d = /^\s*# (\w+) (\S+)(?: (.*))?$/.exec(line);
        if (!d) continue;
        const [, kind, a, rest] = d;
        if (kind === 'value') actions[a] = { kind, v: JSON.parse(rest) };
        else if (kind === 'undefined' || kind === 'hang') actions[a] = { kind };
        else if (kind === 'throw' || kind === 'strict_throw') actions[a] = { kind, msg: rest };
        else if (kind === 'compile_error') {
          const [code, ...msg] = rest.split(' ');
          errors.push({ code: code as DiagnosticCode, message: msg.join(' '), file: m.file, line: Number(a), col: 1 });
        }
      }
    }
    if (errors.length) return { errors };
    return { wasm: new TextEncoder().encode(JSON.stringify(actions)), errors: [] };
  },
  loadPolicy(wasm, opts) {
    const actions = JSON.parse(new TextDecoder().decode(wasm)) as Record<string, Action>;
    let data = opts?.data;
    return {
      setData: (d) => void (data = d),
      evaluate(input, entrypoint, opts) {
        const a = actions[entrypoint] ?? { kind: 'undefined' };
        switch (a.kind) {
          case 'value':
            return { result: [{ result: a.v === '$input' ? input : a.v === '$data' ? data : a.v }] };
          case 'undefined':
            return { result: [] };
          case 'throw':
            throw new Error(a.msg);
          case 'strict_throw':
            if (opts?.strictBuiltinErrors) throw Object.assign(new Error(a.msg), { code: 'eval_builtin_error' });
            return { result: [] };
          case 'hang':
            for (;;) {
              // never returns: the pool's time limit must stop it
            }
        }
      },
    };
  },
};
