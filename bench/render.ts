/**
 * trigger-render-hook: what the action costs on its own, and how soon it notices a deploy went live.
 *
 * 1. Overhead: the whole bundle run through the harness (as the runner runs it) against a Render
 *    emulator whose deploys take no time, next to a bare `node` start on the same machine.
 * 2. Detection: the real wait (`waitForDeploy` on toolkit `poll()`, timed by the service's history as the
 *    action does) against the emulator on a virtual clock, for deploys of about 5 s, 60 s and 10 min,
 *    next to the fixed 10-second polling
 *    most peer actions use, driven through the same client and emulator in the same run. Each length is
 *    run many times with the deploy length varied by ±15% (deploys are never exactly as long as the
 *    last), and the figures are means: seconds from live to the wait ending, and API calls spent.
 */
import { spawnSync } from 'node:child_process';
import { RenderEmulator } from '../packages/emulators/src/render';
import { runAction } from '../packages/harness/src/run-action';
import { bundleNode } from '../packages/harness/src/bundle-node';
import { RenderApi, typicalDurationMs, waitForDeploy } from '../packages/render/src';
import type { Clock } from '../packages/toolkit/src/clock';

export const title = 'trigger-render-hook: overhead and time to notice a live deploy';

const RUNS = 5;
const TRIALS = 40;
const LENGTHS: [string, number][] = [
  ['5 s', 5_000],
  ['60 s', 60_000],
  ['10 min', 600_000],
];
const PEER_INTERVAL_MS = 10_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function overhead(): Promise<string> {
  const render = await new RenderEmulator().start();
  const runs: number[] = [];
  const calls: number[] = [];
  const nodeStarts: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const svc = render.addService({ durations: { created: 0, build: 0, preDeploy: 0, update: 0 } });
      const before = render.apiRequests();
      const result = await runAction('trigger-render-hook', {
        inputs: { 'api-key': render.apiKey, 'api-url': render.apiUrl, 'service-id': svc.id },
        secrets: [render.apiKey],
      });
      if (result.exitCode !== 0) throw new Error(`bench: the action failed: ${result.errors.join('; ')}`);
      runs.push(result.durationMs);
      calls.push(render.apiRequests() - before);
      const started = Date.now();
      spawnSync(bundleNode().path, ['-e', '']);
      nodeStarts.push(Date.now() - started);
    }
  } finally {
    await render.close();
  }
  return [
    `Median of ${RUNS} runs of the built bundle through the harness, triggering by API and waiting for a deploy that is live at once:`,
    '',
    '| | wall time | Render API calls |',
    '|---|---|---|',
    `| trigger-render-hook, whole step | ${s(median(runs))} | ${median(calls)} |`,
    `| bare \`node -e ''\` start, for scale | ${s(median(nodeStarts))} | |`,
    `| the action's own work (difference) | ${s(median(runs) - median(nodeStarts))} | |`,
  ].join('\n');
}

interface Trial {
  delayMs: number;
  calls: number;
}

/** A virtual clock: sleeping moves time on at once, so 10-minute deploys are measured in milliseconds. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: Date.parse('2026-01-01T00:00:00Z'),
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += Math.max(0, ms);
    },
  };
  return clock;
}

/** A deploy's phases for a total length: 3% created, 67% building, 30% updating. */
const phases = (total: number) => ({ created: total * 0.03, build: total * 0.67, preDeploy: 0, update: total * 0.3 });
const varied = (lengthMs: number) => lengthMs * (0.85 + Math.random() * 0.3);

async function trial(lengthMs: number, wait: 'ours' | 'peer'): Promise<Trial> {
  const clock = virtualClock();
  const render = await new RenderEmulator({ clock }).start();
  try {
    const svc = render.addService({ durations: phases(varied(lengthMs)), initialDeploy: false });
    const api = new RenderApi({ apiUrl: render.apiUrl, apiKey: render.apiKey, clock });
    // Three earlier deploys, each of its own length: the history the action reads before it triggers.
    for (let i = 0; i < 3; i++) {
      svc.durations = phases(varied(lengthMs));
      await api.triggerDeploy(svc.id, {});
      clock.t += 2 * lengthMs;
    }
    const history = await api.listDeploys(svc.id);
    svc.durations = phases(varied(lengthMs));
    const triggeredAt = clock.now();
    const { deploy } = await api.triggerDeploy(svc.id, {});
    if (!deploy) throw new Error('bench: the emulator answered the trigger without a deploy');
    const before = api.requests;
    let finishedAt: string | null | undefined;
    if (wait === 'ours') {
      const typical = typicalDurationMs(history);
      const waited = await waitForDeploy(api, svc.id, deploy.id, {
        timeoutMs: 3_600_000,
        clock,
        log: () => {},
        expectedEndAt: typical === undefined ? undefined : triggeredAt + typical,
      });
      finishedAt = waited.deploy.finishedAt;
    } else {
      // The peers' loop: ask, and if not live, sleep ten seconds.
      for (;;) {
        const current = await api.getDeploy(svc.id, deploy.id);
        if (current.status === 'live') {
          finishedAt = current.finishedAt;
          break;
        }
        await clock.sleep(PEER_INTERVAL_MS);
      }
    }
    return { delayMs: clock.now() - Date.parse(finishedAt ?? ''), calls: api.requests - before };
  } finally {
    await render.close();
  }
}

async function detection(): Promise<string> {
  const rows: string[] = [];
  for (const [label, lengthMs] of LENGTHS) {
    const ours: Trial[] = [];
    const peer: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) {
      ours.push(await trial(lengthMs, 'ours'));
      peer.push(await trial(lengthMs, 'peer'));
    }
    const oursDelay = mean(ours.map((t) => t.delayMs));
    const peerDelay = mean(peer.map((t) => t.delayMs));
    const oursCalls = mean(ours.map((t) => t.calls));
    const peerCalls = mean(peer.map((t) => t.calls));
    rows.push(
      `| ${label} | ${s(oursDelay)} | ${s(peerDelay)} | ${(oursDelay / peerDelay).toFixed(2)}× | ${oursCalls.toFixed(1)} | ${peerCalls.toFixed(1)} | ${(oursCalls / peerCalls).toFixed(2)}× |`,
    );
  }
  return [
    `Means of ${TRIALS} deploys per length (each ±15%, 3% created, 67% building, 30% updating), emulated on a virtual clock and followed through the real client:`,
    '',
    '| deploy | live → done, trigger-render-hook | live → done, fixed 10 s | ratio | API calls, trigger-render-hook | API calls, fixed 10 s | ratio |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'trigger-render-hook checks about 1 s after the trigger and after every status change, then backs off by 1.5× (with jitter) to `poll-interval` (10 s): a status change usually means the next one is near. It also reads how long the last deploys took (three earlier deploys here, each of its own length): while the deploy is younger than 60% of that, checks stretch up to 30 s; one check lands on the expected end, and the schedule starts fast again there. Both waits go through the same client to the same emulator; the trigger and the history read (one list call the action makes anyway) are not counted.',
  ].join('\n');
}

export async function run(): Promise<string> {
  return ['### Overhead', '', await overhead(), '', '### Noticing a live deploy', '', await detection()].join('\n');
}
