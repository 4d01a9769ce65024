// Local signing keys for e2e tests: a JWKS file the service verifies against, and a minter.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

export const ISSUER = 'https://issuer.test';
export const RESOURCE = 'https://mcp.example.test/server';

type SignKey = Parameters<SignJWT['sign']>[0];

export interface TestKeys {
  jwksFile: string;
  mint(claims?: Record<string, unknown>, opts?: { alg?: string; key?: SignKey; expiresIn?: string | number }): Promise<string>;
  /** A token signed by a key the service does not know. */
  mintForeign(claims?: Record<string, unknown>): Promise<string>;
  /** alg:none token (unsigned). */
  unsigned(claims?: Record<string, unknown>): string;
  /** HS256 token whose HMAC secret is the service's public key PEM (key-confusion attack). */
  hmacWithPublicKey(claims?: Record<string, unknown>): Promise<string>;
}

export async function createTestKeys(dir: string): Promise<TestKeys> {
  const main = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(main.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const pem = await exportSPKI(main.publicKey);

  const mint: TestKeys['mint'] = async (claims = {}, opts = {}) => {
    const jwt = new SignJWT({ iss: ISSUER, aud: RESOURCE, sub: 'alice', client_id: 'client-1', ...claims })
      .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key', typ: 'JWT' })
      .setIssuedAt();
    if (!('exp' in claims)) jwt.setExpirationTime(opts.expiresIn ?? '10m');
    return jwt.sign(opts.key ?? main.privateKey);
  };
  return {
    jwksFile,
    mint,
    mintForeign: (claims) => mint(claims, { key: foreign.privateKey }),
    unsigned(claims = {}) {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'test-key' }));
      const exp = Math.floor(Date.now() / 1000) + 600;
      const body = base64url.encode(JSON.stringify({ iss: ISSUER, aud: RESOURCE, sub: 'alice', exp, ...claims }));
      return `${header}.${body}.`;
    },
    hmacWithPublicKey: (claims) => mint(claims, { alg: 'HS256', key: new TextEncoder().encode(pem) }),
  };
}
