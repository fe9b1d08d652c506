import { workflow as core } from '@deploy-actions/toolkit';
import {
  type CloudRunClient,
  type Service,
  type ServiceSpec,
  defaultLabels,
  locationPath,
  revisionName,
  serviceBody,
  servicePath,
  writable,
} from '@deploy-actions/gcp';
import { type Clock, InputError, realClock } from '@deploy-actions/toolkit';
import { hasDigest } from './image';
import type { ServiceInputs } from './inputs';
import { planRollout } from './plan';
import { type RegionResult, execute, patchCurrent } from './rollout';
import { describeSplit } from './traffic';

/**
 * One service in one region: read it, build the desired Service (the gcp package's spec module) and the
 * rollout plan from it, refuse a deploy that would silently create nothing, then hand the plan to the executor.
 */

export interface DeployContext {
  client: CloudRunClient;
  project: string;
  sha: string;
  clock?: Clock;
  /** The step's cancellation and timeout (the lifecycle's ctx.signal). */
  signal?: AbortSignal;
}

/** The inputs as the spec module's ServiceSpec for the new revision. */
export function serviceSpec(inputs: ServiceInputs, revision: string, sha: string): ServiceSpec {
  return {
    ...inputs.settings,
    image: inputs.image,
    revision,
    labels: { ...(inputs.skipDefaultLabels ? {} : defaultLabels(sha)), ...inputs.labels },
    env: inputs.env,
    envStrategy: inputs.envStrategy,
    secretEnv: inputs.secretEnv,
    secretFiles: inputs.secretFiles,
    secretsStrategy: inputs.secretsStrategy,
    invokerIamDisabled: inputs.invokerIamDisabled,
    patch: inputs.patch,
  };
}

export function newResult(region: string, service: string, existing: Service | undefined): RegionResult {
  return {
    region,
    service,
    created: !existing,
    status: 'failed',
    trafficBefore: [],
    trafficAfter: [],
    steps: [],
    totalMs: 0,
    notes: [],
  };
}

/** Canonical JSON (keys sorted), to compare templates. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export async function deployService(ctx: DeployContext, inputs: ServiceInputs, region: string): Promise<RegionResult> {
  const { client, project, sha } = ctx;
  const clock = ctx.clock ?? realClock;
  const name = servicePath(project, region, inputs.service);
  const where = `${inputs.service} in ${region}`;
  const existing = await client.getService(name);
  const revision = revisionName(inputs.service, sha, inputs.revisionSuffix);
  const spec = serviceSpec(inputs, revision, sha);
  const desired = serviceBody(spec, existing);
  const plan = planRollout(inputs, existing, revision);
  const result = newResult(region, inputs.service, existing);
  Object.assign(result, {
    revision,
    previousRevision: plan.previousRevision,
    trafficBefore: plan.trafficBefore,
    trafficAfter: plan.trafficBefore,
    url: existing?.uri,
    notes: plan.notes,
  });

  // A fixed revision name on a template Cloud Run already runs creates no revision: the step would report
  // success while the old revision (and the image a tag pointed at back then) keeps serving.
  if (existing && inputs.revisionSuffix && existing.template?.revision === revision) {
    if (stable(writable(existing, 'Service').template) !== stable(desired.template))
      throw new InputError(
        'revision-suffix',
        `names revision ${revision}, which already exists with another template`,
        'make the suffix unique per deploy (e.g. include the commit SHA), or leave it out',
      );
    if (!hasDigest(inputs.image))
      throw new InputError(
        'revision-suffix',
        `names revision ${revision}, which already runs this exact template: Cloud Run would create no revision, so ${inputs.image} would not be pulled again even if the tag moved`,
        'leave revision-suffix out (or make it unique per deploy), or deploy by digest (image@sha256:...)',
      );
    result.status = 'unchanged';
    result.notes.push(`revision ${revision} already runs this exact template and image digest: nothing to deploy`);
    core.notice(
      `${where}: revision ${revision} already runs ${inputs.image} with this configuration; nothing deployed`,
    );
    return result;
  }

  core.info(
    existing
      ? `${where}: serving ${describeSplit(plan.trafficBefore)}; deploying revision ${revision} (${plan.strategy})`
      : `${where}: creating the service with revision ${revision}`,
  );
  for (const note of plan.notes) core.info(`${where}: ${note}`);
  return execute({
    client,
    name,
    where,
    plan,
    existing,
    deploy: (traffic) =>
      existing
        ? patchCurrent(client, name, (current) => ({ ...serviceBody(spec, current), traffic }), existing)
        : client.createService(locationPath(project, region), inputs.service, { ...desired, traffic }),
    health: inputs.health,
    allowUnauthenticated: inputs.allowUnauthenticated,
    userTag: inputs.tag,
    timeoutMs: inputs.timeoutMs,
    clock,
    signal: ctx.signal,
    result,
  });
}
