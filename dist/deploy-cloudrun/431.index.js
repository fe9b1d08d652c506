export const id = 431;
export const ids = [431];
export const modules = {

/***/ 9431:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deploy: () => (/* binding */ deploy),
  jobSummary: () => (/* reexport */ jobSummary),
  serviceSummary: () => (/* reexport */ serviceSummary)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 20 modules
var src = __webpack_require__(5573);
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
const NOT_RETRIED = { retryable: (error) => (0,src/* mayRetry */.KO)('create', error) };
/** A failure after which the call may or may not have taken effect. */
function isAmbiguous(error) {
    return failureKind(error) === 'ambiguous';
}
function createOnce(options) {
    return (0,src/* createOnce */.Ur)({ ...options, log: options.log ?? ((line) => src/* workflow.info */.kn.info(line)) });
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
        return new GoogleApiError((0,src/* redact */.E$)(`${what}: ${message || 'no details'}${hint}`), error.status, status);
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
function checkSegment(kind, value) {
    const problem = segmentProblem(kind, value);
    if (problem)
        throw new src/* UserError */.yo(`${JSON.stringify(value.slice(0, 80))} is not ${problem}`);
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
    return `${locationPath(project, region)}/services/${checkSegment('service', service)}`;
}
function jobPath(project, region, job) {
    return `${locationPath(project, region)}/jobs/${checkSegment('job', job)}`;
}
function locationPath(project, region) {
    return `projects/${checkSegment('project', project)}/locations/${checkSegment('region', region)}`;
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
        super(`${shortName(resource)}: the organisation refuses public access through IAM (Domain Restricted Sharing: ${answer.replace(/^.*?answered 400 FAILED_PRECONDITION: /, '')}); set invoker-iam-disabled: true instead of allow-unauthenticated (the service is then public without an allUsers binding), or ask for an exception to constraints/iam.allowedPolicyMemberDomains`);
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
const MESSAGES = {
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
const ENUMS = {
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
function writable(value, resource = 'Service') {
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
function applyResources(container, r) {
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
function secretEnvVar(name, ref) {
    return { name, valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version ?? 'latest' } } };
}
/** Mounts Cloud SQL instances at /cloudsql (the one `cloudsql` volume, replaced), for a service or a job task. */
function mountCloudSql(owner, container, instances) {
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
function jobBody(spec, existing) {
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
var external_node_crypto_ = __webpack_require__(7598);
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
        service = (0,src/* safeMerge */.UD)(service, spec.patch, { input: 'service-patch' });
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
        const name = `secret-${(0,external_node_crypto_.createHash)('sha256').update(dir).digest('hex').slice(0, 10)}`;
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
        throw new src/* UserError */.yo(`The ${what} finished but the job cannot be read back`);
    const failed = result.terminalCondition?.state === 'CONDITION_FAILED' ? result.terminalCondition : undefined;
    if (failed)
        throw new src/* UserError */.yo(`The ${what} failed: ${describeCondition(failed)}`);
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
    const log = options.log ?? ((line) => src/* workflow.info */.kn.info(line));
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
    const reasons = [condition.reason, condition.revisionReason, condition.executionReason].filter(
    // The protos' defaults are COMMON_REASON_UNDEFINED, REVISION_REASON_UNDEFINED, EXECUTION_REASON_UNDEFINED.
    (r) => r && !r.endsWith('_UNDEFINED') && !r.endsWith('_UNSPECIFIED'));
    const message = condition.message?.trim() || `${condition.type ?? 'condition'} is ${condition.state ?? 'unknown'}`;
    return reasons.length ? `${reasons.join(' / ')}: ${message}` : message;
}

;// CONCATENATED MODULE: ./packages/gcp/src/index.ts










;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/deploy-job.ts



async function deployJobRegion(ctx, inputs, region) {
    const { client, project, sha } = ctx;
    const started = src/* realClock */.dQ.now();
    const jobId = inputs.job;
    const s = inputs.settings;
    const spec = {
        project,
        region,
        job: jobId,
        image: inputs.image,
        env: inputs.env,
        secretEnv: inputs.secretEnv,
        envStrategy: inputs.envStrategy,
        command: s.command,
        args: s.args,
        labels: { ...(inputs.skipDefaultLabels ? {} : defaultLabels(sha)), ...inputs.labels },
        serviceAccount: s.serviceAccount,
        cpu: s.cpu,
        memory: s.memory,
        cpuIdle: s.cpuIdle,
        cloudsqlInstances: s.cloudsqlInstances,
        vpcConnector: s.vpcConnector,
        vpcEgress: s.vpcEgress,
    };
    const { created } = await deployJob(client, spec, { timeoutMs: inputs.timeoutMs });
    src/* workflow.info */.kn.info(`Job ${jobId} in ${region}: ${created ? 'created' : 'updated'}`);
    const out = { region, job: jobId, created, totalMs: 0 };
    if (inputs.execute) {
        const execution = await runJob(client, jobPath(project, region, jobId), inputs.executeArgs ? { args: inputs.executeArgs } : undefined);
        out.execution = shortName(execution.name);
        src/* workflow.info */.kn.info(`Job ${jobId} in ${region}: started execution ${out.execution}`);
        if (inputs.wait) {
            out.result = await waitForExecution(client, execution.name, { timeoutMs: inputs.timeoutMs });
            const r = out.result;
            src/* workflow.info */.kn.info(`Execution ${out.execution}: ${r.succeeded ? 'succeeded' : 'FAILED'} (${r.succeededCount}/${r.taskCount} tasks succeeded, ${r.failedCount} failed)`);
        }
    }
    out.totalMs = src/* realClock */.dQ.now() - started;
    return out;
}

;// CONCATENATED MODULE: ./packages/registry/src/reference.ts
/**
 * The one image reference grammar of the suite (distribution/reference, as Docker parses it):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*   (at most 255 characters in all)
 *   domain    := host [":" port]; host is a DNS name, an IPv4 address or a bracketed IPv6 address
 *   path-component := [a-z0-9]+ ( ([._] | "__" | "-"+) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := sha256:<64 hex> | sha512:<128 hex>
 *
 * The first path component is a registry host when it has a dot or a port, is `localhost`, or has
 * uppercase letters (Docker's splitDockerDomain rule); the host is case-insensitive and is returned in
 * lowercase, so `Registry.Example.com/app:1` and `registry.example.com/app:1` are the same image. Docker
 * Hub names get their `library/` prefix and the real API host. Every action that takes an image parses it
 * here. Also decides which registries may be spoken to over plain HTTP.
 */
/** Limits of the grammar: the whole name (host included) and a tag. */
const NAME_MAX_LENGTH = 255;
const TAG_MAX_LENGTH = 128;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
class BadReferenceError extends Error {
    name = 'BadReferenceError';
}
/** Shows a value in an error without flooding it (a 100 KB input) or breaking the line. */
function shown(value) {
    const line = value.replace(/[\r\n\t]/g, ' ');
    return line.length > 80 ? `${line.slice(0, 60)}... (${value.length} characters)` : line;
}
/** Whether the first component of `name/...` is a registry host (Docker's rule). */
function isDomain(first) {
    return first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
}
/** Parses a reference; throws a BadReferenceError that says what is wrong (the caller names the input). */
function parseReference(text, options = {}) {
    const value = text.trim();
    if (!value)
        throw new BadReferenceError('is empty');
    const quoted = `"${shown(value)}"`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
    if (/[\0-\x1f\x7f]/.test(value))
        throw new BadReferenceError(`${quoted} is invalid: it contains line breaks or control characters`);
    if (value.length > NAME_MAX_LENGTH + TAG_MAX_LENGTH + 140)
        throw new BadReferenceError(`${quoted} is too long to be an image reference`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        throw new BadReferenceError(`${quoted} has a URL scheme; write it as registry/name:tag without one`);
    let rest = value;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!ANY_DIGEST.test(digest))
            throw new BadReferenceError(`${quoted} has a malformed digest (want sha256: and 64 lowercase hex digits)`);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new BadReferenceError(`${quoted} has an invalid tag "${shown(tag)}" (letters, digits, _ . -, not starting with . or -, at most ${TAG_MAX_LENGTH})`);
    }
    const parts = rest.split('/');
    let registry = options.defaultRegistry ?? 'docker.io';
    if (parts.length > 1 && isDomain(parts[0])) {
        registry = parts.shift();
        if (!HOST.test(registry))
            throw new BadReferenceError(`${quoted} has an invalid registry host "${shown(registry)}"`);
        const port = /:(\d+)$/.exec(registry);
        if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535))
            throw new BadReferenceError(`${quoted} has an invalid port in "${registry}"`);
        registry = registry.toLowerCase();
    }
    if (!parts.length || parts.some((p) => !p))
        throw new BadReferenceError(`${quoted} has an empty name component`);
    for (const part of parts) {
        if (!COMPONENT.test(part)) {
            const hint = part !== part.toLowerCase() ? ' (repository names must be lowercase)' : '';
            throw new BadReferenceError(`${quoted} has an invalid name component "${shown(part)}"${hint}`);
        }
    }
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = 'docker.io';
    if (registry === 'docker.io' && parts.length === 1)
        parts.unshift('library');
    const repository = parts.join('/');
    if (`${registry}/${repository}`.length > NAME_MAX_LENGTH || repository.length > NAME_MAX_LENGTH)
        throw new BadReferenceError(`${quoted} has a name longer than ${NAME_MAX_LENGTH} characters`);
    return { registry, repository, tag, digest };
}
/** `registry/repository[:tag][@digest]`, the canonical form of a parsed reference. */
function formatReference(ref) {
    return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
/** Whether a first path component names a registry (so `app:1` is local but `ghcr.io/org/app:1` is not). */
function hasRegistryHost(text) {
    const first = text.split('/')[0];
    return text.includes('/') && isDomain(first);
}
/** The host the API is served from: Docker Hub's differs from its name. */
function apiHost(registry) {
    return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}
/** Loopback registries may be plain HTTP, as Docker allows (127.0.0.0/8, ::1, localhost). */
function isLoopback(registry) {
    const host = hostOf(registry).toLowerCase();
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
/** The host without its port (IPv6 brackets removed). */
function hostOf(registry) {
    if (registry.startsWith('['))
        return registry.slice(1, registry.indexOf(']'));
    return registry.replace(/:\d+$/, '');
}
function isValidHost(text) {
    return text.length <= 255 && HOST.test(text);
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/image.ts

/** Whether an image reference pins a digest (so the same reference always means the same image). */
function hasDigest(image) {
    return Boolean(parseReference(image).digest);
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/traffic.ts
/**
 * Traffic splits as plain data. The previous split is kept exactly for rollback (plan.ts); the steps of a rollout
 * are computed from it with the `LATEST` entries pinned to the revision they served, so a new revision
 * only gets what the rollout gives it, and the final step always sends 100% to the new revision
 * whatever was pinned before.
 */
const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
const traffic_short = (name) => (name ? name.slice(name.lastIndexOf('/') + 1) : name);
function isLatest(t) {
    return t.type === LATEST || (!t.type && !t.revision);
}
/** The split with every LATEST entry replaced by the revision it serves now; an empty split is 100% latest. */
function pinned(traffic, latestReady) {
    const split = traffic?.length ? traffic : [{ type: LATEST, percent: 100 }];
    if (!latestReady)
        return split.map((t) => ({ ...t }));
    return split.map((t) => (isLatest(t) ? { ...t, type: REVISION, revision: latestReady } : { ...t }));
}
/** Rounds `parts` scaled to `total` so they add up to exactly `total` (largest remainder). */
function scale(parts, total) {
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum === 0)
        return parts.map(() => 0);
    const exact = parts.map((p) => (p * total) / sum);
    const floors = exact.map(Math.floor);
    let left = total - floors.reduce((a, b) => a + b, 0);
    const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) {
        if (left-- <= 0)
            break;
        floors[i]++;
    }
    return floors;
}
/**
 * The split with `percent` on the new revision and the rest shared by the previous serving revisions in
 * their old proportions. Tags stay where they were, except `tag`, which moves to the new revision.
 */
function splitTraffic(previous, revision, percent, tag) {
    const others = previous
        .filter((t) => t.revision !== revision)
        .map((t) => (t.tag === tag ? { ...t, tag: undefined } : t));
    const serving = others.filter((t) => (t.percent ?? 0) > 0);
    const shares = scale(serving.map((t) => t.percent ?? 0), 100 - percent);
    const result = [];
    serving.forEach((t, i) => {
        if (shares[i] > 0 || t.tag)
            result.push(clean({ ...t, percent: shares[i] }));
    });
    for (const t of others)
        if (!(t.percent ?? 0) && t.tag)
            result.push(clean({ ...t, percent: 0 }));
    result.push(clean({ type: REVISION, revision, percent, tag }));
    return result;
}
/** 100% to the latest (new) revision; other tags are kept at 0%, `tag` points at the new revision. */
function finalTraffic(previous, revision, tag) {
    const tagged = previous
        .filter((t) => t.tag && t.tag !== tag && t.revision !== revision && !isLatest(t))
        .map((t) => clean({ type: REVISION, revision: t.revision, tag: t.tag, percent: 0 }));
    return [
        { type: LATEST, percent: 100 },
        ...tagged,
        ...(tag ? [clean({ type: REVISION, revision, tag, percent: 0 })] : []),
    ];
}
function clean(t) {
    const out = { type: t.type ?? REVISION, percent: t.percent ?? 0 };
    if (t.revision)
        out.revision = t.revision;
    if (t.tag)
        out.tag = t.tag;
    return out;
}
function served(statuses, latestReady) {
    return (statuses ?? []).map((s) => {
        const revision = traffic_short(isLatest(s) ? (s.revision ?? latestReady) : s.revision) ?? '';
        const entry = { revision, percent: s.percent ?? 0 };
        if (s.tag)
            entry.tag = s.tag;
        if (s.uri)
            entry.uri = s.uri;
        if (isLatest(s))
            entry.latest = true;
        return entry;
    });
}
/** Revision → percent, tags aside: what users are actually served. */
function percentByRevision(split) {
    const out = {};
    for (const s of split)
        if (s.percent)
            out[s.revision] = (out[s.revision] ?? 0) + s.percent;
    return out;
}
function describeSplit(split) {
    const parts = Object.entries(percentByRevision(split)).map(([r, p]) => `${r} ${p}%`);
    const tags = split.filter((s) => s.tag).map((s) => `${s.tag}→${s.revision}`);
    return [parts.join(', ') || 'no traffic', tags.length ? `tags ${tags.join(', ')}` : ''].filter(Boolean).join('; ');
}
/** Whether the reported statuses carry out the requested split (same revisions, percents and tags). */
function matches(traffic, statuses, latestReady) {
    const key = (t) => `${isLatest(t) ? `latest:${traffic_short(latestReady) ?? ''}` : traffic_short(t.revision)}|${t.percent ?? 0}|${t.tag ?? ''}`;
    const a = pinned(traffic, undefined).map(key).sort();
    const b = (statuses ?? []).map(key).sort();
    return a.length === b.length && a.every((k, i) => k === b[i]);
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/plan.ts


/** Tags tried for probing the new revision when the user names none, longest first; the first that fits is used. */
const PROBE_TAGS = ['candidate', 'canary', 'next', 'c'];
/** A probe tag that fits Cloud Run's 46 characters of tag + service name, or undefined when none can. */
function probeTagFor(service) {
    return PROBE_TAGS.find((tag) => tag.length + service.length <= TAG_AND_SERVICE_MAX);
}
/** Whether the plan needs a tag of its own to probe the new revision before it takes all traffic. */
function needsProbeTag(inputs) {
    return Boolean(inputs.health && inputs.health.target !== 'service' && !inputs.tag && inputs.strategy !== 'all-at-once');
}
/** The revision serving the largest share now (LATEST resolved), for `previous-revision`. */
function servingRevision(service) {
    if (!service)
        return undefined;
    const shares = percentByRevision(served(service.trafficStatuses, service.latestReadyRevision));
    const top = Object.entries(shares).sort((a, b) => b[1] - a[1])[0];
    return top?.[0] ?? (shortName(service.latestReadyRevision) || undefined);
}
function probes(health, percent, tagged) {
    if (!health)
        return { revision: false, service: false };
    return {
        revision: health.target !== 'service' && tagged,
        service: (health.target !== 'revision' && percent > 0) || (health.target === 'revision' && !tagged && percent === 100),
    };
}
function planRollout(inputs, existing, revision) {
    const latestBefore = shortName(existing?.latestReadyRevision) || undefined;
    const notes = [];
    const strategy = existing && latestBefore ? inputs.strategy : 'all-at-once';
    if (strategy !== inputs.strategy)
        notes.push('no revision serves yet, so the first one takes all traffic');
    const tag = inputs.tag ?? (needsProbeTag({ ...inputs, strategy }) ? probeTagFor(inputs.service) : undefined);
    const base = pinned(existing?.traffic, latestBefore);
    let first = true;
    const step = (percent, label, traffic, pauseMs = 0) => {
        const tagged = Boolean(tag && traffic.some((t) => t.tag === tag && t.revision === revision));
        const deploys = first;
        first = false;
        return { deploys, percent, label, traffic, pauseMs, probe: probes(inputs.health, percent, tagged) };
    };
    let steps;
    if (!existing)
        steps = [
            step(100, '100%', [
                { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 },
                ...(inputs.tag
                    ? [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, tag: inputs.tag, percent: 0 }]
                    : []),
            ]),
        ];
    else if (strategy === 'canary')
        steps = inputs.canarySteps.map((percent, i) => step(percent, `${percent}%`, percent === 100 ? finalTraffic(base, revision, inputs.tag) : splitTraffic(base, revision, percent, tag), i > 0 ? inputs.canaryPauseMs : 0));
    else if (strategy === 'blue-green')
        steps = [
            step(0, 'no traffic (tag)', splitTraffic(base, revision, 0, tag)),
            step(100, '100%', finalTraffic(base, revision, inputs.tag)),
        ];
    else if (strategy === 'no-traffic')
        steps = [step(0, 'no traffic (tag)', splitTraffic(base, revision, 0, tag))];
    else
        steps = [step(100, '100%', finalTraffic(base, revision, inputs.tag))];
    if (inputs.canaryPauseMs && steps.length === 1)
        notes.push('canary-pause is not used: the plan has one step');
    const before = existing?.traffic?.length
        ? existing.traffic
        : [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }];
    return {
        strategy,
        revision,
        tag,
        steps,
        rollback: existing
            ? { traffic: structuredClone(before), ifLatestMoved: pinned(before, latestBefore), latestBefore }
            : undefined,
        previousRevision: servingRevision(existing),
        trafficBefore: existing ? served(existing.trafficStatuses, existing.latestReadyRevision) : [],
        notes,
    };
}
/** The traffic a rollback sends, given where "latest" points now. */
function rollbackTraffic(rollback, latestReadyNow) {
    return structuredClone(shortName(latestReadyNow) === rollback.latestBefore ? rollback.traffic : rollback.ifLatestMoved);
}

// EXTERNAL MODULE: ./packages/health/src/index.ts + 3 modules
var health_src = __webpack_require__(9075);
;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/health.ts


async function probe(gate, target, baseUrl, clock = src/* realClock */.dQ, signal) {
    const url = new URL(gate.path, `${baseUrl.replace(/\/$/, '')}/`).toString();
    const report = await (0,health_src/* probeGate */.ip)(gate, {
        url,
        what: target === 'revision' ? 'the new revision' : 'the service',
        clock,
        signal,
        log: (line) => src/* workflow.info */.kn.info(line),
    });
    src/* workflow.info */.kn.info((0,health_src/* describeProbe */.WH)(report, target));
    // A private service answers 401/403 to probes without credentials: on Cloud Run a public one is the other fix.
    const refused = !report.passed && (report.statuses['401'] || report.statuses['403']);
    const reason = refused ? `${report.reason}, or make the service public with allow-unauthenticated` : report.reason;
    return { ...report, reason, target, probes: report.attempts.length };
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/settle.ts



/**
 * Waiting for Cloud Run to finish a change, and reading why it failed.
 *
 * A deploy step is done when reconciling is false and the outcome is clear: the new revision ready and the
 * traffic as asked (success), or a failed terminal condition (failure, checked first: a failed
 * reconciliation keeps observedGeneration, latestReadyRevision and trafficStatuses at the last serving
 * state, so observedGeneration == generation never comes). A rollback only changes traffic, and is done
 * when trafficStatuses shows the split sent back, whatever the failed template still says.
 */
class RevisionFailed extends src/* UserError */.yo {
}
async function settleDeploy(client, name, wanted) {
    const { value } = await (0,src/* poll */.wt)({
        what: wanted.what,
        timeoutMs: wanted.timeoutMs,
        initialMs: 200,
        maxMs: 5000,
        clock: wanted.clock,
        signal: wanted.signal,
        timeoutHint: 'Raise the "deploy-wait" input if revisions of this service take longer to start.',
        check: async () => {
            const service = await client.getService(name);
            if (!service)
                throw new src/* UserError */.yo(`${name} disappeared during the deploy`);
            if (service.reconciling)
                return { done: false, status: 'reconciling' };
            if (service.terminalCondition?.state === 'CONDITION_FAILED')
                throw new RevisionFailed(describeCondition(service.terminalCondition));
            if (service.observedGeneration !== service.generation)
                return { done: false, status: 'reconciling' };
            if (wanted.revision && shortName(service.latestReadyRevision) !== wanted.revision)
                return { done: false, status: 'waiting for the revision to be ready' };
            if (!matches(wanted.traffic, service.trafficStatuses, shortName(service.latestReadyRevision)))
                return { done: false, status: 'waiting for traffic to move' };
            return { done: true, value: service };
        },
    });
    return value;
}
/** Done as soon as trafficStatuses carries `traffic` out; the terminal condition may still report the failed revision. */
async function settleTraffic(client, name, wanted) {
    const { value } = await (0,src/* poll */.wt)({
        what: wanted.what,
        timeoutMs: wanted.timeoutMs,
        initialMs: 200,
        maxMs: 2000,
        clock: wanted.clock,
        check: async () => {
            const service = await client.getService(name);
            if (!service)
                throw new src/* UserError */.yo(`${name} disappeared during the rollback`);
            if (matches(wanted.traffic, service.trafficStatuses, shortName(service.latestReadyRevision)))
                return { done: true, value: service };
            return { done: false, status: service.reconciling ? 'reconciling' : 'waiting for traffic to move' };
        },
    });
    return value;
}
/** Why the new revision failed, from its own conditions (falling back to what we already know). */
async function revisionFailure(client, service, revision, fallback) {
    let found;
    try {
        found = await client.getRevision(`${service}/revisions/${revision}`);
    }
    catch { }
    const conditions = found?.conditions ?? [];
    const failed = conditions.find((c) => c.type === 'Ready' && c.state === 'CONDITION_FAILED') ??
        conditions.find((c) => c.state === 'CONDITION_FAILED');
    if (failed)
        return { reason: `revision ${revision} failed: ${describeCondition(failed)}`, conditions, logUri: found?.logUri };
    const pending = conditions.filter((c) => c.state !== 'CONDITION_SUCCEEDED');
    const detail = pending.length ? ` (revision ${revision}: ${pending.map(describeCondition).join('; ')})` : '';
    return { reason: `${fallback}${detail}`, conditions, logUri: found?.logUri };
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/rollout.ts







/** A failure that has already been rolled back and reported in the result. */
class DeployFailed extends src/* UserError */.yo {
    result;
    name = 'DeployFailed';
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
const INVOKER = 'roles/run.invoker';
async function execute(x) {
    const { client, name, where, plan, result, clock } = x;
    const started = clock.now();
    let grantedByUs = false;
    const rollback = async (note) => {
        const notes = [];
        if (grantedByUs) {
            await client.removeIamMember(name, INVOKER, 'allUsers');
            notes.push('public access taken back');
        }
        if (!plan.rollback)
            return [...notes, 'nothing to roll back to: the service had no revision before this deploy'].join('; ');
        const back = plan.rollback;
        src/* workflow.info */.kn.info(`${where}: rolling back${note ? ` (${note})` : ''}: restoring ${describeSplit(result.trafficBefore)}`);
        let traffic = [];
        const operation = await patchCurrent(client, name, (current) => {
            traffic = rollbackTraffic(back, current.latestReadyRevision);
            return { ...writable(current, 'Service'), traffic };
        });
        // The operation may end in the failed revision's error again: what matters is where traffic goes.
        await client
            .waitOperation(operation, { what: `rollback of ${where}`, timeoutMs: Math.max(x.timeoutMs, 120_000) })
            .catch((error) => {
            if (!(error instanceof OperationError))
                throw error;
        });
        const after = await settleTraffic(client, name, {
            what: `rollback of ${where}`,
            traffic,
            timeoutMs: Math.max(x.timeoutMs, 120_000),
            clock,
        });
        result.trafficAfter = served(after.trafficStatuses, after.latestReadyRevision);
        return [`traffic restored: ${describeSplit(result.trafficAfter)}`, ...notes].join('; ');
    };
    const fail = async (reason, conditions = [], logUri) => {
        src/* workflow.info */.kn.info(`${where}: FAILED: ${reason}`);
        let rolledBack = false;
        let rollbackNote;
        try {
            rollbackNote = await rollback('');
            rolledBack = Boolean(plan.rollback) || grantedByUs;
        }
        catch (error) {
            rollbackNote = `ROLLBACK FAILED: ${error.message}`;
        }
        result.status = rolledBack ? 'rolled-back' : 'failed';
        result.failure = { reason, conditions, logUri, rolledBack, rollbackNote };
        result.totalMs = clock.now() - started;
        throw new DeployFailed(`${where}: ${reason}. ${rolledBack ? 'Rolled back: ' : ''}${rollbackNote}`, result);
    };
    const grant = async () => {
        if (!x.allowUnauthenticated)
            return;
        const changed = await client.addIamMember(name, INVOKER, 'allUsers');
        grantedByUs = changed;
        result.publicAccess = changed ? 'granted' : 'already';
        src/* workflow.info */.kn.info(`${where}: ${changed ? 'granted roles/run.invoker to allUsers' : 'already public'}`);
    };
    // An existing service is made public before any traffic moves; a refusal (Domain Restricted Sharing) then
    // stops the deploy with nothing changed. A new service can only be granted once it exists.
    if (x.existing) {
        try {
            await grant();
        }
        catch (error) {
            result.status = 'failed';
            result.failure = {
                reason: error.message,
                conditions: [],
                rolledBack: false,
                rollbackNote: 'nothing was changed',
            };
            throw new DeployFailed(`${where}: ${error.message}. Nothing was changed.`, result);
        }
    }
    const stopped = () => x.signal?.aborted ? String(x.signal.reason?.message ?? x.signal.reason) : undefined;
    for (const [i, step] of plan.steps.entries()) {
        try {
            if (step.pauseMs)
                await pause(`${where}: ${step.label} next`, step.pauseMs, clock, x.signal);
        }
        catch { }
        const why = stopped();
        if (why)
            return i === 0 && !grantedByUs ? Promise.reject(x.signal?.reason) : fail(why);
        const stepStarted = clock.now();
        // apply: the step that deploys sends the new template with its traffic; every other step only traffic.
        try {
            let operation;
            if (step.deploys && x.deploy)
                operation = await x.deploy(step.traffic);
            else {
                src/* workflow.info */.kn.info(`${where}: moving ${step.percent}% of traffic to ${plan.revision}`);
                operation = await patchCurrent(client, name, (current) => ({ ...writable(current, 'Service'), traffic: step.traffic }), i === 0 ? x.existing : undefined);
            }
            await client.waitOperation(operation, {
                what: step.deploys ? `deploy of ${where}` : `traffic move of ${where} to ${step.percent}%`,
                timeoutMs: x.timeoutMs,
                timeoutHint: 'Raise the "deploy-wait" input if revisions of this service take longer to start.',
            });
        }
        catch (error) {
            if (!(error instanceof OperationError || error instanceof src/* TimeoutError */.MU)) {
                // Refused outright (4xx) before anything moved: nothing changed, unless public access was granted.
                const refused = error instanceof GoogleApiError && error.status < 500;
                if (i === 0 && refused && !grantedByUs)
                    throw error;
                return fail(error instanceof Error ? error.message : String(error));
            }
            if (!step.deploys)
                return fail(error.message);
            const why = await revisionFailure(client, name, plan.revision, error.message);
            return fail(why.reason, why.conditions, why.logUri);
        }
        // settle
        let service;
        try {
            service = await settleDeploy(client, name, {
                what: step.deploys ? `revision ${plan.revision}` : `traffic of ${where}`,
                traffic: step.traffic,
                revision: step.deploys ? plan.revision : undefined,
                timeoutMs: x.timeoutMs,
                clock,
                signal: x.signal,
            });
        }
        catch (error) {
            if (stopped())
                return fail(stopped());
            if (!(error instanceof RevisionFailed || error instanceof src/* TimeoutError */.MU))
                throw error;
            if (!step.deploys)
                return fail(error.message);
            const why = await revisionFailure(client, name, plan.revision, error.message);
            return fail(why.reason, why.conditions, why.logUri);
        }
        if (step.deploys) {
            if (shortName(service.latestCreatedRevision) !== plan.revision)
                return fail(`Cloud Run created no revision ${plan.revision} (the latest is ${shortName(service.latestCreatedRevision)})`);
            result.readyMs = clock.now() - stepStarted;
            src/* workflow.info */.kn.info(`${where}: revision ${plan.revision} is ready after ${(0,src/* formatDuration */.a3)(result.readyMs)}`);
        }
        if (step.deploys && !x.existing) {
            try {
                await grant();
            }
            catch (error) {
                return fail(`the service was created, but public access failed: ${error.message}`);
            }
        }
        result.url = service.uri;
        result.trafficAfter = served(service.trafficStatuses, service.latestReadyRevision);
        const tagStatus = plan.tag ? service.trafficStatuses?.find((t) => t.tag === plan.tag) : undefined;
        if (x.userTag)
            result.tagUrl = service.trafficStatuses?.find((t) => t.tag === x.userTag)?.uri;
        src/* workflow.info */.kn.info(`${where}: now serving ${describeSplit(result.trafficAfter)}`);
        // gate
        const report = { percent: step.percent, label: step.label, probes: [], durationMs: 0, passed: true };
        result.steps.push(report);
        if (x.health) {
            const targets = [];
            if (step.probe.revision)
                targets.push(['revision', tagStatus?.uri]);
            if (step.probe.service)
                targets.push(['service', service.uri]);
            for (const [target, url] of targets) {
                if (!url)
                    return fail(`health gate at ${step.label}: Cloud Run gave no URL for the ${target}`);
                let outcome;
                try {
                    outcome = await probe(x.health, target, url, clock, x.signal);
                }
                catch (error) {
                    // Cancelled or timed out mid-gate: the probe stops at once, and the step is undone like a failure.
                    const why = stopped();
                    if (why)
                        return fail(why);
                    throw error;
                }
                report.probes.push(outcome);
                if (!outcome.passed)
                    report.passed = false;
            }
        }
        report.durationMs = clock.now() - stepStarted;
        const failed = report.probes.find((p) => !p.passed);
        if (failed)
            return fail(`health gate failed at ${report.label}: ${failed.reason}`);
    }
    result.status = 'deployed';
    result.rollback = async () => {
        await rollback('a later region failed');
        result.status = 'rolled-back';
    };
    result.totalMs = clock.now() - started;
    return result;
}
/**
 * A PATCH built from the service as it is now. A 409 ABORTED means the etag moved (someone changed the
 * service meanwhile, or a retried request had in fact gone through): read it again and rebuild, twice at most.
 */
async function patchCurrent(client, name, build, current) {
    let service = current ?? (await client.getService(name));
    for (let attempt = 1;; attempt++) {
        if (!service)
            throw new src/* UserError */.yo(`${name} disappeared during the deploy`);
        try {
            return await client.patchService(name, build(service));
        }
        catch (error) {
            const conflict = error instanceof GoogleApiError && error.status === 409 && error.reason === 'ABORTED';
            if (!conflict || attempt >= 3)
                throw error;
            src/* workflow.info */.kn.info(`${shortName(name)}: changed meanwhile (etag); reading it again`);
            service = await client.getService(name);
        }
    }
}
async function pause(what, ms, clock, signal) {
    src/* workflow.info */.kn.info(`${what}: pausing ${(0,src/* formatDuration */.a3)(ms)} (canary-pause)`);
    const until = clock.now() + ms;
    while (clock.now() < until) {
        const left = until - clock.now();
        await clock.sleep(Math.min(left, 30_000), signal);
        if (until - clock.now() > 0)
            src/* workflow.info */.kn.info(`${what}: ${(0,src/* formatDuration */.a3)(until - clock.now())} of the pause left`);
    }
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/deploy-service.ts







/** The inputs as the spec module's ServiceSpec for the new revision. */
function serviceSpec(inputs, revision, sha) {
    return {
        ...inputs.settings,
        image: inputs.image,
        revision,
        labels: { ...(inputs.skipDefaultLabels ? {} : defaultLabels(sha)), ...inputs.labels },
        env: inputs.env,
        envStrategy: inputs.envStrategy,
        secretEnv: inputs.secretEnv,
        secretFiles: inputs.secretFiles,
        secretsStrategy: inputs.secretsStrategy,
        invokerIamDisabled: inputs.invokerIamDisabled,
        patch: inputs.patch,
    };
}
function newResult(region, service, existing) {
    return {
        region,
        service,
        created: !existing,
        status: 'failed',
        trafficBefore: [],
        trafficAfter: [],
        steps: [],
        totalMs: 0,
        notes: [],
    };
}
/** Canonical JSON (keys sorted), to compare templates. */
function stable(value) {
    return JSON.stringify(value, (_, v) => v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v);
}
async function deployService(ctx, inputs, region) {
    const { client, project, sha } = ctx;
    const clock = ctx.clock ?? src/* realClock */.dQ;
    const name = servicePath(project, region, inputs.service);
    const where = `${inputs.service} in ${region}`;
    const existing = await client.getService(name);
    const revision = revisionName(inputs.service, sha, inputs.revisionSuffix);
    const spec = serviceSpec(inputs, revision, sha);
    const desired = serviceBody(spec, existing);
    const plan = planRollout(inputs, existing, revision);
    const result = newResult(region, inputs.service, existing);
    Object.assign(result, {
        revision,
        previousRevision: plan.previousRevision,
        trafficBefore: plan.trafficBefore,
        trafficAfter: plan.trafficBefore,
        url: existing?.uri,
        notes: plan.notes,
    });
    // A fixed revision name on a template Cloud Run already runs creates no revision: the step would report
    // success while the old revision (and the image a tag pointed at back then) keeps serving.
    if (existing && inputs.revisionSuffix && existing.template?.revision === revision) {
        if (stable(writable(existing, 'Service').template) !== stable(desired.template))
            throw new src/* InputError */.dz('revision-suffix', `names revision ${revision}, which already exists with another template`, 'make the suffix unique per deploy (e.g. include the commit SHA), or leave it out');
        if (!hasDigest(inputs.image))
            throw new src/* InputError */.dz('revision-suffix', `names revision ${revision}, which already runs this exact template: Cloud Run would create no revision, so ${inputs.image} would not be pulled again even if the tag moved`, 'leave revision-suffix out (or make it unique per deploy), or deploy by digest (image@sha256:...)');
        result.status = 'unchanged';
        result.notes.push(`revision ${revision} already runs this exact template and image digest: nothing to deploy`);
        src/* workflow.notice */.kn.notice(`${where}: revision ${revision} already runs ${inputs.image} with this configuration; nothing deployed`);
        return result;
    }
    src/* workflow.info */.kn.info(existing
        ? `${where}: serving ${describeSplit(plan.trafficBefore)}; deploying revision ${revision} (${plan.strategy})`
        : `${where}: creating the service with revision ${revision}`);
    for (const note of plan.notes)
        src/* workflow.info */.kn.info(`${where}: ${note}`);
    return execute({
        client,
        name,
        where,
        plan,
        existing,
        deploy: (traffic) => existing
            ? patchCurrent(client, name, (current) => ({ ...serviceBody(spec, current), traffic }), existing)
            : client.createService(locationPath(project, region), inputs.service, { ...desired, traffic }),
        health: inputs.health,
        allowUnauthenticated: inputs.allowUnauthenticated,
        userTag: inputs.tag,
        timeoutMs: inputs.timeoutMs,
        clock,
        signal: ctx.signal,
        result,
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./actions/deploy-cloudrun/src/manifest.ts + 1 modules
var manifest = __webpack_require__(4174);
;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/quote.ts
/**
 * A user value as it may appear in a one-line error: JSON-quoted (so a newline shows as \n and cannot
 * split the line) and cut to 60 characters (so a 100 KB value does not become a 100 KB error).
 */
function quote(value) {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/pairs.ts


/** Splits on unescaped commas, unescaping `\,` and `\\`. */
function splitCommas(line) {
    const parts = [];
    let current = '';
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '\\' && (line[i + 1] === ',' || line[i + 1] === '\\')) {
            current += line[++i];
        }
        else if (c === ',') {
            parts.push(current);
            current = '';
        }
        else
            current += c;
    }
    parts.push(current);
    return parts;
}
function parsePairs(name, text) {
    const lines = (text ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
    const form = lines.length === 1 && /(^|[^\\]),/.test(lines[0]) ? 'commas' : 'lines';
    const items = form === 'commas'
        ? splitCommas(lines[0])
            .map((p) => p.trim())
            .filter(Boolean)
        : lines;
    const pairs = items.map((item) => {
        const eq = item.indexOf('=');
        if (eq <= 0)
            throw new src/* InputError */.dz(name, `${quote(item.split('=')[0])} is not KEY=VALUE`, form === 'commas'
                ? 'on a single line, commas separate pairs (google-github-actions/deploy-cloudrun form): escape a comma inside a value as \\, or write one KEY=VALUE per line'
                : 'write one KEY=VALUE per line');
        let value = item.slice(eq + 1).trim();
        if (form === 'commas' && value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.slice(1, -1);
        return { key: item.slice(0, eq).trim(), value };
    });
    return { pairs, form };
}
/** Reads a KEY=VALUE input's text; logs which form was read when that decided the meaning of a comma. */
function readPairs(name, text, log) {
    const { pairs, form } = parsePairs(name, text);
    const withComma = pairs.filter((p) => p.value.includes(',')).map((p) => p.key);
    if (form === 'commas' && pairs.length > 1)
        log.info(`${name}: read as a comma-separated list (${pairs.length} pairs, google-github-actions/deploy-cloudrun form)${withComma.length ? `; escaped commas kept in ${withComma.join(', ')}` : ''}`);
    else if (withComma.length)
        log.info(`${name}: read one KEY=VALUE per line; the commas in ${withComma.join(', ')} stay part of the value (on a single line, commas would separate pairs)`);
    return pairs;
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/inputs.ts









/** Registry paths, then a tag and/or digest: the one reference grammar (packages/registry). */
function readImage(image) {
    if (image === undefined)
        throw new src/* InputError */.dz('image', 'is required but empty', 'name the image to deploy, e.g. europe-docker.pkg.dev/my-project/repo/api:1.2.3');
    const value = image.trim();
    if (value.length > 1024)
        throw new src/* InputError */.dz('image', `is ${value.length} characters long`, 'give an image reference (at most 1024 characters)');
    try {
        parseReference(value);
    }
    catch (error) {
        if (!(error instanceof BadReferenceError))
            throw error;
        throw new src/* InputError */.dz('image', `is not an image reference (${error.message.split(`"${value}"`).join(quote(value))})`, 'give one like europe-docker.pkg.dev/my-project/repo/api:1.2.3 or ...@sha256:<digest>');
    }
    return value;
}
/** A value that becomes a URL path segment, by Google's naming rules. */
function readSegment(input, kind, value) {
    if (value === undefined)
        return undefined;
    const text = value.trim();
    const problem = segmentProblem(kind, text);
    if (!problem)
        return text;
    // The toolkit names path separators and traversal (`/`, `..`, `%`, `?`, `#`) as such.
    if (/[/\\%?#]|^\.\.?$/.test(text))
        (0,src/* assertPathSegment */.TR)(text, input, { pattern: /[^\s\S]/, described: problem });
    throw new src/* InputError */.dz(input, `${quote(text)} is not ${problem}`, `use ${problem}`);
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION']);
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const RESERVED_LABEL_NAMESPACES = [
    'run.googleapis.com',
    'cloud.googleapis.com',
    'serving.knative.dev',
    'autoscaling.knative.dev',
];
const EMAIL = /^[a-z0-9-]+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$|^[^@\s]+@[^@\s]+\.[a-z]+$/;
const CLOUDSQL = /^[a-z][a-z0-9.:-]*:[a-z]+-[a-z]+\d+:[a-z][a-z0-9-]*$/;
const SECRET_REF = /^(?:projects\/[^/]+\/secrets\/)?[A-Za-z0-9_-]{1,255}(?::(?:latest|\d+))?$/;
const SUFFIX = /^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/;
const INGRESS = {
    all: 'INGRESS_TRAFFIC_ALL',
    internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
    'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};
/** The peer's `timeout` is a request timeout, written the way gcloud and Cloud Run write one. */
const REQUEST_TIMEOUT_LIKE = /^(\d+m)?\d+s$/;
function matching(input, given, pattern, described) {
    const value = given?.trim();
    if (value === undefined)
        return undefined;
    if (value.length > 2048)
        throw new src/* InputError */.dz(input, `is ${value.length} characters long`, `use ${described} (at most 2048 characters)`);
    if (!pattern.test(value))
        throw new src/* InputError */.dz(input, `${quote(value)} is not ${described}`, `use ${described}`);
    return value;
}
/** Checks the inputs `runAction` read from the manifest (ctx.inputs) and shapes them per target. */
function checkInputs(given, log) {
    const inputs = (0,src/* narrow */.sc)(manifest/* manifest */.e, given, 'target');
    // Header values, and a Bearer/Basic credential on its own, are masked before another input can quote them.
    const headers = (0,health_src/* parseHealthHeaders */.E7)(given.healthHeaders ?? []);
    const service = readSegment('service', 'service', given.service);
    const job = readSegment('job', 'job', given.job);
    if (service && job)
        throw new src/* InputError */.dz('service', 'cannot be combined with "job"', 'deploy a service or a job, in separate steps');
    const neither = () => new src/* InputError */.dz('service', 'is empty, and so is "job"', 'set service (or job) to what you deploy');
    if (!service && !job)
        throw neither();
    const project = readSegment('project-id', 'project', given.projectId);
    const regions = given.region;
    if (!regions.length)
        throw new src/* InputError */.dz('region', 'is empty', 'name a region such as europe-west1');
    for (const region of regions)
        readSegment('region', 'region', region);
    if (new Set(regions).size !== regions.length)
        throw new src/* InputError */.dz('region', 'names a region twice', 'list each region once');
    const shared = {
        project,
        regions,
        accessToken: given.accessToken,
        apiEndpoint: credentialEndpoint('api-endpoint', given.apiEndpoint.toString()),
        labels: readLabels(given.labels, log),
        skipDefaultLabels: given.skipDefaultLabels,
        timeoutMs: given.deployWait,
    };
    warnCopiedTimeout(given.requestTimeout, log);
    // The target comes from which of job / revision-traffic / tag-traffic is set, so its name is set too.
    if (inputs.target === 'job' && job)
        return jobInputs(job, inputs, shared, log);
    if (inputs.target === 'traffic' && service)
        return trafficInputs(service, inputs, shared, headers, log);
    if (inputs.target === 'service' && service)
        return serviceInputs(service, inputs, given, shared, headers, log);
    throw neither();
}
function serviceInputs(service, inputs, given, shared, headers, log) {
    const image = readImage(inputs.image);
    const { env, envStrategy, secretEnv, secretFiles, secretsStrategy } = readEnvironment(inputs, log);
    const settings = readSettings(inputs, 'service');
    const patch = readPatch(inputs.servicePatch);
    const { allowUnauthenticated, invokerIamDisabled, strategy } = inputs;
    const byStrategy = (0,src/* narrow */.sc)(manifest/* manifest */.e, given, 'strategy');
    const canarySteps = byStrategy.strategy === 'canary' ? readCanarySteps(byStrategy.canarySteps) : [];
    const canaryPauseMs = inputs.canaryPause;
    if (canaryPauseMs > 0 && !(strategy === 'canary' && canarySteps.length > 1))
        throw new src/* InputError */.dz('canary-pause', strategy === 'canary'
            ? 'has no step to pause between (canary-steps has one step)'
            : `has no step to pause between with strategy ${strategy}`, 'remove it, or use strategy: canary with two or more canary-steps');
    const tag = readSegment('tag', 'tag', inputs.tag);
    if (tag && tag.length + service.length > TAG_AND_SERVICE_MAX)
        throw new src/* InputError */.dz('tag', `"${tag}" and the service name "${service}" are ${tag.length + service.length} characters together; Cloud Run allows ${TAG_AND_SERVICE_MAX}`, `use a tag of at most ${Math.max(0, TAG_AND_SERVICE_MAX - service.length)} characters`);
    if (strategy === 'no-traffic' && !tag)
        throw new src/* InputError */.dz('tag', 'is required with strategy no-traffic', 'set a tag (e.g. pr-123) so the revision gets a URL');
    const revisionSuffix = matching('revision-suffix', inputs.revisionSuffix, SUFFIX, 'lower-case letters, digits and hyphens, at most 14 characters');
    if (revisionSuffix && service.length + 1 + revisionSuffix.length > 63)
        throw new src/* InputError */.dz('revision-suffix', `makes a revision name over 63 characters with service "${service}"`, 'use a shorter suffix');
    const health = readHealth(inputs, headers);
    if (needsProbeTag({ health, strategy, tag }) && !probeTagFor(service))
        throw new src/* InputError */.dz('health-target', `is revision, but no tag fits beside the ${service.length}-character service name (Cloud Run allows ${TAG_AND_SERVICE_MAX} for both), so the new revision has no URL of its own to probe`, 'use health-target: service, or a shorter service name');
    if (allowUnauthenticated && invokerIamDisabled === true)
        throw new src/* InputError */.dz('invoker-iam-disabled', 'makes the service public already; allow-unauthenticated would add an allUsers binding too', 'set one of them');
    return {
        target: 'service',
        service,
        image,
        ...shared,
        env,
        envStrategy,
        secretEnv,
        secretFiles,
        secretsStrategy,
        settings,
        patch,
        allowUnauthenticated,
        invokerIamDisabled,
        strategy,
        canarySteps,
        canaryPauseMs,
        tag,
        revisionSuffix,
        health,
    };
}
/** A traffic-only update: the inputs that deploy something were refused by the reader already. */
function trafficInputs(service, inputs, shared, headers, log) {
    const assignments = readTraffic(inputs.revisionTraffic, inputs.tagTraffic, log);
    for (const a of assignments)
        if (a.kind === 'tag' && a.name.length + service.length > TAG_AND_SERVICE_MAX)
            throw new src/* InputError */.dz('tag-traffic', `tag "${a.name}" and service "${service}" exceed ${TAG_AND_SERVICE_MAX} characters together`, 'use the tag names the service has');
    return {
        target: 'traffic',
        service,
        ...shared,
        assignments,
        allowUnauthenticated: inputs.allowUnauthenticated,
        health: readHealth(inputs, headers),
    };
}
/** A job: the service-only inputs (strategy, health gate, traffic...) were refused by the reader already. */
function jobInputs(job, inputs, shared, log) {
    const image = readImage(inputs.image);
    const { env, envStrategy, secretEnv, secretFiles } = readEnvironment(inputs, log);
    if (secretFiles.length)
        throw new src/* InputError */.dz('secrets', 'secrets mounted as files apply to services here, not jobs', 'pass them to the job as NAME=secret:version');
    return {
        target: 'job',
        job,
        image,
        ...shared,
        env,
        envStrategy,
        secretEnv,
        settings: readSettings(inputs, 'job'),
        execute: inputs.execute,
        wait: inputs.wait,
        executeArgs: readArgs('execute-args', inputs.executeArgs),
    };
}
/**
 * The peer's `timeout` (a request timeout) copied over as ours (how long the whole step may take). The form
 * the user wrote (`300s`, `5m30s`: the way gcloud writes a request timeout), not its value, tells them
 * apart, so this reads the raw text.
 */
function warnCopiedTimeout(requestTimeout, log) {
    const text = src/* workflow.getInput */.kn.getInput('timeout');
    if (!text || text === '60m' || requestTimeout !== undefined)
        return;
    if (REQUEST_TIMEOUT_LIKE.test(text))
        log.warning(`Input "timeout" (${text}) is how long this whole step may take. If it was copied from google-github-actions/deploy-cloudrun, whose timeout is the request timeout, rename it to request-timeout.`);
}
function readEnvironment(given, log) {
    const env = readEnv(given.envVars, log);
    const envStrategy = given.envVarsUpdateStrategy;
    const { secretEnv, secretFiles } = readSecrets(given.secrets, log);
    const secretsStrategy = given.secretsUpdateStrategy;
    for (const name of Object.keys(env))
        if (Object.hasOwn(secretEnv, name))
            throw new src/* InputError */.dz('secrets', `${name} is also set in "env-vars"`, 'give each variable once: as a plain value in env-vars or as a secret in secrets');
    return { env, envStrategy, secretEnv, secretFiles, secretsStrategy };
}
function readEnv(text, log) {
    const env = Object.create(null);
    for (const { key, value } of readPairs('env-vars', text, log)) {
        if (!ENV_NAME.test(key))
            throw new src/* InputError */.dz('env-vars', `${quote(key)} is not a valid variable name`, 'use letters, digits and underscores');
        if (RESERVED_ENV.has(key))
            throw new src/* InputError */.dz('env-vars', `${key} is set by Cloud Run itself`, `remove it${key === 'PORT' ? ' and use the "port" input' : ''}`);
        if (Object.hasOwn(env, key))
            throw new src/* InputError */.dz('env-vars', `${key} is given twice`, 'give each variable once');
        env[key] = value;
    }
    return env;
}
function readSecrets(text, log) {
    const secretEnv = Object.create(null);
    const secretFiles = [];
    for (const { key, value } of readPairs('secrets', text, log)) {
        if (!SECRET_REF.test(value))
            throw new src/* InputError */.dz('secrets', `the reference for ${quote(key)} (${quote(value)}) is not a Secret Manager secret`, 'write NAME=secret:version (version a number or latest), or /path/file=secret:version');
        const colon = value.lastIndexOf(':');
        const ref = colon > 0 && !value.slice(colon).includes('/')
            ? { secret: value.slice(0, colon), version: value.slice(colon + 1) }
            : { secret: value, version: 'latest' };
        if (key.startsWith('/')) {
            const slash = key.lastIndexOf('/');
            const dir = key.slice(0, slash) || '/';
            const file = key.slice(slash + 1);
            if (!file || dir === '/' || /\/\/|\/\.\.?(\/|$)|[^A-Za-z0-9_./-]/.test(key))
                throw new src/* InputError */.dz('secrets', `${quote(key)} is not a file path to mount at`, 'give an absolute path such as /etc/secrets/api-key');
            if (secretFiles.some((f) => f.dir === dir && f.secret !== ref.secret))
                throw new src/* InputError */.dz('secrets', `${dir} would hold files from two secrets`, 'Cloud Run mounts one secret per directory: use one directory per secret');
            if (secretFiles.some((f) => f.dir === dir && f.file === file))
                throw new src/* InputError */.dz('secrets', `${key} is given twice`, 'give each file once');
            secretFiles.push({ ...ref, dir, file });
        }
        else {
            if (!ENV_NAME.test(key))
                throw new src/* InputError */.dz('secrets', `${quote(key)} is neither a variable name nor an absolute file path`, 'write NAME=secret:version or /path/file=secret:version');
            if (RESERVED_ENV.has(key))
                throw new src/* InputError */.dz('secrets', `${key} is set by Cloud Run itself`, 'remove it');
            if (Object.hasOwn(secretEnv, key))
                throw new src/* InputError */.dz('secrets', `${key} is given twice`, 'give each variable once');
            secretEnv[key] = ref;
        }
    }
    return { secretEnv, secretFiles };
}
function readLabels(text, log) {
    const labels = Object.create(null);
    for (const { key, value } of readPairs('labels', text, log)) {
        const namespace = RESERVED_LABEL_NAMESPACES.find((ns) => key.startsWith(`${ns}/`) || key === ns);
        if (namespace)
            throw new src/* InputError */.dz('labels', `${quote(key)} is in the ${namespace} namespace, which Cloud Run reserves`, 'use a key of your own');
        if (!LABEL_KEY.test(key))
            throw new src/* InputError */.dz('labels', `${quote(key)} is not a label key`, 'use lower-case letters, digits, _ and -, starting with a letter, at most 63 characters');
        if (!LABEL_VALUE.test(value))
            throw new src/* InputError */.dz('labels', `the value of ${key} (${quote(value)}) is not a label value`, 'use lower-case letters, digits, _ and -, at most 63 characters');
        labels[key] = value;
    }
    return labels;
}
/** A list given as a JSON/YAML array (`["a", "b c"]`) or one item per line. */
function readArgs(name, given) {
    const text = given?.trim();
    if (text === undefined)
        return undefined;
    if (text.startsWith('[')) {
        let value;
        try {
            value = (0,dist.parse)(text);
        }
        catch (error) {
            throw new src/* InputError */.dz(name, `is not a valid list (${error.message.split('\n')[0]})`, 'write ["a", "b"] or one item per line');
        }
        if (!Array.isArray(value) || value.some((v) => typeof v === 'object'))
            throw new src/* InputError */.dz(name, 'is not a list of strings', 'write ["a", "b"] or one item per line');
        return value.map(String);
    }
    return (0,src/* parseList */.E1)(text, true);
}
function readSettings(given, target) {
    const cpu = given.cpu?.trim();
    const memory = given.memory?.trim();
    const { cpuThrottling, concurrency, minInstances, maxInstances, port, portName } = given;
    // Jobs have no request concurrency: the below-1-CPU rule about it is the services'.
    const problem = resourcesProblem({
        cpu,
        memory,
        concurrency: target === 'job' ? 1 : concurrency,
        cpuIdle: cpuThrottling,
    });
    if (problem) {
        const value = problem.input === 'cpu' ? cpu : problem.input === 'memory' ? memory : String(concurrency);
        throw new src/* InputError */.dz(problem.input, problem.problem.split(`"${value}"`).join(quote(value ?? '')), problem.fix);
    }
    if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances)
        throw new src/* InputError */.dz('min-instances', `${minInstances} is above max-instances (${maxInstances})`, 'lower it or raise max-instances');
    const serviceAccount = matching('service-account', given.serviceAccount, EMAIL, 'a service account email like runtime@my-project.iam.gserviceaccount.com');
    const vpcConnector = matching('vpc-connector', given.vpcConnector, /^(?:projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z]+-[a-z]+\d+\/connectors\/)?[a-z][a-z0-9-]{0,24}$/, 'a Serverless VPC Access connector name or projects/P/locations/R/connectors/NAME');
    const egress = given.vpcEgress;
    if (egress && !vpcConnector)
        throw new src/* InputError */.dz('vpc-egress', 'needs a VPC connector', 'set vpc-connector too');
    const cloudsqlInstances = given.cloudsqlInstances ?? [];
    for (const instance of cloudsqlInstances)
        if (!CLOUDSQL.test(instance))
            throw new src/* InputError */.dz('cloudsql-instances', `${quote(instance)} is not an instance connection name`, 'write project:region:instance');
    const command = readArgs('command', given.command);
    const args = readArgs('args', given.args);
    const startupProbePath = matching('startup-probe-path', given.startupProbePath, /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'an HTTP path starting with /');
    return {
        cpu,
        memory,
        cpuIdle: cpuThrottling,
        concurrency,
        minInstances,
        maxInstances,
        requestTimeoutMs: given.requestTimeout,
        serviceAccount,
        ingress: given.ingress && INGRESS[given.ingress],
        vpcConnector,
        vpcEgress: egress === 'all-traffic' ? 'ALL_TRAFFIC' : egress === 'private-ranges-only' ? 'PRIVATE_RANGES_ONLY' : undefined,
        cloudsqlInstances,
        port,
        portName,
        command,
        args,
        startupProbePath,
    };
}
function readPatch(text) {
    if (text === undefined)
        return undefined;
    if (text.length > 65_536)
        throw new src/* InputError */.dz('service-patch', `is ${text.length} characters long`, 'keep it under 64 KiB: it holds Service fields, not data');
    let value;
    try {
        // YAML 1.2 core schema: no custom tags, no merge keys (`<<`) that could smuggle keys in.
        value = (0,dist.parse)(text, { schema: 'core', merge: false, maxAliasCount: 0 });
    }
    catch (error) {
        throw new src/* InputError */.dz('service-patch', `is not valid YAML or JSON (${error.message.split('\n')[0].slice(0, 120)})`, 'give a YAML or JSON object with Service fields, e.g. "template: {executionEnvironment: EXECUTION_ENVIRONMENT_GEN2}"');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new src/* InputError */.dz('service-patch', 'is not an object', 'give Service fields as a YAML or JSON object');
    const problem = patchProblem(value, 'Service');
    if (problem)
        throw new src/* InputError */.dz('service-patch', problem, 'give only writable Service fields (see the Cloud Run Admin API v2 Service resource)');
    return value;
}
/** With strategy canary: strictly increasing percentages ending at 100 (default 10,50,100). */
function readCanarySteps(items) {
    if (!items.length)
        return [10, 50, 100];
    const steps = items.map((item) => {
        const n = Number(item.replace(/%$/, ''));
        if (!/^\d+%?$/.test(item) || !Number.isInteger(n) || n < 1 || n > 100)
            throw new src/* InputError */.dz('canary-steps', `${quote(item)} is not a percentage from 1 to 100`, 'write steps like 10,50,100');
        return n;
    });
    for (let i = 1; i < steps.length; i++)
        if (steps[i] <= steps[i - 1])
            throw new src/* InputError */.dz('canary-steps', `${steps[i]} does not come after ${steps[i - 1]}`, 'list strictly increasing percentages, like 10,50,100');
    const last = steps[steps.length - 1];
    if (last !== 100)
        throw new src/* InputError */.dz('canary-steps', `the last step is ${last}, not 100`, 'end with 100, like 10,50,100');
    return steps;
}
/** `revision-traffic` (`name=percent`, LATEST, PREVIOUS) and `tag-traffic` (`tag=percent`), comma or line separated. */
function readTraffic(revisionText, tagText, log) {
    const revisions = readPairs('revision-traffic', revisionText, log);
    const tags = readPairs('tag-traffic', tagText, log);
    if (revisions.length && tags.length)
        throw new src/* InputError */.dz('tag-traffic', 'cannot be combined with "revision-traffic"', 'move traffic by revision or by tag, in one step each');
    const out = [];
    for (const [input, pairs] of [
        ['revision-traffic', revisions],
        ['tag-traffic', tags],
    ]) {
        for (const { key, value } of pairs) {
            if (!/^\d{1,3}%?$/.test(value) || Number(value.replace('%', '')) > 100)
                throw new src/* InputError */.dz(input, `the share for ${quote(key)} (${quote(value)}) is not a percentage`, 'write name=percent, like my-revision=10');
            const percent = Number(value.replace('%', ''));
            const upper = key.toUpperCase();
            const kind = input === 'tag-traffic'
                ? 'tag'
                : upper === 'LATEST'
                    ? 'latest'
                    : upper === 'PREVIOUS'
                        ? 'previous'
                        : 'revision';
            if (kind === 'revision' || kind === 'tag')
                readSegment(input, kind, key);
            if (out.some((a) => a.kind === kind && a.name === key))
                throw new src/* InputError */.dz(input, `${key} is given twice`, 'give each once');
            out.push({ kind, name: key, percent });
        }
    }
    const total = out.reduce((sum, a) => sum + a.percent, 0);
    if (out.length && total > 100)
        throw new src/* InputError */.dz(revisions.length ? 'revision-traffic' : 'tag-traffic', `adds up to ${total}%`, 'give shares that add up to at most 100% (the rest stays where it is)');
    return out;
}
/** The gate, with the shared health parsers (packages/health); undefined without health-path. */
function readHealth(given, headers) {
    const expected = (0,health_src/* parseExpectedStatus */.qp)(given.healthExpectedStatus);
    const maxErrorRate = (0,health_src/* parsePercent */.lo)(given.healthMaxErrorRate);
    if (!given.healthPath)
        return undefined;
    return {
        path: given.healthPath,
        target: given.healthTarget,
        expected: expected.matcher,
        expectedText: expected.text,
        maxLatencyMs: given.healthMaxLatency,
        maxErrorRate,
        probes: given.healthProbes,
        intervalMs: given.healthInterval,
        timeoutMs: given.healthTimeout,
        headers,
    };
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/traffic-only.ts







/**
 * Traffic-only updates, like the peer's revision_traffic / tag_traffic: move traffic between revisions the
 * service already has (by name, LATEST, PREVIOUS, or by tag) without deploying anything. A share under
 * 100% leaves the rest on the revisions serving now, in their proportions. The move is one plan step,
 * gated like a deploy (on the service URL) and rolled back the same way. This makes a manual rollback a
 * one-step workflow: `revision-traffic: PREVIOUS=100`.
 */
const traffic_only_LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';
const traffic_only_REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
function isReady(conditions) {
    return Boolean(conditions?.some((c) => c.type === 'Ready' && c.state === 'CONDITION_SUCCEEDED'));
}
/** The newest ready revision created before the one serving most traffic now. */
async function previousRevision(client, name, service) {
    const serving = servingRevision(service);
    const revisions = (await client.listRevisions(name)).sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''));
    const at = revisions.findIndex((r) => shortName(r.name) === serving);
    const previous = revisions.slice(at + 1).find((r) => isReady(r.conditions));
    if (!previous)
        throw new src/* UserError */.yo(`${shortName(name)}: no ready revision was created before ${serving}, so PREVIOUS names nothing`);
    return shortName(previous.name);
}
async function resolveTraffic(client, name, service, assignments) {
    const statuses = service.trafficStatuses ?? [];
    const latest = shortName(service.latestReadyRevision);
    const input = assignments.some((a) => a.kind === 'tag') ? 'tag-traffic' : 'revision-traffic';
    const named = [];
    for (const a of assignments) {
        if (a.kind === 'latest')
            named.push({ type: traffic_only_LATEST, percent: a.percent });
        else if (a.kind === 'previous')
            named.push({ type: traffic_only_REVISION, revision: await previousRevision(client, name, service), percent: a.percent });
        else if (a.kind === 'tag') {
            const status = statuses.find((t) => t.tag === a.name);
            if (!status)
                throw new src/* InputError */.dz(input, `${shortName(name)} has no tag "${a.name}"`, `use one of its tags: ${statuses
                    .filter((t) => t.tag)
                    .map((t) => t.tag)
                    .join(', ') || 'it has none'}`);
            const revision = status.type === traffic_only_LATEST ? latest : shortName(status.revision);
            named.push({ type: traffic_only_REVISION, revision, percent: a.percent, tag: a.name });
        }
        else {
            const revision = await client.getRevision(`${name}/revisions/${a.name}`);
            if (!revision)
                throw new src/* InputError */.dz(input, `${shortName(name)} has no revision "${a.name}"`, 'name a revision of this service (see its revisions list)');
            if (!isReady(revision.conditions))
                throw new src/* InputError */.dz(input, `revision ${a.name} is not ready, so it cannot serve`, 'name a ready revision');
            named.push({ type: traffic_only_REVISION, revision: a.name, percent: a.percent });
        }
    }
    const given = named.reduce((sum, t) => sum + (t.percent ?? 0), 0);
    const namedRevisions = new Set(named.map((t) => (t.type === traffic_only_LATEST ? latest : t.revision)));
    // The rest stays on what serves now, in its proportions.
    const others = pinned(service.traffic, latest).filter((t) => (t.percent ?? 0) > 0 && !namedRevisions.has(t.revision));
    if (given < 100 && !others.length)
        throw new src/* InputError */.dz(input, `gives ${given}% in all, and no other revision serves to keep the remaining ${100 - given}%`, 'give shares that add up to 100%');
    const shares = scale(others.map((t) => t.percent ?? 0), 100 - given);
    const traffic = [...named];
    others.forEach((t, i) => {
        if (shares[i] > 0)
            traffic.push({ type: traffic_only_REVISION, revision: t.revision, percent: shares[i] });
    });
    // Tags stay where they are, unless this move names them.
    for (const t of service.traffic ?? [])
        if (t.tag && !traffic.some((x) => x.tag === t.tag))
            traffic.push({ type: traffic_only_REVISION, revision: t.type === traffic_only_LATEST ? latest : t.revision, tag: t.tag, percent: 0 });
    return traffic;
}
async function moveTraffic(ctx, inputs, region) {
    const { client, project } = ctx;
    const name = servicePath(project, region, inputs.service);
    const where = `${inputs.service} in ${region}`;
    const existing = await client.getService(name);
    if (!existing)
        throw new src/* UserError */.yo(`${where}: the service does not exist; traffic can only move between revisions it has`);
    const traffic = await resolveTraffic(client, name, existing, inputs.assignments);
    const main = [...traffic].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
    const revision = main.type === traffic_only_LATEST ? shortName(existing.latestReadyRevision) : (main.revision ?? '');
    const before = existing.traffic?.length ? existing.traffic : [{ type: traffic_only_LATEST, percent: 100 }];
    const latestBefore = shortName(existing.latestReadyRevision) || undefined;
    const plan = {
        strategy: 'all-at-once',
        revision,
        steps: [
            {
                deploys: false,
                percent: main.percent ?? 0,
                label: 'traffic move',
                traffic,
                pauseMs: 0,
                probe: { revision: false, service: Boolean(inputs.health) },
            },
        ],
        rollback: { traffic: structuredClone(before), ifLatestMoved: pinned(before, latestBefore), latestBefore },
        previousRevision: servingRevision(existing),
        trafficBefore: served(existing.trafficStatuses, existing.latestReadyRevision),
        notes: [],
    };
    const result = newResult(region, inputs.service, existing);
    Object.assign(result, {
        revision,
        previousRevision: plan.previousRevision,
        trafficBefore: plan.trafficBefore,
        trafficAfter: plan.trafficBefore,
        url: existing.uri,
    });
    src/* workflow.info */.kn.info(`${where}: serving ${describeSplit(plan.trafficBefore)}; moving traffic (no deploy)`);
    return execute({
        client,
        name,
        where,
        plan,
        existing,
        health: inputs.health,
        allowUnauthenticated: inputs.allowUnauthenticated,
        timeoutMs: inputs.timeoutMs,
        clock: ctx.clock ?? src/* realClock */.dQ,
        signal: ctx.signal,
        result,
    });
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/summary.ts


/**
 * The job summary: per region, what served before and after, each rollout step with its probes (status,
 * latency, error rate), how long it took, and on failure the revision's conditions and what the rollback did.
 * Returned as HTML for the lifecycle's summary (which adds the shared header and redacts it).
 */
/** Collects headings and raw HTML in order. */
class Html {
    parts = [];
    addHeading(text, level) {
        this.parts.push(`<h${level}>${(0,src/* escapeHtml */.ZD)(text)}</h${level}>\n`);
        return this;
    }
    addRaw(html) {
        this.parts.push(html);
        return this;
    }
    toString() {
        return this.parts.join('');
    }
}
function split(traffic) {
    if (!traffic.length)
        return '<em>none (new service)</em>';
    return (0,src/* table */.tp)(['revision', 'percent', 'tag'], traffic.map((t) => [
        t.revision + (t.latest ? ' (latest)' : ''),
        `${t.percent}%`,
        t.tag ? (t.uri ? (0,src/* link */.nf)(t.tag, t.uri) : t.tag) : '',
    ]));
}
function serviceSummary(inputs, results, failed) {
    const s = new Html();
    const traffic = inputs.target === 'traffic';
    s.addHeading(`Cloud Run ${traffic ? 'traffic move' : 'deploy'}: ${inputs.service} ${failed ? '❌ failed' : '✅'}`, 3);
    s.addRaw((0,src/* factsTable */.wd)([
        ['Image', traffic ? undefined : inputs.image],
        [
            traffic ? 'Traffic' : 'Strategy',
            traffic
                ? inputs.assignments.map((a) => `${a.kind === 'tag' ? `tag ${a.name}` : a.name} ${a.percent}%`).join(', ')
                : inputs.strategy + (inputs.strategy === 'canary' ? ` (${inputs.canarySteps.join('% → ')}%)` : ''),
        ],
        ['Regions', inputs.regions.join(', ')],
        [
            'Health gate',
            inputs.health
                ? `${inputs.health.path} × ${inputs.health.probes} on ${inputs.health.target}, expect ${inputs.health.expectedText}, max error rate ${Math.round(inputs.health.maxErrorRate * 100)}%${inputs.health.maxLatencyMs !== undefined ? `, max latency ${(0,src/* formatDuration */.a3)(inputs.health.maxLatencyMs)}` : ''}`
                : 'readiness only',
        ],
    ]));
    if (failed)
        s.addRaw(`\n<p><strong>${(0,src/* escapeHtml */.ZD)(failed)}</strong></p>\n`);
    for (const r of results) {
        s.addHeading(`${r.region}${r.failure ? ' ❌' : ' ✅'}`, 4);
        s.addRaw((0,src/* factsTable */.wd)([
            ['Service URL', r.url],
            ['Status', r.status],
            [traffic ? 'Revision' : 'New revision', r.revision],
            ['Previous revision', r.previousRevision],
            ['Tag URL', r.tagUrl],
            ['Created', r.created ? 'yes' : undefined],
            [
                'Public access',
                r.publicAccess === 'granted'
                    ? 'granted to allUsers'
                    : r.publicAccess === 'already'
                        ? 'already public'
                        : undefined,
            ],
            ['Notes', r.notes.length ? r.notes.join('; ') : undefined],
            ['Ready after', r.readyMs !== undefined ? (0,src/* formatDuration */.a3)(r.readyMs) : undefined],
            ['Total', (0,src/* formatDuration */.a3)(r.totalMs)],
        ]));
        s.addRaw(`\n<p><strong>Traffic before</strong></p>\n${split(r.trafficBefore)}`);
        s.addRaw(`\n<p><strong>Traffic after</strong></p>\n${split(r.trafficAfter)}`);
        if (r.steps.length) {
            const rows = r.steps.flatMap((step) => step.probes.length
                ? step.probes.map((p) => [
                    step.label,
                    p.target,
                    Object.entries(p.statuses)
                        .map(([st, n]) => `${st}×${n}`)
                        .join(' '),
                    `${Math.round(p.errorRate * 100)}%`,
                    `${(0,src/* formatDuration */.a3)(p.p50Ms)} / ${(0,src/* formatDuration */.a3)(p.maxMs)}`,
                    p.passed ? '✅' : '❌',
                    (0,src/* formatDuration */.a3)(step.durationMs),
                ])
                : [[step.label, '—', 'not probed', '', '', step.passed ? '✅' : '❌', (0,src/* formatDuration */.a3)(step.durationMs)]]);
            s.addRaw(`\n<p><strong>Rollout</strong></p>\n`);
            s.addRaw((0,src/* table */.tp)(['step', 'probed', 'statuses', 'error rate', 'latency p50 / max', 'gate', 'duration'], rows));
        }
        if (r.failure) {
            s.addRaw(`\n<p><strong>Failure:</strong> ${(0,src/* escapeHtml */.ZD)(r.failure.reason)}</p>\n`);
            if (r.failure.conditions.length)
                s.addRaw((0,src/* table */.tp)(['condition', 'state', 'reason', 'message'], r.failure.conditions.map((c) => [
                    c.type ?? '',
                    c.state ?? '',
                    [c.reason, c.revisionReason].filter(Boolean).join(' / '),
                    c.message ?? describeCondition(c),
                ])));
            if (r.failure.logUri)
                s.addRaw(`<p>${(0,src/* link */.nf)('Revision logs', r.failure.logUri).html}</p>\n`);
            s.addRaw(`<p>Rollback: ${(0,src/* escapeHtml */.ZD)(r.failure.rollbackNote ?? 'not attempted')}</p>\n`);
        }
    }
    return s.toString();
}
function jobSummary(inputs, results, failed) {
    const s = new Html();
    s.addHeading(`Cloud Run job: ${inputs.job} ${failed ? '❌ failed' : '✅'}`, 3);
    s.addRaw((0,src/* factsTable */.wd)([
        ['Image', inputs.image],
        ['Regions', inputs.regions.join(', ')],
    ]));
    if (failed)
        s.addRaw(`\n<p><strong>${(0,src/* escapeHtml */.ZD)(failed)}</strong></p>\n`);
    s.addRaw((0,src/* table */.tp)(['region', 'job', 'execution', 'tasks', 'result', 'duration'], results.map((r) => [
        r.region,
        r.created ? `${r.job} (created)` : `${r.job} (updated)`,
        r.execution ? (r.result?.logUri ? (0,src/* link */.nf)(r.execution, r.result.logUri) : r.execution) : '—',
        r.result ? `${r.result.succeededCount}/${r.result.taskCount} succeeded, ${r.result.failedCount} failed` : '',
        r.result ? (r.result.succeeded ? '✅' : `❌ ${r.result.reason ?? ''}`) : r.execution ? 'started' : '',
        (0,src/* formatDuration */.a3)(r.totalMs),
    ])));
    return s.toString();
}

;// CONCATENATED MODULE: ./actions/deploy-cloudrun/src/run.ts







/**
 * The deploy itself, loaded by index.ts only once the lifecycle has started, so the step starts without
 * the Google client, the YAML parser and the rollout code (issue 9's start-up budget).
 */

class DeployJobFailed extends src/* UserError */.yo {
}
/** Checks the inputs the manifest's reader gave (every Cloud Run rule, before any request), then deploys each region. */
async function deploy({ inputs: given, progress, signal, log }) {
    const inputs = checkInputs(given, log);
    progress.inputs = inputs;
    const credentials = await googleCredentials({ accessToken: inputs.accessToken, project: inputs.project });
    const project = credentials.project;
    if (!project)
        throw new src/* InputError */.dz('project-id', 'is empty and the credentials name no project', 'set project-id, or the project_id of google-github-actions/auth');
    log.info(`Google credentials: ${credentials.source}; project ${project}`);
    const client = new CloudRunClient({ credentials, endpoint: inputs.apiEndpoint });
    const context = { client, project, sha: process.env.GITHUB_SHA ?? 'unknown', signal };
    if (inputs.target === 'job')
        return jobs(context, inputs, progress.jobs);
    return services(context, inputs, progress.services);
}
async function services(ctx, inputs, results) {
    let failure;
    for (const region of inputs.regions) {
        try {
            results.push(inputs.target === 'traffic' ? await moveTraffic(ctx, inputs, region) : await deployService(ctx, inputs, region));
        }
        catch (error) {
            failure = error;
            if (error instanceof DeployFailed)
                results.push(error.result);
            break;
        }
    }
    if (!failure)
        return;
    // Every region serves the same version or none does: those already deployed go back too.
    for (const done of results.filter((r) => r.rollback && !r.failure)) {
        try {
            await done.rollback?.();
            src/* workflow.info */.kn.info(`${done.service} in ${done.region}: rolled back because a later region failed`);
        }
        catch (error) {
            src/* workflow.warning */.kn.warning(`${done.service} in ${done.region}: rollback failed: ${error.message}`);
        }
    }
    throw failure;
}
async function jobs(ctx, inputs, results) {
    for (const region of inputs.regions)
        results.push(await deployJobRegion(ctx, inputs, region));
    const failedRun = results.find((r) => r.result && !r.result.succeeded);
    if (failedRun?.result)
        throw new DeployJobFailed(`Execution ${failedRun.execution} of job ${failedRun.job} in ${failedRun.region} failed: ${failedRun.result.reason}${failedRun.result.logUri ? ` (logs: ${failedRun.result.logUri})` : ''}`);
}


/***/ })

};
