import type { AwsInputs, CloudSqlInputs } from './inputs';
import type { Run } from './outcome';

/** The tags (or, for Cloud SQL, the description words) that mark a snapshot as ours, plus the user's. */
export const MANAGED_BY = 'deploy-actions';

export function snapshotTags(run: Run<AwsInputs | CloudSqlInputs>, db: string): Record<string, string> {
  return {
    'managed-by': MANAGED_BY,
    db,
    repository: run.repository,
    sha: run.sha,
    'workflow-run': run.runUrl,
    ...run.inputs.tags,
  };
}

export function isOurs(tags: Record<string, string>, db: string): boolean {
  return tags['managed-by'] === MANAGED_BY && (tags.db ?? '').toLowerCase() === db.toLowerCase();
}
