import * as core from '@actions/core';
import {
  type CloudRunClient,
  type Condition,
  GoogleApiError,
  type Operation,
  OperationError,
  type Revision,
  type Service,
  type TrafficTarget,
  describeCondition,
  locationPath,
  servicePath,
  shortName,
} from '@deploy-actions/gcp';
import { type Clock, TimeoutError, UserError, formatDuration, poll, realClock } from '@deploy-actions/toolkit';
import { type ProbeReport, probe } from './health';
import type { Inputs } from './inputs';
import { desiredService, revisionName } from './service-spec';
import {
  type Served,
  describeSplit,
  finalTraffic,
  matches,
  pinned,
  restoreTraffic,
  served,
  splitTraffic,
} from './traffic';

/**
 * One service in one region, from the current state to the new revision serving as the strategy says:
 * update (or create) with the new revision named up front, wait until Cloud Run has reconciled it, move
 * traffic step by step behind the health gate, and on any failure put the previous split back and say
 * why, in Cloud Run's own words (the revision's failed condition, reason and message).
 */

/** Tag given to the new revision for probing when the user names none; the final split drops it. */
export const CANDIDATE_TAG = 'candidate';

export interface StepReport {
  /** Share of traffic on the new revision during this step. */
  percent: number;
  label: string;
  probes: ProbeReport[];
  durationMs: number;
  passed: boolean;
}

export interface RegionResult {
  region: string;
  service: string;
  created: boolean;
  url?: string;
  revision?: string;
  previousRevision?: string;
  tagUrl?: string;
  trafficBefore: Served[];
  trafficAfter: Served[];
  steps: StepReport[];
  /** From the update request to the new revision reported ready. */
  readyMs?: number;
  totalMs: number;
  failure?: {
    reason: string;
    conditions: Condition[];
    logUri?: string;
    rolledBack: boolean;
    rollbackNote?: string;
  };
  publicAccess?: 'granted' | 'already';
  /** Puts this region back as it was before the run (used when a later region fails). */
  rollback?: () => Promise<void>;
}

export interface DeployContext {
  client: CloudRunClient;
  inputs: Inputs;
  project: string;
  sha: string;
  clock?: Clock;
}

/** A failure that has already been rolled back and reported in the result. */
export class DeployFailed extends UserError {
  override name = 'DeployFailed';
  constructor(
    message: string,
    readonly result: RegionResult,
  ) {
    super(message);
  }
}

export async function deployService(ctx: DeployContext, region: string): Promise<RegionResult> {
  const { client, inputs, project } = ctx;
  const clock = ctx.clock ?? realClock;
  const serviceId = inputs.service!;
  const name = servicePath(project, region, serviceId);
  const started = clock.now();
  const where = `${serviceId} in ${region}`;

  const existing = await client.getService(name);
  const previousLatest = existing?.latestReadyRevision;
  const trafficBefore = existing ? served(existing.trafficStatuses, previousLatest) : [];
  const revision = revisionName(serviceId, ctx.sha, inputs.revisionSuffix);
  const result: RegionResult = {
    region,
    service: serviceId,
    created: !existing,
    revision,
    previousRevision: previousLatest ? shortRevision(previousLatest) : undefined,
    trafficBefore,
    trafficAfter: trafficBefore,
    steps: [],
    totalMs: 0,
  };
  core.info(
    existing
      ? `${where}: serving ${describeSplit(trafficBefore)}; deploying revision ${revision} (${inputs.strategy})`
      : `${where}: creating the service with revision ${revision}`,
  );

  const strategy = existing && previousLatest ? inputs.strategy : 'all-at-once';
  if (strategy !== inputs.strategy) core.info(`${where}: no revision serves yet, so the first one takes all traffic`);
  const probeRevision = Boolean(inputs.health && inputs.health.target !== 'service');
  const tag = inputs.tag ?? (probeRevision && strategy !== 'all-at-once' ? CANDIDATE_TAG : undefined);
  const base = pinned(existing?.traffic, previousLatest ? shortRevision(previousLatest) : undefined);
  const steps: { percent: number; traffic: TrafficTarget[] }[] =
    strategy === 'canary'
      ? inputs.canarySteps.map((percent) => ({
          percent,
          traffic:
            percent === 100 ? finalTraffic(base, revision, inputs.tag) : splitTraffic(base, revision, percent, tag),
        }))
      : strategy === 'blue-green'
        ? [
            { percent: 0, traffic: splitTraffic(base, revision, 0, tag) },
            { percent: 100, traffic: finalTraffic(base, revision, inputs.tag) },
          ]
        : strategy === 'no-traffic'
          ? [{ percent: 0, traffic: splitTraffic(base, revision, 0, tag) }]
          : [
              {
                percent: 100,
                traffic: existing ? finalTraffic(base, revision, inputs.tag) : firstTraffic(revision, inputs.tag),
              },
            ];

  const rollback = async (note: string): Promise<string> => {
    if (!existing) return 'nothing to roll back to: the service had no revision before this deploy';
    core.info(`${where}: rolling back${note ? ` (${note})` : ''}: restoring ${describeSplit(trafficBefore)}`);
    let traffic: TrafficTarget[] = [];
    const operation = await patchCurrent(client, name, (current) => {
      traffic = restoreTraffic(
        existing.traffic,
        shortRevision(previousLatest),
        shortRevision(current.latestReadyRevision),
      );
      return { ...updatable(current), traffic };
    });
    // The operation may report the failed revision again; what matters is where traffic goes.
    await client
      .waitOperation(operation, { what: `rollback of ${where}`, timeoutMs: Math.max(inputs.timeoutMs, 120_000) })
      .catch((error) => {
        if (!(error instanceof OperationError)) throw error;
      });
    const after = await settle(ctx, name, {
      what: `rollback of ${where}`,
      traffic,
      timeoutMs: Math.max(inputs.timeoutMs, 120_000),
      clock,
      trafficOnly: true,
    });
    result.trafficAfter = served(after.trafficStatuses, after.latestReadyRevision);
    return `traffic restored: ${describeSplit(result.trafficAfter)}`;
  };

  const fail = async (reason: string, conditions: Condition[], logUri?: string): Promise<never> => {
    core.info(`${where}: FAILED: ${reason}`);
    let rolledBack = false;
    let rollbackNote: string;
    try {
      rollbackNote = await rollback('');
      rolledBack = Boolean(existing);
    } catch (error) {
      rollbackNote = `ROLLBACK FAILED: ${(error as Error).message}`;
    }
    result.failure = { reason, conditions, logUri, rolledBack, rollbackNote };
    result.totalMs = clock.now() - started;
    throw new DeployFailed(`${where}: ${reason}. ${rolledBack ? 'Rolled back: ' : ''}${rollbackNote}`, result);
  };

  // First step: the new template and its first traffic split in one update.
  let stepStarted = clock.now();
  try {
    const operation = existing
      ? await patchCurrent(
          client,
          name,
          (current) => ({ ...desiredService(inputs, current, revision, ctx.sha), traffic: steps[0].traffic }),
          existing,
        )
      : await client.createService(locationPath(project, region), serviceId, {
          ...desiredService(inputs, undefined, revision, ctx.sha),
          traffic: steps[0].traffic,
        });
    await client.waitOperation(operation, {
      what: `deploy of ${where}`,
      timeoutMs: inputs.timeoutMs,
      timeoutHint: 'Raise the "timeout" input if revisions of this service take longer to start.',
    });
  } catch (error) {
    if (error instanceof OperationError || error instanceof TimeoutError) {
      const why = await revisionFailure(client, name, revision, error.message);
      return fail(why.reason, why.conditions, why.logUri);
    }
    throw error;
  }
  if (inputs.allowUnauthenticated) {
    const changed = await client.addIamMember(name, 'roles/run.invoker', 'allUsers');
    result.publicAccess = changed ? 'granted' : 'already';
    core.info(`${where}: ${changed ? 'granted roles/run.invoker to allUsers' : 'already public'}`);
  }

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (i > 0) {
      if (inputs.canaryPauseMs) await pause(`${where}: ${step.percent}% next`, inputs.canaryPauseMs, clock);
      stepStarted = clock.now();
      core.info(`${where}: moving ${step.percent}% of traffic to ${revision}`);
      const operation = await patchCurrent(client, name, (current) => ({
        ...updatable(current),
        traffic: step.traffic,
      }));
      try {
        await client.waitOperation(operation, {
          what: `traffic move of ${where} to ${step.percent}%`,
          timeoutMs: inputs.timeoutMs,
        });
      } catch (error) {
        if (error instanceof OperationError || error instanceof TimeoutError) return fail(error.message, []);
        throw error;
      }
    }
    let service: Service;
    try {
      service = await settle(ctx, name, {
        what: i === 0 ? `revision ${revision}` : `traffic of ${where}`,
        traffic: step.traffic,
        revision: i === 0 ? revision : undefined,
        timeoutMs: inputs.timeoutMs,
        clock,
      });
    } catch (error) {
      if (error instanceof RevisionFailed || error instanceof TimeoutError) {
        const why = await revisionFailure(client, name, revision, error.message);
        return fail(why.reason, why.conditions, why.logUri);
      }
      throw error;
    }
    if (i === 0) {
      result.readyMs = clock.now() - stepStarted;
      core.info(`${where}: revision ${revision} is ready after ${formatDuration(result.readyMs)}`);
    }
    result.url = service.uri;
    result.trafficAfter = served(service.trafficStatuses, service.latestReadyRevision);
    const tagStatus = tag ? service.trafficStatuses?.find((t) => t.tag === tag) : undefined;
    if (inputs.tag) result.tagUrl = service.trafficStatuses?.find((t) => t.tag === inputs.tag)?.uri;
    core.info(`${where}: now serving ${describeSplit(result.trafficAfter)}`);

    const report: StepReport = {
      percent: step.percent,
      label: strategy === 'canary' ? `${step.percent}%` : step.percent === 0 ? 'no traffic (tag)' : '100%',
      probes: [],
      durationMs: 0,
      passed: true,
    };
    result.steps.push(report);
    // The gate runs where it can tell something: on the tag URL while the new revision has a tag, and on
    // the service URL once it carries traffic.
    if (inputs.health) {
      const targets: ('revision' | 'service')[] = [];
      if (inputs.health.target !== 'service' && tagStatus?.uri) targets.push('revision');
      if (inputs.health.target !== 'revision' && step.percent > 0) targets.push('service');
      if (inputs.health.target === 'revision' && !tagStatus?.uri && step.percent === 100) targets.push('service');
      for (const target of targets) {
        const url = target === 'revision' ? tagStatus!.uri! : service.uri!;
        const outcome = await probe(inputs.health, target, url, clock);
        report.probes.push(outcome);
        if (!outcome.passed) report.passed = false;
      }
    }
    report.durationMs = clock.now() - stepStarted;
    if (!report.passed) {
      const reason = report.probes.find((p) => !p.passed)!.reason!;
      return fail(`health gate failed at ${report.label}: ${reason}`, []);
    }
  }

  result.rollback = async () => {
    await rollback('a later region failed');
  };
  result.totalMs = clock.now() - started;
  return result;
}

function firstTraffic(revision: string, tag?: string): TrafficTarget[] {
  return [
    { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
    ...(tag ? [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const, revision, tag, percent: 0 }] : []),
  ];
}

class RevisionFailed extends UserError {}

/**
 * Waits until Cloud Run has finished with the service (reconciling false, the latest generation observed)
 * and checks the outcome: the new revision ready and the traffic as requested. A failed terminal condition
 * throws RevisionFailed.
 */
async function settle(
  ctx: DeployContext,
  name: string,
  wanted: {
    what: string;
    traffic: TrafficTarget[];
    revision?: string;
    timeoutMs: number;
    clock: Clock;
    /** For a rollback: the service may still report the failed revision; only the traffic counts. */
    trafficOnly?: boolean;
  },
): Promise<Service> {
  const { value } = await poll<Service>({
    what: wanted.what,
    timeoutMs: wanted.timeoutMs,
    initialMs: 200,
    maxMs: 5000,
    clock: wanted.clock,
    timeoutHint: 'Raise the "timeout" input if revisions of this service take longer to start.',
    check: async () => {
      const service = await ctx.client.getService(name);
      if (!service) throw new UserError(`${name} disappeared during the deploy`);
      const observed = service.observedGeneration === service.generation;
      if (service.reconciling || !observed) return { done: false, status: 'reconciling' };
      if (!wanted.trafficOnly && service.terminalCondition?.state === 'CONDITION_FAILED')
        throw new RevisionFailed(describeCondition(service.terminalCondition));
      if (wanted.revision && shortRevision(service.latestReadyRevision) !== wanted.revision)
        return { done: false, status: 'waiting for the revision to be ready' };
      if (!matches(wanted.traffic, service.trafficStatuses, shortRevision(service.latestReadyRevision)))
        return { done: false, status: 'waiting for traffic to move' };
      return { done: true, value: service };
    },
  });
  return value;
}

/** Why the new revision failed, from its own conditions (falling back to what we already know). */
async function revisionFailure(
  client: CloudRunClient,
  service: string,
  revision: string,
  fallback: string,
): Promise<{ reason: string; conditions: Condition[]; logUri?: string }> {
  let found: Revision | undefined;
  try {
    found = await client.getRevision(`${service}/revisions/${revision}`);
  } catch {}
  const conditions = found?.conditions ?? [];
  const failed =
    conditions.find((c) => c.type === 'Ready' && c.state === 'CONDITION_FAILED') ??
    conditions.find((c) => c.state === 'CONDITION_FAILED');
  if (failed)
    return { reason: `revision ${revision} failed: ${describeCondition(failed)}`, conditions, logUri: found?.logUri };
  const pending = conditions.filter((c) => c.state !== 'CONDITION_SUCCEEDED');
  const detail = pending.length ? ` (revision ${revision}: ${pending.map(describeCondition).join('; ')})` : '';
  return { reason: `${fallback}${detail}`, conditions, logUri: found?.logUri };
}

/**
 * A PATCH built from the service as it is now. A 409 ABORTED means the etag moved (someone changed the
 * service meanwhile, or a retried request had in fact gone through): read it again and rebuild, twice at most.
 */
async function patchCurrent(
  client: CloudRunClient,
  name: string,
  build: (current: Service) => Service,
  current?: Service,
): Promise<Operation<Service>> {
  let service = current ?? (await client.getService(name));
  for (let attempt = 1; ; attempt++) {
    if (!service) throw new UserError(`${name} disappeared during the deploy`);
    try {
      return await client.patchService(name, build(service));
    } catch (error) {
      const conflict = error instanceof GoogleApiError && error.status === 409 && error.reason === 'ABORTED';
      if (!conflict || attempt >= 3) throw error;
      core.info(`${shortName(name)}: changed meanwhile (etag); reading it again`);
      service = await client.getService(name);
    }
  }
}

/** The writable part of a Service, for a follow-up update (traffic moves, rollback). */
function updatable(service: Service): Service {
  const {
    uid: _uid,
    generation: _g,
    createTime: _c,
    updateTime: _u,
    observedGeneration: _o,
    terminalCondition: _t,
    conditions: _cs,
    latestReadyRevision: _lr,
    latestCreatedRevision: _lc,
    trafficStatuses: _ts,
    uri: _uri,
    urls: _urls,
    reconciling: _r,
    ...body
  } = service;
  return structuredClone(body);
}

export function shortRevision(name: string | undefined): string | undefined {
  return name ? name.slice(name.lastIndexOf('/') + 1) : undefined;
}

async function pause(what: string, ms: number, clock: Clock): Promise<void> {
  core.info(`${what}: pausing ${formatDuration(ms)} (canary-pause)`);
  const until = clock.now() + ms;
  while (clock.now() < until) {
    const left = until - clock.now();
    await clock.sleep(Math.min(left, 30_000));
    if (until - clock.now() > 0) core.info(`${what}: ${formatDuration(until - clock.now())} of the pause left`);
  }
}
