import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redact } from '@deploy-actions/toolkit';
import { AuthError, Authenticator, realmAllowsCredentials } from '../src/auth';
import { closeConnections } from '../src/transport';

/** A token realm that hands out numbered tokens with the lifetime the test sets. */
async function realm(expiresIn: number): Promise<{ url: string; calls: () => number; server: Server }> {
  let calls = 0;
  const server = createServer((_req, res) => {
    calls++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: `issued-token-${calls}-${'x'.repeat(12)}`, expires_in: expiresIn }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, calls: () => calls, server };
}

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, sleep: async () => {}, advance: (ms: number) => (now += ms) };
}

afterAll(() => closeConnections());

test('renews a Bearer token 10 s before it expires, or halfway through a short lifetime, by the injected clock', async () => {
  for (const [lifetime, renewAfter] of [
    [60, 50_000],
    [4, 2_000],
  ] as const) {
    const server = await realm(lifetime);
    const clock = fakeClock();
    const auth = new Authenticator(
      'registry.test',
      async () => ({ username: 'u', password: 'renewal-pw-1' }),
      new Set(['repository:a:pull,push']),
      { clock },
    );
    auth.setChallenge({ scheme: 'bearer', params: { realm: server.url, service: 's' } });
    expect(await auth.header()).toMatch(/issued-token-1-/);
    clock.advance(renewAfter - 1);
    expect(await auth.header()).toMatch(/issued-token-1-/);
    expect(server.calls()).toBe(1);
    clock.advance(2);
    expect(await auth.header()).toMatch(/issued-token-2-/);
    expect(server.calls()).toBe(2);
    server.server.close();
  }
});

test('masks the issued token and the Basic base64 the moment they exist', async () => {
  const server = await realm(300);
  const auth = new Authenticator(
    'registry.test',
    async () => ({ username: 'mask-user', password: 'mask-pw-77' }),
    new Set(),
  );
  auth.setChallenge({ scheme: 'bearer', params: { realm: server.url } });
  const header = (await auth.header())!;
  const token = header.slice('Bearer '.length);
  const basic = Buffer.from('mask-user:mask-pw-77').toString('base64');
  expect(redact(`token ${token} basic ${basic} pw mask-pw-77`)).toBe('token *** basic *** pw ***');
  server.server.close();
});

test('sends Basic credentials to a token realm only over https or to loopback; refuses others before any request, naming registry and realm', async () => {
  expect(realmAllowsCredentials(new URL('https://auth.docker.io/token'))).toBe(true);
  expect(realmAllowsCredentials(new URL('http://127.0.0.1:9/token'))).toBe(true);
  expect(realmAllowsCredentials(new URL('http://localhost/token'))).toBe(true);
  expect(realmAllowsCredentials(new URL('http://[::1]:80/token'))).toBe(true);
  expect(realmAllowsCredentials(new URL('http://auth.example.com/token'))).toBe(false);
  expect(realmAllowsCredentials(new URL('http://169.254.169.254/token'))).toBe(false);
  const auth = new Authenticator('registry.test', async () => ({ username: 'u', password: 'realm-pw-3' }), new Set());
  auth.setChallenge({ scheme: 'bearer', params: { realm: 'http://auth.example.com/token' } });
  const error = await auth.header().catch((e) => e);
  expect(error).toBeInstanceOf(AuthError);
  expect(error.message).toMatch(
    /^registry\.test sends its token requests to http:\/\/auth\.example\.com\/token, which is neither https nor loopback/,
  );
  expect(auth.tokensFetched).toBe(0);
  const odd = new Authenticator('registry.test', async () => undefined, new Set());
  odd.setChallenge({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } });
  await expect(odd.header()).rejects.toThrow(/realm file: URL/);
});
