import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RenderEmulator } from '../../packages/emulators/src/render';
import { apiInputs, newest, service, startRender, trigger } from './fixture';

describe('trigger-render-hook health checks and rollback', () => {
  let render: RenderEmulator;
  beforeEach(async () => {
    render = await startRender();
  });
  afterEach(() => render.close());

  const health = { 'health-path': '/healthz', 'health-retries': 3, 'health-interval': '100ms' };

  it('rolls back to the previous live deploy when the health check fails, then fails saying so', async () => {
    const setup = service(render, { image: 'docker.io/acme/api:1.0' });
    const previous = newest(setup);
    render.services.get(setup.serviceId)!.healthStatus = 503;
    const appUrl = `${render.serviceUrl(setup.serviceId)}/healthz`;
    const result = await trigger(setup, {
      ...apiInputs(setup),
      'deploy-hook-url': setup.hookUrl,
      'image-url': 'docker.io/acme/api:1.1',
      ...health,
      'rollback-on-failure': true,
    });
    const [rollback, bad] = render.deploys(setup.serviceId);
    expect(bad).toMatchObject({ status: 'deactivated', trigger: 'deploy_hook' });
    expect(rollback).toMatchObject({ status: 'live', trigger: 'rollback', image: { ref: 'docker.io/acme/api:1.0' } });
    expect(render.server.count('POST', /\/rollback$/)).toBe(1);
    expect(render.server.count('GET', /\/healthz$/)).toBe(3);
    expect((await fetch(appUrl)).status).toBe(200);
    expect(result.errors).toEqual([
      `Deploy ${bad.id} is live but its health check failed: ${appUrl} answered 503 3 times (expected 200); see https://dashboard.render.com/web/${setup.serviceId}/deploys/${bad.id}. Rolled back to ${previous.id}: ${rollback.id} is live`,
    ]);
    expect(result.outputs).toMatchObject({
      'deploy-id': bad.id,
      status: 'deactivated',
      'rollback-deploy-id': rollback.id,
    });
    expect(result.summary).toContain(
      '## ⚠️ Trigger Render deploy: backend: deactivated, health check failed, rolled back',
    );
    expect(result.summary).toContain('Health check: failed');
    expect(result.summary).toMatch(/Rollback[\s\S]*Rolled back to<\/th><td>dep-\w+/);
  });

  it('fails on a failing health check without rolling back when not asked to', async () => {
    const setup = service(render, { healthStatus: 500 });
    const result = await trigger(setup, { ...apiInputs(setup), ...health });
    expect(render.server.count('POST', /\/rollback$/)).toBe(0);
    expect(newest(setup).status).toBe('live');
    expect(result.errors).toEqual([
      expect.stringMatching(/health check failed: .*\/healthz answered 500 3 times \(expected 200\)/),
    ]);
  });

  it('does not roll back a deploy that failed before going live: the previous one still serves', async () => {
    const setup = service(render, { outcomes: ['update_failed'] });
    const previous = newest(setup);
    const result = await trigger(setup, { ...apiInputs(setup), 'rollback-on-failure': true });
    expect(render.server.count('POST', /\/rollback$/)).toBe(0);
    expect(render.deploys(setup.serviceId).find((d) => d.status === 'live')?.id).toBe(previous.id);
    expect(result.log).toContain(`No rollback needed: the previous deploy ${previous.id} is still live`);
    expect(result.errors).toEqual([expect.stringMatching(/ended update_failed/)]);
    expect(result.summary).toContain(`Not rolled back: ${previous.id} is still live`);
  });

  it('says so when there is nothing to roll back to', async () => {
    const setup = service(render, { initialDeploy: false, healthStatus: 500 });
    const result = await trigger(setup, { ...apiInputs(setup), ...health, 'rollback-on-failure': true });
    expect(render.server.count('POST', /\/rollback$/)).toBe(0);
    expect(result.warnings).toEqual([
      expect.stringContaining('Cannot roll back: the service had no live deploy before this one'),
    ]);
    expect(result.summary).toContain('Not rolled back: there was no live deploy before this one');
    expect(result.errors).toEqual([expect.stringMatching(/health check failed/)]);
  });

  it('checks health-url over real HTTP until it answers the expected status', async () => {
    const answers = [502, 502, 204];
    const seen: string[] = [];
    const app: Server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(answers.shift() ?? 500).end();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const setup = service(render);
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/ready?deep=1`;
      const result = await trigger(setup, {
        ...apiInputs(setup),
        'health-url': url,
        'health-status': 204,
        'health-retries': 5,
        'health-interval': '100ms',
      });
      expect(result.exitCode).toBe(0);
      expect(seen).toEqual(['/ready?deep=1', '/ready?deep=1', '/ready?deep=1']);
      expect(result.log).toContain('Health check 3/5');
      expect(result.summary).toContain('Health check: passed');
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
