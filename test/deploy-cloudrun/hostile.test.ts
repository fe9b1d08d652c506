import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Cloud, deploy, startCloud } from './fixture';

// Issue 12: hostile inputs through the built action. Each is refused with one line naming the input, no
// stack, and no request: the emulators see nothing (not even a token request), a listener counts
// connections, and the harness's network guard (on by default) records every connection the action makes
// and refuses any outside loopback.

const BIG = 'a'.repeat(100_000);
const TOKEN = 'ya29.hostile-test-token-1234567890';

type Case = [string, Record<string, string | number | boolean | undefined>, string];

const cases: Case[] = [
  // wrong types
  ['concurrency not a number', { concurrency: 'many' }, 'concurrency'],
  ['boolean not a boolean', { 'allow-unauthenticated': 'maybe' }, 'allow-unauthenticated'],
  ['probes not whole', { 'health-path': '/h', 'health-probes': '1.5' }, 'health-probes'],
  ['timeout not a duration', { timeout: '99999h' }, 'timeout'],
  ['cpu with a command', { cpu: '1; rm -rf /' }, 'cpu'],
  // unknown enums
  ['unknown strategy', { strategy: 'yolo' }, 'strategy'],
  ['unknown ingress', { ingress: 'public' }, 'ingress'],
  ['unknown port name', { 'port-name': 'http3' }, 'port-name'],
  // path traversal
  ['project traversal', { 'project-id': 'acme/../../../v1/projects/victim' }, 'project-id'],
  ['service traversal', { service: '../other' }, 'service'],
  ['region traversal', { region: 'europe-west1/../../x' }, 'region'],
  ['job traversal', { service: undefined, job: 'migrate%2f..%2fother' }, 'job'],
  ['secret mount traversal', { secrets: '/etc/../passwd=db:1' }, 'secrets'],
  ['revision traffic traversal', { image: undefined, 'revision-traffic': '../../x=100' }, 'revision-traffic'],
  // endpoints that must never get a token
  ['metadata IP endpoint', { 'api-endpoint': 'http://169.254.169.254/computeMetadata/v1' }, 'api-endpoint'],
  ['metadata host endpoint', { 'api-endpoint': 'https://metadata.google.internal' }, 'api-endpoint'],
  ['plain http endpoint', { 'api-endpoint': 'http://run.example.com' }, 'api-endpoint'],
  ['link-local v6 endpoint', { 'api-endpoint': 'https://[fe80::1]/' }, 'api-endpoint'],
  ['endpoint with a query', { 'api-endpoint': 'https://run.googleapis.com/?x=1' }, 'api-endpoint'],
  // shell metacharacters and newlines
  ['service with shell', { service: 'api;rm -rf /' }, 'service'],
  ['region with a newline', { region: 'europe-west1\nus-central1;x' }, 'region'],
  ['image with a newline', { image: 'ghcr.io/a/b:1\n--privileged' }, 'image'],
  ['tag with substitution', { tag: '$(whoami)' }, 'tag'],
  ['header without a colon', { 'health-path': '/h', 'health-headers': 'X-Test value' }, 'health-headers'],
  // 100 KB values
  ['100 KB image', { image: BIG }, 'image'],
  ['100 KB service-patch', { 'service-patch': `annotations: {a: "${BIG}"}` }, 'service-patch'],
  ['100 KB health path', { 'health-path': `/${BIG}` }, 'health-path'],
  ['100 KB service', { service: BIG }, 'service'],
  // prototype keys and fields Cloud Run does not take
  ['__proto__ patch', { 'service-patch': '{"__proto__": {"method": "DELETE"}}' }, 'service-patch'],
  ['constructor patch', { 'service-patch': 'template: {constructor: {prototype: {x: 1}}}' }, 'service-patch'],
  ['output-only patch', { 'service-patch': 'uri: https://evil.example' }, 'service-patch'],
  ['unknown field patch', { 'service-patch': 'method: DELETE' }, 'service-patch'],
  // secrets placed in inputs that are not secret
  ['token in the endpoint URL', { 'api-endpoint': `https://user:${TOKEN}@run.googleapis.com` }, 'api-endpoint'],
  ['token copied into labels', { 'access-token': TOKEN, labels: `token=${TOKEN}` }, 'labels'],
  ['token copied into a service name', { 'access-token': TOKEN, service: TOKEN }, 'service'],
  // combinations the plan refuses
  ['canary-pause with one step', { strategy: 'canary', 'canary-steps': '100', 'canary-pause': '1m' }, 'canary-pause'],
  ['traffic over 100%', { image: undefined, 'revision-traffic': 'api-1=70,api-2=40' }, 'revision-traffic'],
];

describe('deploy-cloudrun hostile inputs (issue 12)', () => {
  let cloud: Cloud;
  let listener: Server;
  let connections = 0;
  beforeAll(async () => {
    cloud = await startCloud();
    listener = createServer((_, res) => res.end());
    listener.on('connection', () => connections++);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await cloud.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  it.concurrent.each(cases)('%s', async (_name, inputs, input) => {
    const counting = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const result = await deploy(
      cloud,
      { service: 'api', image: 'europe-docker.pkg.dev/acme-prod/app/api:1', 'api-endpoint': counting, ...inputs },
      { secrets: [TOKEN] },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
    expect(result.errors[0].split('\n')).toHaveLength(1);
    expect(result.errors[0].length).toBeLessThan(600);
    expect(result.log).not.toMatch(/\n\s+at /);
    // No connection outside loopback (the harness guard records and refuses those).
    expect(result.connections.filter((c) => c.blocked)).toEqual([]);
    expect(cloud.run.server.requests).toEqual([]);
    expect(connections).toBe(0);
  });

  it('made no request and no connection in any case', () => {
    expect(cloud.run.server.requests).toEqual([]);
    expect(cloud.tokens.server.requests).toEqual([]);
    expect(connections).toBe(0);
  });

  it('the guard itself refuses a non-loopback connection (so the checks above can fail)', async () => {
    // 192.0.2.1 is TEST-NET-1 (never routed): the guard refuses it before a packet leaves.
    const result = await deploy(cloud, {
      service: 'api',
      image: 'europe-docker.pkg.dev/acme-prod/app/api:1',
      'api-endpoint': 'https://192.0.2.1',
    });
    expect(result.exitCode).toBe(1);
    expect(result.connections).toContainEqual({ host: '192.0.2.1', port: 443, blocked: true });
    expect(result.errors[0]).toMatch(/EACCES/);
  });
});

describe('deploy-cloudrun secrets echoed back (issue 12)', () => {
  let cloud: Cloud;
  let echo: Server;
  beforeAll(async () => {
    cloud = await startCloud();
    // An API that answers every request with the caller's credentials in its error, in several encodings.
    echo = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? '');
      const bare = auth.replace(/^Bearer /, '');
      const message = `denied for ${auth}; token ${bare}; b64 ${Buffer.from(bare).toString('base64')}; url ${encodeURIComponent(auth)}`;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 403, status: 'PERMISSION_DENIED', message } }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await cloud.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('an endpoint echoing the Bearer token: no form of it in the log, outputs or summary', async () => {
    const result = await deploy(
      cloud,
      {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:1',
        'access-token': TOKEN,
        'api-endpoint': `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      },
      { secrets: [TOKEN, `Bearer ${TOKEN}`] },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/answered 403 PERMISSION_DENIED: denied for Bearer \*\*\*; token \*\*\*/);
    const everything = [result.log, result.summary, ...Object.values(result.outputs), ...result.errors].join('\n');
    for (const form of [TOKEN, Buffer.from(TOKEN).toString('base64'), encodeURIComponent(`Bearer ${TOKEN}`)])
      expect(everything).not.toContain(form);
  });

  it('Authorization: Bearer X in health-headers masks X itself', async () => {
    const credential = 'HealthSecret1234567';
    const result = await deploy(
      cloud,
      {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:1',
        'health-path': '/health',
        'health-headers': `Authorization: Bearer ${credential}`,
        labels: `k=${credential}`,
      },
      { secrets: [credential] },
    );
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^Input "labels": the value of k \("\*\*\*"\) is not a label value/);
  });
});
