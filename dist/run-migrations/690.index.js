export const id = 690;
export const ids = [690];
export const modules = {

/***/ 690:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCloudRunJob: () => (/* binding */ runCloudRunJob)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 12 modules
var src = __webpack_require__(5304);
// EXTERNAL MODULE: ./node_modules/google-auth-library/build/src/index.js
var build_src = __webpack_require__(492);
;// CONCATENATED MODULE: ./packages/gcp/src/auth.ts



/**
 * Google credentials as a workflow has them: an explicit access token, or the credentials file that
 * google-github-actions/auth wrote (a service-account key or a Workload Identity Federation
 * `external_account` file), which google-auth-library turns into access tokens. Every token, the key's
 * private key and the federation request token are masked the moment we see them.
 *
 *   googleCredentials({ accessToken?, scopes?, project? }) → { token(), project?, source }
 *
 * `token()` returns a valid access token (cached by google-auth-library until near expiry); `project` is the
 * explicit one, else GOOGLE_CLOUD_PROJECT / CLOUDSDK_CORE_PROJECT / GCLOUD_PROJECT / GCP_PROJECT, else the
 * file's project_id; `source` says where the credentials came from, for logs and summaries.
 *
 * One thing google-auth-library does not do: it posts service-account assertions to Google's fixed token
 * URL and ignores the key's own `token_uri`. We send them to `token_uri` (a request interceptor), so keys
 * for private endpoints, and local token servers in tests, work.
 */
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Where google-github-actions/auth (and gcloud) leave the credentials file, in the order we look. */
const CREDENTIAL_FILE_VARIABLES = [
    'GOOGLE_APPLICATION_CREDENTIALS',
    'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
    'GOOGLE_GHA_CREDS_PATH',
];
const PROJECT_VARIABLES = ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT', 'GCLOUD_PROJECT', 'GCP_PROJECT'];
const NO_CREDENTIALS = 'No Google credentials found: run google-github-actions/auth before this step (it sets GOOGLE_APPLICATION_CREDENTIALS), or pass an OAuth token in the "access-token" input';
async function googleCredentials(options = {}) {
    const env = options.env ?? process.env;
    const envProject = PROJECT_VARIABLES.map((name) => env[name]).find(Boolean);
    if (options.accessToken) {
        const token = (0,src/* registerSecret */.cl)(options.accessToken.trim());
        return { token: async () => token, project: options.project ?? envProject, source: 'access-token input' };
    }
    const variable = CREDENTIAL_FILE_VARIABLES.find((name) => env[name]);
    if (!variable)
        throw new src/* UserError */.yo(NO_CREDENTIALS);
    const path = env[variable];
    const json = readCredentialFile(path, variable);
    const type = String(json.type ?? '');
    maskFile(json);
    const auth = new build_src.GoogleAuth({ credentials: json, scopes: options.scopes ?? [CLOUD_PLATFORM_SCOPE] });
    let client;
    try {
        client = (await auth.getClient());
    }
    catch (error) {
        throw new src/* UserError */.yo((0,src/* redact */.E$)(`The credentials file in ${variable} cannot be used: ${error.message}`));
    }
    const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : undefined;
    if (type === 'service_account' && tokenUri && tokenUri !== GOOGLE_TOKEN_URL)
        sendAssertionsTo(client, tokenUri);
    const who = type === 'service_account'
        ? `service account ${json.client_email}`
        : type === 'external_account'
            ? 'Workload Identity Federation'
            : type.replace(/_/g, ' ') || 'credentials';
    const source = `${who} (${variable})`;
    return {
        source,
        project: options.project ?? envProject ?? (typeof json.project_id === 'string' ? json.project_id : undefined),
        async token() {
            let token;
            try {
                token = (await client.getAccessToken()).token;
            }
            catch (error) {
                throw new src/* UserError */.yo((0,src/* redact */.E$)(`Could not get a Google access token from ${source}: ${describe(error)}`));
            }
            if (!token)
                throw new src/* UserError */.yo(`Could not get a Google access token from ${source}: none was returned`);
            return (0,src/* registerSecret */.cl)(token);
        },
    };
}
function readCredentialFile(path, variable) {
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        throw new src/* UserError */.yo(`${variable} points at ${path}, which cannot be read: run google-github-actions/auth in the same job, before this step`);
    }
    try {
        const json = JSON.parse(text);
        if (json && typeof json === 'object' && !Array.isArray(json))
            return json;
    }
    catch { }
    // Never quote the file: it is a key.
    throw new src/* UserError */.yo(`${variable} points at ${path}, which is not a JSON credentials file: give a service-account key or an external_account file`);
}
/** Masks what in the file is secret: the private key (whole and line by line) and any federation request token. */
function maskFile(json) {
    if (typeof json.private_key === 'string') {
        // Line by line: a PEM block is masked by its lines, and no line of it can then appear anywhere.
        for (const line of json.private_key.split(/\r?\n/))
            if (line.length >= 16 && !line.startsWith('-----'))
                (0,src/* registerSecret */.cl)(line);
    }
    if (typeof json.private_key_id === 'string')
        (0,src/* registerSecret */.cl)(json.private_key_id);
    const headers = json.credential_source?.headers ?? {};
    for (const value of Object.values(headers)) {
        (0,src/* registerSecret */.cl)(value);
        (0,src/* registerSecret */.cl)(value.replace(/^Bearer\s+/i, ''));
    }
    if (typeof json.client_secret === 'string')
        (0,src/* registerSecret */.cl)(json.client_secret);
    if (typeof json.refresh_token === 'string')
        (0,src/* registerSecret */.cl)(json.refresh_token);
}
function sendAssertionsTo(client, tokenUri) {
    client.transporter.interceptors.request.add({
        resolved: async (config) => {
            if (String(config.url) === GOOGLE_TOKEN_URL)
                config.url = new URL(tokenUri);
            return config;
        },
    });
}
/** google-auth-library errors carry the token endpoint's answer in `response.data`. */
function describe(error) {
    const data = error.response?.data;
    const detail = data && typeof data === 'object'
        ? [data.error, data.error_description]
            .filter((v) => typeof v === 'string')
            .join(': ')
        : '';
    return detail || error.message;
}

;// CONCATENATED MODULE: ./packages/gcp/src/google-api.ts

/**
 * A Google REST API on the toolkit HttpClient: the bearer token from `googleCredentials` on every request,
 * transient failures retried (429/5xx, resets, Retry-After), and Google's error body
 * (`{error:{code,status,message}}`) turned into one line that says what to do.
 */
class GoogleApiError extends src/* UserError */.yo {
    status;
    reason;
    name = 'GoogleApiError';
    constructor(message, status, reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }
}
class GoogleApi {
    options;
    http;
    constructor(options) {
        this.options = options;
        this.http = new src/* HttpClient */.Qq({
            baseUrl: options.endpoint,
            clock: options.clock,
            timeoutMs: options.timeoutMs ?? 60_000,
            retry: { attempts: 6, baseMs: 500, maxMs: 20_000, ...options.retry },
            headers: async () => ({ authorization: `Bearer ${await options.credentials.token()}` }),
        });
    }
    /** Requests sent so far, retries included. */
    get requests() {
        return this.http.requests;
    }
    async call(path, options = {}) {
        try {
            return await this.http.json(path, options);
        }
        catch (error) {
            throw this.explain(error, options.method ?? 'GET', path);
        }
    }
    /** Like `call`, but a 404 gives undefined. */
    async find(path, options = {}) {
        try {
            const response = await this.http.request(path, { ...options, accept: [404] });
            return response.status === 404 ? undefined : response.json();
        }
        catch (error) {
            throw this.explain(error, options.method ?? 'GET', path);
        }
    }
    explain(error, method, path) {
        if (!(error instanceof src/* HttpError */.j$))
            return error;
        let status;
        let message = error.body.trim();
        try {
            const parsed = JSON.parse(error.body);
            status = parsed.error?.status;
            message = parsed.error?.message ?? message;
        }
        catch { }
        if (message.length > 500)
            message = `${message.slice(0, 497)}...`;
        const what = `${this.options.api}: ${method} ${path.split('?')[0]} answered ${error.status}${status ? ` ${status}` : ''}`;
        const hint = HINTS[error.status] ?? '';
        return new GoogleApiError((0,src/* redact */.E$)(`${what}: ${message || 'no details'}${hint}`), error.status, status);
    }
}
const HINTS = {
    401: ' (the credentials were refused: check the google-github-actions/auth step and that the token has not expired)',
    403: ' (the credentials lack a permission: grant the service account the role the message names, e.g. roles/run.admin, and roles/iam.serviceAccountUser on the runtime service account)',
    429: ' (quota exhausted even after retries: try again later or raise the quota)',
};

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-client.ts


/**
 * Cloud Run Admin API v2 over REST: services, revisions, IAM policy, jobs, executions and the long-running
 * operations they return. Resource names are full (`projects/p/locations/l/services/s`); `servicePath()`,
 * `jobPath()` build them.
 *
 *   const run = new CloudRunClient({ credentials, endpoint? })   // endpoint defaults to https://run.googleapis.com
 *   await run.getService(name) → Service | undefined
 *   await run.createService(parent, id, service) / run.patchService(name, service, {updateMask?, allowMissing?}) → Operation
 *   await run.waitOperation(op, { what, timeoutMs }) → Operation (done; throws OperationError on error)
 *   await run.getJob / createJob / patchJob / runJob(name, overrides) / getExecution(name)
 *
 * Operations are awaited with operations.wait (the server holds the request until the operation is done
 * or its timeout passes) inside toolkit poll(), which logs progress and enforces the deadline; a server
 * without :wait is polled with operations.get.
 */
const CLOUD_RUN_ENDPOINT = 'https://run.googleapis.com';
function servicePath(project, region, service) {
    return `projects/${project}/locations/${region}/services/${service}`;
}
function jobPath(project, region, job) {
    return `projects/${project}/locations/${region}/jobs/${job}`;
}
function locationPath(project, region) {
    return `projects/${project}/locations/${region}`;
}
/** The last segment of a resource name. */
function shortName(name) {
    return name ? name.slice(name.lastIndexOf('/') + 1) : '';
}
/** A long-running operation that finished with an error. */
class OperationError extends src/* UserError */.yo {
    operation;
    name = 'OperationError';
    constructor(operation, what) {
        const code = operation.error?.code;
        super(`${what} failed: ${operation.error?.message ?? 'the operation reported an error'}${code ? ` (code ${code})` : ''}`);
        this.operation = operation;
    }
}
class CloudRunClient {
    options;
    api;
    clock;
    waitSupported = true;
    constructor(options) {
        this.options = options;
        this.clock = options.clock ?? src/* realClock */.dQ;
        this.api = new GoogleApi({
            credentials: options.credentials,
            endpoint: options.endpoint ?? CLOUD_RUN_ENDPOINT,
            api: 'Cloud Run Admin API',
            clock: options.clock,
            retry: options.retry,
        });
    }
    get requests() {
        return this.api.requests;
    }
    // Services
    getService(name) {
        return this.api.find(`/v2/${name}`);
    }
    createService(parent, serviceId, service, validateOnly = false) {
        return this.api.call(`/v2/${parent}/services`, {
            method: 'POST',
            query: { serviceId, validateOnly: validateOnly || undefined },
            body: service,
        });
    }
    /** Replaces the fields in `updateMask` (all given fields when omitted); the etag in `service` guards concurrent edits. */
    patchService(name, service, options = {}) {
        return this.api.call(`/v2/${name}`, {
            method: 'PATCH',
            query: { updateMask: options.updateMask?.join(','), allowMissing: options.allowMissing || undefined },
            body: service,
            // A patch that carries the full desired state can be repeated safely.
            idempotent: true,
        });
    }
    getRevision(name) {
        return this.api.find(`/v2/${name}`);
    }
    async listRevisions(service) {
        const revisions = [];
        let pageToken;
        do {
            const page = await this.api.call(`/v2/${service}/revisions`, {
                query: { pageSize: 100, pageToken },
            });
            revisions.push(...(page.revisions ?? []));
            pageToken = page.nextPageToken || undefined;
        } while (pageToken);
        return revisions;
    }
    getIamPolicy(resource) {
        return this.api.call(`/v2/${resource}:getIamPolicy`, { method: 'GET' });
    }
    setIamPolicy(resource, policy) {
        return this.api.call(`/v2/${resource}:setIamPolicy`, { method: 'POST', body: { policy } });
    }
    /** Adds `member` to `role` unless already there; returns whether the policy changed. */
    async addIamMember(resource, role, member) {
        const policy = await this.getIamPolicy(resource);
        const bindings = policy.bindings ?? [];
        const binding = bindings.find((b) => b.role === role && !b.condition);
        if (binding?.members.includes(member))
            return false;
        if (binding)
            binding.members.push(member);
        else
            bindings.push({ role, members: [member] });
        await this.setIamPolicy(resource, { ...policy, bindings });
        return true;
    }
    // Jobs
    getJob(name) {
        return this.api.find(`/v2/${name}`);
    }
    createJob(parent, jobId, job) {
        return this.api.call(`/v2/${parent}/jobs`, { method: 'POST', query: { jobId }, body: job });
    }
    patchJob(name, job, options = {}) {
        return this.api.call(`/v2/${name}`, {
            method: 'PATCH',
            query: { allowMissing: options.allowMissing || undefined },
            body: job,
            idempotent: true,
        });
    }
    /** Starts an execution; the operation's metadata is the Execution, and it is done when the execution is. */
    runJob(name, overrides) {
        return this.api.call(`/v2/${name}:run`, { method: 'POST', body: overrides ? { overrides } : {} });
    }
    getExecution(name) {
        return this.api.call(`/v2/${name}`);
    }
    // Operations
    getOperation(name) {
        return this.api.call(`/v2/${name}`);
    }
    /**
     * Waits until the operation is done and returns it; an operation that ends in an error throws OperationError.
     * Each check is one operations.wait that the server holds for up to `waitSliceMs` (or the time left).
     */
    async waitOperation(operation, options) {
        if (operation.done)
            return this.settled(operation, options.what);
        const slice = this.options.waitSliceMs ?? 30_000;
        const deadline = this.clock.now() + options.timeoutMs;
        const { value } = await (0,src/* poll */.wt)({
            what: options.what,
            timeoutMs: options.timeoutMs,
            initialMs: 250,
            maxMs: 5_000,
            clock: this.clock,
            log: options.log,
            timeoutHint: options.timeoutHint,
            check: async () => {
                const started = this.clock.now();
                const timeout = Math.max(1, Math.min(slice, deadline - started));
                const current = await this.pollOnce(operation.name, timeout);
                if (current.done)
                    return { done: true, value: current };
                // A server that held the request did our waiting; one that answered at once gets the backoff.
                const held = this.clock.now() - started >= timeout / 2;
                return { done: false, status: 'running', delayMs: held ? 0 : undefined };
            },
        });
        return this.settled(value, options.what);
    }
    async pollOnce(name, timeoutMs) {
        if (this.waitSupported) {
            try {
                return await this.api.call(`/v2/${name}:wait`, {
                    method: 'POST',
                    body: { timeout: `${(timeoutMs / 1000).toFixed(3)}s` },
                    timeoutMs: timeoutMs + 30_000,
                    idempotent: true,
                });
            }
            catch (error) {
                const status = error.status;
                if (status !== 404 && status !== 405 && status !== 501)
                    throw error;
                this.waitSupported = false;
            }
        }
        return this.getOperation(name);
    }
    settled(operation, what) {
        if (operation.error && (operation.error.code ?? 0) !== 0)
            throw new OperationError(operation, what);
        return operation;
    }
}

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-jobs.ts



async function deployJob(client, spec, options = {}) {
    const name = jobPath(spec.project, spec.region, spec.job);
    const existing = await client.getJob(name);
    const job = jobBody(spec, existing);
    const what = `${existing ? 'update' : 'creation'} of job ${spec.job} in ${spec.region}`;
    const operation = existing
        ? await client.patchJob(name, job)
        : await client.createJob(locationPath(spec.project, spec.region), spec.job, job);
    const done = await client.waitOperation(operation, {
        what,
        timeoutMs: options.timeoutMs ?? 300_000,
        log: options.log,
    });
    const result = done.response?.name ? done.response : await client.getJob(name);
    if (!result)
        throw new src/* UserError */.yo(`The ${what} finished but the job cannot be read back`);
    const failed = result.terminalCondition?.state === 'CONDITION_FAILED' ? result.terminalCondition : undefined;
    if (failed)
        throw new src/* UserError */.yo(`The ${what} failed: ${describeCondition(failed)}`);
    return { job: result, created: !existing };
}
/** The job as it should be: `existing` (when updating) with what the spec sets replaced. */
function jobBody(spec, existing) {
    const template = structuredClone(existing?.template ?? {});
    template.template ??= {};
    const task = template.template;
    task.containers ??= [];
    const containers = task.containers;
    const container = containers[0] ?? { image: spec.image };
    containers[0] = container;
    container.image = spec.image;
    if (spec.command)
        container.command = spec.command;
    if (spec.args)
        container.args = spec.args;
    if (spec.env || spec.secretEnv) {
        const wanted = [
            ...Object.entries(spec.env ?? {}).map(([n, value]) => ({ name: n, value })),
            ...Object.entries(spec.secretEnv ?? {}).map(([n, ref]) => ({
                name: n,
                valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version ?? 'latest' } },
            })),
        ];
        const names = new Set(wanted.map((e) => e.name));
        const kept = spec.envStrategy === 'merge' ? (container.env ?? []).filter((e) => !names.has(e.name)) : [];
        container.env = [...kept, ...wanted];
    }
    if (spec.cpu || spec.memory) {
        container.resources ??= {};
        container.resources.limits = {
            ...container.resources.limits,
            ...(spec.cpu ? { cpu: spec.cpu } : {}),
            ...(spec.memory ? { memory: spec.memory } : {}),
        };
    }
    if (spec.taskCount !== undefined)
        template.taskCount = spec.taskCount;
    if (spec.parallelism !== undefined)
        template.parallelism = spec.parallelism;
    if (spec.maxRetries !== undefined)
        task.maxRetries = spec.maxRetries;
    if (spec.taskTimeout)
        task.timeout = spec.taskTimeout;
    if (spec.serviceAccount)
        task.serviceAccount = spec.serviceAccount;
    if (spec.vpcConnector)
        task.vpcAccess = { connector: spec.vpcConnector, egress: spec.vpcEgress };
    if (spec.cloudsqlInstances?.length) {
        task.volumes = [
            ...(task.volumes ?? []).filter((v) => v.name !== 'cloudsql'),
            { name: 'cloudsql', cloudSqlInstance: { instances: spec.cloudsqlInstances } },
        ];
        container.volumeMounts = [
            ...(container.volumeMounts ?? []).filter((m) => m.name !== 'cloudsql'),
            { name: 'cloudsql', mountPath: '/cloudsql' },
        ];
    }
    const body = { template };
    if (existing?.etag)
        body.etag = existing.etag;
    if (spec.labels || existing?.labels)
        body.labels = { ...existing?.labels, ...spec.labels };
    return body;
}
/** Starts an execution of the job and returns it as soon as Cloud Run names it (it is not finished). */
async function runJob(client, name, overrides, options = {}) {
    const body = overrides && Object.values(overrides).some((v) => v !== undefined)
        ? {
            containerOverrides: overrides.args || overrides.env
                ? [
                    {
                        args: overrides.args,
                        env: overrides.env && Object.entries(overrides.env).map(([n, value]) => ({ name: n, value })),
                    },
                ]
                : undefined,
            taskCount: overrides.taskCount,
            timeout: overrides.timeout,
        }
        : undefined;
    let operation = await client.runJob(name, body);
    const named = (op) => op.metadata?.name ? op.metadata : op.response?.name ? op.response : undefined;
    if (named(operation))
        return named(operation);
    // The execution is usually named in the first answer; otherwise the operation is re-read until it is.
    const { value } = await (0,src/* poll */.wt)({
        what: `start of job ${shortName(name)}`,
        timeoutMs: options.timeoutMs ?? 120_000,
        initialMs: 250,
        log: options.log,
        check: async () => {
            operation = await client.getOperation(operation.name);
            if (operation.error?.code)
                throw new src/* UserError */.yo(`Job ${shortName(name)} did not start: ${operation.error.message}`);
            const execution = named(operation);
            return execution ? { done: true, value: execution } : { done: false, status: 'starting' };
        },
    });
    return value;
}
/** Follows an execution until it completes; a failed execution is a result (succeeded false), a timeout throws. */
async function waitForExecution(client, executionName, options) {
    const clock = options.clock ?? src/* realClock */.dQ;
    const log = options.log ?? ((line) => core/* info */.pq(line));
    const started = clock.now();
    const short = shortName(executionName);
    try {
        const { value } = await (0,src/* poll */.wt)({
            what: `execution ${short}`,
            timeoutMs: options.timeoutMs,
            initialMs: 1000,
            maxMs: 10_000,
            clock,
            log,
            timeoutHint: 'Raise the timeout input if the job needs longer; the execution keeps running in Cloud Run.',
            check: async () => {
                const execution = await client.getExecution(executionName);
                options.onProgress?.(execution);
                if (isFinished(execution))
                    return { done: true, value: execution };
                const tasks = execution.taskCount ?? 1;
                const detail = `${execution.runningCount ?? 0} running, ${execution.succeededCount ?? 0}/${tasks} succeeded, ${execution.failedCount ?? 0} failed`;
                return { done: false, status: execution.startTime ? 'running' : 'pending', detail };
            },
        });
        return executionResult(value, clock.now() - started);
    }
    catch (error) {
        if (error instanceof src/* TimeoutError */.MU) {
            const last = await client.getExecution(executionName).catch(() => undefined);
            const logs = last?.logUri ? ` Logs: ${last.logUri}` : '';
            throw new src/* TimeoutError */.MU(`${error.message}${logs}`);
        }
        throw error;
    }
}
function completed(execution) {
    return execution.conditions?.find((c) => c.type === 'Completed');
}
function isFinished(execution) {
    const state = completed(execution)?.state;
    return Boolean(execution.completionTime) || state === 'CONDITION_SUCCEEDED' || state === 'CONDITION_FAILED';
}
function executionResult(execution, durationMs) {
    const condition = completed(execution);
    const taskCount = execution.taskCount ?? 1;
    const succeededCount = execution.succeededCount ?? 0;
    const failedCount = execution.failedCount ?? 0;
    const succeeded = condition?.state === 'CONDITION_SUCCEEDED' || (!condition && failedCount === 0 && succeededCount >= taskCount);
    const failing = execution.conditions?.find((c) => c.state === 'CONDITION_FAILED') ?? condition;
    return {
        execution,
        succeeded,
        taskCount,
        succeededCount,
        failedCount,
        cancelledCount: execution.cancelledCount ?? 0,
        retriedCount: execution.retriedCount ?? 0,
        reason: succeeded
            ? undefined
            : failing
                ? describeCondition(failing)
                : `${failedCount} of ${taskCount} tasks failed`,
        logUri: execution.logUri,
        durationMs,
    };
}
/** "REVISION_FAILED / HEALTH_CHECK_CONTAINER_ERROR: The user-provided container failed to start..." */
function describeCondition(condition) {
    const reasons = [condition.reason, condition.revisionReason, condition.executionReason].filter((r) => r && r !== 'REASON_UNSPECIFIED' && r !== 'REVISION_REASON_UNSPECIFIED' && r !== 'EXECUTION_REASON_UNSPECIFIED');
    const message = condition.message?.trim() || `${condition.type ?? 'condition'} is ${condition.state ?? 'unknown'}`;
    return reasons.length ? `${reasons.join(' / ')}: ${message}` : message;
}

;// CONCATENATED MODULE: ./packages/gcp/src/index.ts






// EXTERNAL MODULE: ./actions/run-migrations/src/tool-mode.ts + 2 modules
var tool_mode = __webpack_require__(1380);
;// CONCATENATED MODULE: ./actions/run-migrations/src/cloudrun-mode.ts




/**
 * Runs the job once. `serialise` (when the runner holds no database lock, because only the job can reach
 * the database) first waits, up to lock-timeout, until no other execution of the job is running.
 */
async function runCloudRunJob(inputs, signal, serialise) {
    const spec = inputs.cloudRun;
    const credentials = await googleCredentials({ project: spec.project });
    const client = new CloudRunClient({ credentials, endpoint: spec.endpoint });
    const log = (line) => core/* info */.pq((0,src/* redact */.E$)(line));
    const secret = spec.databaseUrlSecret;
    core/* info */.pq(`Deploying job ${spec.job} in ${spec.region} with ${inputs.image} (${credentials.source})`);
    const { created } = await deployJob(client, {
        project: spec.project,
        region: spec.region,
        job: spec.job,
        image: inputs.image,
        command: inputs.command ? ['/bin/sh', '-c', inputs.command] : undefined,
        env: Object.keys(inputs.env).length ? inputs.env : undefined,
        secretEnv: secret ? { [inputs.databaseUrlEnv]: secret } : undefined,
        envStrategy: 'merge',
        taskCount: 1,
        maxRetries: 0,
        taskTimeout: `${Math.ceil(inputs.timeoutMs / 1000)}s`,
    }, { log });
    core/* info */.pq(`Job ${spec.job} ${created ? 'created' : 'updated'}`);
    const name = jobPath(spec.project, spec.region, spec.job);
    const waited = serialise ? await waitForIdleJob(client, name, inputs.lockTimeoutMs, log) : undefined;
    if (!secret)
        core/* info */.pq(`Passing ${inputs.databaseUrlEnv} as an override of this execution (set database-url-secret to keep it in Secret Manager instead)`);
    const execution = await runJob(client, name, secret ? undefined : { env: { [inputs.databaseUrlEnv]: inputs.database.text } }, { log });
    const short = shortName(execution.name);
    core/* info */.pq(`Execution ${short} started${execution.logUri ? `; logs: ${execution.logUri}` : ''}`);
    const onAbort = () => {
        core/* info */.pq(`Cancelling execution ${short}`);
        void client.api.call(`/v2/${execution.name}:cancel`, { method: 'POST', body: {} }).catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
        const result = await waitForExecution(client, execution.name, { timeoutMs: inputs.timeoutMs, log });
        if (signal.aborted)
            throw signal.reason;
        const logUri = result.logUri ?? execution.logUri;
        if (!result.succeeded)
            throw new tool_mode/* ToolFailed */.CV(`Cloud Run execution ${short} failed: ${result.reason ?? 'the task did not succeed'}${logUri ? `. Logs: ${logUri}` : ''}`, []);
        core/* info */.pq(`Execution ${short} succeeded in ${Math.round(result.durationMs / 1000)}s`);
        return { name: short, logUri, ...waited };
    }
    finally {
        signal.removeEventListener('abort', onAbort);
    }
}
/** Waits until the job has no running execution: another deploy's migration finishes first. */
async function waitForIdleJob(client, job, timeoutMs, log) {
    let waitedFor;
    const { elapsedMs } = await (0,src/* poll */.wt)({
        what: `job ${shortName(job)}`,
        timeoutMs,
        initialMs: 500,
        maxMs: 10_000,
        progressEveryMs: 15_000,
        log,
        timeoutHint: "Another deploy's migration execution is still running: wait for it, or raise lock-timeout.",
        check: async () => {
            const page = await client.api.call(`/v2/${job}/executions`, {
                query: { pageSize: 50 },
            });
            const running = (page.executions ?? []).find((e) => !finished(e));
            if (!running)
                return { done: true, value: undefined };
            waitedFor ??= `execution ${shortName(running.name)}`;
            return { done: false, status: `waiting for execution ${shortName(running.name)} to finish` };
        },
    });
    return { waitedMs: elapsedMs, waitedFor };
}
function finished(execution) {
    const state = execution.conditions?.find((c) => c.type === 'Completed')?.state;
    return Boolean(execution.completionTime) || state === 'CONDITION_SUCCEEDED' || state === 'CONDITION_FAILED';
}


/***/ })

};
