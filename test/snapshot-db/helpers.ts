import { type RunOptions, type RunResult, runAction } from '@deploy-actions/harness';
import type { RdsEmulator } from '@deploy-actions/emulators';

/** What every snapshot-db test against the RDS emulator shares: credentials, endpoint, fast polling. */

export const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';

export function awsEnv(rds: RdsEmulator): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_RDS: rds.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: AWS_SECRET,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export function snapshotRds(
  rds: RdsEmulator,
  inputs: RunOptions['inputs'],
  options: Omit<RunOptions, 'inputs'> = {},
): Promise<RunResult> {
  return runAction('snapshot-db', {
    timeoutMs: 60_000,
    ...options,
    inputs: { provider: 'rds', database: 'app-db', 'poll-interval': '500ms', ...inputs },
    env: { ...awsEnv(rds), ...options.env },
    secrets: [AWS_SECRET, ...(options.secrets ?? [])],
  });
}

export const DAY = 86_400_000;

/** Tags that make a snapshot one this action made for `db`. */
export function ourTags(db: string): { Key: string; Value: string }[] {
  return [
    { Key: 'managed-by', Value: 'deploy-actions' },
    { Key: 'db', Value: db },
  ];
}
