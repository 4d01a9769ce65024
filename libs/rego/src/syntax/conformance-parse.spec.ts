// Parses every module of the OPA v1 conformance cases (read from the shared folder at test time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatDiagnostic } from '../diagnostics';
import { parseModule, parseQuery } from './index';

const ROOT = '/work/shared/conformance/opa-v1';

interface Case {
  note?: string;
  modules?: string[];
  query?: string;
  want_error_code?: string;
}

function loadCases(): Array<{ file: string; c: Case }> {
  const out: Array<{ file: string; c: Case }> = [];
  for (const dir of readdirSync(ROOT).sort()) {
    const full = join(ROOT, dir);
    for (const f of readdirSync(full).filter((n) => n.endsWith('.yaml')).sort()) {
      const doc = parseYaml(readFileSync(join(full, f), 'utf8')) as { cases?: Case[] } | null;
      for (const c of doc?.cases ?? []) out.push({ file: `${dir}/${f}`, c });
    }
  }
  return out;
}

test('every OPA v1 conformance module parses (parse-error cases must fail)', (t) => {
  if (!existsSync(ROOT)) {
    t.skip(`conformance folder ${ROOT} not found`);
    return;
  }
  const cases = loadCases();
  let modules = 0;
  let queries = 0;
  let expectedFailures = 0;
  const problems: string[] = [];
  for (const { file, c } of cases) {
    const wantParseError = c.want_error_code === 'rego_parse_error';
    const errs = [];
    (c.modules ?? []).forEach((src, i) => {
      modules++;
      errs.push(...parseModule(`${file}#${c.note}#${i}`, src).errors);
    });
    if (c.query !== undefined) {
      queries++;
      errs.push(...parseQuery(`${file}#${c.note}#query`, c.query).errors);
    }
    if (wantParseError) {
      expectedFailures++;
      if (errs.length === 0) problems.push(`${file} ${c.note}: expected a rego_parse_error, parsed fine`);
    } else {
      for (const e of errs) problems.push(formatDiagnostic(e));
    }
  }
  console.log(
    `conformance parse: ${cases.length} cases, ${modules} modules, ${queries} queries, ` +
      `${expectedFailures} expected parse errors, ${problems.length} problems`,
  );
  assert.deepEqual(problems, []);
});
