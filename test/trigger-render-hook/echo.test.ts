import { RenderEmulator } from '../../packages/emulators/src/render';
import type { RunResult } from '../../packages/harness/src/run-action';
import { apiInputs, service, trigger } from './fixture';

/**
 * Echo tests (issue 12): a Render that repeats the request's credentials in its error bodies (the API key
 * from the Authorization header, the hook key from the query, in JSON), with secrets that hold `& < > "`.
 * No form of any secret (raw, URL- and form-encoded, JSON- and HTML-escaped, base64) may reach the log,
 * the outputs or the summary.
 */
const HOSTILE_KEY = 'rnd_Se&cr<e>t"Key9';
const HOSTILE_HOOK_KEY = 'hk&<x>"y';

function forms(secret: string): string[] {
  const html = secret.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ k: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    html,
    Buffer.from(secret).toString('base64'),
  ];
}

function expectNoForm(result: RunResult, secrets: string[]): void {
  const places = { log: result.log, outputs: Object.values(result.outputs).join('\n'), summary: result.summary };
  for (const secret of secrets)
    for (const form of forms(secret))
      for (const [where, text] of Object.entries(places))
        expect({ where, form, found: text.includes(form) }).toEqual({ where, form, found: false });
}

describe('trigger-render-hook never shows what Render echoes', () => {
  let render: RenderEmulator;
  afterEach(() => render.close());
  const echoing = (apiKey?: string) =>
    new RenderEmulator({
      scale: 50,
      apiKey,
      echo: (req) =>
        `you sent ${req.headers.authorization ?? ''} key=${req.query.get('key') ?? ''} ${req.query.toString()}`,
    }).start();

  it('an API key with & < > " echoed in a 404 body and in 503 bodies the client retries', async () => {
    render = await echoing(HOSTILE_KEY);
    const setup = service(render);
    render.inject({ method: 'GET', path: /\/deploys\/dep-/, status: 503, body: { message: `busy, ${HOSTILE_KEY}` } });
    const ok = await trigger({ ...setup, secrets: [...setup.secrets, HOSTILE_KEY] }, apiInputs(setup), { debug: true });
    expect(ok.exitCode).toBe(0);
    expect(ok.log).toMatch(/answered 503/);
    expectNoForm(ok, [HOSTILE_KEY]);

    const missing = await trigger(
      { ...setup, secrets: [...setup.secrets, HOSTILE_KEY] },
      { ...apiInputs(setup), 'service-id': 'srv-nothere123' },
      { debug: true },
    );
    expect(missing.errors).toEqual([
      expect.stringMatching(/found no such service .*\(404\): Not Found: service \(you sent Bearer \*\*\*/),
    ]);
    expectNoForm(missing, [HOSTILE_KEY]);
  });

  it('a wrong API key echoed back in the 401 body', async () => {
    render = await echoing();
    const setup = service(render);
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, HOSTILE_KEY] },
      { ...apiInputs(setup), 'api-key': HOSTILE_KEY },
      { debug: true },
    );
    expect(result.errors).toEqual([expect.stringMatching(/Render refused the API key \(401\)/)]);
    expectNoForm(result, [HOSTILE_KEY]);
  });

  it('a hook key with & < > " echoed in a 400 body, with imgURL re-encoding the query', async () => {
    render = await echoing();
    const setup = service(render, { image: 'docker.io/acme/api:1', hookKey: HOSTILE_HOOK_KEY });
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, HOSTILE_HOOK_KEY] },
      { 'deploy-hook-url': setup.hookUrl, 'image-url': 'docker.io/acme/other:2' },
      { debug: true },
    );
    expect(result.errors).toEqual([
      expect.stringMatching(/Render rejected the deploy hook request \(400\): image .* \(you sent/),
    ]);
    expectNoForm(result, [HOSTILE_HOOK_KEY, setup.hookUrl]);
  });

  it('a hook key echoed in a 401 and in a 503 the hook call does not retry blindly', async () => {
    render = await echoing();
    const setup = service(render, { hookKey: HOSTILE_HOOK_KEY });
    render.inject({
      method: 'POST',
      path: /^\/deploy\//,
      status: 503,
      body: { message: `down ${setup.hookUrl} ${HOSTILE_HOOK_KEY}` },
    });
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, HOSTILE_HOOK_KEY] },
      { ...apiInputs(setup), 'deploy-hook-url': setup.hookUrl },
      { debug: true },
    );
    expect(result.exitCode).toBe(0);
    expect(render.deploys(setup.serviceId).filter((d) => d.trigger === 'deploy_hook')).toHaveLength(1);
    expectNoForm(result, [HOSTILE_HOOK_KEY, setup.hookUrl]);
  });
});
