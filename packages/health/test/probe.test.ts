import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { redact } from '@deploy-actions/toolkit';
import { describeProbe, parseExpectedStatus, parseHealthHeaders, parsePercent, probe, probeGate } from '../src';

let server: Server;
let base: string;
/** Statuses the server answers, in order, per path; then 200. */
const plan: Record<string, number[]> = {};
const seen: { path: string; auth?: string; agent?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ path, auth: req.headers.authorization, agent: req.headers['user-agent'] });
    const status = plan[path]?.shift() ?? 200;
    const reply = () => res.writeHead(status, status === 302 ? { location: '/login' } : {}).end('ok');
    if (path === '/slow') setTimeout(reply, 200);
    else reply();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

/** Real time for latencies, virtual sleeps between probes: no test waits on the interval. */
function clock() {
  const slept: number[] = [];
  return { now: () => Date.now(), sleep: async (ms: number) => void slept.push(ms), slept };
}

const ok200 = parseExpectedStatus('200');

describe('probe until-ok (Render)', () => {
  it('tries until the expected status, logging each attempt', async () => {
    plan['/until'] = [503, 502];
    const lines: string[] = [];
    const c = clock();
    const report = await probe({
      url: `${base}/until`,
      expected: ok200.matcher,
      expectedText: ok200.text,
      mode: 'until-ok',
      attempts: 5,
      intervalMs: 5000,
      timeoutMs: 2000,
      clock: c,
      log: (l) => lines.push(l),
    });
    expect(report.passed).toBe(true);
    expect(report.attempts.map((a) => a.result)).toEqual([503, 502, 200]);
    expect(c.slept).toEqual([5000, 5000]);
    expect(lines).toEqual([
      `Health check 1/5: ${base}/until answered 503 (expected 200)`,
      `Health check 2/5: ${base}/until answered 502 (expected 200)`,
      `Health check 3/5: ${base}/until answered 200`,
    ]);
  });

  it('fails with the last answer after every attempt, redirects not followed', async () => {
    plan['/redirect'] = [302, 302];
    const report = await probe({
      url: `${base}/redirect`,
      expected: ok200.matcher,
      expectedText: '200',
      mode: 'until-ok',
      attempts: 2,
      intervalMs: 10,
      timeoutMs: 2000,
      clock: clock(),
    });
    expect(report).toMatchObject({ passed: false, failures: 2 });
    expect(report.reason).toBe(`${base}/redirect answered 302 2 times (expected 200)`);
  });

  it('counts a refused connection, not a crash', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const report = await probe({
      url: `http://127.0.0.1:${port}/`,
      expected: ok200.matcher,
      expectedText: '200',
      mode: 'until-ok',
      attempts: 1,
      intervalMs: 0,
      timeoutMs: 2000,
    });
    expect(report.attempts[0].result).toBe('ECONNREFUSED');
  });
});

describe('probe sample (Cloud Run gate)', () => {
  it('sends every probe and passes within the error rate, with headers and the user agent', async () => {
    plan['/sample'] = [200, 503, 200, 200, 200];
    const headers = parseHealthHeaders(['Authorization: Bearer probe-token-123']);
    const report = await probe({
      url: `${base}/sample`,
      expected: parseExpectedStatus('2xx').matcher,
      expectedText: '2xx',
      mode: 'sample',
      attempts: 5,
      intervalMs: 1000,
      timeoutMs: 2000,
      maxErrorRate: parsePercent('20%'),
      headers,
      what: 'the new revision',
      clock: clock(),
    });
    expect(report).toMatchObject({ passed: true, failures: 1, errorRate: 0.2, statuses: { '200': 4, '503': 1 } });
    const sent = seen.filter((s) => s.path === '/sample');
    expect(sent).toHaveLength(5);
    expect(sent[0].auth).toBe('Bearer probe-token-123');
    expect(sent[0].agent).toMatch(/^deploy-actions\/[^/]+\/\d+\.\d+\.\d+ health-probe$/);
    expect(redact('probe-token-123')).toBe('***');
    expect(describeProbe(report, 'revision')).toMatch(/^Health revision .*\/sample: passed, 1\/5 failed, p50 /);
  });

  it('probeGate sends the probes of a gate in sample mode: all of them, at its interval, judged by its settings', async () => {
    plan['/gate'] = [500, 200, 200, 500];
    const c = clock();
    const gate = {
      expected: ok200.matcher,
      expectedText: '200',
      probes: 4,
      intervalMs: 3000,
      timeoutMs: 2000,
      maxErrorRate: 0.25,
      headers: { 'X-Probe': 'gate' },
    };
    const report = await probeGate(gate, { url: `${base}/gate`, what: 'the service', clock: c });
    expect(seen.filter((s) => s.path === '/gate')).toHaveLength(4);
    expect(c.slept).toEqual([3000, 3000, 3000]);
    expect(report).toMatchObject({ passed: false, failures: 2, errorRate: 0.5 });
  });

  it('fails above the error rate, and counts a slow good answer as failed', async () => {
    const report = await probe({
      url: `${base}/slow`,
      expected: ok200.matcher,
      expectedText: '200',
      mode: 'sample',
      attempts: 2,
      intervalMs: 0,
      timeoutMs: 2000,
      maxLatencyMs: 50,
      what: 'the service',
      clock: clock(),
    });
    expect(report).toMatchObject({ passed: false, failures: 2, statuses: { '200 slow': 2 } });
    expect(report.reason).toBe(
      '2 of 2 probes of the service failed (2× 200 slow; expected 200 within 50ms), above the allowed error rate of 0%',
    );
  });

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController();
    const abortingClock = {
      now: () => Date.now(),
      sleep: async () => {
        controller.abort(new Error('cancelled'));
        throw controller.signal.reason;
      },
    };
    await expect(
      probe({
        url: `${base}/x`,
        expected: ok200.matcher,
        expectedText: '200',
        mode: 'sample',
        attempts: 100,
        intervalMs: 1000,
        timeoutMs: 2000,
        clock: abortingClock,
        signal: controller.signal,
      }),
    ).rejects.toThrow('cancelled');
  });
});

describe('health input parsers', () => {
  it.each([
    ['200', 200, true],
    ['200,204', 204, true],
    ['2xx', 299, true],
    ['2xx', 301, false],
  ])('%s matches %d: %s', (text, status, ok) => expect(parseExpectedStatus(text).matcher(status)).toBe(ok));
  it('refuses bad values in one line', () => {
    expect(() => parseExpectedStatus('20x')).toThrow(
      'Input "health-expected-status": "20x" is not an HTTP status; write statuses like 200, 200,204 or 2xx',
    );
    expect(() => parsePercent('150%')).toThrow('Input "health-max-error-rate": "150%" is not a percentage');
    expect(() => parseHealthHeaders(['no colon'])).toThrow('Input "health-headers": a line is not "Name: value"');
  });
});
