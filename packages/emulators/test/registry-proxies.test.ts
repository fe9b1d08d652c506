import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { EcrEmulator } from '../src/ecr';
import { FaultProxy } from '../src/fault-proxy';
import { RegistryAuthServer } from '../src/registry-auth';
import { EmulatorServer } from '../src/server';

// A tiny upstream standing in for a registry: echoes what it received.
let upstream: EmulatorServer;
beforeAll(async () => {
  upstream = new EmulatorServer();
  upstream.route('GET', /^\/v2\/$/, () => ({ status: 200, body: {} }));
  upstream.route('GET', /^\/v2\/(.+)\/blobs\/(.+)$/, () => ({ status: 200, body: Buffer.alloc(100_000, 7) }));
  upstream.route('PUT', /^\/v2\/(.+)\/blobs\/uploads\/x$/, (req) => ({
    status: 201,
    body: { received: req.body.length },
  }));
  await upstream.listen();
});
afterAll(() => upstream.close());

describe('FaultProxy', () => {
  test('forwards untouched, then injects statuses, resets before answering and mid-body', async () => {
    const proxy = new FaultProxy(upstream.url);
    const base = `http://${await proxy.listen()}`;
    try {
      const ok = await fetch(`${base}/v2/app/blobs/sha256:1`);
      expect((await ok.arrayBuffer()).byteLength).toBe(100_000);

      proxy.inject({ method: 'GET', path: /blobs/, status: 429, headers: { 'retry-after': '3' } });
      const limited = await fetch(`${base}/v2/app/blobs/sha256:1`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');

      proxy.inject({ method: 'GET', path: /blobs/, reset: 'response-body', afterBytes: 10_000 });
      await expect(fetch(`${base}/v2/app/blobs/sha256:1`).then((r) => r.arrayBuffer())).rejects.toThrow();

      proxy.inject({ method: 'PUT', reset: 'request-body', afterBytes: 50_000 });
      await expect(
        fetch(`${base}/v2/app/blobs/uploads/x`, { method: 'PUT', body: Buffer.alloc(200_000) }),
      ).rejects.toThrow();
      const put = await fetch(`${base}/v2/app/blobs/uploads/x`, { method: 'PUT', body: Buffer.alloc(200_000) });
      expect(await put.json()).toEqual({ received: 200_000 });

      proxy.inject({ path: /^\/v2\/$/, reset: 'before-response' });
      await expect(fetch(`${base}/v2/`)).rejects.toThrow();
      expect(proxy.pendingFaults()).toBe(0);
      expect(proxy.requests.map((r) => r.fault).filter(Boolean)).toEqual([
        '429',
        'response-body',
        'request-body',
        'before-response',
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('RegistryAuthServer', () => {
  test('challenges with a Bearer realm, issues scoped tokens for valid credentials, and enforces them', async () => {
    const auth = new RegistryAuthServer({
      upstream: upstream.url.replace('http://', ''),
      users: { ci: 'pw' },
      tokenField: 'both',
    });
    const base = `http://${await auth.listen()}`;
    try {
      const challenge = await fetch(`${base}/v2/app/blobs/sha256:1`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toBe(
        `Bearer realm="${base}/token",service="test-registry",scope="repository:app:pull"`,
      );
      const denied = await fetch(`${base}/token?scope=repository:app:pull`, {
        headers: { authorization: `Basic ${Buffer.from('ci:wrong').toString('base64')}` },
      });
      expect(denied.status).toBe(401);
      const issued = (await (
        await fetch(`${base}/token?service=test-registry&scope=repository:app:pull`, {
          headers: { authorization: `Basic ${Buffer.from('ci:pw').toString('base64')}` },
        })
      ).json()) as { token: string; access_token: string; expires_in: number };
      expect(issued.access_token).toBe(issued.token);
      const pulled = await fetch(`${base}/v2/app/blobs/sha256:1`, {
        headers: { authorization: `Bearer ${issued.token}` },
      });
      expect(pulled.status).toBe(200);
      // A pull token does not allow a push, nor another repository, and a forged one is refused.
      const push = await fetch(`${base}/v2/app/blobs/uploads/x`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${issued.token}` },
      });
      expect(push.status).toBe(401);
      expect(push.headers.get('www-authenticate')).toContain('scope="repository:app:pull,push"');
      const other = await fetch(`${base}/v2/other/blobs/sha256:1`, {
        headers: { authorization: `Bearer ${issued.token}` },
      });
      expect(other.status).toBe(401);
      const forged = `${issued.token.slice(0, -4)}AAAA`;
      expect(
        (await fetch(`${base}/v2/app/blobs/sha256:1`, { headers: { authorization: `Bearer ${forged}` } })).status,
      ).toBe(401);
      expect(auth.tokensIssued).toBe(1);
      expect(auth.tokenRequests).toEqual([['repository:app:pull']]);
    } finally {
      await auth.close();
    }
  });
});

describe('EcrEmulator', () => {
  test('answers GetAuthorizationToken to the real SDK, signed with the expected key', async () => {
    const ecr = new EcrEmulator({ password: 'ecr-pw', accessKeyId: 'AKIDTEST' });
    await ecr.listen();
    try {
      const client = (key: string) =>
        new ECRClient({
          region: 'ap-south-1',
          endpoint: ecr.url,
          credentials: { accessKeyId: key, secretAccessKey: 'secret' },
          maxAttempts: 1,
        });
      const response = await client('AKIDTEST').send(new GetAuthorizationTokenCommand({}));
      const data = response.authorizationData![0];
      expect(Buffer.from(data.authorizationToken!, 'base64').toString()).toBe('AWS:ecr-pw');
      expect(data.expiresAt).toBeInstanceOf(Date);
      expect(data.proxyEndpoint).toBe('https://123456789012.dkr.ecr.ap-south-1.amazonaws.com');
      expect(ecr.regions).toEqual(['ap-south-1']);
      await expect(client('AKIDOTHER').send(new GetAuthorizationTokenCommand({}))).rejects.toThrow(/security token/);
    } finally {
      await ecr.close();
    }
  });
});
