import { HttpClient } from '../../toolkit/src/http';
import { EmulatorServer } from '../src/server';

describe('EmulatorServer', () => {
  let server: EmulatorServer;
  beforeEach(async () => {
    server = new EmulatorServer().route('GET', /^\/items\/([^/]+)$/, (req) => ({
      status: 200,
      body: { id: req.params[0] },
    }));
    await server.listen();
  });
  afterEach(() => server.close());

  it('routes, logs and counts requests', async () => {
    const http = new HttpClient({ baseUrl: server.url });
    expect(await http.json('/items/a1')).toEqual({ id: 'a1' });
    await expect(http.json('/nothing', { retry: false })).rejects.toThrow('answered 404');
    expect(server.count('GET', /^\/items\//)).toBe(1);
    expect(server.requests.map((r) => r.status)).toEqual([200, 404]);
  });

  it('injects 429 with rate-limit headers, 5xx and resets that the shared client survives', async () => {
    server
      .inject({ status: 429, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '1' } })
      .inject({ status: 503, times: 2 })
      .inject({ reset: 'before-response' })
      .inject({ reset: 'mid-body' });
    const http = new HttpClient({
      baseUrl: server.url,
      retry: { baseMs: 20, maxMs: 50, attempts: 6, onRetry: () => {} },
    });
    const started = Date.now();
    expect(await http.json('/items/b2')).toEqual({ id: 'b2' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(server.requests.map((r) => r.status)).toEqual([429, 503, 503, 0, 200, 200]);
    expect(http.requests).toBe(6);
  });
});
