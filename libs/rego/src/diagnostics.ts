// Compile diagnostics: collected (never thrown) so one compile reports every error.
import type { Location } from './syntax/ast';

/** OPA's error codes, so tools that know OPA read ours the same way. */
export type DiagnosticCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error';

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  file: string;
  line: number;
  col: number;
}

export function diagnostic(code: DiagnosticCode, message: string, loc: Location): Diagnostic {
  return { code, message, file: loc.file, line: loc.line, col: loc.col };
}

/** `file:line:col: code: message`, the format `arbiter check` prints. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`;
}

/** Collects diagnostics across stages; stages add to it instead of throwing. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  add(code: DiagnosticCode, message: string, loc: Location): void {
    this.items.push(diagnostic(code, message, loc));
  }
  get hasErrors(): boolean {
    return this.items.length > 0;
  }
}
