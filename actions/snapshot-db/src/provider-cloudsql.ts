import { workflow as core } from '@deploy-actions/toolkit';
import {
  CLOUD_PLATFORM_SCOPE,
  GoogleApi,
  GoogleApiError,
  googleCredentials,
  isAmbiguous,
  NOT_RETRIED,
} from '@deploy-actions/gcp';
import { UserError, formatDuration, redact } from '@deploy-actions/toolkit';
import { render } from './identifier';
import type { CloudSqlInputs } from './inputs';
import { type Outcome, type Pruned, type Run, emptyPruned } from './outcome';
import { planRetention } from './retention';
import { MANAGED_BY, snapshotTags } from './tags';
import { WaitSchedule } from './wait-schedule';
import { waitFor } from './waiting';

/**
 * Cloud SQL on-demand backups through the Cloud SQL Admin API v1. Backup runs carry no labels, so the
 * marks that make a backup ours (managed-by, db, repository, sha, run) go into its description, which
 * is what retention matches. Cloud SQL runs one admin operation per instance at a time and answers
 * 409 operationInProgress to a second: the backup (and each deletion) waits its turn within `timeout`.
 *
 * backupRuns.insert is not idempotent, so it is never re-sent blindly: after a lost answer (reset,
 * timeout, 5xx) the instance's backup runs are listed, and an on-demand run with this run's exact
 * description enqueued since the request is adopted. Only when there is none is the request sent again;
 * and from then on a 409 (our own backup may be what holds the instance) is answered by looking again.
 */

interface Operation {
  name: string;
  status: 'PENDING' | 'RUNNING' | 'DONE' | string;
  operationType?: string;
  error?: { errors?: { code?: string; message?: string }[] };
  backupContext?: { backupId?: string };
}

interface BackupRun {
  id: string;
  status: string;
  type?: string;
  description?: string;
  enqueuedTime?: string;
  startTime?: string;
  endTime?: string;
  error?: { code?: string; message?: string };
  selfLink?: string;
}

interface Instance {
  name: string;
  state?: string;
  databaseVersion?: string;
}

const BUSY = /operationInProgress|another operation/i;

function isBusy(error: unknown): boolean {
  return (
    error instanceof GoogleApiError && (error.status === 409 || (error.status === 403 && BUSY.test(error.message)))
  );
}

function describeOf(run: Run<CloudSqlInputs>, instance: string): string {
  const marks = Object.entries(snapshotTags(run, instance))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${render(run.inputs.identifier, { ...run.values, db: instance })} [${marks}]`;
}

function isOurs(backup: BackupRun, instance: string): boolean {
  const text = backup.description ?? '';
  return backup.type !== 'AUTOMATED' && text.includes(`managed-by=${MANAGED_BY} `) && text.includes(` db=${instance} `);
}

function operationError(op: Operation): string {
  return (op.error?.errors ?? []).map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`).join('; ') || 'no details';
}

export async function snapshotCloudSql(run: Run<CloudSqlInputs>): Promise<Outcome> {
  const { inputs } = run;
  const instance = inputs.database;
  const credentials = await googleCredentials({
    accessToken: inputs.accessToken,
    scopes: [CLOUD_PLATFORM_SCOPE],
    project: inputs.project,
  });
  const project = credentials.project;
  if (!project) {
    throw new UserError(
      'No Google Cloud project: set the "project-id" input, or GOOGLE_CLOUD_PROJECT (google-github-actions/auth sets it)',
    );
  }
  core.info(`Cloud SQL instance ${project}:${instance}, credentials from ${credentials.source}`);
  const api = new GoogleApi({ credentials, endpoint: inputs.apiEndpoint.toString(), api: 'Cloud SQL Admin API' });
  const base = `/v1/projects/${project}/instances/${instance}`;

  const found = await api.find<Instance>(base);
  if (!found)
    throw new UserError(
      `Cloud SQL instance "${instance}" not found in project ${project}: check "database" and "project-id"`,
    );
  if (found.state === 'SUSPENDED' || found.state === 'FAILED') {
    throw new UserError(`Cloud SQL instance "${instance}" is ${found.state}, so it cannot be backed up`);
  }

  /** Sends an admin request, waiting while another operation holds the instance. */
  const whenFree = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
    const polled = await waitFor({
      what,
      deadline: run.deadline,
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutHint: `Another operation held instance ${instance} the whole time; raise "timeout" (now ${formatDuration(inputs.timeoutMs)} for the whole step).`,
      check: async () => {
        try {
          return { done: true, value: await send() };
        } catch (error) {
          if (!isBusy(error)) throw error;
          return { done: false, status: 'waiting for another operation on the instance to finish' };
        }
      },
    });
    return polled.value;
  };

  const waitOperation = async (op: Operation, what: string): Promise<Operation> => {
    const schedule = new WaitSchedule({
      minMs: Math.min(2000, inputs.pollIntervalMs / 5),
      maxMs: inputs.pollIntervalMs,
    });
    const polled = await waitFor({
      what,
      deadline: run.deadline,
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutHint: `The backup goes on in Cloud SQL; raise "timeout" (now ${formatDuration(inputs.timeoutMs)} for the whole step), or set wait: false.`,
      check: async () => {
        const now = await api.call<Operation>(`/v1/projects/${project}/operations/${op.name}`);
        if (now.status === 'DONE') return { done: true, value: now };
        return { done: false, status: now.status, delayMs: schedule.next() };
      },
    });
    if (polled.value.error) throw new UserError(`${what} failed: ${operationError(polled.value)}`);
    return polled.value;
  };

  /** An adopted backup has no operation of ours to follow: its backup run is followed instead. */
  const waitBackupRun = async (id: string): Promise<Operation> => {
    const schedule = new WaitSchedule({
      minMs: Math.min(2000, inputs.pollIntervalMs / 5),
      maxMs: inputs.pollIntervalMs,
    });
    await waitFor({
      what: `backup ${id} of ${instance}`,
      deadline: run.deadline,
      pollIntervalMs: inputs.pollIntervalMs,
      timeoutHint: `The backup goes on in Cloud SQL; raise "timeout" (now ${formatDuration(inputs.timeoutMs)} for the whole step), or set wait: false.`,
      check: async () => {
        const now = await api.call<BackupRun>(`${base}/backupRuns/${id}`);
        if (!['ENQUEUED', 'RUNNING', 'PENDING'].includes(now.status)) return { done: true, value: now };
        return { done: false, status: now.status, delayMs: schedule.next() };
      },
    });
    return { name: `backup ${id}`, status: 'DONE', backupContext: { backupId: id } };
  };

  const description = describeOf(run, instance);
  // Clocks differ: a backup enqueued up to a minute "before" the request still counts as its answer.
  const requestedAt = Date.now() - 60_000;
  const adopt = async (): Promise<BackupRun | undefined> =>
    (await listBackups(api, base)).find(
      (b) =>
        b.description === description &&
        b.type !== 'AUTOMATED' &&
        (!b.enqueuedTime || Date.parse(b.enqueuedTime) >= requestedAt),
    );
  let uncertain = false;
  const requested = await waitFor<{ op?: Operation; adopted?: BackupRun }>({
    what: `backup of ${instance}`,
    deadline: run.deadline,
    pollIntervalMs: inputs.pollIntervalMs,
    timeoutHint: `Another operation held instance ${instance} the whole time; raise "timeout" (now ${formatDuration(inputs.timeoutMs)} for the whole step).`,
    check: async () => {
      if (uncertain) {
        const adopted = await adopt();
        if (adopted) {
          core.info(`Backup ${adopted.id} is the one requested before the answer was lost; using it`);
          return { done: true, value: { adopted } };
        }
      }
      try {
        const op = await api.call<Operation>(`${base}/backupRuns`, {
          method: 'POST',
          body: { description },
          retry: NOT_RETRIED,
        });
        return { done: true, value: { op } };
      } catch (error) {
        if (isBusy(error)) return { done: false, status: 'waiting for another operation on the instance to finish' };
        if (!isAmbiguous(error)) throw error;
        uncertain = true;
        core.warning(
          redact(
            `No answer to backupRuns.insert (${(error as Error).message}); reading the backup runs before deciding`,
          ),
        );
        return { done: false, status: 'checking whether the backup was requested', delayMs: 1000 };
      }
    },
  });
  const adopted = requested.value.adopted;
  const op: Operation = requested.value.op ?? {
    name: `backup ${adopted?.id}`,
    status: adopted?.status === 'SUCCESSFUL' ? 'DONE' : 'RUNNING',
    backupContext: { backupId: adopted?.id },
  };
  core.info(
    `Backup of ${instance} requested (${requested.value.op ? `operation ${op.name}` : `backup run ${adopted?.id}`})`,
  );

  run.requested(
    `a backup of ${instance} (${adopted ? `backup run ${adopted.id}` : `operation ${op.name}`}), going on in Cloud SQL`,
  );
  let backup: BackupRun | undefined;
  let status = op.status;
  if (inputs.wait) {
    const done = adopted ? await waitBackupRun(adopted.id) : await waitOperation(op, `backup of ${instance}`);
    status = 'SUCCESSFUL';
    const id = done.backupContext?.backupId ?? (await findByDescription(api, base, description))?.id;
    if (id) backup = await api.call<BackupRun>(`${base}/backupRuns/${id}`);
    if (backup && backup.status !== 'SUCCESSFUL') {
      throw new UserError(
        `Backup ${backup.id} of ${instance} ended ${backup.status}: ${backup.error?.message ?? 'no details'}`,
      );
    }
    core.info(`Backup ${backup?.id ?? ''} of ${instance} is done`);
  } else if (adopted) {
    backup = adopted;
    status = adopted.status;
  } else if (op.backupContext?.backupId) {
    backup = await api.call<BackupRun>(`${base}/backupRuns/${op.backupContext.backupId}`);
    status = backup.status;
  }

  const pruned = await prune(api, run, base, instance, backup?.id, async (id) => {
    const del = await whenFree(`deletion of backup ${id}`, () =>
      api.call<Operation>(`${base}/backupRuns/${id}`, { method: 'DELETE' }),
    );
    await waitOperation(del, `deletion of backup ${id}`);
  });

  const id = backup?.id ?? op.name;
  return {
    id,
    ref: backup?.selfLink ?? `${inputs.apiEndpoint.origin}${base}/backupRuns/${id}`,
    status: backup?.status ?? status,
    createdAt: backup?.endTime ? new Date(backup.endTime) : undefined,
    pruned,
    restore: [
      `gcloud sql backups restore ${backup?.id ?? '<backup-id>'} \\`,
      `  --restore-instance=${instance} --backup-instance=${instance} --project=${project}`,
    ].join('\n'),
    facts: [
      ['Instance', `${project}:${instance}${found.databaseVersion ? ` (${found.databaseVersion})` : ''}`],
      ['Operation', op.name],
      ['Description', description],
    ],
    apiCalls: api.requests,
  };
}

async function findByDescription(api: GoogleApi, base: string, description: string): Promise<BackupRun | undefined> {
  return (await listBackups(api, base)).find((b) => b.description === description);
}

async function listBackups(api: GoogleApi, base: string): Promise<BackupRun[]> {
  const all: BackupRun[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.call<{ items?: BackupRun[]; nextPageToken?: string }>(`${base}/backupRuns`, {
      query: { maxResults: 100, pageToken },
    });
    all.push(...(page.items ?? []));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

async function prune(
  api: GoogleApi,
  run: Run<CloudSqlInputs>,
  base: string,
  instance: string,
  justMade: string | undefined,
  remove: (id: string) => Promise<void>,
): Promise<Pruned> {
  const pruned = emptyPruned();
  const { keepLast, maxAgeMs, dryRun } = run.inputs;
  if (keepLast === undefined && maxAgeMs === undefined) return pruned;
  if (!run.inputs.wait || !justMade) {
    core.notice(
      'Retention skipped: it runs only once the new backup is done (wait: true), so a failed backup never costs an older one.',
    );
    return pruned;
  }
  const all = await listBackups(api, base);
  const ours = all
    .filter((b) => isOurs(b, instance))
    .map((b) => ({ ...b, createdAt: b.status === 'SUCCESSFUL' && b.endTime ? new Date(b.endTime) : undefined }));
  core.info(
    `Retention: ${ours.length} backups of ${instance} made by this action (${all.length - ours.length} others left alone)`,
  );
  const plan = planRetention(ours, justMade, { keepLast, maxAgeMs }, Date.now(), (b) => b.status === 'SUCCESSFUL');
  pruned.kept = plan.keep.map((b) => b.id);
  pruned.skipped = plan.skipped.map(({ snapshot, reason }) => ({ id: snapshot.id, reason }));
  for (const b of plan.delete) {
    const age = formatDuration(Date.now() - b.createdAt.getTime());
    if (dryRun) {
      core.info(`Retention (dry run): would delete backup ${b.id} from ${b.endTime} (${age} ago)`);
      pruned.wouldDelete.push(b.id);
      continue;
    }
    try {
      await remove(b.id);
      core.info(`Retention: deleted backup ${b.id} from ${b.endTime} (${age} ago)`);
      pruned.deleted.push(b.id);
    } catch (error) {
      const reason = (error as Error).message;
      core.warning(`Retention: could not delete backup ${b.id}: ${reason}`);
      pruned.failed.push({ id: b.id, reason });
    }
  }
  return pruned;
}
