import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { serialize } from 'node:v8';
import { encodeBundle, readBundle, writeBundle, loadSourceTree, BundleFormatError, normalizeEntrypoint } from './index';
import { parseDataFile } from './source-tree';

const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A tar written field by field (not with the code under test), like Go's archive/tar output. */
function ustar(entries: Array<{ name: string; body?: string | Uint8Array; dir?: boolean }>): Buffer {
  const out: Buffer[] = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body as string);
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write(e.dir ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(e.dir ? '5' : '0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    out.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

test('write then read round-trips wasm, data, manifest and sources', async () => {
  const bytes = encodeBundle({
    wasm: WASM,
    data: { mcp: { tools: ['a', 'b'] }, n: 1.5 },
    entrypoints: ['mcp/decision', 'data.mcp.allow'],
    revision: 'r42',
    sources: [{ relPath: 'mcp/decision.rego', text: 'package mcp\n' }],
  });
  const b = await readBundle(bytes);
  assert.deepEqual(b.wasm, WASM);
  assert.deepEqual(b.data, { mcp: { tools: ['a', 'b'] }, n: 1.5 });
  assert.equal(b.manifest.revision, 'r42');
  assert.deepEqual(b.manifest.roots, ['']);
  assert.deepEqual(b.manifest.wasm, [
    { entrypoint: 'mcp/decision', module: '/policy.wasm' },
    { entrypoint: 'mcp/allow', module: '/policy.wasm' },
  ]);
  assert.equal(b.files['/mcp/decision.rego'].toString(), 'package mcp\n');
});

test('encoding is deterministic', () => {
  const c = { wasm: WASM, data: {}, entrypoints: ['a/b'] };
  assert.deepEqual(encodeBundle(c), encodeBundle(c));
});

test('long source paths survive (PAX headers)', async () => {
  const long = 'x/'.repeat(80) + 'deep.rego';
  const b = await readBundle(encodeBundle({ wasm: WASM, data: {}, entrypoints: ['a'], sources: [{ relPath: long, text: 'package x' }] }));
  assert.equal(b.files['/' + long].toString(), 'package x');
});

test('writeBundle writes a gzip file to disk that readBundle(path) reads', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-bundle-'));
  const file = path.join(dir, 'bundle.tar.gz');
  writeBundle(file, { wasm: WASM, data: { a: 1 }, entrypoints: ['p/q'] });
  const raw = fs.readFileSync(file);
  assert.equal(raw[0], 0x1f);
  const b = await readBundle(file);
  assert.deepEqual(b.data, { a: 1 });
  fs.rmSync(dir, { recursive: true });
});

test('reads a hand-assembled opa-build-style bundle (leading slashes, nested data, dirs)', async () => {
  const manifest = { revision: 'abc', roots: ['example'], wasm: [{ entrypoint: 'example/allow', module: '/policy.wasm', annotations: [] }] };
  const tarball = zlib.gzipSync(
    ustar([
      { name: '/data.json', body: '{"example":{"users":["alice"]}}' },
      { name: '/example/limits/', dir: true },
      { name: 'example/limits/data.yaml', body: 'max: 3\n' },
      { name: '/policy.wasm', body: WASM },
      { name: '/example/example.rego', body: 'package example\n' },
      { name: '/.manifest', body: JSON.stringify(manifest) },
    ]),
  );
  const b = await readBundle(tarball);
  assert.deepEqual(b.wasm, WASM);
  assert.deepEqual(b.data, { example: { users: ['alice'], limits: { max: 3 } } });
  assert.deepEqual(b.manifest, manifest);
  assert.ok(b.files['/example/example.rego']);
});

test('a bundle without manifest falls back to /policy.wasm; uncompressed tar accepted', async () => {
  const b = await readBundle(ustar([{ name: 'policy.wasm', body: WASM }]));
  assert.deepEqual(b.wasm, WASM);
  assert.deepEqual(b.manifest, {});
});

test('malformed bundles fail with bundle_format_error', async () => {
  await assert.rejects(readBundle(Buffer.from([0x1f, 0x8b, 1, 2, 3])), BundleFormatError);
  await assert.rejects(readBundle(zlib.gzipSync(ustar([{ name: '/.manifest', body: '{nope' }]))), /\.manifest is not valid JSON/);
  await assert.rejects(
    readBundle(zlib.gzipSync(ustar([{ name: '/.manifest', body: '{"wasm":[{"entrypoint":"a","module":"/x.wasm"}]}' }]))),
    /lacks/,
  );
  await assert.rejects(readBundle(zlib.gzipSync(ustar([{ name: '/data.json', body: '[1' }]))), BundleFormatError);
  await assert.rejects(readBundle(zlib.gzipSync(ustar([{ name: '../evil/data.json', body: '{}' }]))), /escapes/);
});

test('normalizeEntrypoint accepts dotted, data-prefixed and slash forms', () => {
  assert.equal(normalizeEntrypoint('data.mcp.decision'), 'mcp/decision');
  assert.equal(normalizeEntrypoint('mcp.decision'), 'mcp/decision');
  assert.equal(normalizeEntrypoint('/mcp/decision'), 'mcp/decision');
});

test('loadSourceTree places data files by directory and reports conflicts with file locations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbiter-tree-'));
  fs.mkdirSync(path.join(dir, 'catalog', 'tools'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data.yaml'), 'top: true\n');
  fs.writeFileSync(path.join(dir, 'catalog', 'tools', 'data.json'), '{"x": [1]}');
  fs.writeFileSync(path.join(dir, 'catalog', 'a.rego'), 'package catalog\n');
  fs.writeFileSync(path.join(dir, 'catalog', 'a_test.rego'), 'package catalog\n');
  fs.writeFileSync(path.join(dir, 'other.json'), '{"ignored": true}');
  let t = loadSourceTree([dir]);
  assert.deepEqual(t.errors, []);
  assert.deepEqual(t.data, { top: true, catalog: { tools: { x: [1] } } });
  assert.deepEqual(t.modules.map((m) => m.relPath), ['catalog/a.rego', 'catalog/a_test.rego']);
  assert.deepEqual(loadSourceTree([dir], { includeTests: false }).modules.map((m) => m.relPath), ['catalog/a.rego']);

  fs.writeFileSync(path.join(dir, 'catalog', 'data.yaml'), 'tools: 3\n');
  t = loadSourceTree([dir]);
  assert.equal(t.errors.length, 1);
  assert.equal(t.errors[0].code, 'data_conflict_error');
  assert.match(t.errors[0].message, /data\.catalog\.tools/);

  fs.writeFileSync(path.join(dir, 'catalog', 'data.yaml'), 'a: [1\n');
  t = loadSourceTree([dir]);
  assert.equal(t.errors[0].code, 'data_parse_error');
  assert.ok(t.errors[0].line >= 1);
  assert.equal(loadSourceTree([path.join(dir, 'missing')]).errors[0].code, 'io_error');
  fs.rmSync(dir, { recursive: true });
});

test('YAML data: strings come out in one-byte form even when the file holds a character beyond Latin-1', () => {
  const text = '# untrusted \u2192 private \u2192 public\nrules:\n  toxic_flow: { code: toxic_flow, message: "caf\u00e9 \u2192 out" }\n  __proto__: kept\n';
  const v = parseDataFile('data.yaml', text) as { rules: Record<string, { code: string; message: string }> };
  assert.deepEqual(JSON.parse(JSON.stringify(v)), JSON.parse('{"rules":{"toxic_flow":{"code":"toxic_flow","message":"caf\u00e9 \u2192 out"},"__proto__":"kept"}}'));
  assert.deepEqual(Object.keys(v.rules), ['toxic_flow', '__proto__'], 'a __proto__ key stays a key');
  assert.equal(Object.getPrototypeOf(v.rules), Object.prototype);
  const code = v.rules.toxic_flow.code;
  // V8's structured-clone tag: '"' one-byte, 'c' two-byte (after the header and any padding).
  const tag = (s: string) => {
    const b = serialize(s);
    let i = 2;
    while (b[i] === 0) i++;
    return String.fromCharCode(b[i]);
  };
  assert.equal(tag(code), '"');
  assert.equal(tag(Object.keys(v.rules)[0]), '"');
  assert.equal(tag(v.rules.toxic_flow.message), 'c', 'a string beyond Latin-1 stays as it is');
});
