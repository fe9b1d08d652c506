import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { RdsEmulator } from '@deploy-actions/emulators';
import { bundleNode, type RunResult, readServices, runAction } from '@deploy-actions/harness';
import { RenderEmulator } from '../../packages/emulators/src/render';
import { engineImage, removeEngineImage, unique } from '../push-registry/fixtures';
import { snapshotRds } from '../snapshot-db/helpers';
import { apiInputs, SCALE, service, trigger } from '../trigger-render-hook/fixture';

// HTTPS_PROXY / HTTP_PROXY / NO_PROXY through the built bundles, on the node the harness runs them with
// (Node 24, as on the runner): each of the three ways the actions reach the network (fetch through undici's
// EnvHttpProxyAgent, node:http agents in the registry transport, the AWS SDK's handler) goes through a
// loopback proxy that records what it is asked, and NO_PROXY sends it direct. The network guard's record of
// the bundle's TCP connections shows where each connection really went. packages/toolkit/test/proxy.test.ts
// covers the same code from source, in jest's node.

interface Proxy {
  url: string;
  port: number;
  /** `CONNECT host:port` for tunnels, `METHOD absolute-url` for forwarded plain http. */
  seen: string[];
  close(): Promise<void>;
}

/** A forward proxy on loopback; it tunnels and forwards to loopback only (the only place a test may reach). */
async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    if (target.hostname !== '127.0.0.1') return res.writeHead(502).end();
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') return socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Where the bundle's TCP connections went (network guard), as ports. */
const ports = (result: RunResult) => new Set(result.connections.map((c) => c.port));

/** No proxy variable of jest's own environment leaks into a run. */
const NO_PROXIES = { HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined };
const proxyEnv = (env: Record<string, string>) => ({ ...NO_PROXIES, NO_PROXY: undefined, no_proxy: undefined, ...env });

let proxy: Proxy;
beforeEach(async () => {
  proxy = await startProxy();
});
afterEach(() => proxy.close());

describe(`proxies through the bundles (on node ${bundleNode().version})`, () => {
  let render: RenderEmulator;
  beforeEach(async () => {
    render = await new RenderEmulator({ scale: SCALE }).start();
  });
  afterEach(() => render.close());

  it('fetch (trigger-render-hook, undici): HTTP_PROXY tunnels every request, NO_PROXY goes direct', async () => {
    const setup = service(render);
    const renderPort = Number(new URL(render.apiUrl).port);
    const via = await trigger(setup, apiInputs(setup), { env: proxyEnv({ HTTP_PROXY: proxy.url }) });
    expect(via.errors).toEqual([]);
    expect(via.outputs.status).toBe('live');
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT 127.0.0.1:${renderPort}`]));
    expect(ports(via)).toEqual(new Set([proxy.port])); // never straight to the emulator

    const before = proxy.seen.length;
    const direct = await trigger(setup, apiInputs(setup), {
      env: proxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }),
    });
    expect(direct.errors).toEqual([]);
    expect(proxy.seen).toHaveLength(before);
    expect(ports(direct)).toEqual(new Set([renderPort]));
  });

  it('fetch to an https API: HTTPS_PROXY tunnels it (CONNECT), TLS ends at the API, not the proxy', async () => {
    // A self-signed certificate for IP 127.0.0.1 (valid 100 years), made once with openssl and kept as a
    // fixture so a fresh machine needs no openssl; the bundle trusts it through NODE_EXTRA_CA_CERTS.
    const cert = join(import.meta.dirname, 'fixtures', 'loopback-cert.pem');
    const key = join(import.meta.dirname, 'fixtures', 'loopback-key.pem');
    // TLS in front of the emulator: what a real https API looks like to the action.
    const renderPort = Number(new URL(render.apiUrl).port);
    const tls = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
      const upstream = connect(renderPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const tlsPort = (tls.address() as AddressInfo).port;
    try {
      const setup = service(render);
      const apiUrl = new URL(render.apiUrl);
      apiUrl.protocol = 'https:';
      apiUrl.port = String(tlsPort);
      const inputs = { ...apiInputs(setup), 'api-url': apiUrl.href.replace(/\/$/, '') };
      const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: cert };
      const result = await trigger(setup, inputs, { env: proxyEnv(env) });
      expect(result.errors).toEqual([]);
      expect(result.outputs.status).toBe('live');
      expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT 127.0.0.1:${tlsPort}`]));
      expect(ports(result)).toEqual(new Set([proxy.port]));
      // HTTPS_PROXY is for https targets only: with only it set, the plain-http emulator is reached direct.
      const before = proxy.seen.length;
      const plain = await trigger(setup, apiInputs(setup), { env: proxyEnv({ HTTPS_PROXY: proxy.url }) });
      expect(plain.errors).toEqual([]);
      expect(proxy.seen).toHaveLength(before);
      expect(ports(plain)).toEqual(new Set([renderPort]));
    } finally {
      await new Promise((r) => tls.close(r));
    }
  });
});

describe('proxies through the bundles: node:http and the AWS SDK', () => {
  it('push-registry (node:http agent): HTTP_PROXY forwards each registry request, NO_PROXY host:port goes direct', async () => {
    const registry = readServices().registry;
    const registryPort = Number(registry.split(':')[1]);
    const repo = unique('proxied');
    const image = engineImage(`local/${repo}:1`, 20_000);
    try {
      const push = (tag: string, env: Record<string, string>) =>
        runAction('push-registry', {
          inputs: { source: `docker://${image}`, destinations: `${registry}/${repo}:${tag}` },
          env: proxyEnv(env),
        });
      const via = await push('via', { HTTP_PROXY: proxy.url });
      expect(via.errors).toEqual([]);
      expect(proxy.seen.length).toBeGreaterThan(0);
      for (const line of proxy.seen) expect(line).toMatch(new RegExp(`^[A-Z]+ http://${registry}/v2/`));
      expect(proxy.seen).toContain(`PUT http://${registry}/v2/${repo}/manifests/via`);
      expect(ports(via)).toEqual(new Set([proxy.port]));

      const before = proxy.seen.length;
      const direct = await push('direct', { HTTP_PROXY: proxy.url, NO_PROXY: `example.com, ${registry}` });
      expect(direct.errors).toEqual([]);
      expect(direct.outputs.digest).toBe(via.outputs.digest);
      expect(proxy.seen).toHaveLength(before);
      expect(ports(direct)).toEqual(new Set([registryPort]));
    } finally {
      removeEngineImage(image);
    }
  });

  it('snapshot-db (AWS SDK request handler): HTTP_PROXY forwards the RDS calls, NO_PROXY goes direct', async () => {
    const rds = new RdsEmulator({ scale: 600, snapshotDurationMs: 10 * 60_000 });
    await rds.listen();
    try {
      rds.addInstance('app-db', { allocatedStorage: 50 });
      const rdsUrl = new URL(rds.url);
      const via = await snapshotRds(rds, { wait: false }, { env: proxyEnv({ HTTP_PROXY: proxy.url }) });
      expect(via.errors).toEqual([]);
      expect(via.exitCode).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(new Set(proxy.seen)).toEqual(new Set([`POST ${rdsUrl.origin}/`]));
      expect(proxy.seen.length).toBe(rds.server.requests.length);
      expect(ports(via)).toEqual(new Set([proxy.port]));

      const before = proxy.seen.length;
      const direct = await snapshotRds(
        rds,
        { wait: false, identifier: '{db}-direct' },
        { env: proxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }) },
      );
      expect(direct.errors).toEqual([]);
      expect(proxy.seen).toHaveLength(before);
      expect(ports(direct)).toEqual(new Set([Number(rdsUrl.port)]));
    } finally {
      rds.close();
    }
  });
});
