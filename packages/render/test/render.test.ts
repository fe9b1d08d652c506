import { RenderEmulator } from '../../emulators/src/render';
import { findNewDeploy, parseHookUrl, RenderApi, typicalDurationMs, waitForDeploy } from '../src';

describe('parseHookUrl', () => {
  it('reads the service and key of a deploy hook, and nothing else', () => {
    expect(parseHookUrl(new URL('https://api.render.com/deploy/srv-abc123?key=K3y'))).toEqual({
      serviceId: 'srv-abc123',
      key: 'K3y',
    });
    expect(parseHookUrl(new URL('https://api.render.com/deploy/srv-abc123'))).toBeUndefined();
    expect(parseHookUrl(new URL('https://api.render.com/v1/services/srv-abc123?key=K3y'))).toBeUndefined();
  });
});

describe('waiting for deploys on a virtual clock', () => {
  let t = Date.parse('2026-03-01T12:00:00Z');
  const clock = {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
  let render: RenderEmulator;
  let api: RenderApi;
  beforeEach(async () => {
    render = await new RenderEmulator({ clock }).start();
    api = new RenderApi({ apiUrl: render.apiUrl, apiKey: render.apiKey, clock });
  });
  afterEach(() => render.close());

  it('follows a deploy to live, recording the time spent in each status, and notices live within one poll interval', async () => {
    const svc = render.addService({ durations: { created: 2000, build: 120_000, update: 30_000 } });
    const { deploy } = await api.triggerDeploy(svc.id, {});
    const lines: string[] = [];
    const waited = await waitForDeploy(api, svc.id, deploy!.id, {
      timeoutMs: 600_000,
      clock,
      log: (l) => lines.push(l),
    });
    expect(waited.deploy.status).toBe('live');
    expect(waited.timeline.map((e) => e.status)).toEqual([
      'created',
      'build_in_progress',
      'update_in_progress',
      'live',
    ]);
    expect(waited.timeline[1].ms).toBeGreaterThan(110_000);
    const late = t - Date.parse(waited.deploy.finishedAt!);
    expect(late).toBeLessThan(10_000);
    expect(waited.polls).toBeLessThan(40);
    expect(lines.filter((l) => /: \w+ after /.test(l))).toHaveLength(3);
    expect(lines.some((l) => l.includes(': still build_in_progress;'))).toBe(true);
  });

  it('times its checks by how long earlier deploys took: sparse while young, one on the expected end', async () => {
    const svc = render.addService({ durations: { created: 0, build: 400_000, update: 200_000 } });
    const typical = typicalDurationMs(await api.listDeploys(svc.id));
    expect(typical).toBe(600_000);
    const follow = async (expectedEndAt?: number) => {
      const { deploy } = await api.triggerDeploy(svc.id, {});
      const started = t;
      const waited = await waitForDeploy(api, svc.id, deploy!.id, {
        timeoutMs: 3_600_000,
        clock,
        log: () => {},
        expectedEndAt: expectedEndAt === undefined ? undefined : started + expectedEndAt,
      });
      return { polls: waited.polls, late: t - Date.parse(waited.deploy.finishedAt!) };
    };
    const plain = await follow();
    const timed = await follow(typical);
    expect(timed.late).toBeLessThan(5);
    expect(timed.polls).toBeLessThan(plain.polls * 0.8);
  });

  it('finds the deploy a trigger started, preferring the one with the image asked for', async () => {
    const svc = render.addService({ image: 'docker.io/acme/api:1', triggerStatus: 202 });
    const known = new Set((await api.listDeploys(svc.id)).map((d) => d.id));
    const triggeredAt = t;
    await api.triggerDeploy(svc.id, { imageUrl: 'docker.io/acme/api:2' });
    t += 1000;
    await api.triggerDeploy(svc.id, { imageUrl: 'docker.io/acme/api:3' });
    const found = await findNewDeploy(api, svc.id, {
      known,
      triggeredAt,
      imageUrl: 'docker.io/acme/api:2',
      timeoutMs: 10_000,
      clock,
    });
    expect(found.image?.ref).toBe('docker.io/acme/api:2');
    const oldest = await findNewDeploy(api, svc.id, { known, triggeredAt, timeoutMs: 10_000, clock });
    expect(oldest.id).toBe(found.id);
  });
});
