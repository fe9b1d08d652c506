import type { RenderEmulator } from '../../packages/emulators/src/render';
import { apiInputs, newest, service, startRender, trigger } from './fixture';

describe('trigger-render-hook failures', () => {
  let render: RenderEmulator;
  beforeEach(async () => {
    render = await startRender();
  });
  afterEach(() => render.close());

  it.each(['build_failed', 'update_failed', 'pre_deploy_failed', 'canceled'] as const)(
    'fails on %s with the status and the dashboard link',
    async (outcome) => {
      const setup = service(render, { image: 'docker.io/acme/api:1.0', outcomes: [outcome] });
      const result = await trigger(setup, { ...apiInputs(setup), 'image-url': 'docker.io/acme/api:1.1' });
      const deploy = newest(setup);
      expect(deploy.status).toBe(outcome);
      expect(result.exitCode).not.toBe(0);
      expect(result.errors).toEqual([
        `Deploy ${deploy.id} ended ${outcome}; see https://dashboard.render.com/web/${setup.serviceId}/deploys/${deploy.id}`,
      ]);
      expect(result.outputs).toMatchObject({ 'deploy-id': deploy.id, status: outcome });
      expect(result.summary).toContain(`## ❌ Trigger Render deploy: backend: ${outcome}`);
      expect(result.summary).toContain(`**Error:** Deploy ${deploy.id} ended ${outcome}`);
    },
  );

  it('cancels the deploy at the timeout and fails clearly', async () => {
    const setup = service(render, { durations: { build: 3_600_000 } });
    const result = await trigger(setup, { ...apiInputs(setup), timeout: '2s' });
    const deploy = newest(setup);
    expect(deploy.status).toBe('canceled');
    expect(render.server.count('POST', /\/deploys\/dep-\w+\/cancel$/)).toBe(1);
    expect(result.errors).toEqual([
      `Deploy ${deploy.id} did not finish within 2.0s (last status: build_in_progress), so it was canceled and the previous deploy keeps serving; raise "timeout" if deploys of this service take longer`,
    ]);
    expect(result.outputs.status).toBe('canceled');
    expect(result.summary).toContain('at the timeout, by this action');
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('leaves the deploy running at the timeout with cancel-on-timeout: false', async () => {
    const setup = service(render, { durations: { build: 3_600_000 } });
    const result = await trigger(setup, { ...apiInputs(setup), timeout: '1s', 'cancel-on-timeout': false });
    expect(newest(setup).status).toBe('build_in_progress');
    expect(render.server.count('POST', /\/cancel$/)).toBe(0);
    expect(result.errors).toEqual([
      expect.stringMatching(/did not finish within 1.0s .*still running \(cancel-on-timeout is false\)/),
    ]);
    expect(result.outputs.status).toBe('build_in_progress');
  });

  it('survives a storm of 429s with rate-limit headers', async () => {
    const setup = service(render);
    render.inject({
      method: 'GET',
      path: /\/deploys\/dep-/,
      status: 429,
      times: 4,
      headers: { 'ratelimit-limit': '400', 'ratelimit-remaining': '0', 'ratelimit-reset': '0' },
    });
    render.inject({ method: 'GET', path: /\/services\/srv-\w+$/, status: 429, headers: { 'retry-after': '0' } });
    const result = await trigger(setup, apiInputs(setup));
    expect(result.exitCode).toBe(0);
    expect(render.requests.filter((r) => r.status === 429)).toHaveLength(5);
    expect(result.log).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/services\/srv-\w+\/deploys\/dep-\w+ answered 429/);
    expect(result.outputs.status).toBe('live');
  });

  it('survives a burst of 5xx answers and a dropped connection', async () => {
    const setup = service(render);
    // Consecutive faults on one call: the client's backoff (0.5 s doubling, jittered) decides the test's length.
    render.inject({ method: 'GET', path: /\/deploys\/dep-/, status: 503 });
    render.inject({ method: 'GET', path: /\/deploys\/dep-/, status: 500 });
    render.inject({ method: 'GET', path: /\/deploys\/dep-/, reset: 'before-response' });
    render.inject({ method: 'POST', path: /\/deploys$/, status: 502 });
    const result = await trigger(setup, apiInputs(setup));
    expect(result.exitCode).toBe(0);
    expect(render.requests.filter((r) => r.status >= 500 || r.status === 0)).toHaveLength(4);
    expect(render.server.count('POST', /\/deploys$/)).toBe(2);
    expect(render.deploys(setup.serviceId).filter((d) => d.trigger === 'api')).toHaveLength(2);
    expect(result.outputs.status).toBe('live');
  });
});
