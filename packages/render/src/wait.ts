import { backoffDelay, type Clock, type PollResult, poll, realClock } from '@deploy-actions/toolkit';
import type { RenderApi } from './client';
import { CLOCK_SKEW_MS } from './outcome';
import { type Deploy, type DeployStatus, FINAL_STATUSES } from './types';

/**
 * Following one deploy to its end, and finding the deploy a trigger started when Render did not say
 * (a 202 from the API, a hook answer without a body). Both poll through toolkit `poll()`: checks start
 * fast, back off with jitter up to `maxIntervalMs`, and start fast again after every status change,
 * because one transition (build done) means the next (live) is usually near.
 */

export interface TimelineEntry {
  status: DeployStatus;
  /** When the status was first seen, on the waiting clock. */
  at: number;
  /** Time spent in it: until the next status was seen, or until the wait ended. */
  ms: number;
}

export interface WaitOptions {
  timeoutMs: number;
  /** The longest pause between two checks; the first checks after a change come at a tenth of it. */
  maxIntervalMs?: number;
  clock?: Clock;
  log?: (line: string) => void;
  /** What to say to raise the timeout, added to the timeout error. */
  timeoutHint?: string;
  /** Statuses observed so far, kept up to date even when the wait ends in a timeout. */
  timeline?: TimelineEntry[];
  /** Called with each deploy read, e.g. to remember the last status. */
  onDeploy?: (deploy: Deploy) => void;
  /** When the deploy is expected to be done, on the waiting clock (from how long earlier deploys took). */
  expectedEndAt?: number;
}

export interface WaitResult {
  deploy: Deploy;
  timeline: TimelineEntry[];
  polls: number;
  elapsedMs: number;
}

export async function waitForDeploy(
  api: RenderApi,
  serviceId: string,
  deployId: string,
  options: WaitOptions,
): Promise<WaitResult> {
  const clock = options.clock ?? realClock;
  const maxMs = options.maxIntervalMs ?? 10_000;
  const timeline = options.timeline ?? [];
  const observe = (deploy: Deploy) => {
    const now = clock.now();
    const last = timeline.at(-1);
    if (last) last.ms = now - last.at;
    if (last?.status !== deploy.status) timeline.push({ status: deploy.status, at: now, ms: 0 });
    options.onDeploy?.(deploy);
  };
  const initialMs = Math.max(50, maxMs / 10);
  // poll()'s schedule, kept here to use what earlier deploys tell: while the deploy is young (under 60% of
  // the usual time) it cannot be live yet, so checks may stretch to three intervals; and one check lands on
  // the expected end, after which the schedule starts fast again, as after a status change.
  const expectedEnd = options.expectedEndAt;
  const quietUntil = expectedEnd === undefined ? undefined : clock.now() + (expectedEnd - clock.now()) * 0.6;
  let step = 0;
  let status: string | undefined;
  let aimed = expectedEnd === undefined;
  const polled = await poll<Deploy>({
    what: `deploy ${deployId}`,
    timeoutMs: options.timeoutMs,
    clock,
    log: options.log,
    timeoutHint: options.timeoutHint,
    check: async (): Promise<PollResult<Deploy>> => {
      const deploy = await api.getDeploy(serviceId, deployId);
      observe(deploy);
      if (FINAL_STATUSES.includes(deploy.status)) return { done: true, value: deploy };
      if (deploy.status !== status) {
        status = deploy.status;
        step = 0;
      }
      const now = clock.now();
      const quiet = quietUntil !== undefined && now < quietUntil;
      let delayMs = backoffDelay(step++, initialMs, quiet ? 3 * maxMs : maxMs, 1.5);
      if (quiet) delayMs = Math.min(delayMs, Math.max(initialMs, quietUntil - now));
      if (!aimed && expectedEnd !== undefined && now + delayMs >= expectedEnd) {
        aimed = true;
        if (now < expectedEnd) {
          delayMs = expectedEnd - now;
          step = 0;
        }
      }
      return { done: false, status: deploy.status, delayMs };
    },
  });
  return { deploy: polled.value, timeline, polls: polled.polls, elapsedMs: polled.elapsedMs };
}

export interface FindOptions {
  /** Deploys that existed before the trigger: never the one it started. */
  known: Set<string>;
  /** When the trigger was sent, on the runner's clock. */
  triggeredAt: number;
  /** The image or commit asked for, preferred when several new deploys appear. */
  imageUrl?: string;
  commit?: string;
  timeoutMs: number;
  maxIntervalMs?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

/** The deploy a trigger started, found by listing deploys created after it. */
export async function findNewDeploy(api: RenderApi, serviceId: string, options: FindOptions): Promise<Deploy> {
  const clock = options.clock ?? realClock;
  const maxMs = options.maxIntervalMs ?? 10_000;
  const createdAfter = new Date(options.triggeredAt - CLOCK_SKEW_MS);
  const polled = await poll<Deploy>({
    what: 'the new deploy',
    timeoutMs: options.timeoutMs,
    initialMs: Math.max(50, maxMs / 20),
    maxMs: Math.max(100, maxMs / 2),
    clock,
    log: options.log,
    timeoutHint: 'Render accepted the trigger but no new deploy appeared in the service deploy list.',
    check: async (): Promise<PollResult<Deploy>> => {
      const fresh = (await api.listDeploys(serviceId, { createdAfter, limit: 20 })).filter(
        (deploy) => !options.known.has(deploy.id),
      );
      const matching = fresh.find(
        (deploy) =>
          (options.imageUrl && deploy.image?.ref === options.imageUrl) ||
          (options.commit && deploy.commit?.id?.startsWith(options.commit)),
      );
      // Newest first: when nothing matches what was asked for, the oldest new deploy is the trigger's.
      const found = matching ?? fresh.at(-1);
      return found ? { done: true, value: found } : { done: false, status: 'not listed yet' };
    },
  });
  return polled.value;
}

/**
 * How long this service's deploys usually take from creation to live: the median of the last few that
 * went live (or were live and later replaced), from a deploy list. Undefined without such history.
 */
export function typicalDurationMs(deploys: Deploy[], samples = 5): number | undefined {
  const durations = deploys
    // A deactivated deploy that never started was skipped in the queue: its length says nothing.
    .filter((d) => (d.status === 'live' || (d.status === 'deactivated' && d.startedAt)) && d.trigger !== 'rollback')
    .slice(0, samples)
    .map((d) => Date.parse(d.finishedAt ?? '') - Date.parse(d.createdAt))
    .filter((ms) => ms > 0)
    .sort((a, b) => a - b);
  return durations.length ? durations[Math.floor(durations.length / 2)] : undefined;
}
