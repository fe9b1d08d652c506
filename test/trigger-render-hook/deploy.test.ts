import { RenderEmulator } from '../../packages/emulators/src/render';
import { apiInputs, newest, service, startRender, trigger } from './fixture';

describe('trigger-render-hook deploys', () => {
  let render: RenderEmulator;
  beforeEach(async () => {
    render = await startRender();
  });
  afterEach(() => render.close());

  it('triggers by hook with imgURL, waits through the API until live, health-checks, and reports', async () => {
    // Each status is held until the action has read it, so its log and timeline show every one, however
    // loaded the machine (sparse polling used to skip update_in_progress now and then).
    const setup = service(render, { image: 'docker.io/acme/api:1.0', observeEachStatus: true });
    const result = await trigger(setup, {
      ...apiInputs(setup),
      'service-id': undefined,
      'deploy-hook-url': setup.hookUrl,
      'image-url': 'docker.io/acme/api:1.1',
      'health-path': '/healthz',
      'health-interval': '100ms',
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const deploy = newest(setup);
    expect(deploy).toMatchObject({ status: 'live', trigger: 'deploy_hook' });
    expect(deploy).not.toHaveProperty('commit');
    expect(deploy.image?.ref).toBe('docker.io/acme/api:1.1');
    expect(result.outputs).toMatchObject({
      'deploy-id': deploy.id,
      status: 'live',
      'service-url': render.serviceUrl(setup.serviceId),
    });
    expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(0);
    for (const status of ['created', 'build_in_progress', 'update_in_progress'])
      expect(result.log).toMatch(new RegExp(`deploy ${deploy.id}: ${status}`));
    expect(result.log).toMatch(/Health check 1\/10: .*\/healthz answered 200/);
    expect(render.server.count('POST', /^\/deploy\//)).toBe(1);
    expect(result.summary).toContain(`https://dashboard.render.com/web/${setup.serviceId}/deploys/${deploy.id}`);
    expect(result.summary).toContain('docker.io/acme/api:1.1');
    expect(result.summary).toMatch(/Status timeline[\s\S]*build_in_progress[\s\S]*update_in_progress[\s\S]*live/);
    expect(result.summary).toContain('Health check: passed');
  });

  it('finds the deploy by listing when the hook answers without a body', async () => {
    const setup = service(render, { image: 'ghcr.io/acme/api:1.0', hookAnswer: 'empty' });
    const result = await trigger(setup, {
      ...apiInputs(setup),
      'deploy-hook-url': setup.hookUrl,
      'image-url': 'ghcr.io/acme/api:2.0',
    });
    expect(result.exitCode).toBe(0);
    const deploy = newest(setup);
    expect(deploy.image?.ref).toBe('ghcr.io/acme/api:2.0');
    expect(result.outputs['deploy-id']).toBe(deploy.id);
    expect(render.server.count('GET', /\/deploys$/)).toBeGreaterThanOrEqual(2);
  });

  it('triggers a commit through the API (201) on a git-backed service', async () => {
    const setup = service(render);
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const result = await trigger(setup, { ...apiInputs(setup), commit: sha, 'clear-cache': true });
    expect(result.exitCode).toBe(0);
    const deploy = newest(setup);
    expect(deploy).toMatchObject({ status: 'live', trigger: 'api' });
    expect(deploy).not.toHaveProperty('image');
    expect(deploy.commit?.id).toBe(sha);
    expect(result.outputs).toMatchObject({ 'deploy-id': deploy.id, status: 'live' });
    expect(result.summary).toContain(sha);
  });

  it('handles a 202 Queued answer by finding the deploy created after the trigger', async () => {
    const setup = service(render, { image: 'docker.io/acme/api:1.0', triggerStatus: 202 });
    const result = await trigger(setup, { ...apiInputs(setup), 'image-url': 'docker.io/acme/api:1.2' });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('Render queued the deploy (202)');
    const deploy = newest(setup);
    expect(deploy.image?.ref).toBe('docker.io/acme/api:1.2');
    expect(result.outputs).toMatchObject({ 'deploy-id': deploy.id, status: 'live' });
  });

  it('with a hook alone, triggers and returns without waiting', async () => {
    const setup = service(render, { image: 'docker.io/acme/api:1.0', durations: { build: 3_600_000 } });
    const result = await trigger(setup, { 'deploy-hook-url': setup.hookUrl, 'image-url': 'docker.io/acme/api:3.0' });
    expect(result.exitCode).toBe(0);
    expect(render.requests.map((r) => `${r.method} ${r.path.replace(/srv-\w+/, 'srv')}`)).toEqual(['POST /deploy/srv']);
    const deploy = newest(setup);
    expect(deploy.status).toBe('build_in_progress');
    expect(result.outputs).toMatchObject({ 'deploy-id': deploy.id, status: 'triggered' });
    expect(result.summary).toContain('triggered');
  });

  it('passes a commit to a git-backed service hook as ref', async () => {
    const setup = service(render);
    const result = await trigger(setup, { 'deploy-hook-url': setup.hookUrl, commit: 'abcdef1234567' });
    expect(result.exitCode).toBe(0);
    expect(newest(setup).commit?.id).toBe('abcdef1234567');
  });

  it('fails clearly when the image is not the service image, and no deploy starts', async () => {
    const setup = service(render, { image: 'docker.io/acme/api:1.0' });
    const before = render.deploys(setup.serviceId).length;
    const result = await trigger(setup, {
      ...apiInputs(setup),
      'deploy-hook-url': setup.hookUrl,
      'image-url': 'docker.io/acme/worker:1.1',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /Render rejected the deploy hook request \(400\): image docker.io\/acme\/worker:1.1 does not match/,
      ),
    ]);
    expect(render.deploys(setup.serviceId)).toHaveLength(before);
  });

  it('names the hook, never its key, when Render refuses it', async () => {
    const setup = service(render);
    const wrong = setup.hookUrl.replace(/key=.*/, 'key=not-the-right-key-at-all');
    const result = await trigger(
      { ...setup, secrets: [...setup.secrets, 'not-the-right-key-at-all'] },
      { 'deploy-hook-url': wrong },
      { debug: true },
    );
    expect(result.errors).toEqual([expect.stringMatching(/Render refused the deploy hook \(401\).*deploy-hook-url/)]);
    expect(result.log).not.toContain('/deploy/');
  });

  it('fails early, before any trigger, when the service is suspended', async () => {
    const setup = service(render, { suspended: true });
    const result = await trigger(setup, apiInputs(setup));
    expect(result.errors).toEqual([expect.stringMatching(/backend \(srv-\w+\) is suspended.*resume it/)]);
    expect(render.server.count('POST')).toBe(0);
    expect(render.requests).toHaveLength(1);
  });

  it('waits out the trigger rate limit of 10 a minute', async () => {
    // A 2-second emulated minute: long enough that a loaded machine cannot outlast it, short enough to wait out.
    await render.close();
    render = await new RenderEmulator({ scale: 30 }).start();
    const setup = service(render);
    // While the action lists deploys (slowed down), ten other triggers use up the service's minute.
    render.inject({ method: 'GET', path: /\/deploys$/, delayMs: 400 });
    const running = trigger(setup, { ...apiInputs(setup), 'deploy-hook-url': setup.hookUrl });
    while (!render.server.count('GET', /^\/v1\/services\/srv-\w+$/)) await new Promise((r) => setTimeout(r, 5));
    const others = await Promise.all(
      Array.from({ length: 10 }, () => fetch(setup.hookUrl, { method: 'POST' }).then((r) => r.status)),
    );
    expect(others).toEqual(Array(10).fill(200));
    const result = await running;
    expect(result.exitCode).toBe(0);
    expect(render.server.requests.filter((r) => r.path.startsWith('/deploy/')).map((r) => r.status)).toEqual([
      ...Array(10).fill(200),
      429,
      200,
    ]);
    expect(result.log).toMatch(/the deploy hook answered 429.*retry 1/);
    expect(result.outputs.status).toBe('live');
  });
});
