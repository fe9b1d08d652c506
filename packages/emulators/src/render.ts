import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { checkBody, checkQuery, checkResponse } from './render-openapi/validate';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer, type Fault } from './server';

/**
 * Render, emulated after Render's own API definition: the subset of its OpenAPI document committed in
 * ./render-openapi (transcribed from the types Render generates for its official SDK; see SOURCE.md),
 * which every request and every answer is checked against. Unknown body fields, bad enums, bad limits
 * and bad timestamps are refused with 400 as Render does; an answer that does not fit the definition is a
 * 500 "emulator error", so a test cannot pass on a shape the real API never sends.
 *
 * Image- and git-backed web services, the secret deploy hook (`/deploy/srv-X?key=Y[&imgURL=][&ref=]`,
 * not part of the OpenAPI document), and the `/v1` calls a deploy needs behind a Bearer API key. Deploys
 * run one at a time per service: one triggered while another runs is `queued` (the API trigger answers
 * 202 then), and when the running one ends only the newest queued deploy starts; older queued ones are
 * deactivated without ever starting (no `startedAt`). A deploy moves created → build_in_progress →
 * (pre_deploy_in_progress →) update_in_progress → live, or ends as a test queued it; a newer live deploy
 * deactivates the older one. Cancel answers what the definition lists: 200 with the deploy for one that is
 * queued or running, 400 for one that has finished (the definition has no 409).
 *
 * Rate limits follow Render's: 10 deploy triggers a minute per service (hook and API together), 30 other
 * writes and 400 reads a minute, with Ratelimit-Limit/Remaining/Reset headers. Each service also serves its
 * app under `/app/<service-id>` (its `serviceDetails.url`), answering with the health status its live
 * deploy was created with.
 *
 * Statuses are computed from the clock when asked, never by timers, so a virtual clock (the benchmark)
 * drives the emulator exactly like scaled real time (the tests). With `observeEachStatus`, a deploy stays in
 * each status until a client has read it there (GET of the deploy): tests that assert on the statuses a
 * client saw control the transitions instead of hoping a poll lands in each one.
 */

/**
 * How a deploy ends. `replaced`: it goes live and a newer deploy of another image/commit (already queued
 * behind it, taking no time) deactivates it at once. `superseded` / `superseded-by-other`: it is queued
 * behind a running deploy, a newer deploy of the same / another image or commit is queued after it, and
 * when the running one ends Render starts the newer one and deactivates ours without starting it.
 */
export type DeployOutcome =
  | 'live'
  | 'build_failed'
  | 'update_failed'
  | 'pre_deploy_failed'
  | 'canceled'
  | 'replaced'
  | 'superseded'
  | 'superseded-by-other';

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
  /** What `POST /v1/services/{id}/deploys` answers: by default 201 with the deploy, 202 when it is queued. */
  triggerStatus?: 201 | 202;
  /** Whether the hook answers `{"deploy":{"id"}}` (default) or an empty 200. */
  hookAnswer?: 'deploy' | 'empty';
  /** Hook query parameters this service ignores, deploying its configured image or branch head instead. */
  hookIgnores?: ('imgURL' | 'ref')[];
  /** Outcomes of the next deploys, one each, in order; `live` once the queue is empty. */
  outcomes?: DeployOutcome[];
  /** The status the app answers while a deploy triggered from now on is live (default 200). */
  healthStatus?: number;
  /** Start with one live deploy, as a service that has been deployed before (default true). */
  initialDeploy?: boolean;
  /** Hold each deploy in each status until a client has read it there. */
  observeEachStatus?: boolean;
}

type FinalStatus = 'live' | 'build_failed' | 'update_failed' | 'pre_deploy_failed' | 'canceled';

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
  outcome: FinalStatus;
  canceledAt?: number;
  commit?: { id: string; message: string; createdAt: string };
  image?: { ref: string; sha: string };
  trigger: string;
  healthStatus: number;
  seq: number;
  /** With observeEachStatus: the index (into phases, then the end) of the last status a client read. */
  observed: number;
  /** Time added to each phase (by index) to hold the deploy in it until a client has read it. */
  holds: number[];
}

/** Where a deploy stands in its service's queue: when it started (never, when skipped), ended, and how. */
interface Slot {
  startedAt?: number;
  finishedAt: number;
  final: FinalStatus | 'deactivated';
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
  triggerStatus?: 201 | 202;
  hookAnswer: 'deploy' | 'empty';
  hookIgnores: ('imgURL' | 'ref')[];
  outcomes: DeployOutcome[];
  healthStatus: number;
  observeEachStatus: boolean;
  /** The commit at the head of the branch: what a git deploy without a commit builds. */
  head: string;
  createdAt: number;
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
  /** Text the API puts into its error messages, e.g. to test that a client never shows what an API echoes. */
  echo?: (req: EmulatorRequest) => string;
}

const MINUTE = 60_000;
const DEFAULT_DURATIONS: Required<PhaseDurations> = { created: 1000, build: 30_000, preDeploy: 0, update: 15_000 };
const NO_TIME: Required<PhaseDurations> = { created: 0, build: 0, preDeploy: 0, update: 0 };

const id = (prefix: string) =>
  `${prefix}-${Array.from(randomBytes(20), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')}`;
const sha1 = () => randomBytes(20).toString('hex');

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

/** Another tag of the same repository: what a newer deploy of "another image" carries. */
function otherImage(ref: string): string {
  return `${imageRepository(ref)}:other-${randomBytes(3).toString('hex')}`;
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

const total = (d: DeployRecord) => d.phases.reduce((sum, p) => sum + p.ms, 0) + d.holds.reduce((a, b) => a + b, 0);

export class RenderEmulator {
  readonly server = new EmulatorServer();
  readonly apiKey: string;
  readonly services = new Map<string, EmulatedService>();
  private readonly deployRecords: DeployRecord[] = [];
  private readonly clock: { now(): number };
  private readonly triggers: Limiter;
  private readonly writes: Limiter;
  private readonly reads: Limiter;
  private readonly echo?: (req: EmulatorRequest) => string;
  private seq = 0;

  constructor(options: RenderEmulatorOptions = {}) {
    this.apiKey = options.apiKey ?? `rnd_${randomBytes(16).toString('hex')}`;
    const scale = options.clock ? 1 : (options.scale ?? 1);
    this.clock = options.clock ?? new EmulatedClock(scale);
    const now = () => this.clock.now();
    this.triggers = new Limiter(options.triggerLimit ?? 10, now, scale);
    this.writes = new Limiter(options.writeLimit ?? 30, now, scale);
    this.reads = new Limiter(options.readLimit ?? 400, now, scale);
    this.echo = options.echo;
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
      triggerStatus: options.triggerStatus,
      hookAnswer: options.hookAnswer ?? 'deploy',
      hookIgnores: options.hookIgnores ?? [],
      outcomes: [...(options.outcomes ?? [])],
      healthStatus: options.healthStatus ?? 200,
      observeEachStatus: options.observeEachStatus ?? false,
      head: sha1(),
      createdAt: this.now() - 30 * 24 * 3_600_000,
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
    return `${this.server.url}/deploy/${service.id}?key=${encodeURIComponent(service.hookKey)}`;
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

  /** A deploy that some other actor (a push, a teammate) starts now, e.g. to have one running. */
  startDeploy(
    serviceId: string,
    how: {
      trigger?: 'new_commit' | 'manual';
      imageUrl?: string;
      commitId?: string;
      outcome?: DeployOutcome;
      durations?: PhaseDurations;
    } = {},
  ): ReturnType<RenderEmulator['view']> {
    const service = this.mustService(serviceId);
    const durations = how.durations && { ...service.durations, ...how.durations };
    const record = this.createDeploy(service, { ...how, trigger: how.trigger ?? 'new_commit', durations });
    return this.view(record);
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
    const source = how.rollbackOf;
    if (outcome === 'superseded' || outcome === 'superseded-by-other') {
      // Someone else's deploy is running; ours queues behind it, and a newer one queues behind ours.
      const blocker = this.createDeploy(service, { trigger: 'new_commit', outcome: 'live', at: createdAt });
      const ours = this.createDeploy(service, { ...how, outcome: 'live', at: createdAt });
      const same = outcome === 'superseded';
      const ref = ours.image?.ref;
      this.createDeploy(service, {
        trigger: 'new_commit',
        outcome: 'live',
        at: createdAt + Math.max(1, total(blocker) / 2),
        imageUrl: ref && (same ? ref : otherImage(ref)),
        commitId: ours.commit && (same ? ours.commit.id : sha1()),
      });
      return ours;
    }
    const phases: Phase[] = [{ status: 'created', ms: d.created }];
    const build = { status: 'build_in_progress', ms: d.build };
    const pre = { status: 'pre_deploy_in_progress', ms: d.preDeploy };
    const update = { status: 'update_in_progress', ms: d.update };
    if (source) phases.push(update);
    else if (outcome === 'build_failed') phases.push(build);
    else if (outcome === 'pre_deploy_failed') phases.push(build, { ...pre, ms: pre.ms || Math.max(1, d.update / 2) });
    else if (outcome === 'canceled') phases.push({ ...build, ms: d.build / 2 });
    else phases.push(build, pre, update);
    const ref = source?.image?.ref ?? how.imageUrl ?? service.image;
    const sha = source?.commit?.id ?? how.commitId ?? service.head;
    const kept = phases.filter((p) => p.ms > 0);
    const record: DeployRecord = {
      id: id('dep'),
      serviceId: service.id,
      createdAt,
      phases: kept,
      outcome: outcome === 'replaced' ? 'live' : outcome,
      commit: service.image
        ? undefined
        : { id: sha, message: `Commit ${sha.slice(0, 7)}`, createdAt: new Date(createdAt).toISOString() },
      image: service.image
        ? {
            ref: ref ?? service.image,
            sha: `sha256:${createHash('sha256')
              .update(ref ?? '')
              .digest('hex')}`,
          }
        : undefined,
      trigger: how.trigger,
      healthStatus: source?.healthStatus ?? service.healthStatus,
      seq: this.seq++,
      observed: -1,
      holds: kept.map(() => 0),
    };
    this.deployRecords.push(record);
    if (outcome === 'replaced') {
      // A push right behind ours: queued while ours runs, it takes no time, so ours is live for no time at all.
      this.createDeploy(service, {
        trigger: 'new_commit',
        outcome: 'live',
        at: createdAt,
        imageUrl: ref && otherImage(ref),
        commitId: record.commit && sha1(),
        durations: NO_TIME,
      });
    }
    return record;
  }

  /**
   * The service's queue, replayed from the start: one deploy runs at a time; when it ends, the newest
   * queued deploy starts and the older queued ones are deactivated unstarted; a cancel takes a queued
   * deploy out of the queue, or stops a running one.
   */
  private schedule(serviceId: string): Map<DeployRecord, Slot> {
    const slots = new Map<DeployRecord, Slot>();
    const records = this.deployRecords
      .filter((d) => d.serviceId === serviceId)
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    let busyUntil = Number.NEGATIVE_INFINITY;
    let queue: DeployRecord[] = [];
    const run = (d: DeployRecord, at: number) => {
      const end = at + total(d);
      const canceled = d.canceledAt !== undefined && d.canceledAt < end;
      const finishedAt = canceled ? Math.max(at, d.canceledAt ?? at) : end;
      slots.set(d, { startedAt: at, finishedAt, final: canceled ? 'canceled' : d.outcome });
      busyUntil = finishedAt;
    };
    const startNext = () => {
      const at = busyUntil;
      const waiting: DeployRecord[] = [];
      for (const q of queue) {
        if (q.canceledAt !== undefined && q.canceledAt <= at)
          slots.set(q, { finishedAt: q.canceledAt, final: 'canceled' });
        else waiting.push(q);
      }
      queue = [];
      const next = waiting.pop();
      for (const skipped of waiting) slots.set(skipped, { finishedAt: at, final: 'deactivated' });
      if (next) run(next, at);
    };
    for (const d of records) {
      while (queue.length && busyUntil <= d.createdAt) startNext();
      if (!queue.length && busyUntil <= d.createdAt) run(d, d.createdAt);
      else queue.push(d);
    }
    while (queue.length) startNext();
    return slots;
  }

  /** When a newer deploy of the same service went (or goes) live, deactivating this live one. */
  private replacedAt(d: DeployRecord, slots: Map<DeployRecord, Slot>): number | undefined {
    const own = slots.get(d);
    if (own?.final !== 'live') return undefined;
    let at: number | undefined;
    for (const [e, slot] of slots) {
      if (e === d || slot.final !== 'live' || slot.finishedAt < own.finishedAt) continue;
      if (slot.finishedAt === own.finishedAt && (e.createdAt < d.createdAt || e.seq < d.seq)) continue;
      if (at === undefined || slot.finishedAt < at) at = slot.finishedAt;
    }
    return at;
  }

  /** Status (with its index: phases, then the end), last change, start and finish of a deploy at `now`. */
  private state(d: DeployRecord, now = this.now()) {
    const slots = this.schedule(d.serviceId);
    const slot = slots.get(d) ?? { finishedAt: Number.POSITIVE_INFINITY, final: d.outcome };
    const end = d.phases.length;
    if (slot.startedAt === undefined || now < slot.startedAt) {
      if (now < slot.finishedAt) return { status: 'queued', index: -1, updatedAt: d.createdAt, slot };
      return { status: slot.final, index: end, updatedAt: slot.finishedAt, finishedAt: slot.finishedAt, slot };
    }
    if (now >= slot.finishedAt) {
      const replaced = this.replacedAt(d, slots);
      if (replaced !== undefined && now >= replaced)
        return { status: 'deactivated', index: end, updatedAt: replaced, finishedAt: slot.finishedAt, slot };
      return { status: slot.final, index: end, updatedAt: slot.finishedAt, finishedAt: slot.finishedAt, slot };
    }
    let at = slot.startedAt;
    for (const [i, phase] of d.phases.entries()) {
      if (now < at + phase.ms + d.holds[i]) return { status: phase.status, index: i, updatedAt: at, slot };
      at += phase.ms + d.holds[i];
    }
    return { status: slot.final, index: end, updatedAt: slot.finishedAt, finishedAt: slot.finishedAt, slot };
  }

  /**
   * observeEachStatus: a read that would skip a status the client has not seen holds the deploy in it.
   * Returns the instant of the read, so the answer is built at that same instant (a later clock reading
   * could already be past the hold on a loaded machine).
   */
  private observe(d: DeployRecord, service: EmulatedService): number {
    const now = this.now();
    if (service.observeEachStatus) {
      const { index, slot } = this.state(d, now);
      const next = d.observed + 1;
      if (slot.startedAt !== undefined && index > next && next < d.phases.length) {
        let phaseEnd = slot.startedAt;
        for (let i = 0; i <= next; i++) phaseEnd += d.phases[i].ms + d.holds[i];
        // Phase `next` now ends just after this read; everything after it moves along.
        d.holds[next] += now - phaseEnd + 1;
      }
    }
    d.observed = Math.max(d.observed, this.state(d, now).index);
    return now;
  }

  private view(d: DeployRecord, now = this.now()) {
    const state = this.state(d, now);
    const iso = (ms: number) => new Date(ms).toISOString();
    const startedAt = state.slot.startedAt;
    return {
      id: d.id,
      ...(d.commit ? { commit: d.commit } : {}),
      ...(d.image ? { image: d.image } : {}),
      status: state.status,
      trigger: d.trigger,
      ...(startedAt !== undefined && startedAt <= now ? { startedAt: iso(startedAt) } : {}),
      ...(state.finishedAt !== undefined ? { finishedAt: iso(state.finishedAt) } : {}),
      createdAt: iso(d.createdAt),
      updatedAt: iso(state.updatedAt),
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

  /** Whether a deploy is running or queued: a new trigger then queues. */
  private busy(service: EmulatedService): boolean {
    return this.visible(service.id).some((d) => this.state(d).finishedAt === undefined);
  }

  private serviceView(service: EmulatedService) {
    const iso = new Date(service.createdAt).toISOString();
    return {
      id: service.id,
      autoDeploy: 'yes',
      ...(service.image ? { imagePath: service.image } : { repo: service.repo, branch: service.branch }),
      createdAt: iso,
      dashboardUrl: `https://dashboard.render.com/web/${service.id}`,
      name: service.name,
      notifyOnFail: 'default',
      ownerId: 'tea-emulated0000000000000',
      rootDir: '',
      slug: service.name,
      suspended: service.suspended ? 'suspended' : 'not_suspended',
      suspenders: service.suspended ? ['user'] : [],
      type: 'web_service',
      updatedAt: iso,
      serviceDetails: {
        url: this.serviceUrl(service.id),
        env: service.image ? 'image' : 'docker',
        runtime: service.image ? 'image' : 'docker',
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

  /** An error answer in Render's shape (the definition's `error`: id, message). */
  private error(req: EmulatorRequest, status: number, message: string): EmulatorResponse {
    const echoed = this.echo ? ` (${this.echo(req)})` : '';
    return { status, body: { id: randomUUID(), message: `${message}${echoed}` } };
  }

  private routes(): void {
    const s = this.server;
    const hook = (req: EmulatorRequest): EmulatorResponse => {
      const service = this.services.get(req.params[0]);
      if (!service) return this.error(req, 404, 'Not Found');
      if (req.query.get('key') !== service.hookKey) return this.error(req, 401, 'Unauthorized');
      const limit = this.triggers.take(service.id);
      if (!limit.ok) return { ...this.error(req, 429, 'Rate limit exceeded'), headers: limit.headers };
      const imageUrl = service.hookIgnores.includes('imgURL') ? undefined : (req.query.get('imgURL') ?? undefined);
      const ref = service.hookIgnores.includes('ref') ? undefined : (req.query.get('ref') ?? undefined);
      const refused = this.refusal(service, imageUrl, ref);
      if (refused) return { ...this.error(req, 400, refused), headers: limit.headers };
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
      operationId: string,
      kind: 'read' | 'write' | 'trigger',
      handler: (req: EmulatorRequest, service: EmulatedService, body: Record<string, unknown>) => EmulatorResponse,
    ) =>
      s.route(method, pattern, (req) => {
        const answer = (): EmulatorResponse & { malformed?: boolean } => {
          if (req.headers.authorization !== `Bearer ${this.apiKey}`) return this.error(req, 401, 'Unauthorized');
          const service = this.services.get(req.params[0]);
          if (!service) return this.error(req, 404, 'Not Found: service');
          const limiter = kind === 'read' ? this.reads : kind === 'write' ? this.writes : this.triggers;
          const limit = limiter.take(kind === 'read' ? this.apiKey : service.id);
          if (!limit.ok) return { ...this.error(req, 429, 'Rate limit exceeded'), headers: limit.headers };
          const query = checkQuery(operationId, req.query);
          // The definition lists no 400 for reads, yet a query it does not allow cannot be answered either.
          if (query) return { ...this.error(req, 400, query), headers: limit.headers, malformed: true };
          const { body, problem } = checkBody(operationId, req.body);
          if (problem || !body) return { ...this.error(req, 400, problem ?? 'bad body'), headers: limit.headers };
          const response = handler(req, service, body);
          return { ...response, headers: { ...limit.headers, ...response.headers } };
        };
        const { malformed, ...response } = answer();
        const wrong = malformed ? undefined : checkResponse(operationId, response.status, response.body);
        if (wrong) throw new Error(`answer outside Render's definition: ${wrong}`);
        return response;
      });

    api('GET', /^\/v1\/services\/([^/]+)$/, 'retrieve-service', 'read', (_req, service) => ({
      status: 200,
      body: this.serviceView(service),
    }));

    api('POST', /^\/v1\/services\/([^/]+)\/deploys$/, 'create-deploy', 'trigger', (req, service, body) => {
      const { imageUrl, commitId } = body as { imageUrl?: string; commitId?: string };
      const refused = this.refusal(service, imageUrl, commitId);
      if (refused) return this.error(req, service.suspended ? 409 : 400, refused);
      const queued = this.busy(service);
      const deploy = this.createDeploy(service, { trigger: 'api', imageUrl, commitId });
      const status = service.triggerStatus ?? (queued ? 202 : 201);
      return status === 202 ? { status: 202 } : { status: 201, body: this.view(deploy) };
    });

    api('GET', /^\/v1\/services\/([^/]+)\/deploys$/, 'list-deploys', 'read', (req, service) => {
      const limit = Number(req.query.get('limit') ?? 20);
      const time = (name: string) => {
        const value = req.query.get(name);
        return value === null ? undefined : Date.parse(value);
      };
      const after = time('createdAfter');
      const before = time('createdBefore');
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
        if (at < 0) return this.error(req, 400, 'invalid cursor');
        list = list.slice(at + 1);
      }
      return { status: 200, body: list.slice(0, limit).map((deploy) => ({ deploy, cursor: deploy.id })) };
    });

    const findDeploy = (service: EmulatedService, deployId: string) =>
      this.visible(service.id).find((d) => d.id === deployId);

    api('GET', /^\/v1\/services\/([^/]+)\/deploys\/([^/]+)$/, 'retrieve-deploy', 'read', (req, service) => {
      const deploy = findDeploy(service, req.params[1]);
      if (!deploy) return this.error(req, 404, 'Not Found: deploy');
      const now = this.observe(deploy, service);
      return { status: 200, body: this.view(deploy, now) };
    });

    api('POST', /^\/v1\/services\/([^/]+)\/deploys\/([^/]+)\/cancel$/, 'cancel-deploy', 'write', (req, service) => {
      const deploy = findDeploy(service, req.params[1]);
      if (!deploy) return this.error(req, 404, 'Not Found: deploy');
      const state = this.state(deploy);
      if (state.finishedAt !== undefined)
        return this.error(req, 400, `deploy is ${state.status} and cannot be canceled`);
      deploy.canceledAt = this.now();
      return { status: 200, body: this.view(deploy) };
    });

    api('POST', /^\/v1\/services\/([^/]+)\/rollback$/, 'rollback-deploy', 'write', (req, service, body) => {
      const target = findDeploy(service, String(body.deployId));
      if (!target) return this.error(req, 404, 'Not Found: deploy');
      const slot = this.schedule(service.id).get(target);
      const wasLive = slot?.final === 'live' && slot.finishedAt <= this.now();
      if (!wasLive) return this.error(req, 400, 'can only roll back to a deploy that was live');
      if (service.suspended) return this.error(req, 400, 'service is suspended');
      const deploy = this.createDeploy(service, { trigger: 'rollback', outcome: 'live', rollbackOf: target });
      return { status: 201, body: this.view(deploy) };
    });
  }
}
