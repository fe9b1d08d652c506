import {
  carries,
  type Deploy,
  dashboardUrl,
  describeSource,
  FAILED_STATUSES,
  findNewDeploy,
  findTriggered,
  reason,
  RenderApi,
  replacementOf,
  type Service,
  sameSource,
  type TimelineEntry,
  triggerHook,
  typicalDurationMs,
  waitForDeploy,
  wentLive,
} from '@deploy-actions/render';
import { parseExpectedStatus, probe } from '@deploy-actions/health';
import { type Clock, formatDuration, HttpError, TimeoutError, UserError } from '@deploy-actions/toolkit';
import type { Health, Plan, Watch } from './inputs';

/**
 * The deploy itself: check the service, trigger (hook or API), find the deploy the trigger started,
 * follow it to its end (and, when a newer deploy superseded it while queued, the deploy that replaced it),
 * check it carries what was asked for, health-check it, and roll back when asked to and when it helps. Everything
 * learnt along the way goes into `report`, which the caller turns into outputs and the job summary
 * whether the deploy succeeded or not.
 */

export interface Report {
  serviceId: string;
  service?: Service;
  via: 'deploy hook' | 'API';
  startedAt: number;
  finishedAt?: number;
  /** The deploy as last read; only its ID when the action did not wait. */
  deploy?: Pick<Deploy, 'id'> & Partial<Deploy>;
  /** The deploy's final status, `triggered` when not waited for. */
  status?: string;
  timeline: TimelineEntry[];
  /** A newer deploy replaced ours: after it had gone live (a success), or while it was queued (followed). */
  superseded?: { by: Deploy; when: 'after-live' | 'before-live' };
  /** Deploys followed after ours was superseded while queued, in order. */
  followed: string[];
  previousLive?: Deploy;
  /** The health check: the shared probe's report, in its Render mode (until the first good answer). */
  health?: { url: string; ok: boolean; expected: number; attempts: { result: number | string; ms: number }[] };
  rollback?: { to: string; deploy?: Deploy; timeline: TimelineEntry[]; skipped?: string };
  canceled?: boolean;
  apiCalls: number;
  failure?: string;
}

/** Where the deploy logs, and when the step must end (the wait for the deploy ends then). */
export interface Env {
  log: (line: string) => void;
  warn: (line: string) => void;
  /** When the step's timeout passes: the wait for the deploy ends then. */
  deadline: number;
  /** Its sleeps end early on cancellation and at the step timeout. */
  clock: Clock;
}

export async function deploy(plan: Plan, report: Report, env: Env): Promise<void> {
  const api = plan.api ? new RenderApi({ apiUrl: plan.api.url, apiKey: plan.api.key }) : undefined;
  try {
    await run(plan, report, api, env);
  } finally {
    report.apiCalls += api?.requests ?? 0;
  }
}

async function run(plan: Plan, report: Report, api: RenderApi | undefined, env: Env): Promise<void> {
  const { serviceId } = plan;
  const log = env.log;
  let known = new Set<string>();
  let typicalMs: number | undefined;
  if (api) {
    const service = await api.getService(serviceId).catch((error) => rethrow(error, 'read the service'));
    report.service = service;
    if (service.suspended === 'suspended')
      throw new UserError(
        `Service ${service.name} (${serviceId}) is suspended, so it cannot be deployed; resume it first: ${dashboardUrl(serviceId)}`,
      );
    const recent = await api.listDeploys(serviceId, { limit: 20 });
    known = new Set(recent.map((d) => d.id));
    typicalMs = typicalDurationMs(recent);
    // Usually among the newest; after a run of failed deploys, asked for by status.
    report.previousLive =
      recent.find((d) => d.status === 'live') ?? (await api.listDeploys(serviceId, { status: ['live'], limit: 1 }))[0];
  }

  report.startedAt = Date.now();
  let deployId: string | undefined;
  const wanted = { imageUrl: plan.imageUrl, commit: plan.commit };
  const what = plan.imageUrl ? `image ${plan.imageUrl}` : plan.commit ? `commit ${plan.commit}` : 'latest';
  const triggered = (trigger: 'api' | 'deploy_hook') => ({ known, triggeredAt: report.startedAt, trigger, ...wanted });
  if (plan.trigger.kind === 'hook') {
    const answer = await triggerHook(plan.trigger.hookUrl, {
      imageUrl: plan.imageUrl,
      ref: plan.commit,
      log,
      lookup: api && (async () => (await findTriggered(api, serviceId, triggered('deploy_hook')))?.id),
    });
    deployId = answer.deployId;
    report.apiCalls += answer.requests;
  } else if (api) {
    const answer = await api
      .triggerDeploy(serviceId, {
        clearCache: plan.trigger.clearCache,
        imageUrl: plan.imageUrl,
        commitId: plan.commit,
        log,
        lookup: () => findTriggered(api, serviceId, triggered('api')),
      })
      .catch((error) => rethrow(error, 'trigger the deploy'));
    deployId = answer.deploy?.id;
    if (answer.status === 202) log('Render queued the deploy (202); looking it up in the deploy list');
  }
  log(`Triggered a deploy of ${serviceName(report)} (${what}) by ${report.via}${deployId ? `: ${deployId}` : ''}`);
  report.status = 'triggered';

  const watch = plan.watch;
  if (!api || !watch) {
    if (deployId) report.deploy = { id: deployId };
    if (!api) return;
  }
  const deadline = env.deadline;
  const deploy = deployId
    ? { id: deployId }
    : await findNewDeploy(api, serviceId, {
        known,
        triggeredAt: report.startedAt,
        imageUrl: plan.imageUrl,
        commit: plan.commit,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        maxIntervalMs: watch?.pollIntervalMs,
        clock: env.clock,
      });
  report.deploy = deploy;
  if (!deployId) log(`The trigger started ${deploy.id}`);
  if (!watch) return;

  if (typicalMs !== undefined)
    log(`Recent deploys of this service took about ${formatDuration(typicalMs)}; checks are timed by that`);
  const expectedEndAt = typicalMs === undefined ? undefined : report.startedAt + typicalMs;
  let finalDeploy = await follow(api, plan, watch, env, report, deploy.id, deadline, expectedEndAt);
  // Superseded while queued by a deploy of the same image or commit: that one is ours in all but name.
  for (let hops = 0; finalDeploy.status === 'deactivated' && hops < 5; hops++) {
    const by = await replacementOf(api, serviceId, finalDeploy);
    const link = dashboardUrl(serviceId, finalDeploy.id);
    if (wentLive(finalDeploy, report.timeline)) {
      if (by) report.superseded = { by, when: 'after-live' };
      break;
    }
    if (!by || !sameSource(by, finalDeploy)) {
      report.status = finalDeploy.status;
      report.finishedAt = Date.now();
      if (by) report.superseded = { by, when: 'before-live' };
      throw new UserError(
        by
          ? `Deploy ${finalDeploy.id} (${describeSource(finalDeploy)}) was superseded before it went live by ${by.id}, which carries ${describeSource(by)} instead; the service runs ${by.id}, not what this step deployed; see ${link}`
          : `Deploy ${finalDeploy.id} was deactivated before it went live, and no newer deploy is listed; see ${link}`,
      );
    }
    report.superseded = { by, when: 'before-live' };
    report.followed.push(by.id);
    log(
      `Deploy ${finalDeploy.id} was superseded while queued by ${by.id}, which carries the same ${by.image?.ref ? 'image' : 'commit'}: following ${by.id}`,
    );
    finalDeploy = await follow(api, plan, watch, env, report, by.id, deadline, expectedEndAt);
  }
  report.deploy = finalDeploy;
  report.status = finalDeploy.status;
  report.finishedAt = Date.now();
  const link = dashboardUrl(serviceId, finalDeploy.id);

  if (FAILED_STATUSES.includes(finalDeploy.status)) {
    const failure = `Deploy ${finalDeploy.id} ended ${finalDeploy.status}; see ${link}`;
    if (watch.rollbackOnFailure) await rollback(api, plan, watch, env, report, failure, known);
    throw new UserError(failure);
  }
  if (!carries(finalDeploy, wanted)) {
    const hint =
      plan.trigger.kind === 'hook' && plan.commit
        ? "; Render's deploy hooks may ignore ref: trigger by API (api-key without deploy-hook-url) to pin a commit"
        : '';
    const failure = `Render deployed ${describeSource(finalDeploy)} in ${finalDeploy.id}, not the ${what} this step asked for${hint}; see ${link}`;
    if (watch.rollbackOnFailure && finalDeploy.status === 'live')
      await rollback(api, plan, watch, env, report, failure, known);
    throw new UserError(failure);
  }
  if (finalDeploy.status === 'deactivated') {
    const by = report.superseded?.by;
    log(
      `Deploy ${finalDeploy.id} went live, then ${by ? `${by.id} (${describeSource(by)})` : 'a newer deploy'} superseded it: a success, as Render's own CLI counts it${watch.health ? '; the health check is skipped, since the service now runs the newer deploy' : ''}`,
    );
    return;
  }

  log(`Deploy ${finalDeploy.id} is live after ${formatDuration(report.finishedAt - report.startedAt)}`);
  if (watch.health) {
    const url = healthUrl(watch.health, report);
    const expected = watch.health.status;
    const checked = await probe({
      url,
      mode: 'until-ok',
      expected: parseExpectedStatus(String(expected), 'health-status').matcher,
      expectedText: String(expected),
      attempts: watch.health.attempts,
      intervalMs: watch.health.intervalMs,
      timeoutMs: 10_000,
      clock: env.clock,
      log,
    });
    report.health = { url: checked.url, ok: checked.passed, expected, attempts: checked.attempts };
    if (!report.health.ok) {
      const last = report.health.attempts.at(-1)?.result;
      const failure = `Deploy ${finalDeploy.id} is live but its health check failed: ${url} answered ${last} ${report.health.attempts.length} times (expected ${watch.health.status}); see ${link}`;
      if (watch.rollbackOnFailure) await rollback(api, plan, watch, env, report, failure, known);
      throw new UserError(failure);
    }
  }
}

/** Waits for a deploy to end; at the deadline cancels it (unless told not to) and fails. */
async function follow(
  api: RenderApi,
  plan: Plan,
  watch: Watch,
  { log, clock }: Env,
  report: Report,
  deployId: string,
  deadline: number,
  expectedEndAt?: number,
) {
  let last: Deploy | undefined;
  try {
    const waited = await waitForDeploy(api, plan.serviceId, deployId, {
      timeoutMs: Math.max(1000, deadline - Date.now()),
      maxIntervalMs: watch.pollIntervalMs,
      clock,
      log,
      timeline: report.timeline,
      expectedEndAt,
      onDeploy: (deploy) => {
        last = deploy;
        report.deploy = deploy;
      },
    });
    return waited.deploy;
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    report.status = last?.status ?? 'unknown';
    report.finishedAt = Date.now();
    const waited = `Deploy ${deployId} did not finish within ${formatDuration(watch.timeoutMs)} (last status: ${report.status})`;
    const raise = 'raise "timeout" if deploys of this service take longer';
    if (!watch.cancelOnTimeout)
      throw new UserError(`${waited}; it is still running (cancel-on-timeout is false); ${raise}`);
    let canceled: Deploy;
    try {
      canceled = await api.cancelDeploy(plan.serviceId, deployId);
    } catch (cancelError) {
      // Render's definition answers 400 for a deploy that can no longer be canceled: it ended meanwhile.
      if (!(cancelError instanceof HttpError && cancelError.status === 400)) rethrow(cancelError, 'cancel the deploy');
      const ended = await api.getDeploy(plan.serviceId, deployId);
      report.deploy = ended;
      report.status = ended.status;
      throw new UserError(
        `${waited}; Render refused to cancel it (400${reason(cancelError.body)}): it had ended ${ended.status}; ${raise}`,
      );
    }
    report.canceled = true;
    report.status = canceled.status;
    report.deploy = canceled;
    log(`Canceled ${deployId}${canceled.status === 'canceled' ? '' : ` (Render says ${canceled.status})`}`);
    throw new UserError(`${waited}, so it was canceled and the previous deploy keeps serving; ${raise}`);
  }
}

/**
 * Rolls back to the deploy that was live before ours, when that helps: a deploy that failed before going
 * live never replaced it (Render keeps the old one serving), so then there is nothing to roll back.
 */
async function rollback(
  api: RenderApi,
  plan: Plan,
  watch: Watch,
  { log, warn, deadline }: Env,
  report: Report,
  failure: string,
  known: Set<string>,
): Promise<void> {
  const previous = report.previousLive;
  if (!previous) {
    report.rollback = { to: '', timeline: [], skipped: 'there was no live deploy before this one' };
    warn(`${failure}. Cannot roll back: the service had no live deploy before this one`);
    return;
  }
  const live = (await api.listDeploys(plan.serviceId, { status: ['live'], limit: 1 }))[0];
  if (live?.id === previous.id) {
    report.rollback = { to: previous.id, timeline: [], skipped: `${previous.id} is still live` };
    log(`No rollback needed: the previous deploy ${previous.id} is still live`);
    return;
  }
  log(`Rolling back to ${previous.id}, the deploy that was live before`);
  report.rollback = { to: previous.id, timeline: [] };
  const asked = Date.now();
  const before = new Set([...known, report.deploy?.id ?? '', ...report.followed]);
  const started = await api
    .rollback(plan.serviceId, previous.id, () =>
      findTriggered(api, plan.serviceId, { known: before, triggeredAt: asked, trigger: 'rollback' }),
    )
    .catch((error) => rethrow(error, 'roll back'));
  const rollbackId =
    started?.id ??
    (
      await findNewDeploy(api, plan.serviceId, {
        known: before,
        triggeredAt: asked,
        timeoutMs: Math.max(30_000, deadline - Date.now()),
        maxIntervalMs: watch.pollIntervalMs,
      })
    ).id;
  // A rollback may run past the step's timeout by the lifecycle's grace period, not longer.
  const waited = await waitForDeploy(api, plan.serviceId, rollbackId, {
    timeoutMs: Math.max(30_000, deadline - Date.now()),
    log,
    maxIntervalMs: watch.pollIntervalMs,
    timeline: report.rollback.timeline,
  });
  report.rollback.deploy = waited.deploy;
  // Our deploy is no longer what it was (a rollback deactivates it): report what it is now.
  if (report.deploy?.id) {
    report.deploy = await api.getDeploy(plan.serviceId, report.deploy.id);
    report.status = report.deploy.status;
  }
  const link = dashboardUrl(plan.serviceId, rollbackId);
  if (waited.deploy.status !== 'live')
    throw new UserError(
      `${failure}. The rollback to ${previous.id} failed too: ${rollbackId} ended ${waited.deploy.status}; see ${link}`,
    );
  throw new UserError(`${failure}. Rolled back to ${previous.id}: ${rollbackId} is live`);
}

function healthUrl(health: Health, report: Report): string {
  if (health.url) return health.url;
  const base = report.service?.serviceDetails?.url;
  if (!base)
    throw new UserError(
      `Service ${report.serviceId} has no public URL to check health-path on; give the full address in health-url`,
    );
  return new URL((health.path ?? '/').replace(/^\//, ''), base.replace(/\/?$/, '/')).toString();
}

function serviceName(report: Report): string {
  return report.service ? `${report.service.name} (${report.serviceId})` : report.serviceId;
}

/** API errors the user can act on, as one line; the rest as they are. */
function rethrow(error: unknown, doing: string): never {
  if (error instanceof HttpError) {
    const why = reason(error.body);
    if (error.status === 401 || error.status === 403)
      throw new UserError(`Render refused the API key (${error.status}) trying to ${doing}; check the api-key secret`);
    if (error.status === 404)
      throw new UserError(`Render found no such service or deploy trying to ${doing} (404)${why}; check service-id`);
    if (error.status === 400 || error.status === 409)
      throw new UserError(`Render refused to ${doing} (${error.status})${why}`);
  }
  throw error;
}
