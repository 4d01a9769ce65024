// The bench's request streams. Both send valid ES256 tokens issued by the bench's JWKS.
// - long sessions: 1000 sessions reused round-robin for the whole run, so each grows to tens
//   of steps and many calls hit the pack's tool_loop rule (the worst case for history size).
// - typical sessions: every virtual client (autocannon connection) starts a fresh session every
//   SESSION_CALLS calls, each call a tool from the default catalog (policies/catalog) picked from
//   a weighted mix, with a token issued for that tool's server (its audience and scopes).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export const ISSUER = 'https://idp.example.com';
const USERS = 16;

/**
 * A request stream for autocannon: each connection cycles through `slots` request slots, and
 * its `ctx` (autocannon's per-connection context) is reset to {} whenever it wraps to slot 0.
 */
export interface Workload {
  slots: number;
  body(slot: number, ctx: Record<string, unknown>): string;
  /** A body for one extra sample request. */
  first: string;
}

export interface Keys {
  jwksFile: string;
  sign(sub: string, aud: string, scope: string, clientId: string): Promise<string>;
}

export async function makeKeys(dir: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] }));
  return { jwksFile, sign: (sub, aud, scope, clientId) => sign(privateKey, sub, aud, scope, clientId) };
}

function sign(key: CryptoKey, sub: string, aud: string, scope: string, clientId: string): Promise<string> {
  return new SignJWT({ scope, client_id: clientId, tenant: 'acme' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
    .setIssuer(ISSUER)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}

const GITHUB = { name: 'github', resource: 'https://mcp.example.com/github' };

/** The original workload: SESSIONS long-lived sessions, three read tools of one server. */
export async function longSessions(keys: Keys, sessions = 1000): Promise<Workload> {
  const tools = ['get_issue', 'list_issues', 'get_file_contents'];
  const tokens: string[] = [];
  for (let u = 0; u < USERS; u++) tokens.push(await keys.sign(`user-${u}`, GITHUB.resource, 'issues:read repo:read', `client-${u % 4}`));
  const bodies: string[] = [];
  for (let i = 0; i < 4 * sessions; i++) {
    const s = i % sessions;
    bodies.push(
      JSON.stringify({
        tool: { name: tools[i % tools.length], server: GITHUB.name, arguments: { owner: 'acme', repo: `repo-${i % 50}`, number: i } },
        token: tokens[s % tokens.length],
        resource: GITHUB.resource,
        session: { id: `bench-${s}` },
        context: { gateway: 'bench' },
      }),
    );
  }
  let i = 0;
  return { slots: 1, body: () => bodies[i++ % bodies.length], first: bodies[0] };
}

interface ToolChoice {
  server: string;
  tool: string;
  weight: number;
  args: (r: () => number, user: number) => Record<string, unknown>;
}

// Mostly reads, some writes; servers and tools as in policies/catalog/data.yaml.
const MIX: ToolChoice[] = [
  { server: 'github', tool: 'list_issues', weight: 14, args: (r) => ({ owner: 'acme', repo: `repo-${pick(r, 20)}`, state: 'open' }) },
  { server: 'github', tool: 'get_issue', weight: 16, args: (r) => ({ owner: 'acme', repo: `repo-${pick(r, 20)}`, number: 1 + pick(r, 500) }) },
  { server: 'github', tool: 'get_file_contents', weight: 14, args: (r) => ({ owner: 'acme', repo: `repo-${pick(r, 20)}`, path: `src/mod${pick(r, 40)}.ts` }) },
  { server: 'github', tool: 'add_issue_comment', weight: 4, args: (r) => ({ owner: 'acme', repo: `repo-${pick(r, 20)}`, number: 1 + pick(r, 500), body: 'Looks good, thanks!' }) },
  { server: 'github', tool: 'create_pull_request', weight: 2, args: (r) => ({ owner: 'acme', repo: `repo-${pick(r, 20)}`, title: 'Fix typo', head: `fix-${pick(r, 99)}`, base: 'main' }) },
  { server: 'files', tool: 'read_file', weight: 16, args: (r) => ({ path: `/workspace/notes/${pick(r, 60)}.md` }) },
  { server: 'files', tool: 'write_file', weight: 6, args: (r) => ({ path: `/workspace/out/${pick(r, 60)}.md`, content: 'draft summary of the findings' }) },
  { server: 'chat', tool: 'list_channels', weight: 6, args: () => ({}) },
  { server: 'chat', tool: 'send_message', weight: 3, args: (r) => ({ channel: `team-${pick(r, 8)}`, text: 'Build is green.' }) },
  { server: 'billing', tool: 'get_invoices', weight: 4, args: (_r, user) => ({ user_id: `user-${user}` }) },
];

const SCOPES: Record<string, string> = {
  github: 'issues:read issues:write repo:read repo:write',
  files: 'files:read files:write',
  chat: 'chat:read chat:write',
  billing: 'billing:read',
};

/**
 * Typical MCP sessions: each connection starts a fresh session every `sessionCalls` calls.
 * Scripts of `sessionCalls` bodies are generated up front (the session id is spliced in per
 * request), so the load generator does almost no work per request.
 */
export async function typicalSessions(keys: Keys, runId: string, sessionCalls = 20, scripts = 256): Promise<Workload> {
  const tokens = new Map<string, string>();
  for (let u = 0; u < USERS; u++) {
    for (const server of Object.keys(SCOPES)) {
      tokens.set(`${u}/${server}`, await keys.sign(`user-${u}`, `https://mcp.example.com/${server}`, SCOPES[server], `client-${u % 4}`));
    }
  }
  const rand = prng(42);
  const total = MIX.reduce((n, m) => n + m.weight, 0);
  const marker = '\u0001SESSION\u0001';
  const all: Array<Array<[string, string]>> = [];
  for (let s = 0; s < scripts; s++) {
    const user = s % USERS;
    const calls: Array<[string, string]> = [];
    for (let c = 0; c < sessionCalls; c++) {
      let w = rand() * total;
      const m = MIX.find((x) => (w -= x.weight) < 0) ?? MIX[0];
      const body = JSON.stringify({
        tool: { name: m.tool, server: m.server, arguments: m.args(rand, user) },
        token: tokens.get(`${user}/${m.server}`),
        resource: `https://mcp.example.com/${m.server}`,
        session: { id: marker },
        context: { gateway: 'bench' },
      });
      const [a, b] = body.split(JSON.stringify(marker));
      calls.push([a, b]);
    }
    all.push(calls);
  }
  let sessions = 0;
  // Slot 0 (a fresh context) opens a new session; slots 1.. continue it.
  const body = (slot: number, ctx: Record<string, unknown>): string => {
    if (slot === 0 || ctx.k === undefined) {
      const k = sessions++;
      ctx.k = k;
      ctx.sid = JSON.stringify(`typ-${runId}-${k}`);
    }
    const [a, b] = all[(ctx.k as number) % all.length][slot];
    return a + (ctx.sid as string) + b;
  };
  return { slots: sessionCalls, body, first: all[0][0][0] + JSON.stringify(`typ-${runId}-sample`) + all[0][0][1] };
}

function pick(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

/** A small deterministic PRNG (mulberry32), so every run sends the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
