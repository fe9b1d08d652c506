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

export interface Deploy {
  id: string;
  /** Null for image-backed services. */
  commit: { id: string; message?: string; createdAt?: string } | null;
  /** Null for git-backed services. */
  image: { ref: string; sha?: string; registryCredential?: string | null } | null;
  status: DeployStatus;
  trigger?: string;
  createdAt: string;
  updatedAt?: string;
  finishedAt: string | null;
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
