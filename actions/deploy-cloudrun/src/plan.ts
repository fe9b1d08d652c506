import { type Service, TAG_AND_SERVICE_MAX, type TrafficTarget, shortName } from '@deploy-actions/gcp';
import type { HealthGate, ServiceInputs, Strategy } from './inputs';
import { type Served, finalTraffic, percentByRevision, pinned, served, splitTraffic } from './traffic';

/**
 * The rollout as data, computed before anything is written: each step's traffic split, label, pause and
 * probe targets, and the rollback, built once from the service as it was. rollout.ts only executes it
 * (apply → settle → gate per step). Pure: same inputs and service, same plan.
 */

export interface PlannedStep {
  /** Whether this step carries the new template (the first step of a deploy; never in a traffic move). */
  deploys: boolean;
  /** Share of traffic on the new revision at this step. */
  percent: number;
  label: string;
  traffic: TrafficTarget[];
  /** Wait before this step is applied (canary-pause). */
  pauseMs: number;
  /** Which URLs the health gate probes at this step. */
  probe: { revision: boolean; service: boolean };
}

export interface Rollback {
  /** The traffic array the service had. */
  traffic: TrafficTarget[];
  /** The same split with LATEST pinned to the revision it served, for when "latest" has moved since. */
  ifLatestMoved: TrafficTarget[];
  /** The latest ready revision before, to tell whether "latest" moved. */
  latestBefore?: string;
}

export interface RolloutPlan {
  /** The strategy carried out (a new service takes all traffic at once whatever was asked). */
  strategy: Strategy;
  revision: string;
  /** The tag the new revision carries while probed: the user's, or one chosen to fit beside the service name. */
  tag?: string;
  steps: PlannedStep[];
  rollback?: Rollback;
  /** The revision that served (most of) the traffic before. */
  previousRevision?: string;
  trafficBefore: Served[];
  notes: string[];
}

/** Tags tried for probing the new revision when the user names none, longest first; the first that fits is used. */
const PROBE_TAGS = ['candidate', 'canary', 'next', 'c'];

/** A probe tag that fits Cloud Run's 46 characters of tag + service name, or undefined when none can. */
export function probeTagFor(service: string): string | undefined {
  return PROBE_TAGS.find((tag) => tag.length + service.length <= TAG_AND_SERVICE_MAX);
}

/** Whether the plan needs a tag of its own to probe the new revision before it takes all traffic. */
export function needsProbeTag(inputs: Pick<ServiceInputs, 'health' | 'strategy' | 'tag'>): boolean {
  return Boolean(
    inputs.health && inputs.health.target !== 'service' && !inputs.tag && inputs.strategy !== 'all-at-once',
  );
}

/** The revision serving the largest share now (LATEST resolved), for `previous-revision`. */
export function servingRevision(service: Service | undefined): string | undefined {
  if (!service) return undefined;
  const shares = percentByRevision(served(service.trafficStatuses, service.latestReadyRevision));
  const top = Object.entries(shares).sort((a, b) => b[1] - a[1])[0];
  return top?.[0] ?? (shortName(service.latestReadyRevision) || undefined);
}

function probes(health: HealthGate | undefined, percent: number, tagged: boolean): PlannedStep['probe'] {
  if (!health) return { revision: false, service: false };
  return {
    revision: health.target !== 'service' && tagged,
    service:
      (health.target !== 'revision' && percent > 0) || (health.target === 'revision' && !tagged && percent === 100),
  };
}

export function planRollout(inputs: ServiceInputs, existing: Service | undefined, revision: string): RolloutPlan {
  const latestBefore = shortName(existing?.latestReadyRevision) || undefined;
  const notes: string[] = [];
  const strategy: Strategy = existing && latestBefore ? inputs.strategy : 'all-at-once';
  if (strategy !== inputs.strategy) notes.push('no revision serves yet, so the first one takes all traffic');
  const tag = inputs.tag ?? (needsProbeTag({ ...inputs, strategy }) ? probeTagFor(inputs.service) : undefined);
  const base = pinned(existing?.traffic, latestBefore);
  let first = true;
  const step = (percent: number, label: string, traffic: TrafficTarget[], pauseMs = 0): PlannedStep => {
    const tagged = Boolean(tag && traffic.some((t) => t.tag === tag && t.revision === revision));
    const deploys = first;
    first = false;
    return { deploys, percent, label, traffic, pauseMs, probe: probes(inputs.health, percent, tagged) };
  };
  let steps: PlannedStep[];
  if (!existing)
    steps = [
      step(100, '100%', [
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
        ...(inputs.tag
          ? [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const, revision, tag: inputs.tag, percent: 0 }]
          : []),
      ]),
    ];
  else if (strategy === 'canary')
    steps = inputs.canarySteps.map((percent, i) =>
      step(
        percent,
        `${percent}%`,
        percent === 100 ? finalTraffic(base, revision, inputs.tag) : splitTraffic(base, revision, percent, tag),
        i > 0 ? inputs.canaryPauseMs : 0,
      ),
    );
  else if (strategy === 'blue-green')
    steps = [
      step(0, 'no traffic (tag)', splitTraffic(base, revision, 0, tag)),
      step(100, '100%', finalTraffic(base, revision, inputs.tag)),
    ];
  else if (strategy === 'no-traffic') steps = [step(0, 'no traffic (tag)', splitTraffic(base, revision, 0, tag))];
  else steps = [step(100, '100%', finalTraffic(base, revision, inputs.tag))];
  if (inputs.canaryPauseMs && steps.length === 1) notes.push('canary-pause is not used: the plan has one step');

  const before = existing?.traffic?.length
    ? existing.traffic
    : [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' as const, percent: 100 }];
  return {
    strategy,
    revision,
    tag,
    steps,
    rollback: existing
      ? { traffic: structuredClone(before), ifLatestMoved: pinned(before, latestBefore), latestBefore }
      : undefined,
    previousRevision: servingRevision(existing),
    trafficBefore: existing ? served(existing.trafficStatuses, existing.latestReadyRevision) : [],
    notes,
  };
}

/** The traffic a rollback sends, given where "latest" points now. */
export function rollbackTraffic(rollback: Rollback, latestReadyNow: string | undefined): TrafficTarget[] {
  return structuredClone(
    shortName(latestReadyNow) === rollback.latestBefore ? rollback.traffic : rollback.ifLatestMoved,
  );
}
