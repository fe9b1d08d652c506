import type { RenderEmulator } from '../../packages/emulators/src/render';
import { apiInputs, newest, service, startRender, trigger } from './fixture';

/**
 * What Render's deploy statuses mean, through the built action: deactivated after going live (a success),
 * superseded while queued (followed when the newer deploy carries the same image or commit, else a
 * failure naming both), the requested image or commit checked on the deploy that goes live, a deploy
 * queued behind a running one, and the cancel answers of Render's definition. Plus the deploy triggers
 * whose answer is lost: exactly one deploy results.
 */
describe('trigger-render-hook deploy semantics', () => {
  let render: RenderEmulator;
  beforeEach(async () => {
    render = await startRender();
  });
  afterEach(() => render.close());

  const image = 'ghcr.io/acme/api';

  it('counts a deploy that went live and was then replaced as a success, and says it was superseded', async () => {
    const setup = service(render, { image: `${image}:1`, outcomes: ['replaced'] });
    const result = await trigger(setup, { ...apiInputs(setup), 'image-url': `${image}:2` });
    const [newer, ours] = render.deploys(setup.serviceId);
    expect(ours).toMatchObject({ status: 'deactivated', image: { ref: `${image}:2` } });
    expect(newer.status).toBe('live');
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ 'deploy-id': ours.id, status: 'deactivated', 'superseded-by': newer.id });
    expect(result.log).toContain(
      `Deploy ${ours.id} went live, then ${newer.id} (image ${newer.image?.ref}) superseded it`,
    );
    expect(result.summary).toContain('superseded after going live');
    expect(result.summary).toContain(`Superseded by</th><td>${newer.id}, after ours had gone live (a success)`);
  });

  it('follows a deploy superseded while queued to the newer deploy of the same image, and succeeds on it', async () => {
    const setup = service(render, { image: `${image}:1`, outcomes: ['superseded'] });
    const result = await trigger(setup, { ...apiInputs(setup), 'image-url': `${image}:2` });
    const deploys = render.deploys(setup.serviceId);
    const newer = deploys[0];
    const ours = deploys.find((d) => d.trigger === 'api' && d.status === 'deactivated' && !d.startedAt);
    expect(ours).toBeDefined();
    expect(newer).toMatchObject({ status: 'live', trigger: 'new_commit', image: { ref: `${image}:2` } });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'deploy-id': newer.id, status: 'live', 'superseded-by': newer.id });
    expect(result.log).toContain(`was superseded while queued by ${newer.id}, which carries the same image: following`);
    expect(result.summary).toContain(`Followed</th><td>${newer.id}`);
  });

  it('fails, naming both, when a deploy superseded while queued was replaced by another image', async () => {
    const setup = service(render, { image: `${image}:1`, outcomes: ['superseded-by-other'] });
    const result = await trigger(setup, { ...apiInputs(setup), 'image-url': `${image}:2` });
    const newer = newest(setup);
    const ours = render
      .deploys(setup.serviceId)
      .find((d) => d.trigger === 'api' && d.status === 'deactivated' && !d.startedAt);
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toEqual([
      `Deploy ${ours?.id} (image ${image}:2) was superseded before it went live by ${newer.id}, which carries image ${newer.image?.ref} instead; the service runs ${newer.id}, not what this step deployed; see https://dashboard.render.com/web/${setup.serviceId}/deploys/${ours?.id}`,
    ]);
    expect(result.outputs).toMatchObject({ 'deploy-id': ours?.id, status: 'deactivated', 'superseded-by': newer.id });
  });

  it('fails clearly when the deploy that goes live does not carry the commit the hook asked for', async () => {
    const setup = service(render, { hookIgnores: ['ref'] });
    const sha = 'abcdef1234567890abcdef1234567890abcdef12';
    const result = await trigger(setup, { ...apiInputs(setup), 'deploy-hook-url': setup.hookUrl, commit: sha });
    const deploy = newest(setup);
    expect(deploy.status).toBe('live');
    expect(deploy.commit?.id).not.toBe(sha);
    expect(result.errors).toEqual([
      `Render deployed commit ${deploy.commit?.id} in ${deploy.id}, not the commit ${sha} this step asked for; Render's deploy hooks may ignore ref: trigger by API (api-key without deploy-hook-url) to pin a commit; see https://dashboard.render.com/web/${setup.serviceId}/deploys/${deploy.id}`,
    ]);
  });

  it('waits through queued behind a running deploy, and the timeline shows it', async () => {
    const setup = service(render, { observeEachStatus: true, durations: { created: 0, build: 2000, update: 0 } });
    // Someone else's deploy runs until the action has said it is queued; then it is canceled and ours runs.
    const running = render.startDeploy(setup.serviceId, { durations: { build: 3_600_000 } });
    const cancelRunning = () =>
      fetch(`${render.apiUrl}/services/${setup.serviceId}/deploys/${running.id}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${render.apiKey}` },
      });
    let canceled: Promise<Response> | undefined;
    const result = await trigger(setup, apiInputs(setup), {
      onLine: (line) => {
        if (line.includes('build_in_progress') || !line.includes(': queued after')) return;
        canceled ??= cancelRunning();
      },
    });
    expect((await canceled)?.status).toBe(200);
    const ours = newest(setup);
    expect(ours.id).not.toBe(running.id);
    expect(result.errors).toEqual([]);
    expect(result.log).toContain('Render queued the deploy (202)');
    expect(result.summary).toMatch(/Status timeline[\s\S]*queued[\s\S]*build_in_progress[\s\S]*live/);
  });

  it('cancels a queued deploy at the timeout: it never starts', async () => {
    const setup = service(render, { durations: { build: 3_600_000 } });
    render.startDeploy(setup.serviceId);
    const result = await trigger(setup, { ...apiInputs(setup), timeout: '2s' });
    const ours = newest(setup);
    expect(ours.status).toBe('canceled');
    expect(ours).not.toHaveProperty('startedAt');
    expect(result.errors).toEqual([expect.stringMatching(/\(last status: queued\), so it was canceled/)]);
  });

  it('reports Render refusing the cancel (400, as its definition lists), with what the deploy became', async () => {
    const setup = service(render, { durations: { build: 3_600_000 } });
    render.inject({
      method: 'POST',
      path: /\/cancel$/,
      status: 400,
      body: { id: 'e1', message: 'deploy has ended' },
    });
    const result = await trigger(setup, { ...apiInputs(setup), timeout: '2s' });
    expect(render.server.count('POST', /\/cancel$/)).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/Render refused to cancel it \(400: deploy has ended\): it had ended build_in_progress/),
    ]);
  });

  it.each([
    ['deploy hook', true],
    ['API trigger', false],
  ])('a %s whose answer is lost starts exactly one deploy: the deploy list decides', async (_, byHook) => {
    const setup = service(render, { image: `${image}:1` });
    const before = render.deploys(setup.serviceId).length;
    render.inject({ method: 'POST', path: byHook ? /^\/deploy\// : /\/deploys$/, lostAnswer: 'reset' });
    const result = await trigger(setup, {
      ...apiInputs(setup),
      ...(byHook ? { 'deploy-hook-url': setup.hookUrl } : {}),
      'image-url': `${image}:7`,
    });
    expect(result.errors).toEqual([]);
    expect(render.deploys(setup.serviceId)).toHaveLength(before + 1);
    expect(render.server.count('POST', byHook ? /^\/deploy\// : /\/deploys$/)).toBe(1);
    expect(result.log).toContain('it had gone through; using what it created');
    expect(result.outputs).toMatchObject({ 'deploy-id': newest(setup).id, status: 'live' });
  });

  it('a deploy hook alone whose answer is lost stops instead of calling it again', async () => {
    const setup = service(render);
    render.inject({ method: 'POST', path: /^\/deploy\//, lostAnswer: 'reset' });
    const before = render.deploys(setup.serviceId).length;
    const result = await trigger(setup, { 'deploy-hook-url': setup.hookUrl });
    expect(render.deploys(setup.serviceId)).toHaveLength(before + 1);
    expect(render.server.count('POST', /^\/deploy\//)).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^The answer to the deploy hook was lost .*not calling it again.*set api-key/),
    ]);
  });
});

describe('trigger-render-hook cancelled by the runner', () => {
  it('stops waiting at once, leaves the deploy to Render, and still writes the summary', async () => {
    const render = await startRender();
    try {
      const setup = service(render, { durations: { build: 3_600_000 } });
      const result = await trigger(setup, apiInputs(setup), { cancelOnLine: /: build_in_progress after/ });
      const deploy = newest(setup);
      expect(result.cancelled).toBe(true);
      expect(result.exitCode).not.toBe(0);
      expect(deploy.status).toBe('build_in_progress');
      expect(render.server.count('POST', /\/cancel$/)).toBe(0);
      expect(result.summary).toContain('## 🛑 Trigger Render deploy');
      expect(result.summary).toContain(`${deploy.id} was not canceled and goes on in Render`);
      expect(result.durationMs).toBeLessThan(10_000);
    } finally {
      await render.close();
    }
  });
});
