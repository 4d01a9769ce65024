// Node/V8 flags the service runs with: `npm start` / `npm run start:pdp` (package.json, which
// repeats them literally), the benchmark and the e2e tests that spawn the service use this list.
// --max-semi-space-size=32 (MB; Node 20 default 16): every decision allocates tens of KB that
// die young, and with 32 requests in flight a 16 MB new space fills every ~250 requests; 32
// halves the number of scavenges (280 → 150 in a 13 s bench run) and their total time by ~13%,
// at the cost of up to 48 MB more reserved young generation. 64 measured worse.
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
