/** The shapes of Render's REST API that the deploy client reads (see the contract in the shared reference). */

export type DeployStatus =
  | 'created'
  | 'queued'
  | 'build_in_progress'
  | 'update_in_progress'
  | 'pre_deploy_in_progress'
  | 'live'
  | 'deactivated'
  | 'build_failed'
  | 'update_failed'
  | 'pre_deploy_failed'
  | 'canceled';

/** Statuses after which a deploy never changes again (live aside: a newer deploy deactivates it). */
export const FAILED_STATUSES: readonly DeployStatus[] = [
  'build_failed',
  'update_failed',
  'pre_deploy_failed',
  'canceled',
];
export const FINAL_STATUSES: readonly DeployStatus[] = ['live', 'deactivated', ...FAILED_STATUSES];

/**
 * A deploy as Render's definition has it: `commit` is absent for image-backed deploys and `image` for
 * git-backed ones (older answers sent `null`, which is read the same way); `startedAt` is absent for a
 * deploy that never started (still queued, or skipped in the queue); `finishedAt` until it ends.
 */
export interface Deploy {
  id: string;
  commit?: { id?: string; message?: string; createdAt?: string } | null;
  image?: { ref?: string; sha?: string; registryCredential?: string | null } | null;
  status: DeployStatus;
  trigger?: string;
  createdAt: string;
  updatedAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
}

export interface Service {
  id: string;
  name: string;
  type: string;
  suspended: 'suspended' | 'not_suspended';
  autoDeploy?: 'yes' | 'no';
  repo?: string;
  branch?: string;
  imagePath?: string;
  serviceDetails?: { url?: string; [key: string]: unknown };
}

export function dashboardUrl(serviceId: string, deployId?: string): string {
  const base = `https://dashboard.render.com/web/${serviceId}`;
  return deployId ? `${base}/deploys/${deployId}` : base;
}

/** Render's ID shapes: what may go into a URL path (anything else would let an answer or input steer the request). */
export const SERVICE_ID = /^srv-[a-z0-9]{4,40}$/;
export const DEPLOY_ID = /^dep-[a-z0-9]{4,40}$/;
