/**
 * Which of our own older snapshots to delete. A snapshot is deleted only when no rule keeps it:
 * `keep-last N` keeps the N newest (the one just made counts as the first), `max-age` keeps everything
 * younger; with both, a snapshot goes only when it is beyond the N newest AND older than max-age.
 * Candidates are only snapshots this action made for this database; the one just made and any still in
 * progress (no creation time yet) are never touched.
 */

export interface Candidate {
  id: string;
  createdAt?: Date;
  status: string;
}

export interface RetentionRules {
  keepLast?: number;
  maxAgeMs?: number;
}

type Dated<T> = T & { createdAt: Date };

export interface RetentionPlan<T extends Candidate> {
  delete: Dated<T>[];
  keep: Dated<T>[];
  /** In progress or otherwise not deletable now. */
  skipped: { snapshot: T; reason: string }[];
}

export function planRetention<T extends Candidate>(
  ours: T[],
  justMade: string,
  rules: RetentionRules,
  now: number,
  deletable: (s: T) => boolean,
): RetentionPlan<T> {
  const plan: RetentionPlan<T> = { delete: [], keep: [], skipped: [] };
  if (rules.keepLast === undefined && rules.maxAgeMs === undefined) return plan;
  const older: Dated<T>[] = [];
  for (const s of ours) {
    if (s.id.toLowerCase() === justMade.toLowerCase()) continue;
    if (!s.createdAt) plan.skipped.push({ snapshot: s, reason: `still ${s.status}` });
    else if (!deletable(s)) plan.skipped.push({ snapshot: s, reason: `status ${s.status}` });
    else older.push({ ...s, createdAt: s.createdAt });
  }
  older.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  older.forEach((s, index) => {
    // The snapshot just made is the newest, so it takes the first of the keep-last places.
    const keptByCount = rules.keepLast !== undefined && index + 1 < rules.keepLast;
    const keptByAge = rules.maxAgeMs !== undefined && now - s.createdAt.getTime() <= rules.maxAgeMs;
    const keep = keptByCount || keptByAge;
    (keep ? plan.keep : plan.delete).push(s);
  });
  return plan;
}
