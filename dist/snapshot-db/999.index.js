export const id = 999;
export const ids = [999];
export const modules = {

/***/ 90301:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ emptyPruned)
/* harmony export */ });
function emptyPruned() {
    return { deleted: [], wouldDelete: [], kept: [], skipped: [], failed: [] };
}


/***/ }),

/***/ 92999:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  snapshotCloudSql: () => (/* binding */ snapshotCloudSql)
});

// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 23 modules
var src = __webpack_require__(41048);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
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
    const path = variable && env[variable];
    if (!variable || !path)
        throw new src/* UserError */.yo(NO_CREDENTIALS);
    const json = readCredentialFile(path, variable);
    const type = String(json.type ?? '');
    maskFile(json);
    // Loaded only when a credentials file is used: it is most of the bundle's weight.
    const { GoogleAuth } = await __webpack_require__.e(/* import() */ 492).then(__webpack_require__.t.bind(__webpack_require__, 492, 23));
    const auth = new GoogleAuth({ credentials: json, scopes: options.scopes ?? [CLOUD_PLATFORM_SCOPE] });
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

;// CONCATENATED MODULE: ./packages/gcp/src/create-once.ts


/**
 * The suite's rule for calls that create something (services.create, jobs.create, jobs.run, setIamPolicy),
 * from the toolkit (packages/toolkit/src/idempotency.ts): never re-sent blindly. Only a failure that
 * certainly did nothing (a 429, a refused connection) is retried on the spot; after an ambiguous one (the
 * connection dropped, a timeout, a 5xx) the state is read and decides. Here: the per-request retry policy
 * for those calls, and createOnce logging to the step's log by default.
 */
/** Per-request retry policy for non-idempotent calls. */
const create_once_NOT_RETRIED = { retryable: (error) => (0,src/* mayRetry */.KO)('create', error) };
/** A failure after which the call may or may not have taken effect. */
function isAmbiguous(error) {
    return (0,src/* failureKind */.zU)(error) === 'ambiguous';
}
function create_once_createOnce(options) {
    return toolkitCreateOnce({ ...options, log: options.log ?? ((line) => core.info(line)) });
}

;// CONCATENATED MODULE: ./packages/gcp/src/endpoint.ts

/**
 * Where a Google API's Bearer token may be sent: the toolkit's credential-URL rule (https, or http to
 * loopback; never link-local or metadata), and a base URL only (no user:password@, query or fragment).
 * Returns it without a trailing slash.
 */
function credentialEndpoint(input, text) {
    const url = (0,src/* checkCredentialUrl */.Jh)(text.trim(), input);
    if (url.username || url.password)
        throw new src/* InputError */.dz(input, 'carries credentials in the URL', 'remove the user:password@ part');
    if (url.search || url.hash)
        throw new src/* InputError */.dz(input, 'has a query or fragment', 'give the base URL only');
    return url.toString().replace(/\/$/, '');
}

;// CONCATENATED MODULE: ./packages/gcp/src/google-api.ts


/**
 * A Google REST API on the toolkit HttpClient: the bearer token from `googleCredentials` on every request,
 * transient failures retried (429/5xx, resets, Retry-After), and Google's error body
 * (`{error:{code,status,message}}`) turned into one line that says what to do.
 */
class google_api_GoogleApiError extends src/* UserError */.yo {
    status;
    reason;
    name = 'GoogleApiError';
    constructor(message, status, reason) {
        super(message);
        this.status = status;
        this.reason = reason;
    }
}
class google_api_GoogleApi {
    options;
    http;
    constructor(options) {
        this.options = options;
        this.http = new src/* HttpClient */.Qq({
            // The Bearer token goes wherever this points: https, or http to loopback only; never metadata.
            baseUrl: credentialEndpoint('api-endpoint', options.endpoint),
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
        return new google_api_GoogleApiError((0,src/* redact */.E$)(`${what}: ${message || 'no details'}${hint}`), error.status, status);
    }
}
const HINTS = {
    401: ' (the credentials were refused: check the google-github-actions/auth step and that the token has not expired)',
    403: ' (the credentials lack a permission: grant the service account the role the message names, e.g. roles/run.admin, and roles/iam.serviceAccountUser on the runtime service account)',
    429: ' (quota exhausted even after retries: try again later or raise the quota)',
};

;// CONCATENATED MODULE: ./packages/gcp/src/names.ts

const RULES = {
    project: {
        // 6-30 characters; domain-scoped projects are "example.com:my-project".
        pattern: /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        rule: 'a Google Cloud project ID: 6-30 lower-case letters, digits and hyphens, starting with a letter, like my-project-123',
    },
    region: {
        pattern: /^[a-z]+(?:-[a-z]+)+\d{1,2}$/,
        rule: 'a Cloud Run region such as us-central1 or europe-west1',
    },
    service: {
        pattern: /^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$/,
        rule: 'a Cloud Run service name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
    },
    job: {
        pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        rule: 'a Cloud Run job name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 63 characters',
    },
    revision: {
        pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        rule: 'a revision name: lower-case letters, digits and hyphens, starting with a letter, at most 63 characters',
    },
    execution: {
        pattern: /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        rule: 'an execution name: lower-case letters, digits and hyphens, at most 63 characters',
    },
    tag: {
        pattern: /^[a-z](?:[a-z0-9-]{0,44}[a-z0-9])?$/,
        rule: 'a revision tag: lower-case letters, digits and hyphens, starting with a letter, at most 46 characters',
    },
};
/** The rule `value` breaks, in words, or undefined when it is a valid `kind`. */
function segmentProblem(kind, value) {
    return RULES[kind].pattern.test(value) ? undefined : RULES[kind].rule;
}
/** Returns `value` when it is a valid `kind`; throws a one-line UserError otherwise (a safety net under input checks). */
function names_checkSegment(kind, value) {
    const problem = segmentProblem(kind, value);
    if (problem)
        throw new UserError(`${JSON.stringify(value.slice(0, 80))} is not ${problem}`);
    return value;
}
/** Cloud Run refuses a tag whose name plus the service name exceed 46 characters (its URL label). */
const TAG_AND_SERVICE_MAX = 46;

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
 *
 * Idempotency follows Google's own client config (build/src/v2/*_client_config.json): reads and etag-guarded
 * patches retry on transient failures; services.create, jobs.create, jobs.run and setIamPolicy are never sent
 * twice blindly. After an ambiguous failure of one of those (a lost answer, a 5xx) the state is read and
 * decides: the service or job that now exists, the execution that started, the binding that is there.
 */
const CLOUD_RUN_ENDPOINT = 'https://run.googleapis.com';
/** Resource names; each segment is checked against Google's naming rules, so no value can change the URL path. */
function servicePath(project, region, service) {
    return `${cloudrun_client_locationPath(project, region)}/services/${checkSegment('service', service)}`;
}
function cloudrun_client_jobPath(project, region, job) {
    return `${cloudrun_client_locationPath(project, region)}/jobs/${checkSegment('job', job)}`;
}
function cloudrun_client_locationPath(project, region) {
    return `projects/${checkSegment('project', project)}/locations/${checkSegment('region', region)}`;
}
/** The last segment of a resource name. */
function cloudrun_client_shortName(name) {
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
        this.clock = options.clock ?? realClock;
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
    /**
     * Creates a service; never sent twice blindly. After an ambiguous failure the service is read: when it
     * exists, the create went through and a finished operation carrying it is returned (the caller then waits
     * on the service itself); when it does not, the create is sent again.
     */
    createService(parent, serviceId, service, validateOnly = false) {
        const send = () => this.api.call(`/v2/${parent}/services`, {
            method: 'POST',
            query: { serviceId, validateOnly: validateOnly || undefined },
            body: service,
            retry: NOT_RETRIED,
        });
        if (validateOnly)
            return send();
        return createOnce({
            what: `services.create ${serviceId}`,
            send,
            reconcile: async () => {
                const found = await this.getService(`${parent}/services/${checkSegment('service', serviceId)}`);
                return found ? { name: '', done: true, response: found } : undefined;
            },
            clock: this.clock,
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
    /** Read with version 3, so conditional bindings come back whole and a write keeps them. */
    getIamPolicy(resource) {
        return this.api.call(`/v2/${resource}:getIamPolicy`, {
            method: 'GET',
            query: { 'options.requestedPolicyVersion': 3 },
        });
    }
    /** One write, never retried here: the etag in `policy` guards it, and addIamMember re-reads on doubt. */
    setIamPolicy(resource, policy) {
        return this.api.call(`/v2/${resource}:setIamPolicy`, {
            method: 'POST',
            body: { policy },
            retry: NOT_RETRIED,
        });
    }
    /**
     * Adds `member` to `role` unless already there; returns whether this call changed the policy. A 409
     * (the policy changed meanwhile) or an ambiguous failure re-reads the policy and decides again: a binding
     * that is now there counts as granted. A Domain Restricted Sharing refusal throws PublicAccessRefused.
     */
    async addIamMember(resource, role, member) {
        let sent = false;
        for (let attempt = 1;; attempt++) {
            const policy = await this.getIamPolicy(resource);
            const bindings = policy.bindings ?? [];
            const binding = bindings.find((b) => b.role === role && !b.condition);
            if (binding?.members.includes(member))
                return sent;
            if (binding)
                binding.members.push(member);
            else
                bindings.push({ role, members: [member] });
            try {
                sent = true;
                await this.setIamPolicy(resource, { ...policy, version: 3, bindings });
                return true;
            }
            catch (error) {
                if (error instanceof GoogleApiError && error.status === 400 && error.reason === 'FAILED_PRECONDITION')
                    throw new PublicAccessRefused(resource, error.message);
                const conflict = error instanceof GoogleApiError && error.status === 409;
                const ambiguous = !(error instanceof GoogleApiError) || error.status >= 500;
                if ((!conflict && !ambiguous) || attempt >= 4)
                    throw error;
                sent = ambiguous;
                await this.clock.sleep(conflict ? 200 * attempt : 500 * attempt);
            }
        }
    }
    /** Removes `member` from `role` (unconditional binding); returns whether this call changed the policy. */
    async removeIamMember(resource, role, member) {
        let sent = false;
        for (let attempt = 1;; attempt++) {
            const policy = await this.getIamPolicy(resource);
            const bindings = policy.bindings ?? [];
            const binding = bindings.find((b) => b.role === role && !b.condition);
            if (!binding?.members.includes(member))
                return sent;
            binding.members = binding.members.filter((m) => m !== member);
            try {
                sent = true;
                await this.setIamPolicy(resource, {
                    ...policy,
                    version: 3,
                    bindings: bindings.filter((b) => b.members.length),
                });
                return true;
            }
            catch (error) {
                const conflict = error instanceof GoogleApiError && error.status === 409;
                const ambiguous = !(error instanceof GoogleApiError) || error.status >= 500;
                if ((!conflict && !ambiguous) || attempt >= 4)
                    throw error;
                sent = ambiguous;
                await this.clock.sleep(conflict ? 200 * attempt : 500 * attempt);
            }
        }
    }
    // Jobs
    getJob(name) {
        return this.api.find(`/v2/${name}`);
    }
    /** Creates a job; after an ambiguous failure the job is read, and the create is sent again only if it is absent. */
    createJob(parent, jobId, job) {
        return createOnce({
            what: `jobs.create ${jobId}`,
            send: () => this.api.call(`/v2/${parent}/jobs`, {
                method: 'POST',
                query: { jobId },
                body: job,
                retry: NOT_RETRIED,
            }),
            reconcile: async () => {
                const found = await this.getJob(`${parent}/jobs/${checkSegment('job', jobId)}`);
                return found ? { name: '', done: true, response: found } : undefined;
            },
            clock: this.clock,
        });
    }
    patchJob(name, job, options = {}) {
        return this.api.call(`/v2/${name}`, {
            method: 'PATCH',
            query: { allowMissing: options.allowMissing || undefined },
            body: job,
            idempotent: true,
        });
    }
    /**
     * Starts an execution (sent once; see runJob in cloudrun-jobs for the lost-answer rule); the operation's
     * metadata is the Execution, and it is done when the execution is.
     */
    runJob(name, overrides) {
        return this.api.call(`/v2/${name}:run`, {
            method: 'POST',
            body: overrides ? { overrides } : {},
            retry: NOT_RETRIED,
        });
    }
    /** The newest executions first (one page). */
    async listExecutions(job, pageSize = 20) {
        const page = await this.api.call(`/v2/${job}/executions`, { query: { pageSize } });
        return page.executions ?? [];
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
        const { value } = await poll({
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
        if (!operation.name)
            return operation; // adopted after a lost answer: the caller waits on the resource
        if (operation.error && (operation.error.code ?? 0) !== 0)
            throw new OperationError(operation, what);
        return operation;
    }
}
/** Public access refused by the organisation (Domain Restricted Sharing refuses `allUsers` bindings). */
class PublicAccessRefused extends src/* UserError */.yo {
    name = 'PublicAccessRefused';
    constructor(resource, answer) {
        super(`${cloudrun_client_shortName(resource)}: the organisation refuses public access through IAM (Domain Restricted Sharing: ${answer.replace(/^.*?answered 400 FAILED_PRECONDITION: /, '')}); set invoker-iam-disabled: true instead of allow-unauthenticated (the service is then public without an allUsers binding), or ask for an exception to constraints/iam.allowedPolicyMemberDomains`);
    }
}

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-output-only.ts
// Generated by scripts/gen-cloudrun-fields.ts from the google.cloud.run.v2 protos of @google-cloud/run 3.3.0.
// Do not edit: run `npx tsx scripts/gen-cloudrun-fields.ts`.
/** Output-only fields of google.cloud.run.v2.Service (JSON names, top level). */
const SERVICE_OUTPUT_ONLY = [
    'uid',
    'generation',
    'createTime',
    'updateTime',
    'deleteTime',
    'expireTime',
    'creator',
    'lastModifier',
    'urls',
    'observedGeneration',
    'terminalCondition',
    'conditions',
    'latestReadyRevision',
    'latestCreatedRevision',
    'trafficStatuses',
    'uri',
    'satisfiesPzs',
    'threatDetectionEnabled',
    'reconciling',
];
/** Output-only fields nested in a Service, as dotted paths (a list's elements share its path). */
const SERVICE_NESTED_OUTPUT_ONLY = ['template.containers.buildInfo', 'buildConfig.name'];
/** Output-only fields of google.cloud.run.v2.Job (JSON names, top level). */
const JOB_OUTPUT_ONLY = [
    'uid',
    'generation',
    'createTime',
    'updateTime',
    'deleteTime',
    'expireTime',
    'creator',
    'lastModifier',
    'observedGeneration',
    'terminalCondition',
    'conditions',
    'executionCount',
    'latestCreatedExecution',
    'reconciling',
    'satisfiesPzs',
];
/** Output-only fields nested in a Job, as dotted paths (a list's elements share its path). */
const JOB_NESTED_OUTPUT_ONLY = ['template.template.containers.buildInfo'];
/** Output-only fields of google.cloud.run.v2.Revision (JSON names, top level). */
const REVISION_OUTPUT_ONLY = (/* unused pure expression or super */ null && ([
    'name',
    'uid',
    'generation',
    'labels',
    'annotations',
    'createTime',
    'updateTime',
    'deleteTime',
    'expireTime',
    'service',
    'reconciling',
    'conditions',
    'observedGeneration',
    'logUri',
    'satisfiesPzs',
    'scalingStatus',
    'gpuZonalRedundancyDisabled',
    'creator',
    'etag',
]));
/** Output-only fields nested in a Revision, as dotted paths (a list's elements share its path). */
const REVISION_NESTED_OUTPUT_ONLY = (/* unused pure expression or super */ null && (['containers.buildInfo']));
/** Output-only fields of google.cloud.run.v2.Execution (JSON names, top level). */
const EXECUTION_OUTPUT_ONLY = (/* unused pure expression or super */ null && ([
    'name',
    'uid',
    'creator',
    'generation',
    'labels',
    'annotations',
    'createTime',
    'startTime',
    'completionTime',
    'updateTime',
    'deleteTime',
    'expireTime',
    'job',
    'parallelism',
    'taskCount',
    'template',
    'reconciling',
    'conditions',
    'observedGeneration',
    'runningCount',
    'succeededCount',
    'failedCount',
    'cancelledCount',
    'retriedCount',
    'logUri',
    'satisfiesPzs',
    'etag',
]));
/** Output-only fields nested in a Execution, as dotted paths (a list's elements share its path). */
const EXECUTION_NESTED_OUTPUT_ONLY = (/* unused pure expression or super */ null && ([]));

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-schema.ts
// Generated by packages/gcp/scripts/cloudrun-schema.ts from @google-cloud/run 3.3.0
// (build/protos/protos.json, google.cloud.run.v2). Do not edit: run the script again.
//
// Each field: "<kind>[ list| map]"; kind is a scalar type, "enum:<Enum>" or "message:<Message>".
const CLOUD_RUN_PROTOS_VERSION = '3.3.0';
const cloudrun_schema_MESSAGES = {
    BinaryAuthorization: {
        useDefault: 'bool',
        policy: 'string',
        breakglassJustification: 'string',
    },
    BuildConfig: {
        name: 'string',
        sourceLocation: 'string',
        functionTarget: 'string',
        imageUri: 'string',
        baseImage: 'string',
        enableAutomaticUpdates: 'bool',
        workerPool: 'string',
        environmentVariables: 'string map',
        serviceAccount: 'string',
    },
    BuildInfo: {
        functionTarget: 'string',
        sourceLocation: 'string',
    },
    CloudSqlInstance: {
        instances: 'string list',
    },
    Condition: {
        type: 'string',
        state: 'enum:Condition.State',
        message: 'string',
        lastTransitionTime: 'string',
        severity: 'enum:Condition.Severity',
        reason: 'enum:Condition.CommonReason',
        revisionReason: 'enum:Condition.RevisionReason',
        executionReason: 'enum:Condition.ExecutionReason',
    },
    Container: {
        name: 'string',
        image: 'string',
        sourceCode: 'message:SourceCode',
        command: 'string list',
        args: 'string list',
        env: 'message:EnvVar list',
        resources: 'message:ResourceRequirements',
        ports: 'message:ContainerPort list',
        volumeMounts: 'message:VolumeMount list',
        workingDir: 'string',
        livenessProbe: 'message:Probe',
        startupProbe: 'message:Probe',
        readinessProbe: 'message:Probe',
        dependsOn: 'string list',
        baseImageUri: 'string',
        buildInfo: 'message:BuildInfo',
    },
    ContainerPort: {
        name: 'string',
        containerPort: 'int32',
    },
    EmptyDirVolumeSource: {
        medium: 'enum:EmptyDirVolumeSource.Medium',
        sizeLimit: 'string',
    },
    EnvVar: {
        name: 'string',
        value: 'string',
        valueSource: 'message:EnvVarSource',
    },
    EnvVarSource: {
        secretKeyRef: 'message:SecretKeySelector',
    },
    ExecutionReference: {
        name: 'string',
        createTime: 'string',
        completionTime: 'string',
        deleteTime: 'string',
        completionStatus: 'enum:ExecutionReference.CompletionStatus',
    },
    ExecutionTemplate: {
        labels: 'string map',
        annotations: 'string map',
        parallelism: 'int32',
        taskCount: 'int32',
        template: 'message:TaskTemplate',
    },
    GCSVolumeSource: {
        bucket: 'string',
        readOnly: 'bool',
        mountOptions: 'string list',
    },
    GRPCAction: {
        port: 'int32',
        service: 'string',
    },
    HTTPGetAction: {
        path: 'string',
        httpHeaders: 'message:HTTPHeader list',
        port: 'int32',
    },
    HTTPHeader: {
        name: 'string',
        value: 'string',
    },
    Job: {
        name: 'string',
        uid: 'string',
        generation: 'int64',
        labels: 'string map',
        annotations: 'string map',
        createTime: 'string',
        updateTime: 'string',
        deleteTime: 'string',
        expireTime: 'string',
        creator: 'string',
        lastModifier: 'string',
        client: 'string',
        clientVersion: 'string',
        launchStage: 'enum:LaunchStage',
        binaryAuthorization: 'message:BinaryAuthorization',
        template: 'message:ExecutionTemplate',
        observedGeneration: 'int64',
        terminalCondition: 'message:Condition',
        conditions: 'message:Condition list',
        executionCount: 'int32',
        latestCreatedExecution: 'message:ExecutionReference',
        reconciling: 'bool',
        satisfiesPzs: 'bool',
        startExecutionToken: 'string',
        runExecutionToken: 'string',
        etag: 'string',
    },
    NFSVolumeSource: {
        server: 'string',
        path: 'string',
        readOnly: 'bool',
    },
    NodeSelector: {
        accelerator: 'string',
    },
    Probe: {
        initialDelaySeconds: 'int32',
        timeoutSeconds: 'int32',
        periodSeconds: 'int32',
        failureThreshold: 'int32',
        httpGet: 'message:HTTPGetAction',
        tcpSocket: 'message:TCPSocketAction',
        grpc: 'message:GRPCAction',
    },
    ResourceRequirements: {
        limits: 'string map',
        cpuIdle: 'bool',
        startupCpuBoost: 'bool',
    },
    RevisionScaling: {
        minInstanceCount: 'int32',
        maxInstanceCount: 'int32',
    },
    RevisionTemplate: {
        revision: 'string',
        labels: 'string map',
        annotations: 'string map',
        scaling: 'message:RevisionScaling',
        vpcAccess: 'message:VpcAccess',
        timeout: 'string',
        serviceAccount: 'string',
        containers: 'message:Container list',
        volumes: 'message:Volume list',
        executionEnvironment: 'enum:ExecutionEnvironment',
        encryptionKey: 'string',
        maxInstanceRequestConcurrency: 'int32',
        serviceMesh: 'message:ServiceMesh',
        encryptionKeyRevocationAction: 'enum:EncryptionKeyRevocationAction',
        encryptionKeyShutdownDuration: 'string',
        sessionAffinity: 'bool',
        healthCheckDisabled: 'bool',
        nodeSelector: 'message:NodeSelector',
        gpuZonalRedundancyDisabled: 'bool',
    },
    SecretKeySelector: {
        secret: 'string',
        version: 'string',
    },
    SecretVolumeSource: {
        secret: 'string',
        items: 'message:VersionToPath list',
        defaultMode: 'int32',
    },
    Service: {
        name: 'string',
        description: 'string',
        uid: 'string',
        generation: 'int64',
        labels: 'string map',
        annotations: 'string map',
        createTime: 'string',
        updateTime: 'string',
        deleteTime: 'string',
        expireTime: 'string',
        creator: 'string',
        lastModifier: 'string',
        client: 'string',
        clientVersion: 'string',
        ingress: 'enum:IngressTraffic',
        launchStage: 'enum:LaunchStage',
        binaryAuthorization: 'message:BinaryAuthorization',
        template: 'message:RevisionTemplate',
        traffic: 'message:TrafficTarget list',
        scaling: 'message:ServiceScaling',
        invokerIamDisabled: 'bool',
        defaultUriDisabled: 'bool',
        urls: 'string list',
        iapEnabled: 'bool',
        multiRegionSettings: 'message:Service.MultiRegionSettings',
        customAudiences: 'string list',
        observedGeneration: 'int64',
        terminalCondition: 'message:Condition',
        conditions: 'message:Condition list',
        latestReadyRevision: 'string',
        latestCreatedRevision: 'string',
        trafficStatuses: 'message:TrafficTargetStatus list',
        uri: 'string',
        satisfiesPzs: 'bool',
        threatDetectionEnabled: 'bool',
        buildConfig: 'message:BuildConfig',
        reconciling: 'bool',
        etag: 'string',
    },
    'Service.MultiRegionSettings': {
        regions: 'string list',
        multiRegionId: 'string',
    },
    ServiceMesh: {
        mesh: 'string',
    },
    ServiceScaling: {
        minInstanceCount: 'int32',
        scalingMode: 'enum:ServiceScaling.ScalingMode',
        maxInstanceCount: 'int32',
        manualInstanceCount: 'int32',
    },
    SourceCode: {
        cloudStorageSource: 'message:SourceCode.CloudStorageSource',
    },
    'SourceCode.CloudStorageSource': {
        bucket: 'string',
        object: 'string',
        generation: 'int64',
    },
    TaskTemplate: {
        containers: 'message:Container list',
        volumes: 'message:Volume list',
        maxRetries: 'int32',
        timeout: 'string',
        serviceAccount: 'string',
        executionEnvironment: 'enum:ExecutionEnvironment',
        encryptionKey: 'string',
        vpcAccess: 'message:VpcAccess',
        nodeSelector: 'message:NodeSelector',
        gpuZonalRedundancyDisabled: 'bool',
    },
    TCPSocketAction: {
        port: 'int32',
    },
    TrafficTarget: {
        type: 'enum:TrafficTargetAllocationType',
        revision: 'string',
        percent: 'int32',
        tag: 'string',
    },
    TrafficTargetStatus: {
        type: 'enum:TrafficTargetAllocationType',
        revision: 'string',
        percent: 'int32',
        tag: 'string',
        uri: 'string',
    },
    VersionToPath: {
        path: 'string',
        version: 'string',
        mode: 'int32',
    },
    Volume: {
        name: 'string',
        secret: 'message:SecretVolumeSource',
        cloudSqlInstance: 'message:CloudSqlInstance',
        emptyDir: 'message:EmptyDirVolumeSource',
        nfs: 'message:NFSVolumeSource',
        gcs: 'message:GCSVolumeSource',
    },
    VolumeMount: {
        name: 'string',
        mountPath: 'string',
        subPath: 'string',
    },
    VpcAccess: {
        connector: 'string',
        egress: 'enum:VpcAccess.VpcEgress',
        networkInterfaces: 'message:VpcAccess.NetworkInterface list',
    },
    'VpcAccess.NetworkInterface': {
        network: 'string',
        subnetwork: 'string',
        tags: 'string list',
    },
};
const cloudrun_schema_ENUMS = {
    'Condition.CommonReason': [
        'COMMON_REASON_UNDEFINED',
        'UNKNOWN',
        'REVISION_FAILED',
        'PROGRESS_DEADLINE_EXCEEDED',
        'CONTAINER_MISSING',
        'CONTAINER_PERMISSION_DENIED',
        'CONTAINER_IMAGE_UNAUTHORIZED',
        'CONTAINER_IMAGE_AUTHORIZATION_CHECK_FAILED',
        'ENCRYPTION_KEY_PERMISSION_DENIED',
        'ENCRYPTION_KEY_CHECK_FAILED',
        'SECRETS_ACCESS_CHECK_FAILED',
        'WAITING_FOR_OPERATION',
        'IMMEDIATE_RETRY',
        'POSTPONED_RETRY',
        'INTERNAL',
        'VPC_NETWORK_NOT_FOUND',
    ],
    'Condition.ExecutionReason': [
        'EXECUTION_REASON_UNDEFINED',
        'JOB_STATUS_SERVICE_POLLING_ERROR',
        'NON_ZERO_EXIT_CODE',
        'CANCELLED',
        'CANCELLING',
        'DELETED',
        'DELAYED_START_PENDING',
    ],
    'Condition.RevisionReason': [
        'REVISION_REASON_UNDEFINED',
        'PENDING',
        'RESERVE',
        'RETIRED',
        'RETIRING',
        'RECREATING',
        'HEALTH_CHECK_CONTAINER_ERROR',
        'CUSTOMIZED_PATH_RESPONSE_PENDING',
        'MIN_INSTANCES_NOT_PROVISIONED',
        'ACTIVE_REVISION_LIMIT_REACHED',
        'NO_DEPLOYMENT',
        'HEALTH_CHECK_SKIPPED',
        'MIN_INSTANCES_WARMING',
    ],
    'Condition.Severity': ['SEVERITY_UNSPECIFIED', 'ERROR', 'WARNING', 'INFO'],
    'Condition.State': [
        'STATE_UNSPECIFIED',
        'CONDITION_PENDING',
        'CONDITION_RECONCILING',
        'CONDITION_FAILED',
        'CONDITION_SUCCEEDED',
    ],
    'EmptyDirVolumeSource.Medium': ['MEDIUM_UNSPECIFIED', 'MEMORY'],
    EncryptionKeyRevocationAction: ['ENCRYPTION_KEY_REVOCATION_ACTION_UNSPECIFIED', 'PREVENT_NEW', 'SHUTDOWN'],
    ExecutionEnvironment: [
        'EXECUTION_ENVIRONMENT_UNSPECIFIED',
        'EXECUTION_ENVIRONMENT_GEN1',
        'EXECUTION_ENVIRONMENT_GEN2',
    ],
    'ExecutionReference.CompletionStatus': [
        'COMPLETION_STATUS_UNSPECIFIED',
        'EXECUTION_SUCCEEDED',
        'EXECUTION_FAILED',
        'EXECUTION_RUNNING',
        'EXECUTION_PENDING',
        'EXECUTION_CANCELLED',
    ],
    IngressTraffic: [
        'INGRESS_TRAFFIC_UNSPECIFIED',
        'INGRESS_TRAFFIC_ALL',
        'INGRESS_TRAFFIC_INTERNAL_ONLY',
        'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
        'INGRESS_TRAFFIC_NONE',
    ],
    LaunchStage: [
        'LAUNCH_STAGE_UNSPECIFIED',
        'UNIMPLEMENTED',
        'PRELAUNCH',
        'EARLY_ACCESS',
        'ALPHA',
        'BETA',
        'GA',
        'DEPRECATED',
    ],
    'ServiceScaling.ScalingMode': ['SCALING_MODE_UNSPECIFIED', 'AUTOMATIC', 'MANUAL'],
    TrafficTargetAllocationType: [
        'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED',
        'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST',
        'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
    ],
    'VpcAccess.VpcEgress': ['VPC_EGRESS_UNSPECIFIED', 'ALL_TRAFFIC', 'PRIVATE_RANGES_ONLY'],
};

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-spec-check.ts


/** Keys that reach Object.prototype (or a constructor) when merged naively. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
function isPlainObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function parse(spec) {
    const [kind, ...flags] = spec.split(' ');
    return { kind, list: flags.includes('list'), map: flags.includes('map') };
}
/** Output-only fields by dotted path from the resource (list elements share their list's path). */
const OUTPUT_ONLY = {
    Service: new Set([...SERVICE_OUTPUT_ONLY, ...SERVICE_NESTED_OUTPUT_ONLY]),
    Job: new Set([...JOB_OUTPUT_ONLY, ...JOB_NESTED_OUTPUT_ONLY]),
};
function isOutputOnly(resource, path) {
    return OUTPUT_ONLY[resource].has(path);
}
/** A deep copy of a Service or Job without its output-only fields, at every level. */
function cloudrun_spec_check_writable(value, resource = 'Service') {
    return strip(value, resource, '');
}
function strip(value, resource, path) {
    if (Array.isArray(value))
        return value.map((item) => strip(item, resource, path));
    if (!isPlainObject(value))
        return structuredClone(value);
    const out = {};
    for (const [key, item] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (isOutputOnly(resource, at))
            continue;
        out[key] = strip(item, resource, at);
    }
    return out;
}
/**
 * Why `patch` cannot be merged into a `message`, as "`template.containers[0].foo` is not a field of
 * Container", or undefined when it can. A null removes a field and is always allowed.
 */
function patchProblem(patch, resource) {
    return messageProblem(patch, resource, resource, '', '');
}
/** `path` is for messages ("template.containers[0]"), `field` the dotted path the output-only list uses. */
function messageProblem(value, resource, message, path, field) {
    if (!isPlainObject(value))
        return `${path ? `\`${path}\`` : 'the patch'} is not an object`;
    const fields = MESSAGES[message] ?? {};
    for (const key of Object.keys(value)) {
        const at = path ? `${path}.${key}` : key;
        const dotted = field ? `${field}.${key}` : key;
        if (PROTOTYPE_KEYS.has(key))
            return `\`${at}\` is a prototype key, which is never merged`;
        const spec = fields[key];
        if (!spec)
            return `\`${at}\` is not a field of ${message} (Cloud Run Admin API v2)`;
        if (isOutputOnly(resource, dotted))
            return `\`${at}\` is output only: Cloud Run sets it, a request cannot`;
        const item = value[key];
        if (item === null)
            continue;
        const { kind, list, map } = parse(spec);
        const problem = valueProblem(item, kind, list, map, at, resource, dotted);
        if (problem)
            return problem;
    }
    return undefined;
}
function valueProblem(value, kind, list, map, at, resource, field) {
    if (list) {
        if (!Array.isArray(value))
            return `\`${at}\` must be a list`;
        for (const [i, item] of value.entries()) {
            const problem = valueProblem(item, kind, false, false, `${at}[${i}]`, resource, field);
            if (problem)
                return problem;
        }
        return undefined;
    }
    if (map) {
        if (!isPlainObject(value))
            return `\`${at}\` must be a map of names to values`;
        for (const [key, item] of Object.entries(value)) {
            if (PROTOTYPE_KEYS.has(key))
                return `\`${at}.${key}\` is a prototype key, which is never merged`;
            const problem = valueProblem(item, kind, false, false, `${at}.${key}`, resource, field);
            if (problem)
                return problem;
        }
        return undefined;
    }
    if (kind.startsWith('message:'))
        return messageProblem(value, resource, kind.slice(8), at, field);
    if (kind.startsWith('enum:')) {
        const values = ENUMS[kind.slice(5)] ?? [];
        return typeof value === 'string' && values.includes(value)
            ? undefined
            : `\`${at}\` must be one of ${values.join(', ')}`;
    }
    if (kind === 'bool')
        return typeof value === 'boolean' ? undefined : `\`${at}\` must be true or false`;
    if (/int|double|float/.test(kind))
        return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
            ? undefined
            : `\`${at}\` must be a number`;
    return typeof value === 'string' || typeof value === 'number' ? undefined : `\`${at}\` must be a string`;
}
/** "1", "0.5", "500m" → CPUs; undefined when not a quantity. */
function cpuCount(text) {
    if (/^\d+m$/.test(text))
        return Number(text.slice(0, -1)) / 1000;
    if (/^\d+(\.\d+)?$/.test(text))
        return Number(text);
    return undefined;
}
const MEMORY_UNITS = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 };
/** "512Mi" → bytes; undefined when not a quantity. */
function memoryBytes(text) {
    const match = /^(\d+)(Ki|Mi|Gi|K|M|G)$/.exec(text);
    return match ? Number(match[1]) * MEMORY_UNITS[match[2]] : undefined;
}
const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** Memory range per whole CPU count (cloud.google.com/run/docs/configuring/services/cpu). */
const MEMORY_FOR_CPU = {
    1: [128 * MiB, 4 * GiB],
    2: [128 * MiB, 8 * GiB],
    4: [2 * GiB, 16 * GiB],
    6: [4 * GiB, 24 * GiB],
    8: [4 * GiB, 32 * GiB],
};
/** Which setting breaks Cloud Run's CPU/memory rules, and the fix; undefined when they hold. */
function resourcesProblem(r) {
    const cpu = r.cpu === undefined ? undefined : cpuCount(r.cpu);
    const memory = r.memory === undefined ? undefined : memoryBytes(r.memory);
    if (r.cpu !== undefined && cpu === undefined)
        return {
            input: 'cpu',
            problem: `"${r.cpu}" is not a CPU count`,
            fix: 'write 1, 2, 4, 6, 8, or a fraction from 0.08 to below 1 (e.g. 0.5 or 500m)',
        };
    if (r.memory !== undefined && memory === undefined)
        return { input: 'memory', problem: `"${r.memory}" is not a memory size`, fix: 'write a size like 512Mi or 2Gi' };
    if (cpu !== undefined) {
        if (cpu < 1 && (cpu < 0.08 || Math.round(cpu * 1000) !== cpu * 1000))
            return {
                input: 'cpu',
                problem: `${r.cpu} is not a CPU count Cloud Run accepts`,
                fix: 'below 1, use 0.08 to 0.999 in steps of 0.001',
            };
        if (cpu >= 1 && !MEMORY_FOR_CPU[cpu])
            return {
                input: 'cpu',
                problem: `${r.cpu} is not a CPU count Cloud Run accepts`,
                fix: 'above 1, use 2, 4, 6 or 8',
            };
        if (cpu < 1 && r.cpuIdle === false)
            return {
                input: 'cpu',
                problem: `${r.cpu} (below 1) needs CPU allocated only during requests`,
                fix: 'leave cpu-throttling at true, or use 1 CPU or more',
            };
        if (cpu < 1 && r.concurrency !== 1)
            return {
                input: 'concurrency',
                problem: r.concurrency === undefined
                    ? `must be 1 with cpu ${r.cpu} (below 1), and is not set`
                    : `is ${r.concurrency}, but cpu ${r.cpu} (below 1) allows only 1`,
                fix: 'set concurrency: 1, or use 1 CPU or more',
            };
    }
    if (memory !== undefined) {
        if (memory < 128 * MiB || memory > 32 * GiB)
            return {
                input: 'memory',
                problem: `${r.memory} is outside Cloud Run's 128Mi to 32Gi`,
                fix: 'use a size in that range',
            };
        const count = cpu ?? 1;
        if (count < 1) {
            if (memory > GiB)
                return {
                    input: 'memory',
                    problem: `${r.memory} needs at least 1 CPU (cpu is ${r.cpu})`,
                    fix: 'raise cpu to 1 or lower memory to 1Gi',
                };
            if (memory > 512 * MiB && count < 0.5)
                return {
                    input: 'memory',
                    problem: `${r.memory} needs at least 0.5 CPU (cpu is ${r.cpu})`,
                    fix: 'raise cpu to 0.5 or lower memory to 512Mi',
                };
        }
        else {
            const [min, max] = MEMORY_FOR_CPU[count] ?? [0, Number.POSITIVE_INFINITY];
            const cpuText = r.cpu === undefined ? '1 (the default)' : r.cpu;
            if (memory > max)
                return {
                    input: 'memory',
                    problem: `${r.memory} is more than ${cpuText} CPU allows (${max / GiB}Gi)`,
                    fix: 'raise cpu or lower memory',
                };
            if (memory < min)
                return {
                    input: 'memory',
                    problem: `${r.memory} is less than ${cpuText} CPU needs (${min / GiB}Gi)`,
                    fix: 'raise memory or lower cpu',
                };
        }
    }
    return undefined;
}
/**
 * Sets limits and cpuIdle on a container. `cpuIdle` unset in a request with limits means CPU always
 * allocated (instance-based billing), so it is sent explicitly: as asked, else as the container had it,
 * else true (Cloud Run's own default when no limits are given).
 */
function cloudrun_spec_check_applyResources(container, r) {
    const hadResources = Boolean(container.resources);
    if (!r.cpu && !r.memory && r.cpuIdle === undefined && hadResources)
        return;
    container.resources ??= {};
    if (r.cpu || r.memory)
        container.resources.limits = {
            ...container.resources.limits,
            ...(r.cpu ? { cpu: r.cpu } : {}),
            ...(r.memory ? { memory: r.memory } : {}),
        };
    const cpu = r.cpu === undefined ? undefined : cpuCount(r.cpu);
    if (r.cpuIdle !== undefined)
        container.resources.cpuIdle = r.cpuIdle;
    else if (!hadResources || (cpu !== undefined && cpu < 1))
        container.resources.cpuIdle = true;
}
/** A variable from Secret Manager: `secret` (a name or `projects/P/secrets/S`) at `version` (default latest). */
function cloudrun_spec_check_secretEnvVar(name, ref) {
    return { name, valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version ?? 'latest' } } };
}
/** Mounts Cloud SQL instances at /cloudsql (the one `cloudsql` volume, replaced), for a service or a job task. */
function cloudrun_spec_check_mountCloudSql(owner, container, instances) {
    if (!instances.length)
        return;
    owner.volumes = [
        ...(owner.volumes ?? []).filter((v) => v.name !== 'cloudsql'),
        { name: 'cloudsql', cloudSqlInstance: { instances } },
    ];
    container.volumeMounts = [
        ...(container.volumeMounts ?? []).filter((m) => m.name !== 'cloudsql'),
        { name: 'cloudsql', mountPath: '/cloudsql' },
    ];
}

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-job-spec.ts

/**
 * The job as it should be: `existing` (when updating) without its output-only fields, with what the spec
 * sets replaced; every other field (annotations, launchStage, binaryAuthorization, ...) is kept.
 */
function cloudrun_job_spec_jobBody(spec, existing) {
    const body = existing ? writable(existing, 'Job') : {};
    delete body.name;
    const template = body.template ?? {};
    body.template = template;
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
            ...Object.entries(spec.secretEnv ?? {}).map(([n, ref]) => secretEnvVar(n, ref)),
        ];
        const names = new Set(wanted.map((e) => e.name));
        const kept = spec.envStrategy === 'merge' ? (container.env ?? []).filter((e) => !names.has(e.name)) : [];
        container.env = [...kept, ...wanted];
    }
    if (spec.cpu || spec.memory)
        applyResources(container, { cpu: spec.cpu, memory: spec.memory, cpuIdle: spec.cpuIdle });
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
    mountCloudSql(task, container, spec.cloudsqlInstances ?? []);
    if (existing?.etag)
        body.etag = existing.etag;
    if (spec.labels || existing?.labels)
        body.labels = { ...existing?.labels, ...spec.labels };
    return body;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-service-spec.ts



/** The labels every deploy adds unless told not to. */
function defaultLabels(sha) {
    return { 'managed-by': 'github-actions', 'commit-sha': sha.toLowerCase() };
}
/** `api-a1b2c3d-k4x9`: unique per deploy, traceable to the commit, within Cloud Run's 63 characters. */
function revisionName(service, sha, suffix) {
    const tail = suffix ?? `${sha.slice(0, 7).toLowerCase()}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
    return `${service}-${tail}`;
}
function serviceBody(spec, existing) {
    let service = existing ? writable(existing, 'Service') : {};
    if (!existing)
        delete service.name;
    if (spec.ingress)
        service.ingress = spec.ingress;
    if (spec.invokerIamDisabled !== undefined)
        service.invokerIamDisabled = spec.invokerIamDisabled;
    service.template ??= {};
    const template = service.template;
    template.revision = spec.revision;
    template.containers ??= [];
    const container = template.containers[0] ?? { image: spec.image };
    template.containers[0] = container;
    container.image = spec.image;
    if (Object.keys(spec.labels).length) {
        service.labels = { ...service.labels, ...spec.labels };
        template.labels = { ...template.labels, ...spec.labels };
    }
    container.env = mergeEnv(container.env ?? [], spec);
    applySecretFiles(template, container, spec);
    applySettings(template, container, spec);
    // Own keys only, into null-prototype objects; __proto__/constructor/prototype refused (patchProblem did too).
    if (spec.patch)
        service = safeMerge(service, spec.patch, { input: 'service-patch' });
    return service;
}
function mergeEnv(current, spec) {
    const givenPlain = Object.keys(spec.env);
    const givenSecret = Object.keys(spec.secretEnv);
    const given = new Set([...givenPlain, ...givenSecret]);
    const plainInput = givenPlain.length > 0;
    const secretInput = givenSecret.length > 0;
    const kept = current.filter((e) => {
        if (given.has(e.name))
            return false; // replaced below, as whatever kind the spec says
        const isSecret = Boolean(e.valueSource);
        if (isSecret)
            return !(secretInput && spec.secretsStrategy === 'overwrite');
        return !(plainInput && spec.envStrategy === 'overwrite');
    });
    return [
        ...kept,
        ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
        ...Object.entries(spec.secretEnv).map(([name, ref]) => secretEnvVar(name, ref)),
    ];
}
/** One secret volume per mounted directory (Cloud Run mounts one secret per path). */
function applySecretFiles(template, container, spec) {
    if (!spec.secretFiles.length)
        return;
    const dirs = new Set(spec.secretFiles.map((f) => f.dir));
    const volumes = template.volumes ?? [];
    const mounts = container.volumeMounts ?? [];
    const secretVolumes = new Set(volumes.filter((v) => v.secret).map((v) => v.name));
    const replaced = new Set(mounts
        .filter((m) => secretVolumes.has(m.name) && (spec.secretsStrategy === 'overwrite' || dirs.has(m.mountPath)))
        .map((m) => m.name));
    if (spec.secretsStrategy === 'overwrite')
        for (const name of secretVolumes)
            replaced.add(name);
    const newVolumes = [];
    const newMounts = [];
    for (const dir of dirs) {
        const files = spec.secretFiles.filter((f) => f.dir === dir);
        const name = `secret-${createHash('sha256').update(dir).digest('hex').slice(0, 10)}`;
        newVolumes.push({
            name,
            secret: { secret: files[0].secret, items: files.map((f) => ({ path: f.file, version: f.version })) },
        });
        newMounts.push({ name, mountPath: dir });
    }
    template.volumes = [...volumes.filter((v) => !replaced.has(v.name)), ...newVolumes];
    container.volumeMounts = [...mounts.filter((m) => !replaced.has(m.name)), ...newMounts];
}
function applySettings(template, container, s) {
    applyResources(container, { cpu: s.cpu, memory: s.memory, cpuIdle: s.cpuIdle });
    if (s.concurrency !== undefined)
        template.maxInstanceRequestConcurrency = s.concurrency;
    if (s.minInstances !== undefined || s.maxInstances !== undefined) {
        template.scaling = {
            ...template.scaling,
            ...(s.minInstances !== undefined ? { minInstanceCount: s.minInstances } : {}),
            ...(s.maxInstances !== undefined ? { maxInstanceCount: s.maxInstances } : {}),
        };
    }
    if (s.requestTimeoutMs !== undefined)
        template.timeout = `${Math.round(s.requestTimeoutMs / 1000)}s`;
    if (s.serviceAccount)
        template.serviceAccount = s.serviceAccount;
    if (s.vpcConnector)
        template.vpcAccess = { connector: s.vpcConnector, egress: s.vpcEgress ?? 'PRIVATE_RANGES_ONLY' };
    mountCloudSql(template, container, s.cloudsqlInstances);
    // The port's name picks the protocol (http1 or h2c): kept as the service has it unless portName says.
    if (s.port !== undefined || s.portName) {
        const current = container.ports?.[0];
        container.ports = [
            { name: s.portName ?? current?.name ?? 'http1', containerPort: s.port ?? current?.containerPort ?? 8080 },
        ];
    }
    if (s.command)
        container.command = s.command;
    if (s.args)
        container.args = s.args;
    if (s.startupProbePath)
        container.startupProbe = {
            httpGet: { path: s.startupProbePath, port: s.port ?? container.ports?.[0]?.containerPort ?? 8080 },
            periodSeconds: 5,
            failureThreshold: 24,
            timeoutSeconds: 4,
        };
}

;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-spec.ts
/**
 * The one Cloud Run spec module: how a Service or a Job body is built and what it may hold, for every caller
 * (deploy-cloudrun's services and jobs, run-migrations' cloudrun-job mode). One file per concern:
 *
 *   cloudrun-service-spec.ts  serviceBody(spec, existing?)     the Service to send: existing without output-only
 *                                                              fields, the spec applied, the new revision named
 *                             mergeEnv, revisionName, defaultLabels
 *   cloudrun-job-spec.ts      jobBody(spec, existing?)         the Job to send, keeping every field the spec leaves
 *                                                              out (annotations, launchStage, binaryAuthorization)
 *   cloudrun-spec-check.ts    writable(resource, kind)         the resource without output-only fields (nested too)
 *                             patchProblem(patch, 'Service')   why a user patch is refused, naming the key
 *                             resourcesProblem({cpu, memory})  Cloud Run's CPU/memory/concurrency pairing rules
 *                             applyResources, mountCloudSql, secretEnvVar   the container parts both bodies share
 *
 * The field lists come from Google's protos (cloudrun-schema.ts, cloudrun-output-only.ts). Sending the bodies
 * is cloudrun-client.ts (services) and cloudrun-jobs.ts (deployJob, runJob, waitForExecution).
 */




;// CONCATENATED MODULE: ./packages/gcp/src/cloudrun-jobs.ts





/**
 * Cloud Run jobs as deploy-cloudrun and run-migrations use them: put a job in the wanted shape, start an
 * execution, and follow it to the end.
 *
 *   deployJob(client, spec, { timeoutMs }) → { job, created }          create, or update keeping what spec leaves out
 *   runJob(client, name, overrides?) → Execution                       started, not finished
 *   waitForExecution(client, executionName, { timeoutMs }) → ExecutionResult   progress logged, TimeoutError at the deadline
 *
 * `name` is the full job name (`jobPath(project, region, job)`). The body comes from the Cloud Run spec module
 * (`jobBody` in cloudrun-job-spec.ts, re-exported here for code that imported it from this file).
 */

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
        throw new UserError(`The ${what} finished but the job cannot be read back`);
    const failed = result.terminalCondition?.state === 'CONDITION_FAILED' ? result.terminalCondition : undefined;
    if (failed)
        throw new UserError(`The ${what} failed: ${describeCondition(failed)}`);
    return { job: result, created: !existing };
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
    // jobs.run is not idempotent: a second request starts a second execution (a second migration). After an
    // ambiguous failure the job's newest execution is compared with the one before, and decides.
    const before = (await client.getJob(name))?.latestCreatedExecution?.name;
    let operation = await createOnce({
        what: `jobs.run ${shortName(name)}`,
        send: () => client.runJob(name, body),
        reconcile: async () => {
            const latest = (await client.getJob(name))?.latestCreatedExecution?.name;
            if (!latest || latest === before)
                return undefined;
            return { name: '', metadata: await client.getExecution(latest) };
        },
        log: options.log,
    });
    const named = (op) => op.metadata?.name ? op.metadata : op.response?.name ? op.response : undefined;
    const first = named(operation);
    if (first)
        return first;
    // The execution is usually named in the first answer; otherwise the operation is re-read until it is.
    const { value } = await poll({
        what: `start of job ${shortName(name)}`,
        timeoutMs: options.timeoutMs ?? 120_000,
        initialMs: 250,
        log: options.log,
        check: async () => {
            operation = await client.getOperation(operation.name);
            if (operation.error?.code)
                throw new UserError(`Job ${shortName(name)} did not start: ${operation.error.message}`);
            const execution = named(operation);
            return execution ? { done: true, value: execution } : { done: false, status: 'starting' };
        },
    });
    return value;
}
/** Follows an execution until it completes; a failed execution is a result (succeeded false), a timeout throws. */
async function waitForExecution(client, executionName, options) {
    const clock = options.clock ?? realClock;
    const log = options.log ?? ((line) => core.info(line));
    const started = clock.now();
    const short = shortName(executionName);
    try {
        const { value } = await poll({
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
        if (error instanceof TimeoutError) {
            const last = await client.getExecution(executionName).catch(() => undefined);
            const logs = last?.logUri ? ` Logs: ${last.logUri}` : '';
            throw new TimeoutError(`${error.message}${logs}`);
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
    const reasons = [condition.reason, condition.revisionReason, condition.executionReason].filter(
    // The protos' defaults are COMMON_REASON_UNDEFINED, REVISION_REASON_UNDEFINED, EXECUTION_REASON_UNDEFINED.
    (r) => r && !r.endsWith('_UNDEFINED') && !r.endsWith('_UNSPECIFIED'));
    const message = condition.message?.trim() || `${condition.type ?? 'condition'} is ${condition.state ?? 'unknown'}`;
    return reasons.length ? `${reasons.join(' / ')}: ${message}` : message;
}

;// CONCATENATED MODULE: ./packages/gcp/src/index.ts










// EXTERNAL MODULE: ./actions/snapshot-db/src/identifier.ts
var identifier = __webpack_require__(83570);
// EXTERNAL MODULE: ./actions/snapshot-db/src/outcome.ts
var outcome = __webpack_require__(90301);
// EXTERNAL MODULE: ./actions/snapshot-db/src/retention.ts
var retention = __webpack_require__(90179);
// EXTERNAL MODULE: ./actions/snapshot-db/src/tags.ts
var tags = __webpack_require__(99864);
// EXTERNAL MODULE: ./actions/snapshot-db/src/wait-schedule.ts
var wait_schedule = __webpack_require__(28968);
// EXTERNAL MODULE: ./actions/snapshot-db/src/waiting.ts
var waiting = __webpack_require__(74622);
;// CONCATENATED MODULE: ./actions/snapshot-db/src/provider-cloudsql.ts









const BUSY = /operationInProgress|another operation/i;
function isBusy(error) {
    return (error instanceof google_api_GoogleApiError && (error.status === 409 || (error.status === 403 && BUSY.test(error.message))));
}
function describeOf(run, instance) {
    const marks = Object.entries((0,tags/* snapshotTags */.yi)(run, instance))
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
    return `${(0,identifier/* render */.XX)(run.inputs.identifier, { ...run.values, db: instance })} [${marks}]`;
}
function isOurs(backup, instance) {
    const text = backup.description ?? '';
    return backup.type !== 'AUTOMATED' && text.includes(`managed-by=${tags/* MANAGED_BY */.Kf} `) && text.includes(` db=${instance} `);
}
function operationError(op) {
    return (op.error?.errors ?? []).map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`).join('; ') || 'no details';
}
async function snapshotCloudSql(run) {
    const { inputs } = run;
    const instance = inputs.database;
    const credentials = await googleCredentials({
        accessToken: inputs.accessToken,
        scopes: [CLOUD_PLATFORM_SCOPE],
        project: inputs.project,
    });
    const project = credentials.project;
    if (!project) {
        throw new src/* UserError */.yo('No Google Cloud project: set the "project-id" input, or GOOGLE_CLOUD_PROJECT (google-github-actions/auth sets it)');
    }
    src/* workflow.info */.kn.info(`Cloud SQL instance ${project}:${instance}, credentials from ${credentials.source}`);
    const api = new google_api_GoogleApi({ credentials, endpoint: inputs.apiEndpoint.toString(), api: 'Cloud SQL Admin API' });
    const base = `/v1/projects/${project}/instances/${instance}`;
    const found = await api.find(base);
    if (!found)
        throw new src/* UserError */.yo(`Cloud SQL instance "${instance}" not found in project ${project}: check "database" and "project-id"`);
    if (found.state === 'SUSPENDED' || found.state === 'FAILED') {
        throw new src/* UserError */.yo(`Cloud SQL instance "${instance}" is ${found.state}, so it cannot be backed up`);
    }
    /** Sends an admin request, waiting while another operation holds the instance. */
    const whenFree = async (what, send) => {
        const polled = await (0,waiting/* waitFor */.f)({
            what,
            deadline: run.deadline,
            pollIntervalMs: inputs.pollIntervalMs,
            timeoutHint: `Another operation held instance ${instance} the whole time; raise "timeout" (now ${(0,src/* formatDuration */.a3)(inputs.timeoutMs)} for the whole step).`,
            check: async () => {
                try {
                    return { done: true, value: await send() };
                }
                catch (error) {
                    if (!isBusy(error))
                        throw error;
                    return { done: false, status: 'waiting for another operation on the instance to finish' };
                }
            },
        });
        return polled.value;
    };
    const waitOperation = async (op, what) => {
        const schedule = new wait_schedule/* WaitSchedule */.v({
            minMs: Math.min(2000, inputs.pollIntervalMs / 5),
            maxMs: inputs.pollIntervalMs,
        });
        const polled = await (0,waiting/* waitFor */.f)({
            what,
            deadline: run.deadline,
            pollIntervalMs: inputs.pollIntervalMs,
            timeoutHint: `The backup goes on in Cloud SQL; raise "timeout" (now ${(0,src/* formatDuration */.a3)(inputs.timeoutMs)} for the whole step), or set wait: false.`,
            check: async () => {
                const now = await api.call(`/v1/projects/${project}/operations/${op.name}`);
                if (now.status === 'DONE')
                    return { done: true, value: now };
                return { done: false, status: now.status, delayMs: schedule.next() };
            },
        });
        if (polled.value.error)
            throw new src/* UserError */.yo(`${what} failed: ${operationError(polled.value)}`);
        return polled.value;
    };
    /** An adopted backup has no operation of ours to follow: its backup run is followed instead. */
    const waitBackupRun = async (id) => {
        const schedule = new wait_schedule/* WaitSchedule */.v({
            minMs: Math.min(2000, inputs.pollIntervalMs / 5),
            maxMs: inputs.pollIntervalMs,
        });
        await (0,waiting/* waitFor */.f)({
            what: `backup ${id} of ${instance}`,
            deadline: run.deadline,
            pollIntervalMs: inputs.pollIntervalMs,
            timeoutHint: `The backup goes on in Cloud SQL; raise "timeout" (now ${(0,src/* formatDuration */.a3)(inputs.timeoutMs)} for the whole step), or set wait: false.`,
            check: async () => {
                const now = await api.call(`${base}/backupRuns/${id}`);
                if (!['ENQUEUED', 'RUNNING', 'PENDING'].includes(now.status))
                    return { done: true, value: now };
                return { done: false, status: now.status, delayMs: schedule.next() };
            },
        });
        return { name: `backup ${id}`, status: 'DONE', backupContext: { backupId: id } };
    };
    const description = describeOf(run, instance);
    // Clocks differ: a backup enqueued up to a minute "before" the request still counts as its answer.
    const requestedAt = Date.now() - 60_000;
    const adopt = async () => (await listBackups(api, base)).find((b) => b.description === description &&
        b.type !== 'AUTOMATED' &&
        (!b.enqueuedTime || Date.parse(b.enqueuedTime) >= requestedAt));
    let uncertain = false;
    const requested = await (0,waiting/* waitFor */.f)({
        what: `backup of ${instance}`,
        deadline: run.deadline,
        pollIntervalMs: inputs.pollIntervalMs,
        timeoutHint: `Another operation held instance ${instance} the whole time; raise "timeout" (now ${(0,src/* formatDuration */.a3)(inputs.timeoutMs)} for the whole step).`,
        check: async () => {
            if (uncertain) {
                const adopted = await adopt();
                if (adopted) {
                    src/* workflow.info */.kn.info(`Backup ${adopted.id} is the one requested before the answer was lost; using it`);
                    return { done: true, value: { adopted } };
                }
            }
            try {
                const op = await api.call(`${base}/backupRuns`, {
                    method: 'POST',
                    body: { description },
                    retry: create_once_NOT_RETRIED,
                });
                return { done: true, value: { op } };
            }
            catch (error) {
                if (isBusy(error))
                    return { done: false, status: 'waiting for another operation on the instance to finish' };
                if (!isAmbiguous(error))
                    throw error;
                uncertain = true;
                src/* workflow.warning */.kn.warning((0,src/* redact */.E$)(`No answer to backupRuns.insert (${error.message}); reading the backup runs before deciding`));
                return { done: false, status: 'checking whether the backup was requested', delayMs: 1000 };
            }
        },
    });
    const adopted = requested.value.adopted;
    const op = requested.value.op ?? {
        name: `backup ${adopted?.id}`,
        status: adopted?.status === 'SUCCESSFUL' ? 'DONE' : 'RUNNING',
        backupContext: { backupId: adopted?.id },
    };
    src/* workflow.info */.kn.info(`Backup of ${instance} requested (${requested.value.op ? `operation ${op.name}` : `backup run ${adopted?.id}`})`);
    run.requested(`a backup of ${instance} (${adopted ? `backup run ${adopted.id}` : `operation ${op.name}`}), going on in Cloud SQL`);
    let backup;
    let status = op.status;
    if (inputs.wait) {
        const done = adopted ? await waitBackupRun(adopted.id) : await waitOperation(op, `backup of ${instance}`);
        status = 'SUCCESSFUL';
        const id = done.backupContext?.backupId ?? (await findByDescription(api, base, description))?.id;
        if (id)
            backup = await api.call(`${base}/backupRuns/${id}`);
        if (backup && backup.status !== 'SUCCESSFUL') {
            throw new src/* UserError */.yo(`Backup ${backup.id} of ${instance} ended ${backup.status}: ${backup.error?.message ?? 'no details'}`);
        }
        src/* workflow.info */.kn.info(`Backup ${backup?.id ?? ''} of ${instance} is done`);
    }
    else if (adopted) {
        backup = adopted;
        status = adopted.status;
    }
    else if (op.backupContext?.backupId) {
        backup = await api.call(`${base}/backupRuns/${op.backupContext.backupId}`);
        status = backup.status;
    }
    const pruned = await prune(api, run, base, instance, backup?.id, async (id) => {
        const del = await whenFree(`deletion of backup ${id}`, () => api.call(`${base}/backupRuns/${id}`, { method: 'DELETE' }));
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
async function findByDescription(api, base, description) {
    return (await listBackups(api, base)).find((b) => b.description === description);
}
async function listBackups(api, base) {
    const all = [];
    let pageToken;
    do {
        const page = await api.call(`${base}/backupRuns`, {
            query: { maxResults: 100, pageToken },
        });
        all.push(...(page.items ?? []));
        pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
}
async function prune(api, run, base, instance, justMade, remove) {
    const pruned = (0,outcome/* emptyPruned */.c)();
    const { keepLast, maxAgeMs, dryRun } = run.inputs;
    if (keepLast === undefined && maxAgeMs === undefined)
        return pruned;
    if (!run.inputs.wait || !justMade) {
        src/* workflow.notice */.kn.notice('Retention skipped: it runs only once the new backup is done (wait: true), so a failed backup never costs an older one.');
        return pruned;
    }
    const all = await listBackups(api, base);
    const ours = all
        .filter((b) => isOurs(b, instance))
        .map((b) => ({ ...b, createdAt: b.status === 'SUCCESSFUL' && b.endTime ? new Date(b.endTime) : undefined }));
    src/* workflow.info */.kn.info(`Retention: ${ours.length} backups of ${instance} made by this action (${all.length - ours.length} others left alone)`);
    const plan = (0,retention/* planRetention */.S)(ours, justMade, { keepLast, maxAgeMs }, Date.now(), (b) => b.status === 'SUCCESSFUL');
    pruned.kept = plan.keep.map((b) => b.id);
    pruned.skipped = plan.skipped.map(({ snapshot, reason }) => ({ id: snapshot.id, reason }));
    for (const b of plan.delete) {
        const age = (0,src/* formatDuration */.a3)(Date.now() - b.createdAt.getTime());
        if (dryRun) {
            src/* workflow.info */.kn.info(`Retention (dry run): would delete backup ${b.id} from ${b.endTime} (${age} ago)`);
            pruned.wouldDelete.push(b.id);
            continue;
        }
        try {
            await remove(b.id);
            src/* workflow.info */.kn.info(`Retention: deleted backup ${b.id} from ${b.endTime} (${age} ago)`);
            pruned.deleted.push(b.id);
        }
        catch (error) {
            const reason = error.message;
            src/* workflow.warning */.kn.warning(`Retention: could not delete backup ${b.id}: ${reason}`);
            pruned.failed.push({ id: b.id, reason });
        }
    }
    return pruned;
}


/***/ }),

/***/ 90179:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ planRetention)
/* harmony export */ });
/**
 * Which of our own older snapshots to delete. A snapshot is deleted only when no rule keeps it:
 * `keep-last N` keeps the N newest (the one just made counts as the first), `max-age` keeps everything
 * younger; with both, a snapshot goes only when it is beyond the N newest AND older than max-age.
 * Candidates are only snapshots this action made for this database; the one just made and any still in
 * progress (no creation time yet) are never touched.
 */
function planRetention(ours, justMade, rules, now, deletable) {
    const plan = { delete: [], keep: [], skipped: [] };
    if (rules.keepLast === undefined && rules.maxAgeMs === undefined)
        return plan;
    const older = [];
    for (const s of ours) {
        if (s.id.toLowerCase() === justMade.toLowerCase())
            continue;
        if (!s.createdAt)
            plan.skipped.push({ snapshot: s, reason: `still ${s.status}` });
        else if (!deletable(s))
            plan.skipped.push({ snapshot: s, reason: `status ${s.status}` });
        else
            older.push({ ...s, createdAt: s.createdAt });
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


/***/ }),

/***/ 99864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kf: () => (/* binding */ MANAGED_BY),
/* harmony export */   MU: () => (/* binding */ isOurs),
/* harmony export */   yi: () => (/* binding */ snapshotTags)
/* harmony export */ });
/** The tags (or, for Cloud SQL, the description words) that mark a snapshot as ours, plus the user's. */
const MANAGED_BY = 'deploy-actions';
function snapshotTags(run, db) {
    return {
        'managed-by': MANAGED_BY,
        db,
        repository: run.repository,
        sha: run.sha,
        'workflow-run': run.runUrl,
        ...run.inputs.tags,
    };
}
function isOurs(tags, db) {
    return tags['managed-by'] === MANAGED_BY && (tags.db ?? '').toLowerCase() === db.toLowerCase();
}


/***/ }),

/***/ 28968:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ WaitSchedule)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41048);

class WaitSchedule {
    options;
    start;
    first;
    overdue = 0;
    seen;
    clock;
    random;
    constructor(options) {
        this.options = options;
        this.clock = options.clock ?? _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .realClock */ .dQ;
        this.random = options.random ?? Math.random;
        this.start = this.clock.now();
    }
    /** The delay before the next check, given the progress just seen (0-100) if the API reports one. */
    next(percent) {
        const { minMs, maxMs } = this.options;
        const now = this.clock.now();
        const cap = Math.min(maxMs, Math.max(minMs, (now - this.start) / 3));
        const jittered = (ms) => ms * (0.75 + this.random() * 0.25);
        if (percent === undefined)
            return Math.max(minMs, jittered(cap));
        if (!this.first || percent < this.first.percent)
            this.first = { at: now, percent };
        const gained = percent - this.first.percent;
        if (gained <= 0)
            return Math.max(minMs, jittered(cap));
        if (this.seen?.percent !== percent)
            this.seen = { at: now, percent };
        // Progress reached `percent` at or before we first saw it, so the end is at or before this estimate.
        const rate = gained / (now - this.first.at);
        const remaining = this.seen.at + (100 - percent) / rate - now;
        const target = remaining / 2;
        if (target >= minMs) {
            this.overdue = 0;
            return Math.min(cap, target);
        }
        // Estimated to be done by now, or nearly: look again soon, backing off if the estimate was wrong.
        return Math.min(cap, minMs * 1.5 ** this.overdue++);
    }
}


/***/ }),

/***/ 74622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ waitFor)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41048);


async function waitFor(options) {
    let failures = 0;
    let last = 'unknown';
    const minMs = Math.min(2000, options.pollIntervalMs / 5);
    const clock = options.clock ?? _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .realClock */ .dQ;
    return (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .poll */ .wt)({
        what: options.what,
        clock,
        log: options.log,
        timeoutMs: Math.max(0, options.deadline - clock.now()),
        initialMs: minMs,
        maxMs: options.pollIntervalMs,
        progressEveryMs: Math.min(30_000, options.pollIntervalMs * 2),
        timeoutHint: options.timeoutHint,
        check: async () => {
            try {
                const result = await options.check();
                failures = 0;
                if (!result.done)
                    last = result.status;
                return result;
            }
            catch (error) {
                if (error instanceof _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo || ++failures >= 5)
                    throw error;
                _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .workflow.warning */ .kn.warning((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(`Checking ${options.what} failed (${error.message}); trying again`));
                return { done: false, status: last, delayMs: minMs * 2 ** failures };
            }
        },
    });
}


/***/ })

};
