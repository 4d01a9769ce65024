// The baseline for the benchmark: a bare Fastify handler that parses the body and returns a
// fixed decision (no auth, no tokens, no policy, no log). Prints its port on stdout.
// Fairness: it gets the very same request bodies (run.ts drives both with one body list), parses
// them as JSON with Fastify's default parser (Arbiter uses its own: a depth check, then
// JSON.parse), and answers with a decision of the same shape, serialized by Fastify the same way
// Arbiter's route is (no response schema on either). Logging is off here; Arbiter logs at info
// but has per-request logging off.
import Fastify from 'fastify';

const FIXED = {
  decision_id: '00000000-0000-4000-8000-000000000000',
  decision: 'allow',
  allow: true,
  reasons: [],
  policy: { revision: 'fixed', entrypoint: 'mcp/decision' },
  session: { id: 'fixed', step: 1 },
};

async function main() {
  const app = Fastify({ logger: false });
  app.post('/decide', async () => FIXED);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(JSON.stringify({ msg: 'bare listening', port: typeof addr === 'object' && addr ? addr.port : 0 }) + '\n');
}

void main();
