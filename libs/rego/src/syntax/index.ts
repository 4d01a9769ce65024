// Public entry points of the syntax stage. Every function collects errors as diagnostics and
// never throws on bad input.
import type { Body, Module, Term } from './ast';
import { diagnostic, type Diagnostic } from '../diagnostics';
import { lex } from './lexer';
import { ModuleParser, type ParseError } from './parser';

export * from './ast';
export { lex } from './lexer';
export type { Token, TokenKind, Comment } from './lexer';

function toDiagnostics(errors: ParseError[]): Diagnostic[] {
  return errors.map((e) => diagnostic('rego_parse_error', e.message, e.loc));
}

function internalError(file: string, e: unknown): Diagnostic[] {
  const msg = e instanceof Error ? e.message : String(e);
  return [diagnostic('rego_parse_error', `internal parser error: ${msg}`, { file, line: 1, col: 1, offset: 0 })];
}

export function parseModule(file: string, text: string): { module?: Module; errors: Diagnostic[] } {
  try {
    const { tokens, comments } = lex(file, text);
    const p = new ModuleParser(tokens, file);
    const module = p.parseModule(comments);
    const errors = toDiagnostics(p.errors);
    return errors.length ? { errors } : { module, errors };
  } catch (e) {
    return { errors: internalError(file, e) };
  }
}

/** A query: literals separated by `;` or newlines, e.g. `x := data.a.b; x > 1`. */
export function parseQuery(file: string, text: string): { body?: Body; errors: Diagnostic[] } {
  try {
    const { tokens } = lex(file, text);
    const p = new ModuleParser(tokens, file);
    const body = p.parseQuery();
    const errors = toDiagnostics(p.errors);
    return errors.length ? { errors } : { body, errors };
  } catch (e) {
    return { errors: internalError(file, e) };
  }
}

/** A single term, e.g. an `input_term` or a `with` value given on a command line. */
export function parseTerm(file: string, text: string): { term?: Term; errors: Diagnostic[] } {
  try {
    const { tokens } = lex(file, text);
    const p = new ModuleParser(tokens, file);
    const term = p.parseSingleTerm();
    const errors = toDiagnostics(p.errors);
    return errors.length ? { errors } : { term, errors };
  } catch (e) {
    return { errors: internalError(file, e) };
  }
}
