import { workflow as core } from '@deploy-actions/toolkit';
import { type CloudRunClient, type Service, type TrafficTarget, servicePath, shortName } from '@deploy-actions/gcp';
import { InputError, UserError, realClock } from '@deploy-actions/toolkit';
import { type DeployContext, newResult } from './deploy-service';
import type { TrafficAssignment, TrafficInputs } from './inputs';
import { type RolloutPlan, servingRevision } from './plan';
import { type RegionResult, execute } from './rollout';
import { describeSplit, pinned, scale, served } from './traffic';

/**
 * Traffic-only updates, like the peer's revision_traffic / tag_traffic: move traffic between revisions the
 * service already has (by name, LATEST, PREVIOUS, or by tag) without deploying anything. A share under
 * 100% leaves the rest on the revisions serving now, in their proportions. The move is one plan step,
 * gated like a deploy (on the service URL) and rolled back the same way. This makes a manual rollback a
 * one-step workflow: `revision-traffic: PREVIOUS=100`.
 */

const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' as const;
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const;

function isReady(conditions: { type?: string; state?: string }[] | undefined): boolean {
  return Boolean(conditions?.some((c) => c.type === 'Ready' && c.state === 'CONDITION_SUCCEEDED'));
}

/** The newest ready revision created before the one serving most traffic now. */
async function previousRevision(client: CloudRunClient, name: string, service: Service): Promise<string> {
  const serving = servingRevision(service);
  const revisions = (await client.listRevisions(name)).sort((a, b) =>
    (b.createTime ?? '').localeCompare(a.createTime ?? ''),
  );
  const at = revisions.findIndex((r) => shortName(r.name) === serving);
  const previous = revisions.slice(at + 1).find((r) => isReady(r.conditions));
  if (!previous)
    throw new UserError(
      `${shortName(name)}: no ready revision was created before ${serving}, so PREVIOUS names nothing`,
    );
  return shortName(previous.name);
}

export async function resolveTraffic(
  client: CloudRunClient,
  name: string,
  service: Service,
  assignments: TrafficAssignment[],
): Promise<TrafficTarget[]> {
  const statuses = service.trafficStatuses ?? [];
  const latest = shortName(service.latestReadyRevision);
  const input = assignments.some((a) => a.kind === 'tag') ? 'tag-traffic' : 'revision-traffic';
  const named: TrafficTarget[] = [];
  for (const a of assignments) {
    if (a.kind === 'latest') named.push({ type: LATEST, percent: a.percent });
    else if (a.kind === 'previous')
      named.push({ type: REVISION, revision: await previousRevision(client, name, service), percent: a.percent });
    else if (a.kind === 'tag') {
      const status = statuses.find((t) => t.tag === a.name);
      if (!status)
        throw new InputError(
          input,
          `${shortName(name)} has no tag "${a.name}"`,
          `use one of its tags: ${
            statuses
              .filter((t) => t.tag)
              .map((t) => t.tag)
              .join(', ') || 'it has none'
          }`,
        );
      const revision = status.type === LATEST ? latest : shortName(status.revision);
      named.push({ type: REVISION, revision, percent: a.percent, tag: a.name });
    } else {
      const revision = await client.getRevision(`${name}/revisions/${a.name}`);
      if (!revision)
        throw new InputError(
          input,
          `${shortName(name)} has no revision "${a.name}"`,
          'name a revision of this service (see its revisions list)',
        );
      if (!isReady(revision.conditions))
        throw new InputError(input, `revision ${a.name} is not ready, so it cannot serve`, 'name a ready revision');
      named.push({ type: REVISION, revision: a.name, percent: a.percent });
    }
  }
  const given = named.reduce((sum, t) => sum + (t.percent ?? 0), 0);
  const namedRevisions = new Set(named.map((t) => (t.type === LATEST ? latest : t.revision)));
  // The rest stays on what serves now, in its proportions.
  const others = pinned(service.traffic, latest).filter((t) => (t.percent ?? 0) > 0 && !namedRevisions.has(t.revision));
  if (given < 100 && !others.length)
    throw new InputError(
      input,
      `gives ${given}% in all, and no other revision serves to keep the remaining ${100 - given}%`,
      'give shares that add up to 100%',
    );
  const shares = scale(
    others.map((t) => t.percent ?? 0),
    100 - given,
  );
  const traffic: TrafficTarget[] = [...named];
  others.forEach((t, i) => {
    if (shares[i] > 0) traffic.push({ type: REVISION, revision: t.revision, percent: shares[i] });
  });
  // Tags stay where they are, unless this move names them.
  for (const t of service.traffic ?? [])
    if (t.tag && !traffic.some((x) => x.tag === t.tag))
      traffic.push({ type: REVISION, revision: t.type === LATEST ? latest : t.revision, tag: t.tag, percent: 0 });
  return traffic;
}

export async function moveTraffic(ctx: DeployContext, inputs: TrafficInputs, region: string): Promise<RegionResult> {
  const { client, project } = ctx;
  const name = servicePath(project, region, inputs.service);
  const where = `${inputs.service} in ${region}`;
  const existing = await client.getService(name);
  if (!existing)
    throw new UserError(`${where}: the service does not exist; traffic can only move between revisions it has`);
  const traffic = await resolveTraffic(client, name, existing, inputs.assignments);
  const main = [...traffic].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
  const revision = main.type === LATEST ? shortName(existing.latestReadyRevision) : (main.revision ?? '');
  const before = existing.traffic?.length ? existing.traffic : [{ type: LATEST, percent: 100 }];
  const latestBefore = shortName(existing.latestReadyRevision) || undefined;
  const plan: RolloutPlan = {
    strategy: 'all-at-once',
    revision,
    steps: [
      {
        deploys: false,
        percent: main.percent ?? 0,
        label: 'traffic move',
        traffic,
        pauseMs: 0,
        probe: { revision: false, service: Boolean(inputs.health) },
      },
    ],
    rollback: { traffic: structuredClone(before), ifLatestMoved: pinned(before, latestBefore), latestBefore },
    previousRevision: servingRevision(existing),
    trafficBefore: served(existing.trafficStatuses, existing.latestReadyRevision),
    notes: [],
  };
  const result = newResult(region, inputs.service, existing);
  Object.assign(result, {
    revision,
    previousRevision: plan.previousRevision,
    trafficBefore: plan.trafficBefore,
    trafficAfter: plan.trafficBefore,
    url: existing.uri,
  });
  core.info(`${where}: serving ${describeSplit(plan.trafficBefore)}; moving traffic (no deploy)`);
  return execute({
    client,
    name,
    where,
    plan,
    existing,
    health: inputs.health,
    allowUnauthenticated: inputs.allowUnauthenticated,
    timeoutMs: inputs.timeoutMs,
    clock: ctx.clock ?? realClock,
    signal: ctx.signal,
    result,
  });
}
