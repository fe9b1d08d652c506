import { workflow as core } from '@deploy-actions/toolkit';
import {
  type CloudRunClient,
  type Condition,
  GoogleApiError,
  type Operation,
  OperationError,
  type Service,
  type TrafficTarget,
  shortName,
  writable,
} from '@deploy-actions/gcp';
import { type Clock, TimeoutError, UserError, formatDuration } from '@deploy-actions/toolkit';
import { type ProbeReport, probe } from './health';
import type { HealthGate } from './inputs';
import { type RolloutPlan, rollbackTraffic } from './plan';
import { RevisionFailed, revisionFailure, settleDeploy, settleTraffic } from './settle';
import { type Served, describeSplit, served } from './traffic';

/**
 * Executes a RolloutPlan for one service in one region: for each step, apply (the first step carries the
 * new template, when there is one) → settle (Cloud Run finished, traffic as planned) → gate (health
 * probes). Any failure sends the plan's rollback and says why, in Cloud Run's own words. Public access is
 * granted before traffic moves (publicAccess.before), and taken back in the rollback when this run gave it.
 */

export interface StepReport {
  /** Share of traffic on the new revision during this step. */
  percent: number;
  label: string;
  probes: ProbeReport[];
  durationMs: number;
  passed: boolean;
}

export type RegionStatus = 'deployed' | 'unchanged' | 'rolled-back' | 'failed';

export interface RegionResult {
  region: string;
  service: string;
  created: boolean;
  status: RegionStatus;
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
  publicAccess?: 'granted' | 'already' | 'iam-disabled';
  notes: string[];
  /** Puts this region back as it was before the run (used when a later region fails). */
  rollback?: () => Promise<void>;
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

export interface Execution {
  client: CloudRunClient;
  /** Full service name. */
  name: string;
  where: string;
  plan: RolloutPlan;
  existing?: Service;
  /** Sends the step that carries the new template, with its traffic (create or patch); unused by traffic moves. */
  deploy?: (traffic: TrafficTarget[]) => Promise<Operation<Service>>;
  health?: HealthGate;
  /** Grant allUsers roles/run.invoker before traffic moves. */
  allowUnauthenticated: boolean;
  /** The user's tag (its URL is the tag-url output). */
  userTag?: string;
  timeoutMs: number;
  clock: Clock;
  /** The step's cancellation and timeout: checked between and during waits; a rollback is not cut short by it. */
  signal?: AbortSignal;
  result: RegionResult;
}

const INVOKER = 'roles/run.invoker';

export async function execute(x: Execution): Promise<RegionResult> {
  const { client, name, where, plan, result, clock } = x;
  const started = clock.now();
  let grantedByUs = false;

  const rollback = async (note: string): Promise<string> => {
    const notes: string[] = [];
    if (grantedByUs) {
      await client.removeIamMember(name, INVOKER, 'allUsers');
      notes.push('public access taken back');
    }
    if (!plan.rollback)
      return [...notes, 'nothing to roll back to: the service had no revision before this deploy'].join('; ');
    const back = plan.rollback;
    core.info(`${where}: rolling back${note ? ` (${note})` : ''}: restoring ${describeSplit(result.trafficBefore)}`);
    let traffic: TrafficTarget[] = [];
    const operation = await patchCurrent(client, name, (current) => {
      traffic = rollbackTraffic(back, current.latestReadyRevision);
      return { ...writable(current, 'Service'), traffic };
    });
    // The operation may end in the failed revision's error again: what matters is where traffic goes.
    await client
      .waitOperation(operation, { what: `rollback of ${where}`, timeoutMs: Math.max(x.timeoutMs, 120_000) })
      .catch((error) => {
        if (!(error instanceof OperationError)) throw error;
      });
    const after = await settleTraffic(client, name, {
      what: `rollback of ${where}`,
      traffic,
      timeoutMs: Math.max(x.timeoutMs, 120_000),
      clock,
    });
    result.trafficAfter = served(after.trafficStatuses, after.latestReadyRevision);
    return [`traffic restored: ${describeSplit(result.trafficAfter)}`, ...notes].join('; ');
  };

  const fail = async (reason: string, conditions: Condition[] = [], logUri?: string): Promise<never> => {
    core.info(`${where}: FAILED: ${reason}`);
    let rolledBack = false;
    let rollbackNote: string;
    try {
      rollbackNote = await rollback('');
      rolledBack = Boolean(plan.rollback) || grantedByUs;
    } catch (error) {
      rollbackNote = `ROLLBACK FAILED: ${(error as Error).message}`;
    }
    result.status = rolledBack ? 'rolled-back' : 'failed';
    result.failure = { reason, conditions, logUri, rolledBack, rollbackNote };
    result.totalMs = clock.now() - started;
    throw new DeployFailed(`${where}: ${reason}. ${rolledBack ? 'Rolled back: ' : ''}${rollbackNote}`, result);
  };

  const grant = async (): Promise<void> => {
    if (!x.allowUnauthenticated) return;
    const changed = await client.addIamMember(name, INVOKER, 'allUsers');
    grantedByUs = changed;
    result.publicAccess = changed ? 'granted' : 'already';
    core.info(`${where}: ${changed ? 'granted roles/run.invoker to allUsers' : 'already public'}`);
  };

  // An existing service is made public before any traffic moves; a refusal (Domain Restricted Sharing) then
  // stops the deploy with nothing changed. A new service can only be granted once it exists.
  if (x.existing) {
    try {
      await grant();
    } catch (error) {
      result.status = 'failed';
      result.failure = {
        reason: (error as Error).message,
        conditions: [],
        rolledBack: false,
        rollbackNote: 'nothing was changed',
      };
      throw new DeployFailed(`${where}: ${(error as Error).message}. Nothing was changed.`, result);
    }
  }

  const stopped = () =>
    x.signal?.aborted ? String((x.signal.reason as Error)?.message ?? x.signal.reason) : undefined;
  for (const [i, step] of plan.steps.entries()) {
    try {
      if (step.pauseMs) await pause(`${where}: ${step.label} next`, step.pauseMs, clock, x.signal);
    } catch {}
    const why = stopped();
    if (why) return i === 0 && !grantedByUs ? Promise.reject(x.signal?.reason) : fail(why);
    const stepStarted = clock.now();
    // apply: the step that deploys sends the new template with its traffic; every other step only traffic.
    try {
      let operation: Operation<Service>;
      if (step.deploys && x.deploy) operation = await x.deploy(step.traffic);
      else {
        core.info(`${where}: moving ${step.percent}% of traffic to ${plan.revision}`);
        operation = await patchCurrent(
          client,
          name,
          (current) => ({ ...writable(current, 'Service'), traffic: step.traffic }),
          i === 0 ? x.existing : undefined,
        );
      }
      await client.waitOperation(operation, {
        what: step.deploys ? `deploy of ${where}` : `traffic move of ${where} to ${step.percent}%`,
        timeoutMs: x.timeoutMs,
        timeoutHint: 'Raise the "deploy-wait" input if revisions of this service take longer to start.',
      });
    } catch (error) {
      if (!(error instanceof OperationError || error instanceof TimeoutError)) {
        // Refused outright (4xx) before anything moved: nothing changed, unless public access was granted.
        const refused = error instanceof GoogleApiError && error.status < 500;
        if (i === 0 && refused && !grantedByUs) throw error;
        return fail(error instanceof Error ? error.message : String(error));
      }
      if (!step.deploys) return fail(error.message);
      const why = await revisionFailure(client, name, plan.revision, error.message);
      return fail(why.reason, why.conditions, why.logUri);
    }
    // settle
    let service: Service;
    try {
      service = await settleDeploy(client, name, {
        what: step.deploys ? `revision ${plan.revision}` : `traffic of ${where}`,
        traffic: step.traffic,
        revision: step.deploys ? plan.revision : undefined,
        timeoutMs: x.timeoutMs,
        clock,
        signal: x.signal,
      });
    } catch (error) {
      if (stopped()) return fail(stopped() as string);
      if (!(error instanceof RevisionFailed || error instanceof TimeoutError)) throw error;
      if (!step.deploys) return fail(error.message);
      const why = await revisionFailure(client, name, plan.revision, error.message);
      return fail(why.reason, why.conditions, why.logUri);
    }
    if (step.deploys) {
      if (shortName(service.latestCreatedRevision) !== plan.revision)
        return fail(
          `Cloud Run created no revision ${plan.revision} (the latest is ${shortName(service.latestCreatedRevision)})`,
        );
      result.readyMs = clock.now() - stepStarted;
      core.info(`${where}: revision ${plan.revision} is ready after ${formatDuration(result.readyMs)}`);
    }
    if (step.deploys && !x.existing) {
      try {
        await grant();
      } catch (error) {
        return fail(`the service was created, but public access failed: ${(error as Error).message}`);
      }
    }
    result.url = service.uri;
    result.trafficAfter = served(service.trafficStatuses, service.latestReadyRevision);
    const tagStatus = plan.tag ? service.trafficStatuses?.find((t) => t.tag === plan.tag) : undefined;
    if (x.userTag) result.tagUrl = service.trafficStatuses?.find((t) => t.tag === x.userTag)?.uri;
    core.info(`${where}: now serving ${describeSplit(result.trafficAfter)}`);
    // gate
    const report: StepReport = { percent: step.percent, label: step.label, probes: [], durationMs: 0, passed: true };
    result.steps.push(report);
    if (x.health) {
      const targets: ['revision' | 'service', string | undefined][] = [];
      if (step.probe.revision) targets.push(['revision', tagStatus?.uri]);
      if (step.probe.service) targets.push(['service', service.uri]);
      for (const [target, url] of targets) {
        if (!url) return fail(`health gate at ${step.label}: Cloud Run gave no URL for the ${target}`);
        let outcome: ProbeReport;
        try {
          outcome = await probe(x.health, target, url, clock, x.signal);
        } catch (error) {
          // Cancelled or timed out mid-gate: the probe stops at once, and the step is undone like a failure.
          const why = stopped();
          if (why) return fail(why);
          throw error;
        }
        report.probes.push(outcome);
        if (!outcome.passed) report.passed = false;
      }
    }
    report.durationMs = clock.now() - stepStarted;
    const failed = report.probes.find((p) => !p.passed);
    if (failed) return fail(`health gate failed at ${report.label}: ${failed.reason}`);
  }

  result.status = 'deployed';
  result.rollback = async () => {
    await rollback('a later region failed');
    result.status = 'rolled-back';
  };
  result.totalMs = clock.now() - started;
  return result;
}

/**
 * A PATCH built from the service as it is now. A 409 ABORTED means the etag moved (someone changed the
 * service meanwhile, or a retried request had in fact gone through): read it again and rebuild, twice at most.
 */
export async function patchCurrent(
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

async function pause(what: string, ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  core.info(`${what}: pausing ${formatDuration(ms)} (canary-pause)`);
  const until = clock.now() + ms;
  while (clock.now() < until) {
    const left = until - clock.now();
    await clock.sleep(Math.min(left, 30_000), signal);
    if (until - clock.now() > 0) core.info(`${what}: ${formatDuration(until - clock.now())} of the pause left`);
  }
}
