// strings.render_template: the subset of Go's text/template that policies use to fill in
// messages — literal text, field chains ({{.name}}, {{.user.name}}, {{.}}), trim markers
// ({{- … -}}) and comments ({{/* … */}}). Any other action (if, range, pipelines, functions,
// variables, literals…) is a builtin error rather than a silently different rendering.
//
// Values print like Go's fmt %v on the decoded JSON (OPA decodes numbers as json.Number, so they
// print as written): objects as map[k:v …] with sorted keys, arrays as [a b], null as <nil>, and
// a missing key as <no value> (text/template's default missingkey behaviour).

import { BuiltinError } from './types';
import { isObject, obj, str } from './values';

const FN = 'strings.render_template';

type Node = { text: string } | { field: string[]; action: string };

const SPACE = /[ \t\r\n]/;
const IDENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function parseTemplate(src: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  let trimNextText = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
    trimNextText = false;
    if (open < 0) {
      if (text) nodes.push({ text });
      break;
    }
    let start = open + 2;
    // "{{- " trims the whitespace before the action (the dash must be followed by a space).
    if (src[start] === '-' && SPACE.test(src[start + 1] ?? '')) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 2;
    }
    if (text) nodes.push({ text });
    if (src.startsWith('/*', start)) {
      // A comment: "{{/* … */}}" or "{{/* … */ -}}", nothing else inside the delimiters.
      const end = src.indexOf('*/', start + 2);
      if (end < 0) throw new BuiltinError(FN, 'template: unclosed comment');
      if (src.startsWith(' -}}', end + 2)) {
        trimNextText = true;
        i = end + 6;
      } else if (src.startsWith('}}', end + 2)) {
        i = end + 4;
      } else {
        throw new BuiltinError(FN, 'template: comment ends before closing delimiter');
      }
      continue;
    }
    const end = src.indexOf('}}', start);
    if (end < 0) throw new BuiltinError(FN, 'template: unclosed action');
    let body = src.slice(start, end);
    // " -}}" trims the whitespace after the action.
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -2);
      trimNextText = true;
    }
    nodes.push(parseAction(body.trim()));
    i = end + 2;
  }
  return nodes;
}

/** "." or ".a.b.c"; anything else is outside the supported subset. */
function parseAction(action: string): Node {
  if (action === '') throw new BuiltinError(FN, 'template: missing value for command');
  if (action === '.') return { field: [], action };
  const parts = action.split('.');
  if (parts[0] !== '' || !parts.slice(1).every((p) => IDENT.test(p))) {
    throw new BuiltinError(FN, `template: unsupported action {{${action}}} (only field references such as {{.name}} are supported)`);
  }
  return { field: parts.slice(1), action };
}

/** Go's fmt %v of a decoded JSON value. */
function goPrint(v: unknown): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goPrint(o[k])}`)
    .join(' ')}]`;
}

const MISSING = Symbol('no value');

function lookup(root: Record<string, unknown>, node: { field: string[]; action: string }): unknown {
  let cur: unknown = root;
  for (const name of node.field) {
    if (cur === MISSING) return MISSING; // a field of a missing key is missing too
    if (cur === null) throw new BuiltinError(FN, `template: ${node.action}: nil pointer evaluating interface {}.${name}`);
    if (!isObject(cur)) throw new BuiltinError(FN, `template: ${node.action}: can't evaluate field ${name} in type ${goType(cur)}`);
    cur = Object.prototype.hasOwnProperty.call(cur, name) ? cur[name] : MISSING;
  }
  return cur;
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'json.Number';
}

export function renderTemplate(template: unknown, vars: unknown): string {
  const src = str(FN, 1, template);
  const root = obj(FN, 2, vars);
  let out = '';
  for (const node of parseTemplate(src)) {
    if ('text' in node) out += node.text;
    else {
      const v = lookup(root, node);
      out += v === MISSING ? '<no value>' : goPrint(v);
    }
  }
  return out;
}
