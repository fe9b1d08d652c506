import { parseReference } from '../../registry/src/reference';
import type { RenderApi } from './client';
import type { Deploy } from './types';
import type { TimelineEntry } from './wait';

/**
 * What a deploy's end means, beyond its status: whether a `deactivated` deploy had gone live before a
 * newer one replaced it (Render's CLI counts that as success) or was skipped while queued, which deploy
 * replaced it, whether two deploys carry the same image or commit, and whether a deploy carries what the
 * trigger asked for. Also the one-shot look at the deploy list that settles a lost trigger answer.
 */

/** Clocks differ between the runner and Render; `known` rules out older deploys, so the window can be wide. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether a deploy ever ran. Render deactivates a running deploy only once a newer one goes live, so one
 * that started (it has `startedAt`, or was seen building or updating) and ended `deactivated` had gone live;
 * one that never started was skipped in the queue in favour of a newer deploy.
 */
export function wentLive(deploy: Deploy, timeline: TimelineEntry[] = []): boolean {
  if (timeline.some((e) => e.status === 'live')) return true;
  if (deploy.status !== 'deactivated') return deploy.status === 'live';
  return Boolean(deploy.startedAt) || timeline.some((e) => e.status.endsWith('_in_progress'));
}

/** The deploy that replaced `deploy`: the one that started when it ended, else the oldest newer one that went live. */
export async function replacementOf(api: RenderApi, serviceId: string, deploy: Deploy): Promise<Deploy | undefined> {
  const created = Date.parse(deploy.createdAt);
  const newer = (await api.listDeploys(serviceId, { createdAfter: new Date(created - 1), limit: 20 })).filter(
    (d) => d.id !== deploy.id && Date.parse(d.createdAt) >= created,
  );
  const oldestFirst = [...newer].reverse();
  const ended = deploy.finishedAt ? Date.parse(deploy.finishedAt) : undefined;
  return (
    oldestFirst.find((d) => d.startedAt && ended !== undefined && Date.parse(d.startedAt) === ended) ??
    oldestFirst.find((d) => d.status === 'live' || (d.status === 'deactivated' && d.startedAt)) ??
    oldestFirst.find((d) => d.status !== 'deactivated' && d.status !== 'canceled')
  );
}

/** An image reference in one spelling (Docker Hub names spelled out, host lowercased), or the text as it is. */
function canonicalImage(ref: string): string {
  try {
    const r = parseReference(ref);
    return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
  } catch {
    return ref;
  }
}

export interface Wanted {
  imageUrl?: string;
  commit?: string;
}

/** What a deploy carries, for messages: its image reference or commit. */
export function describeSource(deploy: Deploy): string {
  if (deploy.image?.ref) return `image ${deploy.image.ref}`;
  if (deploy.commit?.id) return `commit ${deploy.commit.id}`;
  return 'the service default';
}

/** Whether a deploy carries the image (tag or digest) or commit asked for. */
export function carries(deploy: Deploy, wanted: Wanted): boolean {
  if (wanted.imageUrl) {
    const ref = deploy.image?.ref;
    if (!ref) return false;
    if (canonicalImage(ref) === canonicalImage(wanted.imageUrl)) return true;
    // Asked by digest: Render may keep the tag it resolved, with the digest in `sha`.
    const digest = /@(sha256:[a-f0-9]{64})$/.exec(wanted.imageUrl)?.[1];
    return digest !== undefined && deploy.image?.sha === digest;
  }
  if (wanted.commit) {
    const id = deploy.commit?.id?.toLowerCase();
    const asked = wanted.commit.toLowerCase();
    return id !== undefined && (id.startsWith(asked) || asked.startsWith(id));
  }
  return true;
}

/** Whether two deploys carry the same image or commit. */
export function sameSource(a: Deploy, b: Deploy): boolean {
  if (a.image?.ref && b.image?.ref)
    return (
      canonicalImage(a.image.ref) === canonicalImage(b.image.ref) || (!!a.image.sha && a.image.sha === b.image.sha)
    );
  if (a.commit?.id && b.commit?.id) return a.commit.id === b.commit.id;
  return false;
}

export interface TriggeredOptions extends Wanted {
  known: Set<string>;
  triggeredAt: number;
  trigger: 'api' | 'deploy_hook' | 'rollback';
}

/** One look at the deploy list for the deploy a trigger started (after a lost answer): new, same trigger, same ref. */
export async function findTriggered(
  api: RenderApi,
  serviceId: string,
  options: TriggeredOptions,
): Promise<Deploy | undefined> {
  const createdAfter = new Date(options.triggeredAt - CLOCK_SKEW_MS);
  const fresh = (await api.listDeploys(serviceId, { createdAfter, limit: 20 })).filter(
    (d) => !options.known.has(d.id) && (d.trigger === undefined || d.trigger === options.trigger),
  );
  // Newest first: the oldest new deploy that carries what was asked is this trigger's.
  return [...fresh].reverse().find((d) => carries(d, options));
}
