import { RenderEmulator } from '../../emulators/src/render';
import {
  carries,
  type Deploy,
  findTriggered,
  LostAnswerError,
  pathId,
  RenderApi,
  sameSource,
  triggerHook,
  wentLive,
} from '../src';

/** Deploy triggers after a lost answer: the deploy list decides, and exactly one deploy results. */
describe('triggers sent once', () => {
  let render: RenderEmulator;
  let api: RenderApi;
  const instant = { now: () => Date.now(), sleep: async () => {} };
  beforeEach(async () => {
    render = await new RenderEmulator().start();
    api = new RenderApi({ apiUrl: render.apiUrl, apiKey: render.apiKey, clock: instant });
  });
  afterEach(() => render.close());

  const newDeploys = (serviceId: string, known: Set<string>) =>
    render.deploys(serviceId).filter((d) => !known.has(d.id));

  it.each(['reset', 'timeout'] as const)(
    'API trigger whose answer is lost (%s): found in the deploy list, not sent again',
    async (lost) => {
      const svc = render.addService({ image: 'ghcr.io/acme/api:1' });
      const known = new Set(render.deploys(svc.id).map((d) => d.id));
      render.inject({ method: 'POST', path: /\/deploys$/, lostAnswer: lost });
      const lines: string[] = [];
      const fast = new RenderApi({ apiUrl: render.apiUrl, apiKey: render.apiKey, clock: instant, timeoutMs: 1000 });
      const answer = await fast.triggerDeploy(svc.id, {
        imageUrl: 'ghcr.io/acme/api:2',
        log: (l) => lines.push(l),
        lookup: () =>
          findTriggered(fast, svc.id, {
            known,
            triggeredAt: Date.now(),
            trigger: 'api',
            imageUrl: 'ghcr.io/acme/api:2',
          }),
      });
      expect(render.server.count('POST', /\/deploys$/)).toBe(1);
      const created = newDeploys(svc.id, known);
      expect(created).toHaveLength(1);
      expect(answer).toMatchObject({ found: true, deploy: { id: created[0].id } });
      expect(lines.join('\n')).toContain('it had gone through; using what it created');
    },
  );

  it('API trigger refused by a fault before it ran (502): the list shows nothing, so it is sent again, once', async () => {
    const svc = render.addService();
    const known = new Set(render.deploys(svc.id).map((d) => d.id));
    render.inject({ method: 'POST', path: /\/deploys$/, status: 502 });
    const answer = await api.triggerDeploy(svc.id, {
      lookup: () => findTriggered(api, svc.id, { known, triggeredAt: Date.now(), trigger: 'api' }),
    });
    expect(render.server.count('POST', /\/deploys$/)).toBe(2);
    expect(newDeploys(svc.id, known)).toHaveLength(1);
    expect(answer.deploy?.id).toBe(newDeploys(svc.id, known)[0].id);
  });

  it('deploy hook whose answer is lost: with a lookup it adopts the deploy; without one it stops, never sending twice', async () => {
    const svc = render.addService();
    const hook = new URL(render.hookUrl(svc.id));
    const known = new Set(render.deploys(svc.id).map((d) => d.id));
    render.inject({ method: 'POST', path: /^\/deploy\//, lostAnswer: 'reset' });
    const answer = await triggerHook(hook, {
      clock: instant,
      lookup: async () =>
        (await findTriggered(api, svc.id, { known, triggeredAt: Date.now(), trigger: 'deploy_hook' }))?.id,
    });
    expect(newDeploys(svc.id, known)).toHaveLength(1);
    expect(answer).toMatchObject({ deployId: newDeploys(svc.id, known)[0].id, found: true, requests: 1 });

    const before = new Set(render.deploys(svc.id).map((d) => d.id));
    render.inject({ method: 'POST', path: /^\/deploy\//, lostAnswer: 'reset' });
    const lost = triggerHook(hook, { clock: instant });
    await expect(lost).rejects.toThrow(LostAnswerError);
    await expect(lost).rejects.toThrow(/was lost .*not calling it again.*set api-key/);
    expect(render.server.count('POST', /^\/deploy\//)).toBe(2);
    expect(newDeploys(svc.id, before)).toHaveLength(1);
  });

  it('rollback whose answer is lost: the deploy list shows the rollback deploy, and no second one is made', async () => {
    const svc = render.addService({ durations: { created: 0, build: 0, update: 0 } });
    const [first] = await api.listDeploys(svc.id);
    await api.triggerDeploy(svc.id, {});
    const known = new Set(render.deploys(svc.id).map((d) => d.id));
    render.inject({ method: 'POST', path: /\/rollback$/, lostAnswer: 'reset' });
    const rollback = await api.rollback(svc.id, first.id, () =>
      findTriggered(api, svc.id, { known, triggeredAt: Date.now(), trigger: 'rollback' }),
    );
    const rollbacks = newDeploys(svc.id, known);
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ trigger: 'rollback', id: rollback?.id });
    expect(render.server.count('POST', /\/rollback$/)).toBe(1);
  });

  it('refuses IDs that are not shaped like Render IDs before they reach a path', () => {
    expect(pathId('service', 'srv-abc123')).toBe('srv-abc123');
    expect(() => pathId('service', 'srv-abc/../../owners')).toThrow(/not shaped like one/);
    expect(() => pathId('deploy', 'dep-x%2F..')).toThrow(/not shaped like one/);
  });
});

describe('what a deploy end means', () => {
  const deploy = (extra: Partial<Deploy>): Deploy => ({
    id: 'dep-abcd',
    status: 'deactivated',
    createdAt: '2026-03-01T12:00:00Z',
    ...extra,
  });

  it('a deactivated deploy went live when it started or was seen live; one skipped in the queue did not', () => {
    expect(wentLive(deploy({ startedAt: '2026-03-01T12:00:01Z' }))).toBe(true);
    expect(wentLive(deploy({}), [{ status: 'live', at: 0, ms: 0 }])).toBe(true);
    expect(wentLive(deploy({}), [{ status: 'build_in_progress', at: 0, ms: 0 }])).toBe(true);
    expect(wentLive(deploy({}), [{ status: 'queued', at: 0, ms: 0 }])).toBe(false);
  });

  it('compares images in one spelling and commits by prefix', () => {
    const image = deploy({ image: { ref: 'nginx:1.26', sha: `sha256:${'a'.repeat(64)}` } });
    expect(carries(image, { imageUrl: 'docker.io/library/nginx:1.26' })).toBe(true);
    expect(carries(image, { imageUrl: `docker.io/library/nginx@sha256:${'a'.repeat(64)}` })).toBe(true);
    expect(carries(image, { imageUrl: 'docker.io/library/nginx:1.27' })).toBe(false);
    const git = deploy({ commit: { id: 'abcdef1234567890' } });
    expect(carries(git, { commit: 'ABCDEF1' })).toBe(true);
    expect(carries(git, { commit: '1234567' })).toBe(false);
    expect(carries(git, { imageUrl: 'nginx:1' })).toBe(false);
    expect(sameSource(git, deploy({ commit: { id: 'abcdef1234567890' } }))).toBe(true);
    expect(sameSource(image, git)).toBe(false);
  });
});
