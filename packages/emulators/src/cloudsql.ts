import { randomUUID } from 'node:crypto';
import { type GoogleTokenEmulator, bearerOf, googleError } from './google-oauth';
import type { Violation } from './google/proto-json';
import { sqlAdminSchema } from './google/sqladmin-schema';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer } from './server';

/**
 * The Cloud SQL Admin API v1, the part snapshot-db uses: instances.get, on-demand backupRuns
 * (insert/get/list/delete) and operations.get. Every admin request becomes an Operation
 * (PENDING → RUNNING → DONE, with `error` when it failed) on an emulated clock, and Cloud SQL's one-
 * operation-per-instance rule holds: a second one gets 409 operationInProgress. Requests need a Bearer
 * token the GoogleTokenEmulator issued (or the fixed `accessToken` given).
 *
 * Every request is checked against the sqladmin v1 definitions (./google/sqladmin-schema.ts, from
 * @googleapis/sqladmin and the discovery document): an unknown body field or query parameter, a wrong type
 * or an enum value the API does not have is refused with Google's 400 (`Invalid JSON payload received.
 * Unknown name "x" at 'body': Cannot find field.`), and output-only fields are ignored. BackupRun `type`
 * is ignored on insert (always ON_DEMAND), as its definition says.
 *
 * Lost answers: `loseAnswer('backupRuns.insert', 'reset' | 'timeout')` makes the next backup start and then
 * drops its answer, so a client's reconcile path (list the backup runs, find the one it started) can be tested.
 */

export interface CloudSqlEmulatorOptions {
  scale?: number;
  /** Checks bearer tokens (cloud-platform or sqlservice.admin scope). */
  tokens?: GoogleTokenEmulator;
  /** Accepted instead when there is no token emulator. */
  accessToken?: string;
  /** Default emulated duration of a backup. */
  backupDurationMs?: number;
  /** Emulated duration of a deletion. */
  deleteDurationMs?: number;
}

export interface BackupPlan {
  durationMs?: number;
  /** The backup (and its operation) end in failure. */
  fails?: boolean;
}

interface EmulatedOperation {
  name: string;
  project: string;
  instance: string;
  type: string;
  startedAt: number;
  durationMs: number;
  fails: boolean;
  backupId?: string;
}

export interface EmulatedBackup {
  id: string;
  project: string;
  instance: string;
  type: 'ON_DEMAND' | 'AUTOMATED';
  description?: string;
  enqueuedAt: number;
  durationMs: number;
  fails: boolean;
  deleted?: boolean;
  deletingUntil?: number;
}

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/sqlservice.admin'];
const BASE = '^/v1/projects/([^/]+)/instances/([^/]+)';

export class CloudSqlEmulator {
  readonly server = new EmulatorServer();
  readonly clock: EmulatedClock;
  readonly instances = new Map<string, { state: string; databaseVersion: string }>();
  readonly operations = new Map<string, EmulatedOperation>();
  readonly backups = new Map<string, EmulatedBackup>();
  backupDurationMs: number;
  deleteDurationMs: number;
  private readonly plans: BackupPlan[] = [];
  private nextId = 1_700_000_000_000;

  constructor(private readonly options: CloudSqlEmulatorOptions = {}) {
    this.clock = new EmulatedClock(options.scale ?? 1);
    this.backupDurationMs = options.backupDurationMs ?? 5 * 60_000;
    this.deleteDurationMs = options.deleteDurationMs ?? 10_000;
    // Each route names its method in the generated client (Params$Resource$<method>) and its path parameters.
    const route = (
      method: string,
      path: string,
      api: [string, string[], string],
      handler: (req: EmulatorRequest) => EmulatorResponse,
    ) =>
      this.server.route(method, new RegExp(path), (req) => {
        const refused = this.authorized(req) ?? this.checked(req, api[0], api[1]);
        if (refused) return refused;
        const answer = handler(req);
        if (answer.status === 200) checkAnswer(api[2], answer.body);
        return answer;
      });
    // [method in the generated client, its path parameters, the schema it answers with]
    const instance = ['project', 'instance'];
    route('GET', `${BASE}$`, ['Instances$Get', instance, 'DatabaseInstance'], (req) => this.getInstance(req));
    route('POST', `${BASE}/backupRuns$`, ['Backupruns$Insert', instance, 'Operation'], (req) => this.insertBackup(req));
    route('GET', `${BASE}/backupRuns$`, ['Backupruns$List', instance, 'BackupRunsListResponse'], (req) =>
      this.listBackups(req),
    );
    route('GET', `${BASE}/backupRuns/([^/]+)$`, ['Backupruns$Get', [...instance, 'id'], 'BackupRun'], (req) =>
      this.getBackup(req),
    );
    route('DELETE', `${BASE}/backupRuns/([^/]+)$`, ['Backupruns$Delete', [...instance, 'id'], 'Operation'], (req) =>
      this.deleteBackup(req),
    );
    route(
      'GET',
      '^/v1/projects/([^/]+)/operations/([^/]+)$',
      ['Operations$Get', ['project', 'operation'], 'Operation'],
      (req) => this.getOperation(req),
    );
  }

  get url(): string {
    return this.server.url;
  }

  listen(): Promise<string> {
    return this.server.listen();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The next backupRuns.insert starts its backup and then loses its answer (reset, or never answered). */
  loseAnswer(call: 'backupRuns.insert', how: 'reset' | 'timeout' = 'reset'): void {
    if (call === 'backupRuns.insert') this.server.inject({ method: 'POST', path: /\/backupRuns$/, lostAnswer: how });
  }

  addInstance(project: string, name: string, options: { state?: string; databaseVersion?: string } = {}): void {
    this.instances.set(`${project}/${name}`, { state: 'RUNNABLE', databaseVersion: 'POSTGRES_15', ...options });
  }

  plan(...plans: BackupPlan[]): void {
    this.plans.push(...plans);
  }

  /** Another admin operation (an update, a maintenance) holding the instance for `forMs` emulated ms. */
  busy(project: string, instance: string, forMs: number, type = 'UPDATE'): EmulatedOperation {
    return this.startOperation(project, instance, type, forMs, false);
  }

  /** A finished backup from the past (ours or not). */
  seedBackup(
    backup: Omit<EmulatedBackup, 'id' | 'enqueuedAt' | 'durationMs' | 'fails' | 'type'> & {
      ageMs: number;
      type?: EmulatedBackup['type'];
      inProgress?: boolean;
    },
  ): EmulatedBackup {
    const id = String(this.nextId++);
    const seeded: EmulatedBackup = {
      type: 'ON_DEMAND',
      fails: false,
      ...backup,
      id,
      enqueuedAt: this.clock.now() - backup.ageMs,
      durationMs: backup.inProgress ? backup.ageMs + 86_400_000 : 60_000,
    };
    this.backups.set(id, seeded);
    return seeded;
  }

  backup(id: string): EmulatedBackup | undefined {
    const found = this.backups.get(id);
    return found && !this.isGone(found) ? found : undefined;
  }

  private isGone(b: EmulatedBackup): boolean {
    return Boolean(b.deleted && (b.deletingUntil === undefined || this.clock.now() >= b.deletingUntil));
  }

  private authorized(req: EmulatorRequest): EmulatorResponse | undefined {
    const token = bearerOf(req);
    const ok = token
      ? this.options.tokens
        ? this.options.tokens.isValid(token, SCOPES)
        : token === this.options.accessToken
      : false;
    if (ok) return undefined;
    return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', {
      'www-authenticate': 'Bearer realm="https://accounts.google.com/"',
    });
  }

  /** Refuses a request the sqladmin v1 definitions do not allow; passes the canonical body on through `req.json`. */
  private checked(req: EmulatorRequest, method: string, pathParams: string[]): EmulatorResponse | undefined {
    let raw: unknown;
    try {
      raw = req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined;
    } catch {
      return invalidRequest([{ field: '', description: 'Invalid JSON payload received. Unexpected token.' }]);
    }
    const { body, violations } = sqlAdminSchema().check(method, pathParams, raw, req.query);
    if (violations.length) return invalidRequest(violations);
    req.json = <T>() => structuredClone(body) as T;
    return undefined;
  }

  private instance(req: EmulatorRequest): EmulatorResponse | undefined {
    const [project, name] = req.params;
    if (this.instances.has(`${project}/${name}`)) return undefined;
    return googleError(404, 'NOT_FOUND', `The Cloud SQL instance does not exist.`);
  }

  private running(project: string, instance: string): EmulatedOperation | undefined {
    return [...this.operations.values()].find(
      (op) => op.project === project && op.instance === instance && this.opStatus(op) !== 'DONE',
    );
  }

  private startOperation(project: string, instance: string, type: string, durationMs: number, fails: boolean) {
    const op: EmulatedOperation = {
      name: `op-${randomUUID()}`,
      project,
      instance,
      type,
      startedAt: this.clock.now(),
      durationMs,
      fails,
    };
    this.operations.set(op.name, op);
    return op;
  }

  private busyAnswer(): EmulatorResponse {
    const message =
      'Operation failed because another operation was already in progress. Try your request after the current operation is complete.';
    return {
      status: 409,
      body: { error: { code: 409, message, errors: [{ domain: 'global', reason: 'operationInProgress', message }] } },
    };
  }

  private opStatus(op: EmulatedOperation): 'PENDING' | 'RUNNING' | 'DONE' {
    const elapsed = this.clock.now() - op.startedAt;
    if (elapsed >= op.durationMs) return 'DONE';
    return elapsed < Math.min(1000, op.durationMs / 10) ? 'PENDING' : 'RUNNING';
  }

  private renderOperation(op: EmulatedOperation): Record<string, unknown> {
    const status = this.opStatus(op);
    return {
      kind: 'sql#operation',
      name: op.name,
      status,
      operationType: op.type,
      targetId: op.instance,
      targetProject: op.project,
      insertTime: new Date(op.startedAt).toISOString(),
      ...(status === 'DONE' ? { endTime: new Date(op.startedAt + op.durationMs).toISOString() } : {}),
      ...(status === 'DONE' && op.fails
        ? {
            error: {
              kind: 'sql#operationErrors',
              errors: [
                { kind: 'sql#operationError', code: 'INTERNAL_ERROR', message: 'Backup failed: internal error' },
              ],
            },
          }
        : {}),
      ...(op.backupId ? { backupContext: { kind: 'sql#backupContext', backupId: op.backupId } } : {}),
      selfLink: `${this.url}/v1/projects/${op.project}/operations/${op.name}`,
    };
  }

  private backupStatus(b: EmulatedBackup): string {
    if (b.deleted) return this.isGone(b) ? 'DELETED' : 'DELETION_PENDING';
    const elapsed = this.clock.now() - b.enqueuedAt;
    if (elapsed >= b.durationMs) return b.fails ? 'FAILED' : 'SUCCESSFUL';
    return elapsed < Math.min(1000, b.durationMs / 10) ? 'ENQUEUED' : 'RUNNING';
  }

  private renderBackup(b: EmulatedBackup): Record<string, unknown> {
    const status = this.backupStatus(b);
    const done = status === 'SUCCESSFUL' || status === 'FAILED' || b.deleted;
    return {
      kind: 'sql#backupRun',
      id: b.id,
      status,
      type: b.type,
      description: b.description,
      instance: b.instance,
      enqueuedTime: new Date(b.enqueuedAt).toISOString(),
      startTime: new Date(b.enqueuedAt + 500).toISOString(),
      ...(done ? { endTime: new Date(b.enqueuedAt + b.durationMs).toISOString() } : {}),
      ...(status === 'FAILED'
        ? { error: { kind: 'sql#operationError', code: 'INTERNAL_ERROR', message: 'Backup failed' } }
        : {}),
      backupKind: 'SNAPSHOT',
      location: 'us',
      selfLink: `${this.url}/v1/projects/${b.project}/instances/${b.instance}/backupRuns/${b.id}`,
    };
  }

  private getInstance(req: EmulatorRequest): EmulatorResponse {
    const [project, name] = req.params;
    const missing = this.instance(req);
    if (missing) return missing;
    const { state, databaseVersion } = this.instances.get(`${project}/${name}`)!;
    return { status: 200, body: { kind: 'sql#instance', name, project, state, databaseVersion } };
  }

  private insertBackup(req: EmulatorRequest): EmulatorResponse {
    const [project, instance] = req.params;
    const missing = this.instance(req);
    if (missing) return missing;
    if (this.running(project, instance)) return this.busyAnswer();
    const plan = this.plans.shift() ?? {};
    const durationMs = plan.durationMs ?? this.backupDurationMs;
    const backup: EmulatedBackup = {
      id: String(this.nextId++),
      project,
      instance,
      type: 'ON_DEMAND',
      description: req.json<{ description?: string }>().description,
      enqueuedAt: this.clock.now(),
      durationMs,
      fails: plan.fails ?? false,
    };
    this.backups.set(backup.id, backup);
    const op = this.startOperation(project, instance, 'BACKUP_VOLUME', durationMs, backup.fails);
    op.backupId = backup.id;
    return { status: 200, body: this.renderOperation(op) };
  }

  private listBackups(req: EmulatorRequest): EmulatorResponse {
    const [project, instance] = req.params;
    const missing = this.instance(req);
    if (missing) return missing;
    const all = [...this.backups.values()]
      .filter((b) => b.project === project && b.instance === instance && !this.isGone(b))
      .sort((a, b) => b.enqueuedAt - a.enqueuedAt);
    const max = Math.min(Number(req.query.get('maxResults') ?? 100), 100);
    const start = Number(req.query.get('pageToken') ?? 0);
    const page = all.slice(start, start + max);
    return {
      status: 200,
      body: {
        kind: 'sql#backupRunsList',
        items: page.map((b) => this.renderBackup(b)),
        ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}),
      },
    };
  }

  private getBackup(req: EmulatorRequest): EmulatorResponse {
    const missing = this.instance(req);
    if (missing) return missing;
    const backup = this.backup(req.params[2]);
    if (!backup) return googleError(404, 'NOT_FOUND', 'The backup run does not exist.');
    return { status: 200, body: this.renderBackup(backup) };
  }

  private deleteBackup(req: EmulatorRequest): EmulatorResponse {
    const [project, instance, id] = req.params;
    const missing = this.instance(req);
    if (missing) return missing;
    const backup = this.backup(id);
    if (!backup || backup.deleted) return googleError(404, 'NOT_FOUND', 'The backup run does not exist.');
    if (this.running(project, instance)) return this.busyAnswer();
    const op = this.startOperation(project, instance, 'DELETE_BACKUP', this.deleteDurationMs, false);
    backup.deleted = true;
    backup.deletingUntil = this.clock.now() + this.deleteDurationMs;
    return { status: 200, body: this.renderOperation(op) };
  }

  private getOperation(req: EmulatorRequest): EmulatorResponse {
    const op = this.operations.get(req.params[1]);
    if (!op || op.project !== req.params[0]) return googleError(404, 'NOT_FOUND', 'The operation does not exist.');
    return { status: 200, body: this.renderOperation(op) };
  }
}

/** Holds an answer to its schema: an emulator bug that emits a field the API does not have fails loudly (500). */
function checkAnswer(schema: string, body: unknown): void {
  const violations = sqlAdminSchema().answer(schema, body);
  if (violations.length)
    throw new Error(`emulator answer is not a valid ${schema}: ${violations.map((v) => v.description).join('; ')}`);
}

/** The v1 API's 400: Google's error with the legacy `errors` list and the BadRequest field violations. */
function invalidRequest(violations: Violation[]): EmulatorResponse {
  const message = violations.map((v) => v.description).join('\n');
  return {
    status: 400,
    body: {
      error: {
        code: 400,
        message,
        errors: violations.map((v) => ({ message: v.description, domain: 'global', reason: 'invalid' })),
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }],
      },
    },
  };
}
