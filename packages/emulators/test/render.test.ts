import { RenderApi, triggerHook } from '../../render/src';
import { imageRepository, RenderEmulator } from '../src/render';

/** The Render emulator, driven by the real client on a hand-moved clock. */
describe('RenderEmulator', () => {
  let t = Date.parse('2026-03-01T12:00:00Z');
  const clock = { now: () => t };
  const advance = (ms: number) => {
    t += ms;
  };
  let render: RenderEmulator;
  let api: RenderApi;
  beforeEach(async () => {
    render = await new RenderEmulator({ clock, readLimit: 50 }).start();
    api = new RenderApi({ apiUrl: render.apiUrl, apiKey: render.apiKey, retry: { attempts: 1 } });
  });
  afterEach(() => render.close());

  it('moves a deploy through its statuses and deactivates the deploy it replaces', async () => {
    const svc = render.addService({ durations: { created: 1000, build: 10_000, update: 5000 } });
    const [previous] = await api.listDeploys(svc.id);
    expect(previous.status).toBe('live');
    const { status, deploy } = await api.triggerDeploy(svc.id, {});
    expect(status).toBe(201);
    const seen: string[] = [];
    for (let i = 0; i < 20; i++, advance(1000)) seen.push((await api.getDeploy(svc.id, deploy!.id)).status);
    expect([...new Set(seen)]).toEqual(['created', 'build_in_progress', 'update_in_progress', 'live']);
    const done = await api.getDeploy(svc.id, deploy!.id);
    expect(done.finishedAt).toBe(new Date(Date.parse(done.createdAt) + 16_000).toISOString());
    expect(done.commit?.id).toMatch(/^[0-9a-f]{40}$/);
    // Render's definition: a git-backed deploy has no image key at all (and an image-backed one no commit).
    expect(done).not.toHaveProperty('image');
    expect(done.startedAt).toBe(done.createdAt);
    expect((await api.getDeploy(svc.id, previous.id)).status).toBe('deactivated');
  });

  it('queues deploys behind a running one: only the newest queued starts, older ones are deactivated unstarted', async () => {
    const svc = render.addService({ durations: { created: 0, build: 4000, update: 4000 } });
    const running = (await api.triggerDeploy(svc.id, {})).deploy!;
    advance(1000);
    const second = await api.triggerDeploy(svc.id, {});
    expect(second).toEqual({ status: 202, deploy: undefined });
    const [queuedA] = await api.listDeploys(svc.id, { limit: 1 });
    expect(queuedA.status).toBe('queued');
    expect(queuedA).not.toHaveProperty('startedAt');
    advance(1000);
    await api.triggerDeploy(svc.id, {});
    const [queuedB] = await api.listDeploys(svc.id, { limit: 1 });
    advance(6000);
    expect((await api.getDeploy(svc.id, running.id)).status).toBe('live');
    const skipped = await api.getDeploy(svc.id, queuedA.id);
    const runningEnd = new Date(Date.parse(running.createdAt) + 8000).toISOString();
    expect(skipped).toMatchObject({ status: 'deactivated', finishedAt: runningEnd });
    expect(skipped).not.toHaveProperty('startedAt');
    expect((await api.getDeploy(svc.id, queuedB.id)).status).toBe('build_in_progress');
    advance(8000);
    expect((await api.getDeploy(svc.id, queuedB.id)).status).toBe('live');
    expect((await api.getDeploy(svc.id, running.id)).status).toBe('deactivated');
  });

  it('cancels a queued deploy: it never starts, and the next one runs', async () => {
    const svc = render.addService({ durations: { created: 0, build: 4000, update: 0 } });
    const running = (await api.triggerDeploy(svc.id, {})).deploy!;
    await api.triggerDeploy(svc.id, {});
    const [queued] = await api.listDeploys(svc.id, { limit: 1 });
    expect(queued.status).toBe('queued');
    expect((await api.cancelDeploy(svc.id, queued.id)).status).toBe('canceled');
    advance(5000);
    expect((await api.getDeploy(svc.id, running.id)).status).toBe('live');
    const canceled = await api.getDeploy(svc.id, queued.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled).not.toHaveProperty('startedAt');
  });

  it('ends deploys as queued: failures, a pre-deploy failure, a cancel, a replacement right after going live', async () => {
    const svc = render.addService({
      image: 'ghcr.io/acme/api:1',
      outcomes: ['build_failed', 'pre_deploy_failed', 'canceled', 'replaced'],
      durations: { created: 0, build: 4000, update: 4000 },
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await api.triggerDeploy(svc.id, { imageUrl: 'ghcr.io/acme/api:2' })).deploy!.id);
      advance(12_000);
    }
    const statuses = await Promise.all(ids.map(async (id) => (await api.getDeploy(svc.id, id)).status));
    expect(statuses).toEqual(['build_failed', 'pre_deploy_failed', 'canceled', 'deactivated']);
    const [newest] = await api.listDeploys(svc.id, { limit: 1 });
    expect(newest).toMatchObject({ trigger: 'new_commit', status: 'live' });
    expect(newest).not.toHaveProperty('commit');
    expect(newest.image?.ref).toMatch(/^ghcr.io\/acme\/api:other-/);
    expect((await api.getDeploy(svc.id, ids[3])).startedAt).toBeDefined();
  });

  it.each([
    ['superseded', 'the same image'],
    ['superseded-by-other', 'another image'],
  ] as const)('supersedes a queued deploy (%s): a newer one with %s starts instead', async (outcome, _) => {
    const svc = render.addService({
      image: 'ghcr.io/acme/api:1',
      outcomes: [outcome],
      durations: { created: 0, build: 4000, update: 4000 },
    });
    const ours = (await api.triggerDeploy(svc.id, { imageUrl: 'ghcr.io/acme/api:2' })).deploy!;
    expect(ours.status).toBe('queued');
    advance(30_000);
    const [newer, , blocker] = await api.listDeploys(svc.id, { limit: 3 });
    expect((await api.getDeploy(svc.id, ours.id)).status).toBe('deactivated');
    expect(blocker.status).toBe('deactivated');
    expect(newer).toMatchObject({ status: 'live', trigger: 'new_commit' });
    expect(newer.image?.ref === 'ghcr.io/acme/api:2').toBe(outcome === 'superseded');
  });

  it('holds each status until a client has read it there, with observeEachStatus', async () => {
    const svc = render.addService({ observeEachStatus: true, durations: { created: 100, build: 100, update: 100 } });
    const { deploy } = await api.triggerDeploy(svc.id, {});
    const seen: string[] = [];
    for (let i = 0; i < 4; i++, advance(60_000)) seen.push((await api.getDeploy(svc.id, deploy!.id)).status);
    expect(seen).toEqual(['created', 'build_in_progress', 'update_in_progress', 'live']);
  });

  it('serves the deploy hook: key, imgURL repository, ref, and an answer with or without a body', async () => {
    const image = render.addService({ image: 'nginx:1.25', hookAnswer: 'empty' });
    const git = render.addService();
    const hook = (id: string) => new URL(render.hookUrl(id));
    expect(await triggerHook(hook(image.id), { imageUrl: 'docker.io/library/nginx@sha256:'.padEnd(95, 'a') })).toEqual({
      deployId: undefined,
      requests: 1,
    });
    expect((await api.listDeploys(image.id))[0].image?.ref).toMatch(/^docker.io\/library\/nginx@sha256:a+$/);
    await expect(triggerHook(hook(image.id), { imageUrl: 'docker.io/acme/nginx:1.26' })).rejects.toThrow(
      /rejected the deploy hook request \(400\): image docker.io\/acme\/nginx:1.26 does not match/,
    );
    const { deployId } = await triggerHook(hook(git.id), { ref: 'abc1234' });
    expect((await api.getDeploy(git.id, deployId!)).commit?.id).toBe('abc1234');
    await expect(triggerHook(hook(git.id), { imageUrl: 'nginx:1' })).rejects.toThrow(/image-backed services/);
    const wrongKey = hook(git.id);
    wrongKey.searchParams.set('key', 'nope');
    await expect(triggerHook(wrongKey)).rejects.toThrow(/refused the deploy hook \(401\)/);
    await expect(triggerHook(new URL(`${render.url}/deploy/srv-nothere1?key=x`))).rejects.toThrow(/\(404\)/);
  });

  it('guards the API with the Bearer key and answers 202 when configured', async () => {
    const svc = render.addService({ triggerStatus: 202 });
    const stranger = new RenderApi({ apiUrl: render.apiUrl, apiKey: 'rnd_wrong', retry: { attempts: 1 } });
    await expect(stranger.getService(svc.id)).rejects.toThrow(/answered 401/);
    expect(await api.triggerDeploy(svc.id, { clearCache: true })).toEqual({ status: 202, deploy: undefined });
    expect(await api.getService(svc.id)).toMatchObject({
      id: svc.id,
      suspended: 'not_suspended',
      serviceDetails: { url: render.serviceUrl(svc.id) },
    });
  });

  it('lists deploys newest first with createdAfter, status, limit and cursor', async () => {
    const svc = render.addService({ durations: { created: 0, build: 1000, update: 0 } });
    const start = new Date(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++, advance(10_000)) ids.push((await api.triggerDeploy(svc.id, {})).deploy!.id);
    const after = await api.listDeploys(svc.id, { createdAfter: start });
    expect(after.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const page = await api.listDeploys(svc.id, { limit: 2 });
    expect(page.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect((await api.listDeploys(svc.id, { cursor: ids[1] })).map((d) => d.id)).toEqual([ids[0], expect.any(String)]);
    expect((await api.listDeploys(svc.id, { status: ['live'] })).map((d) => d.id)).toEqual([ids[2]]);
  });

  it('cancels a deploy in progress, refuses (400, as the definition lists) to cancel a finished one, and rolls back to a deploy that was live', async () => {
    const svc = render.addService({ durations: { created: 0, build: 5000, update: 5000 } });
    const [first] = await api.listDeploys(svc.id);
    const { deploy } = await api.triggerDeploy(svc.id, {});
    advance(1000);
    expect((await api.cancelDeploy(svc.id, deploy!.id)).status).toBe('canceled');
    await expect(api.cancelDeploy(svc.id, deploy!.id)).rejects.toThrow(/answered 400.*cannot be canceled/);
    await expect(api.rollback(svc.id, deploy!.id)).rejects.toThrow(/answered 400.*was live/);
    advance(1000);
    const second = (await api.triggerDeploy(svc.id, {})).deploy!;
    advance(20_000);
    const rollback = await api.rollback(svc.id, first.id);
    expect(rollback).toMatchObject({
      trigger: 'rollback',
      status: 'update_in_progress',
      commit: { id: first.commit!.id },
    });
    advance(5000);
    expect((await api.getDeploy(svc.id, rollback!.id)).status).toBe('live');
    expect((await api.getDeploy(svc.id, second.id)).status).toBe('deactivated');
  });

  it('limits triggers to 10 a minute per service across hook and API, with rate-limit headers', async () => {
    const svc = render.addService();
    const hook = render.hookUrl(svc.id);
    for (let i = 0; i < 5; i++) expect((await fetch(hook)).status).toBe(200);
    for (let i = 0; i < 5; i++) await api.triggerDeploy(svc.id, {});
    advance(45_000);
    const limited = await fetch(hook, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(
      Object.fromEntries(['limit', 'remaining', 'reset'].map((h) => [h, limited.headers.get(`ratelimit-${h}`)])),
    ).toEqual({ limit: '10', remaining: '0', reset: '15' });
    advance(15_000);
    expect((await fetch(hook)).status).toBe(200);
  });

  it('limits reads per minute, which the client waits out, and lets faults be injected', async () => {
    const svc = render.addService();
    const virtual = new RenderApi({
      apiUrl: render.apiUrl,
      apiKey: render.apiKey,
      clock: { now: () => t, sleep: async (ms) => advance(ms) },
      retry: { attempts: 1 },
    });
    for (let i = 0; i < 50; i++) await virtual.getService(svc.id);
    const direct = await fetch(`${render.apiUrl}/services/${svc.id}`, {
      headers: { authorization: `Bearer ${render.apiKey}` },
    });
    expect(direct.status).toBe(429);
    const before = t;
    expect((await virtual.getService(svc.id)).id).toBe(svc.id);
    expect(t - before).toBeGreaterThanOrEqual(59_000);
    render.inject({ status: 503 });
    await expect(virtual.getService(svc.id)).rejects.toThrow(/answered 503/);
    expect((await virtual.getService(svc.id)).id).toBe(svc.id);
  });

  it('serves each service app with the health of its live deploy, and refuses a suspended service', async () => {
    const svc = render.addService({ healthStatus: 200 });
    expect((await fetch(`${render.serviceUrl(svc.id)}/healthz`)).status).toBe(200);
    render.services.get(svc.id)!.healthStatus = 500;
    await api.triggerDeploy(svc.id, {});
    advance(60_000);
    expect((await fetch(`${render.serviceUrl(svc.id)}/healthz`)).status).toBe(500);
    render.services.get(svc.id)!.suspended = true;
    await expect(api.triggerDeploy(svc.id, {})).rejects.toThrow(/409.*suspended/);
    expect((await api.getService(svc.id)).suspended).toBe('suspended');
  });

  it('compares image repositories as Render does, tags and digests aside', () => {
    expect(imageRepository('nginx:1.26')).toBe('docker.io/library/nginx');
    expect(imageRepository('acme/api@sha256:abc')).toBe('docker.io/acme/api');
    expect(imageRepository('localhost:5000/api:2')).toBe('localhost:5000/api');
    expect(imageRepository('ghcr.io/acme/api:1.2@sha256:abc')).toBe('ghcr.io/acme/api');
  });
});
