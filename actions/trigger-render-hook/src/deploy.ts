import * as core from '@actions/core';
import {
  type Deploy,
  dashboardUrl,
  FAILED_STATUSES,
  findNewDeploy,
  findNewerDeploy,
  reason,
  RenderApi,
  type Service,
  type TimelineEntry,
  triggerHook,
  typicalDurationMs,
  waitForDeploy,
} from '@deploy-actions/render';
import { formatDuration, HttpError, TimeoutError, UserError } from '@deploy-actions/toolkit';
import { checkHealth, type HealthResult } from './health';
import type { Inputs } from './inputs';

/**
 * The deploy itself: check the service, trigger (hook or API), find the deploy the trigger started,
 * follow it to its end, health-check it, and roll back when asked to and when it would help. Everything
 * learnt along the way goes into `report`, which the caller turns into outputs and the job summary
 * whether the deploy succeeded or not.
 */

export interface Report {
  serviceId: string;
  service?: Service;
  via: 'deploy hook' | 'API';
  startedAt: number;
  finishedAt?: number;
  deploy?: Deploy;
  /** The deploy's final status, `triggered` when not waited for. */
  status?: string;
  timeline: TimelineEntry[];
  supersededBy?: Deploy;
  previousLive?: Deploy;
  health?: HealthResult;
  rollback?: { to: string; deploy?: Deploy; timeline: TimelineEntry[]; skipped?: string };
  canceled?: boolean;
  apiCalls: number;
  failure?: string;
}

export async function deploy(inputs: Inputs, report: Report): Promise<void> {
  const api = inputs.api ? new RenderApi({ apiUrl: inputs.api.url, apiKey: inputs.api.key }) : undefined;
  try {
    await run(inputs, report, api);
  } finally {
    report.apiCalls += api?.requests ?? 0;
  }
}

async function run(inputs: Inputs, report: Report, api: RenderApi | undefined): Promise<void> {
  const { serviceId } = inputs;
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
  const what = inputs.imageUrl ? `image ${inputs.imageUrl}` : inputs.commit ? `commit ${inputs.commit}` : 'latest';
  if (inputs.hookUrl) {
    const answer = await triggerHook(inputs.hookUrl, { imageUrl: inputs.imageUrl, ref: inputs.commit });
    deployId = answer.deployId;
    report.apiCalls += answer.requests;
  } else {
    const answer = await api!
      .triggerDeploy(serviceId, { clearCache: inputs.clearCache, imageUrl: inputs.imageUrl, commitId: inputs.commit })
      .catch((error) => rethrow(error, 'trigger the deploy'));
    deployId = answer.deploy?.id;
    if (answer.status === 202) core.info('Render queued the deploy (202); looking it up in the deploy list');
  }
  core.info(
    `Triggered a deploy of ${serviceName(report)} (${what}) by ${report.via}${deployId ? `: ${deployId}` : ''}`,
  );
  report.status = 'triggered';

  if (!api) {
    if (deployId) report.deploy = { id: deployId } as Deploy;
    return;
  }
  const deadline = report.startedAt + inputs.timeoutMs;
  const deploy = deployId
    ? { id: deployId }
    : await findNewDeploy(api, serviceId, {
        known,
        triggeredAt: report.startedAt,
        imageUrl: inputs.imageUrl,
        commit: inputs.commit,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        maxIntervalMs: inputs.pollIntervalMs,
      });
  report.deploy = deploy as Deploy;
  if (!deployId) core.info(`The trigger started ${deploy.id}`);
  if (!inputs.wait) return;

  if (typicalMs !== undefined)
    core.info(`Recent deploys of this service took about ${formatDuration(typicalMs)}; checks are timed by that`);
  const expectedEndAt = typicalMs === undefined ? undefined : report.startedAt + typicalMs;
  const finalDeploy = await follow(api, inputs, report, deploy.id, deadline, expectedEndAt);
  report.deploy = finalDeploy;
  report.status = finalDeploy.status;
  report.finishedAt = Date.now();
  const link = dashboardUrl(serviceId, finalDeploy.id);

  if (finalDeploy.status === 'deactivated') {
    report.supersededBy = await findNewerDeploy(api, serviceId, finalDeploy);
    const newer = report.supersededBy ? ` (${report.supersededBy.id}, ${report.supersededBy.status})` : '';
    throw new UserError(
      `Deploy ${finalDeploy.id} was deactivated: a newer deploy${newer} superseded it, and that one is what the service runs; ${link}`,
    );
  }
  if (FAILED_STATUSES.includes(finalDeploy.status)) {
    const failure = `Deploy ${finalDeploy.id} ended ${finalDeploy.status}; see ${link}`;
    if (inputs.rollbackOnFailure) await rollback(api, inputs, report, failure, known);
    throw new UserError(failure);
  }

  core.info(`Deploy ${finalDeploy.id} is live after ${formatDuration(report.finishedAt - report.startedAt)}`);
  if (inputs.health) {
    const url = healthUrl(inputs.health, report);
    report.health = await checkHealth({ ...inputs.health, url });
    if (!report.health.ok) {
      const last = report.health.attempts.at(-1)?.result;
      const failure = `Deploy ${finalDeploy.id} is live but its health check failed: ${url} answered ${last} ${report.health.attempts.length} times (expected ${inputs.health.status}); see ${link}`;
      if (inputs.rollbackOnFailure) await rollback(api, inputs, report, failure, known);
      throw new UserError(failure);
    }
  }
}

/** Waits for a deploy to end; at the deadline cancels it (unless told not to) and fails. */
async function follow(
  api: RenderApi,
  inputs: Inputs,
  report: Report,
  deployId: string,
  deadline: number,
  expectedEndAt?: number,
) {
  let last: Deploy | undefined;
  try {
    const waited = await waitForDeploy(api, inputs.serviceId, deployId, {
      timeoutMs: Math.max(1000, deadline - Date.now()),
      maxIntervalMs: inputs.pollIntervalMs,
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
    const waited = `Deploy ${deployId} did not finish within ${formatDuration(inputs.timeoutMs)} (last status: ${report.status})`;
    const raise = 'raise "timeout" if deploys of this service take longer';
    if (!inputs.cancelOnTimeout)
      throw new UserError(`${waited}; it is still running (cancel-on-timeout is false); ${raise}`);
    try {
      const canceled = await api.cancelDeploy(inputs.serviceId, deployId);
      report.canceled = true;
      report.status = canceled.status;
      report.deploy = canceled;
      core.info(`Canceled ${deployId}`);
    } catch (cancelError) {
      if (cancelError instanceof HttpError && cancelError.status === 409) {
        throw new UserError(`${waited}; it finished while being canceled${reason(cancelError.body)}; ${raise}`);
      }
      throw cancelError;
    }
    throw new UserError(`${waited}, so it was canceled and the previous deploy keeps serving; ${raise}`);
  }
}

/**
 * Rolls back to the deploy that was live before ours, when that helps: a deploy that failed before going
 * live never replaced it (Render keeps the old one serving), so then there is nothing to roll back.
 */
async function rollback(
  api: RenderApi,
  inputs: Inputs,
  report: Report,
  failure: string,
  known: Set<string>,
): Promise<void> {
  const previous = report.previousLive;
  if (!previous) {
    report.rollback = { to: '', timeline: [], skipped: 'there was no live deploy before this one' };
    core.warning(`${failure}. Cannot roll back: the service had no live deploy before this one`);
    return;
  }
  const live = (await api.listDeploys(inputs.serviceId, { status: ['live'], limit: 1 }))[0];
  if (live?.id === previous.id) {
    report.rollback = { to: previous.id, timeline: [], skipped: `${previous.id} is still live` };
    core.info(`No rollback needed: the previous deploy ${previous.id} is still live`);
    return;
  }
  core.info(`Rolling back to ${previous.id}, the deploy that was live before`);
  report.rollback = { to: previous.id, timeline: [] };
  const started = await api.rollback(inputs.serviceId, previous.id).catch((error) => rethrow(error, 'roll back'));
  const rollbackId =
    started?.id ??
    (
      await findNewDeploy(api, inputs.serviceId, {
        known: new Set([...known, report.deploy?.id ?? '']),
        triggeredAt: Date.now(),
        timeoutMs: inputs.timeoutMs,
        maxIntervalMs: inputs.pollIntervalMs,
      })
    ).id;
  const waited = await waitForDeploy(api, inputs.serviceId, rollbackId, {
    timeoutMs: inputs.timeoutMs,
    maxIntervalMs: inputs.pollIntervalMs,
    timeline: report.rollback.timeline,
  });
  report.rollback.deploy = waited.deploy;
  // Our deploy is no longer what it was (a rollback deactivates it): report what it is now.
  if (report.deploy?.id) {
    report.deploy = await api.getDeploy(inputs.serviceId, report.deploy.id);
    report.status = report.deploy.status;
  }
  const link = dashboardUrl(inputs.serviceId, rollbackId);
  if (waited.deploy.status !== 'live')
    throw new UserError(
      `${failure}. The rollback to ${previous.id} failed too: ${rollbackId} ended ${waited.deploy.status}; see ${link}`,
    );
  throw new UserError(`${failure}. Rolled back to ${previous.id}: ${rollbackId} is live`);
}

function healthUrl(health: NonNullable<Inputs['health']>, report: Report): string {
  if (health.url) return health.url;
  const base = report.service?.serviceDetails?.url;
  if (!base)
    throw new UserError(
      `Service ${report.serviceId} has no public URL to check health-path on; give the full address in health-url`,
    );
  return new URL(health.path!.replace(/^\//, ''), base.replace(/\/?$/, '/')).toString();
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
