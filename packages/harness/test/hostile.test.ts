import { join } from 'node:path';
import { assertRefused, countingServer, refusalProblems, runAction, runHostile } from '../src';

const action = join(import.meta.dirname, 'fixtures', 'net-action');

describe('network guard', () => {
  it('records loopback connections and refuses any other address before a packet leaves', async () => {
    const server = await countingServer();
    try {
      const result = await runAction(action, { inputs: { urls: `${server.url}/ok\nhttp://192.0.2.1:81/` } });
      expect(result.exitCode).toBe(0);
      expect(result.log).toContain(`${server.url}/ok: 200`);
      expect(result.log).toContain('http://192.0.2.1:81/: EACCES');
      expect(result.connections).toEqual([
        { host: '127.0.0.1', port: server.port, blocked: false },
        { host: '192.0.2.1', port: 81, blocked: true },
      ]);
      expect(server.requests).toEqual(['GET /ok']);
      expect(server.connections).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('can be turned off', async () => {
    const result = await runAction(action, { inputs: { urls: '' }, networkGuard: false });
    expect(result.connections).toEqual([]);
  });
});

describe('hostile-input tables', () => {
  it('passes a clean one-line refusal that made no connection', async () => {
    const result = await runHostile(action, {
      name: 'bad url',
      inputs: { urls: 'bad' },
      input: 'urls',
      message: 'is not a URL',
    });
    expect(result.errors).toHaveLength(1);
  });

  it('names every way a run is not a clean refusal', async () => {
    const server = await countingServer();
    try {
      const crashed = await runAction(action, { inputs: { urls: `${server.url}/`, crash: true } });
      const problems = refusalProblems(crashed, 'urls');
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^the error does not name Input "urls"/),
          expect.stringMatching(/^a stack trace in the log: at /),
          `1 connection(s): 127.0.0.1:${server.port}`,
        ]),
      );
      expect(() => assertRefused(crashed, 'urls')).toThrow(/^harness: not a clean refusal of "urls"/);
      const wrongInput = await runAction(action, { inputs: { urls: 'bad' } });
      expect(refusalProblems(wrongInput, 'crash')).toEqual([
        'the error does not name Input "crash": Input "urls": "bad" is not a URL; give an absolute URL such as https://host/path',
      ]);
    } finally {
      await server.close();
    }
  });
});
