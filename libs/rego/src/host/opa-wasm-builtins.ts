// Arbiter's host builtins shaped for plain @open-policy-agent/opa-wasm's `customBuiltins`, so
// an Arbiter-compiled module runs unmodified in stock opa-wasm:
//
//   const policy = await loadPolicy(wasm, undefined, opaWasmCustomBuiltins());
//
// opa-wasm passes each builtin its arguments through JSON.parse and JSON.stringify's the
// result unless it is an ArrayBuffer, which it loads as JSON text untouched: results go out as
// exact JSON text, so integers beyond 2^53 (nanosecond timestamps) survive. Arguments do not:
// opa-wasm has already parsed them (see host/README.md for the limits of this path).

import { HOST_BUILTINS, ARBITER_PREFIX, hostImportName } from '../builtins';
import type { HostBuiltin } from '../builtins/types';
import { BuiltinError } from '../builtins/types';
import { EvalContext, activeEvalContext, withEvalContext, type BuiltinFailure } from '../builtins/context';
import { stringifyExact } from '../builtins/exact-json';
import { printLine } from './print-line';

export interface OpaWasmBuiltinsOptions {
  /**
   * The evaluation context (pinned time.now_ns, recorded uuid/rand values). Default: the one
   * made active with `withEvalContext` around `evaluate`, else a fresh one per synchronous
   * run (dropped at the next microtask) — opa-wasm's `evaluate` is synchronous, so every call
   * of one evaluation shares it; back-to-back evaluations in one synchronous loop do too.
   */
  context?: () => EvalContext | undefined;
  /**
   * OPA's strict builtin errors: a builtin error throws out of `evaluate`. A function is asked
   * at each failing call. Default false: the call is undefined, as in OPA's default mode.
   */
  strictBuiltinErrors?: boolean | (() => boolean);
  /** Told about each builtin error that made a call undefined. */
  onError?: (failure: BuiltinFailure) => void;
  /** Receives print() lines (default: stderr, as a debugging aid). */
  onPrint?: (line: string) => void;
  /** Extra or overriding builtins, by the name the module imports them under. */
  builtins?: Record<string, HostBuiltin>;
}

/** The signature opa-wasm calls: JSON values in, a JSON value or JSON text (ArrayBuffer) out. */
export type OpaWasmBuiltin = (...args: unknown[]) => unknown;

/** What a builtin error throws in strict mode; the message starts with its code, as OPA's. */
export class OpaWasmBuiltinError extends Error {
  constructor(
    readonly code: BuiltinError['code'],
    readonly builtin: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * Every Arbiter host builtin under its OPA name, plus the `arbiter.`-prefixed names Arbiter's
 * code generator imports for the builtins opa-wasm implements itself (its JS versions would
 * shadow a custom builtin of the same name), plus print().
 */
export function opaWasmCustomBuiltins(opts: OpaWasmBuiltinsOptions = {}): Record<string, OpaWasmBuiltin> {
  const contextOf = perRunContext(opts.context);
  const strict = typeof opts.strictBuiltinErrors === 'function' ? opts.strictBuiltinErrors : () => opts.strictBuiltinErrors === true;
  const onPrint = opts.onPrint ?? ((line: string) => process.stderr.write(line + '\n'));

  const adapt = (name: string, impl: HostBuiltin): OpaWasmBuiltin => {
    return (...args: unknown[]) => {
      let result: unknown;
      try {
        result = withEvalContext(contextOf(), () => impl(...args));
      } catch (e) {
        const err = e instanceof BuiltinError ? e : new BuiltinError(name, e instanceof Error ? e.message : String(e));
        if (strict()) throw new OpaWasmBuiltinError(err.code, err.builtin, err.message);
        const failure = { builtin: err.builtin, message: err.message, code: err.code };
        // Only a caller's context keeps failures (the per-run one may span many evaluations).
        (opts.context?.() ?? activeEvalContext())?.errors.push(failure);
        opts.onError?.(failure);
        return undefined;
      }
      return result === undefined ? undefined : jsonText(result);
    };
  };

  const table: Record<string, OpaWasmBuiltin> = {};
  for (const [name, impl] of Object.entries(HOST_BUILTINS)) {
    table[name] = adapt(name, impl);
    const imported = hostImportName(name);
    if (imported !== name) table[imported] = table[name];
  }
  const print: HostBuiltin = (args) => {
    onPrint(printLine(args));
    return true;
  };
  table['internal.print'] = table[ARBITER_PREFIX + 'internal.print'] = adapt('internal.print', print);
  for (const [name, impl] of Object.entries(opts.builtins ?? {})) table[name] = adapt(name, impl);
  return table;
}

/**
 * The caller's context if given or active; otherwise one context per synchronous run, dropped
 * in the next microtask (after `evaluate` has returned).
 */
function perRunContext(given: OpaWasmBuiltinsOptions['context']): () => EvalContext {
  let run: EvalContext | undefined;
  return () => {
    const explicit = given?.() ?? activeEvalContext();
    if (explicit) return explicit;
    if (!run) {
      run = new EvalContext();
      queueMicrotask(() => (run = undefined));
    }
    return run;
  };
}

/** UTF-8 JSON text in an ArrayBuffer of its own (opa-wasm loads all of the buffer). */
function jsonText(value: unknown): ArrayBuffer {
  const bytes = new TextEncoder().encode(stringifyExact(value));
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}
