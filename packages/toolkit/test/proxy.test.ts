import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { awsRequestHandler, execTool, proxyAgent, proxyFor, VERSION } from '../src';

/** A forward proxy on loopback that records what it was asked and forwards plain http to the target. */
function startProxy(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  // Tunnels to loopback targets only (the only ones a test may reach); refuses the rest.
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1' || port === '9') return socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }),
    ),
  );
}

let target: Server;
let targetUrl: string;
const agents: string[] = [];
beforeAll(async () => {
  target = createServer((req, res) => {
    agents.push(String(req.headers['user-agent']));
    res.end(`hello ${req.url}`);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(() => target.close());

describe('proxyFor', () => {
  const env = {
    HTTPS_PROXY: 'http://proxy:3128',
    http_proxy: 'http://plain:3128',
    NO_PROXY: '.internal, example.com,10.1.2.3,api.test:8443',
  };
  it.each([
    ['https://run.googleapis.com/v2', 'http://proxy:3128'],
    ['http://run.googleapis.com/v2', 'http://plain:3128'],
    ['https://example.com/', undefined],
    ['https://api.example.com/', undefined],
    ['https://notexample.com/', 'http://proxy:3128'],
    ['https://db.internal/', undefined],
    ['https://10.1.2.3/', undefined],
    ['https://api.test:8443/', undefined],
    ['https://api.test/', 'http://proxy:3128'],
  ])('%s → %s', (url, proxy) => expect(proxyFor(url, env)).toBe(proxy));
  it('is direct without a proxy, and for everything with NO_PROXY=*', () => {
    expect(proxyFor('https://x.com', {})).toBeUndefined();
    expect(proxyFor('https://x.com', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined();
  });
});

describe('through a loopback proxy', () => {
  it('fetch (our HttpClient) goes through it with the versioned user agent, and NO_PROXY is honoured', async () => {
    const proxy = await startProxy();
    const script = join(import.meta.dirname, 'fixtures', 'fetch-via-proxy.ts');
    const run = (path: string, env: Record<string, string>) =>
      execTool(process.execPath, ['--import', 'tsx', script, `${targetUrl}${path}`], {
        env: { PATH: process.env.PATH, ...env },
        cwd: join(import.meta.dirname, '..'),
      });
    try {
      const via = await run('/via-proxy', { HTTP_PROXY: proxy.url });
      expect(via.stdout).toBe('hello /via-proxy');
      // undici tunnels plain http too (CONNECT), unlike the node:http agent.
      expect(proxy.seen).toEqual([`CONNECT ${new URL(targetUrl).host}`]);
      expect(agents.at(-1)).toBe(`deploy-actions/demo/${VERSION}`);
      const direct = await run('/direct', { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
      expect(direct.stdout).toBe('hello /direct');
      expect(proxy.seen).toHaveLength(1);
    } finally {
      proxy.server.close();
    }
  });

  it('node:http and node:https agents forward and tunnel per request', async () => {
    const proxy = await startProxy();
    try {
      const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
      const http = proxyAgent('http', env);
      const body = await new Promise<string>((resolve, reject) =>
        httpRequest(`${targetUrl}/agent`, { agent: http }, (res) => {
          let text = '';
          res.on('data', (c) => (text += c)).on('end', () => resolve(text));
        })
          .on('error', reject)
          .end(),
      );
      expect(body).toBe('hello /agent');
      const https = proxyAgent('https', env);
      await new Promise<void>((resolve) =>
        httpsRequest('https://127.0.0.1:9/tunnel', { agent: https }, () => resolve())
          .on('error', () => resolve())
          .end(),
      );
      expect(proxy.seen).toEqual([`GET ${targetUrl}/agent`, 'CONNECT 127.0.0.1:9']);
      expect(proxyAgent('https', {})).toBeUndefined();
    } finally {
      proxy.server.close();
    }
  });

  it('the AWS SDK request handler goes through it', async () => {
    const proxy = await startProxy();
    try {
      const handler = awsRequestHandler({ HTTP_PROXY: proxy.url }) as {
        handle(request: object): Promise<{ response: { statusCode: number } }>;
      };
      const { port } = new URL(targetUrl);
      const { response } = await handler.handle({
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(port),
        method: 'GET',
        path: '/aws',
        query: {},
        headers: { host: `127.0.0.1:${port}` },
      });
      expect(response.statusCode).toBe(200);
      expect(proxy.seen).toEqual([`GET ${targetUrl}/aws`]);
      expect(awsRequestHandler({})).toBeUndefined();
    } finally {
      proxy.server.close();
    }
  });
});
