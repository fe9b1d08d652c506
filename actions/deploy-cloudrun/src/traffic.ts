import type { TrafficTarget, TrafficTargetStatus } from '@deploy-actions/gcp';

/**
 * Traffic splits as plain data. The previous split is kept exactly for rollback (plan.ts); the steps of a rollout
 * are computed from it with the `LATEST` entries pinned to the revision they served, so a new revision
 * only gets what the rollout gives it, and the final step always sends 100% to the new revision
 * whatever was pinned before.
 */

const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

const short = (name: string | undefined) => (name ? name.slice(name.lastIndexOf('/') + 1) : name);

function isLatest(t: TrafficTarget): boolean {
  return t.type === LATEST || (!t.type && !t.revision);
}

/** The split with every LATEST entry replaced by the revision it serves now; an empty split is 100% latest. */
export function pinned(traffic: TrafficTarget[] | undefined, latestReady: string | undefined): TrafficTarget[] {
  const split = traffic?.length ? traffic : [{ type: LATEST, percent: 100 } as TrafficTarget];
  if (!latestReady) return split.map((t) => ({ ...t }));
  return split.map((t) => (isLatest(t) ? { ...t, type: REVISION, revision: latestReady } : { ...t }));
}

/** Rounds `parts` scaled to `total` so they add up to exactly `total` (largest remainder). */
export function scale(parts: number[], total: number): number[] {
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum === 0) return parts.map(() => 0);
  const exact = parts.map((p) => (p * total) / sum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    floors[i]++;
  }
  return floors;
}

/**
 * The split with `percent` on the new revision and the rest shared by the previous serving revisions in
 * their old proportions. Tags stay where they were, except `tag`, which moves to the new revision.
 */
export function splitTraffic(
  previous: TrafficTarget[],
  revision: string,
  percent: number,
  tag?: string,
): TrafficTarget[] {
  const others = previous
    .filter((t) => t.revision !== revision)
    .map((t) => (t.tag === tag ? { ...t, tag: undefined } : t));
  const serving = others.filter((t) => (t.percent ?? 0) > 0);
  const shares = scale(
    serving.map((t) => t.percent ?? 0),
    100 - percent,
  );
  const result: TrafficTarget[] = [];
  serving.forEach((t, i) => {
    if (shares[i] > 0 || t.tag) result.push(clean({ ...t, percent: shares[i] }));
  });
  for (const t of others) if (!(t.percent ?? 0) && t.tag) result.push(clean({ ...t, percent: 0 }));
  result.push(clean({ type: REVISION, revision, percent, tag }));
  return result;
}

/** 100% to the latest (new) revision; other tags are kept at 0%, `tag` points at the new revision. */
export function finalTraffic(previous: TrafficTarget[], revision: string, tag?: string): TrafficTarget[] {
  const tagged = previous
    .filter((t) => t.tag && t.tag !== tag && t.revision !== revision && !isLatest(t))
    .map((t) => clean({ type: REVISION, revision: t.revision, tag: t.tag, percent: 0 }));
  return [
    { type: LATEST, percent: 100 },
    ...tagged,
    ...(tag ? [clean({ type: REVISION, revision, tag, percent: 0 })] : []),
  ];
}

function clean(t: TrafficTarget): TrafficTarget {
  const out: TrafficTarget = { type: t.type ?? REVISION, percent: t.percent ?? 0 };
  if (t.revision) out.revision = t.revision;
  if (t.tag) out.tag = t.tag;
  return out;
}

/** The serving split as Cloud Run reports it, for comparisons, outputs and summaries. */
export interface Served {
  revision: string;
  percent: number;
  tag?: string;
  uri?: string;
  latest?: boolean;
}

export function served(statuses: TrafficTargetStatus[] | undefined, latestReady: string | undefined): Served[] {
  return (statuses ?? []).map((s) => {
    const revision = short(isLatest(s) ? (s.revision ?? latestReady) : s.revision) ?? '';
    const entry: Served = { revision, percent: s.percent ?? 0 };
    if (s.tag) entry.tag = s.tag;
    if (s.uri) entry.uri = s.uri;
    if (isLatest(s)) entry.latest = true;
    return entry;
  });
}

/** Revision → percent, tags aside: what users are actually served. */
export function percentByRevision(split: Served[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of split) if (s.percent) out[s.revision] = (out[s.revision] ?? 0) + s.percent;
  return out;
}

export function describeSplit(split: Served[]): string {
  const parts = Object.entries(percentByRevision(split)).map(([r, p]) => `${r} ${p}%`);
  const tags = split.filter((s) => s.tag).map((s) => `${s.tag}→${s.revision}`);
  return [parts.join(', ') || 'no traffic', tags.length ? `tags ${tags.join(', ')}` : ''].filter(Boolean).join('; ');
}

/** Whether the reported statuses carry out the requested split (same revisions, percents and tags). */
export function matches(
  traffic: TrafficTarget[],
  statuses: TrafficTargetStatus[] | undefined,
  latestReady?: string,
): boolean {
  const key = (t: TrafficTarget) =>
    `${isLatest(t) ? `latest:${short(latestReady) ?? ''}` : short(t.revision)}|${t.percent ?? 0}|${t.tag ?? ''}`;
  const a = pinned(traffic, undefined).map(key).sort();
  const b = (statuses ?? []).map(key).sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
