import { createHash, randomBytes } from 'node:crypto';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer, type Fault } from './server';

/**
 * Render, emulated after the contract in ../shared/reference/render-api.md: image- and git-backed web
 * services, the secret deploy hook (`/deploy/srv-X?key=Y[&imgURL=][&ref=]`), the `/v1` REST calls a
 * deploy needs (trigger answering 201 or 202, get, list with createdAfter/limit/cursor, cancel,
 * rollback, get service) behind a Bearer API key, and deploys that move through created →
 * build_in_progress → (pre_deploy_in_progress →) update_in_progress → live on emulated time, or end in
 * the outcome a test queued: build_failed, update_failed, pre_deploy_failed, canceled, or superseded (a
 * newer deploy goes live first and this one is deactivated). A newer live deploy deactivates the older
 * one. Rate limits follow Render's: 10 deploy triggers a minute per service (hook and API together),
 * 30 other writes and 400 reads a minute, with Ratelimit-Limit/Remaining/Reset headers. Each service
 * also serves its app under `/app/<service-id>` (its `serviceDetails.url`), answering every path with
 * the status the live deploy was created with, so health checks are real HTTP.
 *
 * Statuses are computed from the clock when asked, never by timers, so a virtual clock (the benchmark)
 * drives the emulator exactly like scaled real time (the tests).
 */

export type DeployOutcome = 'live' | 'build_failed' | 'update_failed' | 'pre_deploy_failed' | 'canceled' | 'superseded';

/** Emulated milliseconds spent in each phase. Zero skips the phase. */
export interface PhaseDurations {
  created?: number;
  build?: number;
  preDeploy?: number;
  update?: number;
}

export interface RenderServiceOptions {
  id?: string;
  name?: string;
  /** Image-backed service: the configured image (`docker.io/acme/api:1.0`); a hook's imgURL must name the same repository. */
  image?: string;
  /** Git-backed service (the default when no image is given). */
  repo?: string;
  branch?: string;
  /** `serviceDetails.url`; by default the emulator's own `/app/<id>`. */
  url?: string;
  suspended?: boolean;
  hookKey?: string;
  durations?: PhaseDurations;
  /** What `POST /v1/services/{id}/deploys` answers: 201 with the deploy (default) or 202 with no body. */
  triggerStatus?: 201 | 202;
  /** Whether the hook answers `{"deploy":{"id"}}` (default) or an empty 200. */
  hookAnswer?: 'deploy' | 'empty';
  /** Outcomes of the next deploys, one each, in order; `live` once the queue is empty. */
  outcomes?: DeployOutcome[];
  /** The status the app answers while a deploy triggered from now on is live (default 200). */
  healthStatus?: number;
  /** Start with one live deploy, as a service that has been deployed before (default true). */
  initialDeploy?: boolean;
}

interface Phase {
  status: string;
  ms: number;
}

interface DeployRecord {
  id: string;
  serviceId: string;
  createdAt: number;
  phases: Phase[];
  /** The status reached after the last phase. */
  outcome: 'live' | 'build_failed' | 'update_failed' | 'pre_deploy_failed' | 'canceled';
  canceledAt?: number;
  commit: { id: string; message: string; createdAt: string } | null;
  image: { ref: string; sha: string; registryCredential: null } | null;
  trigger: string;
  healthStatus: number;
  seq: number;
}

export interface EmulatedService {
  id: string;
  name: string;
  image?: string;
  repo?: string;
  branch: string;
  url?: string;
  suspended: boolean;
  hookKey: string;
  durations: Required<PhaseDurations>;
  triggerStatus: 201 | 202;
  hookAnswer: 'deploy' | 'empty';
  outcomes: DeployOutcome[];
  healthStatus: number;
}

export interface RenderEmulatorOptions {
  apiKey?: string;
  /** Emulated time: `scale` emulated ms per real ms (default 1)... */
  scale?: number;
  /** ...or any clock, e.g. the benchmark's virtual one. */
  clock?: { now(): number };
  /** Deploy triggers per minute per service (default 10). */
  triggerLimit?: number;
  /** Other writes per minute (default 30). */
  writeLimit?: number;
  /** Reads per minute (default 400). */
  readLimit?: number;
}

const MINUTE = 60_000;
const DEFAULT_DURATIONS: Required<PhaseDurations> = { created: 1000, build: 30_000, preDeploy: 0, update: 15_000 };

const id = (prefix: string) =>
  `${prefix}-${Array.from(randomBytes(20), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')}`;

/** The repository part of an image reference (no tag, no digest), Docker Hub names spelled out. */
export function imageRepository(ref: string): string {
  let name = ref.replace(/@.*$/, '');
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = `docker.io/${name}`;
  if (/^docker\.io\/[^/]+$/.test(name)) name = name.replace('docker.io/', 'docker.io/library/');
  return name;
}

/** A fixed window of `limit` calls per minute of emulated time. */
class Limiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly scale: number,
  ) {}

  take(key: string): { ok: boolean; headers: Record<string, string> } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.start + MINUTE) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const ok = window.count < this.limit;
    if (ok) window.count++;
    // Reset in real seconds: what a client sleeping on the wall clock must wait.
    const reset = Math.max(0, Math.ceil((window.start + MINUTE - now) / this.scale / 1000));
    return {
      ok,
      headers: {
        'ratelimit-limit': String(this.limit),
        'ratelimit-remaining': String(this.limit - window.count),
        'ratelimit-reset': String(reset),
      },
    };
  }
}

export class RenderEmulator {
  readonly server = new EmulatorServer();
  readonly apiKey: string;
  readonly services = new Map<string, EmulatedService>();
  private readonly deployRecords: DeployRecord[] = [];
  private readonly clock: { now(): number };
  private readonly triggers: Limiter;
  private readonly writes: Limiter;
  private readonly reads: Limiter;
  private seq = 0;

  constructor(options: RenderEmulatorOptions = {}) {
    this.apiKey = options.apiKey ?? `rnd_${randomBytes(16).toString('hex')}`;
    const scale = options.clock ? 1 : (options.scale ?? 1);
    this.clock = options.clock ?? new EmulatedClock(scale);
    const now = () => this.clock.now();
    this.triggers = new Limiter(options.triggerLimit ?? 10, now, scale);
    this.writes = new Limiter(options.writeLimit ?? 30, now, scale);
    this.reads = new Limiter(options.readLimit ?? 400, now, scale);
    this.routes();
  }

  async start(): Promise<this> {
    await this.server.listen();
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The server root, where the hooks live (`/deploy/...`). */
  get url(): string {
    return this.server.url;
  }

  /** What the action's `api-url` should be. */
  get apiUrl(): string {
    return `${this.server.url}/v1`;
  }

  get requests() {
    return this.server.requests;
  }

  now(): number {
    return this.clock.now();
  }

  inject(fault: Fault): this {
    this.server.inject(fault);
    return this;
  }

  addService(options: RenderServiceOptions = {}): EmulatedService {
    const service: EmulatedService = {
      id: options.id ?? id('srv'),
      name: options.name ?? 'backend',
      image: options.image,
      repo: options.image ? undefined : (options.repo ?? 'https://github.com/acme/backend'),
      branch: options.branch ?? 'main',
      url: options.url,
      suspended: options.suspended ?? false,
      hookKey: options.hookKey ?? randomBytes(12).toString('base64url'),
      durations: { ...DEFAULT_DURATIONS, ...options.durations },
      triggerStatus: options.triggerStatus ?? 201,
      hookAnswer: options.hookAnswer ?? 'deploy',
      outcomes: [...(options.outcomes ?? [])],
      healthStatus: options.healthStatus ?? 200,
    };
    this.services.set(service.id, service);
    if (options.initialDeploy !== false) {
      const at = this.now() - 24 * 3_600_000;
      this.createDeploy(service, { trigger: 'api', outcome: 'live', at, imageUrl: service.image });
    }
    return service;
  }

  /** The service's secret deploy hook URL. */
  hookUrl(serviceId: string): string {
    const service = this.mustService(serviceId);
    return `${this.server.url}/deploy/${service.id}?key=${service.hookKey}`;
  }

  /** `serviceDetails.url`. */
  serviceUrl(serviceId: string): string {
    const service = this.mustService(serviceId);
    return service.url ?? `${this.server.url}/app/${service.id}`;
  }

  /** Deploys as the API shows them now, newest first. */
  deploys(serviceId: string): ReturnType<RenderEmulator['view']>[] {
    return this.visible(serviceId).map((d) => this.view(d));
  }

  /** Requests to the API and hooks (not to the services' apps). */
  apiRequests(): number {
    return this.server.requests.filter((r) => !r.path.startsWith('/app/')).length;
  }

  private mustService(serviceId: string): EmulatedService {
    const service = this.services.get(serviceId);
    if (!service) throw new Error(`render emulator: no service ${serviceId}`);
    return service;
  }

  private createDeploy(
    service: EmulatedService,
    how: {
      trigger: string;
      outcome?: DeployOutcome;
      at?: number;
      imageUrl?: string;
      commitId?: string;
      rollbackOf?: DeployRecord;
      durations?: Required<PhaseDurations>;
    },
  ): DeployRecord {
    const createdAt = how.at ?? this.now();
    const outcome = how.outcome ?? service.outcomes.shift() ?? 'live';
    const d = how.durations ?? service.durations;
    const phases: Phase[] = [{ status: 'created', ms: d.created }];
    const build = { status: 'build_in_progress', ms: d.build };
    const pre = { status: 'pre_deploy_in_progress', ms: d.preDeploy };
    const update = { status: 'update_in_progress', ms: d.update };
    if (how.rollbackOf) phases.push(update);
    else if (outcome === 'build_failed') phases.push(build);
    else if (outcome === 'pre_deploy_failed') phases.push(build, { ...pre, ms: pre.ms || Math.max(1, d.update / 2) });
    else if (outcome === 'canceled') phases.push({ ...build, ms: d.build / 2 });
    else phases.push(build, pre, update);
    const source = how.rollbackOf;
    const ref = source?.image?.ref ?? how.imageUrl ?? service.image;
    const sha = source?.commit?.id ?? how.commitId ?? randomBytes(20).toString('hex');
    const record: DeployRecord = {
      id: id('dep'),
      serviceId: service.id,
      createdAt,
      phases: phases.filter((p) => p.ms > 0),
      outcome: outcome === 'superseded' ? 'live' : outcome,
      commit: service.image
        ? null
        : { id: sha, message: `Commit ${sha.slice(0, 7)}`, createdAt: new Date(createdAt).toISOString() },
      image: service.image
        ? {
            ref: ref!,
            sha: `sha256:${createHash('sha256').update(ref!).digest('hex')}`,
            registryCredential: null,
          }
        : null,
      trigger: how.trigger,
      healthStatus: source?.healthStatus ?? service.healthStatus,
      seq: this.seq++,
    };
    this.deployRecords.push(record);
    if (outcome === 'superseded') {
      // A newer deploy (a fresh push) starts a quarter in and goes live at three quarters: this one is deactivated.
      const total = record.phases.reduce((sum, p) => sum + p.ms, 0);
      const half = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v / 2])) as Required<PhaseDurations>;
      this.createDeploy(service, {
        trigger: 'new_commit',
        outcome: 'live',
        at: createdAt + total / 4,
        imageUrl: ref,
        durations: half,
      });
    }
    return record;
  }

  private end(d: DeployRecord): number {
    return d.createdAt + d.phases.reduce((sum, p) => sum + p.ms, 0);
  }

  /** When a newer deploy of the same service went (or goes) live, deactivating this one. */
  private supersededAt(d: DeployRecord): number | undefined {
    let at: number | undefined;
    for (const e of this.deployRecords) {
      if (e.serviceId !== d.serviceId || e.seq === d.seq || e.createdAt < d.createdAt) continue;
      if (e.createdAt === d.createdAt && e.seq < d.seq) continue;
      if (e.outcome !== 'live' || e.canceledAt !== undefined) continue;
      const live = this.end(e);
      if (at === undefined || live < at) at = live;
    }
    return at;
  }

  /** Status, last change and finish time of a deploy at `now`. */
  private state(d: DeployRecord, now = this.now()): { status: string; updatedAt: number; finishedAt?: number } {
    const end = this.end(d);
    if (d.canceledAt !== undefined && now >= d.canceledAt)
      return { status: 'canceled', updatedAt: d.canceledAt, finishedAt: d.canceledAt };
    const superseded = this.supersededAt(d);
    if (superseded !== undefined && superseded <= now && (superseded < end || d.outcome === 'live')) {
      const finishedAt = Math.min(superseded, end);
      return { status: 'deactivated', updatedAt: superseded, finishedAt };
    }
    if (now >= end) return { status: d.outcome, updatedAt: end, finishedAt: end };
    let at = d.createdAt;
    for (const phase of d.phases) {
      if (now < at + phase.ms) return { status: phase.status, updatedAt: at };
      at += phase.ms;
    }
    return { status: d.outcome, updatedAt: end, finishedAt: end };
  }

  private view(d: DeployRecord) {
    const state = this.state(d);
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: d.id,
      commit: d.commit,
      image: d.image,
      status: state.status,
      trigger: d.trigger,
      createdAt: iso(d.createdAt),
      updatedAt: iso(state.updatedAt),
      finishedAt: state.finishedAt === undefined ? null : iso(state.finishedAt),
    };
  }

  /** Deploys that exist by now, newest first. */
  private visible(serviceId: string): DeployRecord[] {
    const now = this.now();
    return this.deployRecords
      .filter((d) => d.serviceId === serviceId && d.createdAt <= now)
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  private liveDeploy(service: EmulatedService): DeployRecord | undefined {
    return this.visible(service.id).find((d) => this.state(d).status === 'live');
  }

  private serviceView(service: EmulatedService) {
    return {
      id: service.id,
      name: service.name,
      type: 'web_service',
      suspended: service.suspended ? 'suspended' : 'not_suspended',
      autoDeploy: 'yes',
      ...(service.image ? { imagePath: service.image } : { repo: service.repo, branch: service.branch }),
      dashboardUrl: `https://dashboard.render.com/web/${service.id}`,
      serviceDetails: {
        url: this.serviceUrl(service.id),
        env: service.image ? 'image' : 'docker',
        region: 'oregon',
        plan: 'starter',
      },
    };
  }

  /** Validates what a trigger asks for; a message when Render would refuse it. */
  private refusal(service: EmulatedService, imageUrl?: string, commitId?: string): string | undefined {
    if (service.suspended) return 'service is suspended';
    if (imageUrl !== undefined) {
      if (!service.image) return 'imgURL is only valid for image-backed services';
      if (imageRepository(imageUrl) !== imageRepository(service.image))
        return `image ${imageUrl} does not match the service's image repository ${imageRepository(service.image)}`;
    }
    if (commitId !== undefined && service.image) return 'a commit can only be deployed on a git-backed service';
    return undefined;
  }

  private routes(): void {
    const s = this.server;
    const hook = (req: EmulatorRequest): EmulatorResponse => {
      const service = this.services.get(req.params[0]);
      if (!service) return { status: 404, body: { message: 'Not Found' } };
      if (req.query.get('key') !== service.hookKey) return { status: 401, body: { message: 'Unauthorized' } };
      const limit = this.triggers.take(service.id);
      if (!limit.ok) return { status: 429, headers: limit.headers, body: { message: 'Rate limit exceeded' } };
      const imageUrl = req.query.get('imgURL') ?? undefined;
      const ref = req.query.get('ref') ?? undefined;
      const refused = this.refusal(service, imageUrl, ref);
      if (refused) return { status: 400, headers: limit.headers, body: { message: refused } };
      const deploy = this.createDeploy(service, { trigger: 'deploy_hook', imageUrl, commitId: ref });
      return {
        status: 200,
        headers: limit.headers,
        body: service.hookAnswer === 'deploy' ? { deploy: { id: deploy.id } } : '',
      };
    };
    s.route('GET', /^\/deploy\/([^/]+)\/?$/, hook);
    s.route('POST', /^\/deploy\/([^/]+)\/?$/, hook);

    s.route('GET', /^\/app\/([^/]+)(\/.*)?$/, (req) => {
      const service = this.services.get(req.params[0]);
      const live = service && !service.suspended ? this.liveDeploy(service) : undefined;
      if (!live) return { status: 503, body: 'no live deploy' };
      return { status: live.healthStatus, body: live.healthStatus < 400 ? 'ok' : 'unhealthy' };
    });

    const api = (
      method: string,
      pattern: RegExp,
      kind: 'read' | 'write' | 'trigger',
      handler: (req: EmulatorRequest, service: EmulatedService) => EmulatorResponse,
    ) =>
      s.route(method, pattern, (req) => {
        if (req.headers.authorization !== `Bearer ${this.apiKey}`)
          return { status: 401, body: { message: 'Unauthorized' } };
        const service = this.services.get(req.params[0]);
        if (!service) return { status: 404, body: { message: 'Not Found: service' } };
        const limiter = kind === 'read' ? this.reads : kind === 'write' ? this.writes : this.triggers;
        const limit = limiter.take(kind === 'read' ? this.apiKey : service.id);
        if (!limit.ok) return { status: 429, headers: limit.headers, body: { message: 'Rate limit exceeded' } };
        const response = handler(req, service);
        return { ...response, headers: { ...limit.headers, ...response.headers } };
      });

    api('GET', /^\/v1\/services\/([^/]+)$/, 'read', (_req, service) => ({
      status: 200,
      body: this.serviceView(service),
    }));

    api('POST', /^\/v1\/services\/([^/]+)\/deploys$/, 'trigger', (req, service) => {
      let body: { clearCache?: string; commitId?: string; imageUrl?: string };
      try {
        body = req.json();
      } catch {
        return { status: 400, body: { message: 'invalid JSON body' } };
      }
      if (body.clearCache !== undefined && body.clearCache !== 'clear' && body.clearCache !== 'do_not_clear')
        return { status: 400, body: { message: 'clearCache must be "clear" or "do_not_clear"' } };
      const refused = this.refusal(service, body.imageUrl, body.commitId);
      if (refused) return { status: service.suspended ? 409 : 400, body: { message: refused } };
      const deploy = this.createDeploy(service, { trigger: 'api', imageUrl: body.imageUrl, commitId: body.commitId });
      return service.triggerStatus === 202 ? { status: 202 } : { status: 201, body: this.view(deploy) };
    });

    api('GET', /^\/v1\/services\/([^/]+)\/deploys$/, 'read', (req, service) => {
      const limit = Number(req.query.get('limit') ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return { status: 400, body: { message: 'limit must be from 1 to 100' } };
      const time = (name: string) => {
        const value = req.query.get(name);
        return value === null ? undefined : Date.parse(value);
      };
      const after = time('createdAfter');
      const before = time('createdBefore');
      if (Number.isNaN(after) || Number.isNaN(before))
        return { status: 400, body: { message: 'createdAfter/createdBefore must be ISO 8601 times' } };
      const statuses = req.query
        .getAll('status')
        .flatMap((v) => v.split(','))
        .filter(Boolean);
      let list = this.visible(service.id)
        .filter((d) => (after === undefined || d.createdAt > after) && (before === undefined || d.createdAt < before))
        .map((d) => this.view(d))
        .filter((d) => !statuses.length || statuses.includes(d.status));
      const cursor = req.query.get('cursor');
      if (cursor) {
        const at = list.findIndex((d) => d.id === cursor);
        if (at < 0) return { status: 400, body: { message: 'invalid cursor' } };
        list = list.slice(at + 1);
      }
      return { status: 200, body: list.slice(0, limit).map((deploy) => ({ deploy, cursor: deploy.id })) };
    });

    const findDeploy = (service: EmulatedService, deployId: string) =>
      this.visible(service.id).find((d) => d.id === deployId);

    api('GET', /^\/v1\/services\/([^/]+)\/deploys\/([^/]+)$/, 'read', (req, service) => {
      const deploy = findDeploy(service, req.params[1]);
      return deploy
        ? { status: 200, body: this.view(deploy) }
        : { status: 404, body: { message: 'Not Found: deploy' } };
    });

    api('POST', /^\/v1\/services\/([^/]+)\/deploys\/([^/]+)\/cancel$/, 'write', (req, service) => {
      const deploy = findDeploy(service, req.params[1]);
      if (!deploy) return { status: 404, body: { message: 'Not Found: deploy' } };
      if (this.state(deploy).finishedAt !== undefined)
        return { status: 409, body: { message: `deploy is ${this.state(deploy).status} and cannot be canceled` } };
      deploy.canceledAt = this.now();
      return { status: 200, body: this.view(deploy) };
    });

    api('POST', /^\/v1\/services\/([^/]+)\/rollback$/, 'write', (req, service) => {
      const { deployId } = req.json<{ deployId?: string }>();
      const target = deployId ? findDeploy(service, deployId) : undefined;
      if (!target) return { status: 404, body: { message: 'Not Found: deploy' } };
      const superseded = this.supersededAt(target);
      const wasLive =
        target.outcome === 'live' &&
        target.canceledAt === undefined &&
        this.end(target) <= this.now() &&
        (superseded === undefined || superseded >= this.end(target));
      if (!wasLive) return { status: 400, body: { message: 'can only roll back to a deploy that was live' } };
      if (service.suspended) return { status: 409, body: { message: 'service is suspended' } };
      const deploy = this.createDeploy(service, { trigger: 'rollback', outcome: 'live', rollbackOf: target });
      return { status: 201, body: this.view(deploy) };
    });
  }
}
