import {
  type CloudRunClient,
  type Condition,
  type Revision,
  type Service,
  type TrafficTarget,
  describeCondition,
  shortName,
} from '@deploy-actions/gcp';
import { type Clock, UserError, poll } from '@deploy-actions/toolkit';
import { matches } from './traffic';

/**
 * Waiting for Cloud Run to finish a change, and reading why it failed.
 *
 * A deploy step is done when reconciling is false and the outcome is clear: the new revision ready and the
 * traffic as asked (success), or a failed terminal condition (failure, checked first: a failed
 * reconciliation keeps observedGeneration, latestReadyRevision and trafficStatuses at the last serving
 * state, so observedGeneration == generation never comes). A rollback only changes traffic, and is done
 * when trafficStatuses shows the split sent back, whatever the failed template still says.
 */

export class RevisionFailed extends UserError {}

export interface SettleOptions {
  what: string;
  traffic: TrafficTarget[];
  /** The new revision, when this step created it. */
  revision?: string;
  timeoutMs: number;
  clock: Clock;
  /** Ends the wait when the step is cancelled or times out. */
  signal?: AbortSignal;
}

export async function settleDeploy(client: CloudRunClient, name: string, wanted: SettleOptions): Promise<Service> {
  const { value } = await poll<Service>({
    what: wanted.what,
    timeoutMs: wanted.timeoutMs,
    initialMs: 200,
    maxMs: 5000,
    clock: wanted.clock,
    signal: wanted.signal,
    timeoutHint: 'Raise the "deploy-wait" input if revisions of this service take longer to start.',
    check: async () => {
      const service = await client.getService(name);
      if (!service) throw new UserError(`${name} disappeared during the deploy`);
      if (service.reconciling) return { done: false, status: 'reconciling' };
      if (service.terminalCondition?.state === 'CONDITION_FAILED')
        throw new RevisionFailed(describeCondition(service.terminalCondition));
      if (service.observedGeneration !== service.generation) return { done: false, status: 'reconciling' };
      if (wanted.revision && shortName(service.latestReadyRevision) !== wanted.revision)
        return { done: false, status: 'waiting for the revision to be ready' };
      if (!matches(wanted.traffic, service.trafficStatuses, shortName(service.latestReadyRevision)))
        return { done: false, status: 'waiting for traffic to move' };
      return { done: true, value: service };
    },
  });
  return value;
}

/** Done as soon as trafficStatuses carries `traffic` out; the terminal condition may still report the failed revision. */
export async function settleTraffic(client: CloudRunClient, name: string, wanted: SettleOptions): Promise<Service> {
  const { value } = await poll<Service>({
    what: wanted.what,
    timeoutMs: wanted.timeoutMs,
    initialMs: 200,
    maxMs: 2000,
    clock: wanted.clock,
    check: async () => {
      const service = await client.getService(name);
      if (!service) throw new UserError(`${name} disappeared during the rollback`);
      if (matches(wanted.traffic, service.trafficStatuses, shortName(service.latestReadyRevision)))
        return { done: true, value: service };
      return { done: false, status: service.reconciling ? 'reconciling' : 'waiting for traffic to move' };
    },
  });
  return value;
}

/** Why the new revision failed, from its own conditions (falling back to what we already know). */
export async function revisionFailure(
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
