export const id = 661;
export const ids = [661];
export const modules = {

/***/ 8661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_DOCKER_HOST: () => (/* reexport */ DEFAULT_DOCKER_HOST),
  DEFAULT_PRIORITIES: () => (/* reexport */ DEFAULT_PRIORITIES),
  DEFAULT_TAG_RULES: () => (/* reexport */ DEFAULT_TAG_RULES),
  DockerEngine: () => (/* reexport */ DockerEngine),
  EngineError: () => (/* reexport */ EngineError),
  MATCH_TIMEOUT_MS: () => (/* reexport */ MATCH_TIMEOUT_MS),
  Meta: () => (/* reexport */ Meta),
  boundedMatch: () => (/* reexport */ boundedMatch),
  buildCommand: () => (/* reexport */ buildCommand),
  builtinBuildKitWorks: () => (/* reexport */ builtinBuildKitWorks),
  commitDateFromPayload: () => (/* reexport */ commitDateFromPayload),
  computeMetadata: () => (/* reexport */ computeMetadata),
  digestOf: () => (/* reexport */ digestOf),
  dockerArchiveToOciLayout: () => (/* reexport */ dockerArchiveToOciLayout),
  dockerCandidates: () => (/* reexport */ dockerCandidates),
  dockerEnv: () => (/* reexport */ dockerEnv),
  dockerHost: () => (/* reexport */ dockerHost),
  engineProblems: () => (/* reexport */ engineProblems),
  engineRequest: () => (/* reexport */ engineRequest),
  engineTarget: () => (/* reexport */ engineTarget),
  exportImage: () => (/* reexport */ exportImage),
  failureLines: () => (/* reexport */ failureLines),
  findDocker: () => (/* reexport */ findDocker),
  findDockerCli: () => (/* reexport */ findDockerCli),
  gitRef: () => (/* reexport */ gitRef),
  gitRunner: () => (/* reexport */ gitRunner),
  imageSize: () => (/* reexport */ imageSize),
  inputLines: () => (/* reexport */ inputLines),
  inspectImage: () => (/* reexport */ inspectImage),
  isRawStatement: () => (/* reexport */ isRawStatement),
  loadMoment: () => (/* reexport */ loadMoment),
  needsMoment: () => (/* reexport */ needsMoment),
  parseFlavor: () => (/* reexport */ parseFlavor),
  parseImages: () => (/* reexport */ parseImages),
  parseTagRule: () => (/* reexport */ parseTagRule),
  parseTagRules: () => (/* reexport */ parseTagRules),
  pushImage: () => (/* reexport */ pushImage),
  readContext: () => (/* reexport */ readContext),
  readGitContext: () => (/* reexport */ readGitContext),
  readMetadataInputs: () => (/* reexport */ readMetadataInputs),
  readPayload: () => (/* reexport */ readPayload),
  readProgress: () => (/* reexport */ readProgress),
  removeImages: () => (/* reexport */ removeImages),
  repositoryFallback: () => (/* reexport */ repositoryFallback),
  repositoryFromPayload: () => (/* reexport */ repositoryFromPayload),
  resolveRepository: () => (/* reexport */ resolveRepository),
  runTool: () => (/* reexport */ runTool),
  sanitizeTag: () => (/* reexport */ sanitizeTag),
  saveImage: () => (/* reexport */ saveImage),
  splitRegex: () => (/* reexport */ splitRegex)
});

// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 25 modules
var src = __webpack_require__(8116);
;// CONCATENATED MODULE: ./packages/docker/src/build.ts

/** `type=registry,ref=x` and bare refs are what the engine's --cache-from understands. */
function engineCacheFrom(entry) {
    if (!entry.includes('='))
        return entry;
    const attrs = Object.fromEntries(entry.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    return attrs.type === 'registry' && attrs.ref ? attrs.ref : undefined;
}
function typeOf(entry) {
    return /(?:^|,)type=([^,]+)/.exec(entry)?.[1] ?? (entry.includes('=') ? '' : 'registry');
}
/** Options the engine's built-in BuildKit cannot do, each as an input error saying buildx is needed. */
function engineProblems(options) {
    const fix = 'add docker/setup-buildx-action before this step (buildx is not installed here)';
    const problems = [];
    const need = (input, what) => problems.push(new src/* InputError */.dz(input, `${what} needs buildx`, fix));
    if (options.platforms.length > 1)
        need('platforms', `building ${options.platforms.length} platforms`);
    for (const entry of options.cacheFrom)
        if (engineCacheFrom(entry) === undefined)
            need('cache-from', `cache type "${typeOf(entry)}"`);
    for (const entry of options.cacheTo)
        if (typeOf(entry) !== 'inline')
            need('cache-to', `cache type "${typeOf(entry)}" (only type=inline works without it)`);
    for (const entry of options.outputs)
        if (!['local', 'tar'].includes(typeOf(entry)))
            need('outputs', `output type "${typeOf(entry)}" (only local and tar work without it)`);
    if (options.outputs.length && (options.push || options.load || options.archive))
        problems.push(new src/* InputError */.dz('outputs', 'replaces the image export without buildx, so it cannot be combined with push, load or output-archive', `${fix}, or drop one of them`));
    if (options.provenance && options.provenance !== 'false')
        need('provenance', 'a provenance attestation');
    if (options.sbom && options.sbom !== 'false')
        need('sbom', 'an SBOM attestation');
    if (options.annotations.length)
        need('annotations', 'annotating the manifest');
    if (options.builder)
        need('builder', 'choosing a builder');
    return problems;
}
function common(options) {
    const args = ['--progress', 'plain', '--iidfile', options.iidFile];
    if (options.file)
        args.push('--file', options.file);
    for (const tag of options.tags)
        args.push('--tag', tag);
    for (const [key, value] of Object.entries(options.labels))
        args.push('--label', `${key}=${value}`);
    for (const [key, value] of Object.entries(options.buildArgs))
        args.push('--build-arg', `${key}=${value}`);
    if (options.target)
        args.push('--target', options.target);
    if (options.network)
        args.push('--network', options.network);
    for (const host of options.addHosts)
        args.push('--add-host', host);
    if (options.noCache)
        args.push('--no-cache');
    if (options.pull)
        args.push('--pull');
    for (const secret of options.secrets)
        args.push('--secret', `id=${secret.id},src=${secret.src}`);
    for (const ssh of options.ssh)
        args.push('--ssh', ssh);
    return args;
}
function buildCommand(options, client) {
    if (!client.buildx) {
        const args = ['build', ...common(options)];
        if (options.platforms.length === 1)
            args.push('--platform', options.platforms[0]);
        for (const entry of options.cacheFrom)
            args.push('--cache-from', engineCacheFrom(entry));
        // The engine exports cache only inline, in the image config; cache-to type=inline asks for it.
        if (options.cacheTo.length)
            args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
        for (const output of options.outputs)
            args.push('--output', output);
        args.push(options.context);
        return { args, env: { DOCKER_BUILDKIT: '1' } };
    }
    const args = ['buildx', 'build', ...common(options), '--metadata-file', options.metadataFile];
    if (options.builder)
        args.push('--builder', options.builder);
    if (options.platforms.length)
        args.push('--platform', options.platforms.join(','));
    for (const entry of options.cacheFrom)
        args.push('--cache-from', entry);
    for (const entry of options.cacheTo)
        args.push('--cache-to', entry);
    if (options.provenance)
        args.push(`--provenance=${options.provenance}`);
    if (options.sbom)
        args.push(`--sbom=${options.sbom}`);
    for (const annotation of options.annotations)
        args.push('--annotation', annotation);
    if (options.push)
        args.push('--push');
    if (options.load)
        args.push('--load');
    if (options.archive) {
        const type = options.archive.format === 'oci' ? 'oci' : 'docker';
        args.push('--output', `type=${type},dest=${options.archive.path}`);
    }
    for (const output of options.outputs)
        args.push('--output', output);
    args.push(options.context);
    return { args, env: {} };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./packages/docker/src/exec.ts

async function runTool(command, args, options = {}) {
    const lines = [];
    const result = await (0,src/* spawnTool */.My)(command, args, {
        env: options.env,
        cwd: options.cwd,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        runnerTokens: options.runnerTokens,
        stopSignal: 'SIGINT',
        graceMs: 10_000,
        tailLines: 0,
        onLine: (line) => {
            lines.push(line);
            options.onLine?.(line);
        },
    }).done;
    if (result.error && result.code === 127)
        throw new Error(`cannot run ${command}: ${result.error}`);
    return { code: result.code ?? 1, stopped: result.stopped, stdout: result.stdout, lines };
}

;// CONCATENATED MODULE: ./packages/docker/src/client.ts




function dockerCandidates(pathVariable = process.env.PATH ?? '') {
    const seen = new Set();
    const found = [];
    for (const dir of pathVariable.split(external_node_path_.delimiter).filter(Boolean)) {
        const candidate = (0,external_node_path_.join)(dir, 'docker');
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            const real = (0,external_node_fs_.realpathSync)(candidate);
            if (seen.has(real))
                continue;
            seen.add(real);
            found.push(candidate);
        }
        catch {
            // not here
        }
    }
    return found;
}
async function describe(path) {
    const version = await runTool(path, ['--version']);
    const buildx = await runTool(path, ['buildx', 'version']);
    return {
        path,
        version: /version\s+v?([\w.+~-]+?),?\s/i.exec(`${version.stdout} `)?.[1] ?? 'unknown',
        buildx: buildx.code === 0 ? (/v?\d+\.\d+\.\d+[\w.+-]*/.exec(buildx.stdout)?.[0] ?? buildx.stdout.trim()) : undefined,
    };
}
function builtinBuildKitWorks(client) {
    const major = Number(/^(\d+)\./.exec(client.version)?.[1]);
    return Number.isFinite(major) && major < 23;
}
/** The client to build with: the first with buildx, else the first whose built-in BuildKit path works. */
async function findDocker(pathVariable = process.env.PATH ?? '') {
    const candidates = dockerCandidates(pathVariable);
    if (!candidates.length)
        throw new src/* UserError */.yo('No docker client on PATH: this action needs the Docker CLI and an engine');
    const clients = await Promise.all(candidates.map(describe));
    const chosen = clients.find((c) => c.buildx) ?? clients.find(builtinBuildKitWorks);
    if (chosen)
        return chosen;
    const seen = clients.map((c) => `${c.path} (${c.version})`).join(', ');
    throw new src/* UserError */.yo(`No docker client here can build with BuildKit: ${seen} ${clients.length > 1 ? 'need' : 'needs'} the buildx plugin, which is missing; ` +
        'add docker/setup-buildx-action before this step, or put a docker client older than 23.0 first on PATH');
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./packages/docker/src/engine.ts






/**
 * The Docker daemon, as every action and emulator in the suite reaches it: DOCKER_HOST (unix:// socket,
 * default /var/run/docker.sock, or tcp:// without TLS) for the engine API, and a docker client found on
 * PATH for what only the CLI does (build, push with credential helpers, run). Nothing is keyed to
 * /usr/bin/docker: on a runner the client may live anywhere, and a self-hosted runner may point
 * DOCKER_HOST at a remote or rootless daemon.
 */
class EngineError extends src/* UserError */.yo {
    name = 'EngineError';
}
const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** The daemon address: DOCKER_HOST, else the default socket. */
function dockerHost(env = process.env) {
    return env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
}
/** node:http options that reach the daemon at a DOCKER_HOST address. */
function engineTarget(host = dockerHost()) {
    if (host.startsWith('unix://'))
        return { socketPath: host.slice('unix://'.length) };
    if (host.startsWith('tcp://') || host.startsWith('http://')) {
        const url = new URL(host.replace(/^tcp:/, 'http:'));
        return { host: url.hostname, port: Number(url.port || 2375) };
    }
    throw new EngineError(`DOCKER_HOST ${host} is not a unix:// or tcp:// address; fix DOCKER_HOST or unset it`);
}
/** The environment for a docker CLI child: the daemon address kept, the step's inputs dropped. */
function dockerEnv(env = process.env) {
    const out = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('STATE_')));
    out.DOCKER_HOST = dockerHost(env);
    return out;
}
/** One engine API call; the answer is the caller's to read. */
function engineRequest(path, options = {}) {
    return new Promise((resolve, reject) => {
        const req = (0,external_node_http_.request)({
            ...engineTarget(options.dockerHost),
            path,
            method: options.method ?? 'GET',
            headers: { host: 'docker' },
            signal: options.signal,
        }, resolve);
        req.on('error', (error) => reject(new EngineError(`cannot reach the Docker engine at ${options.dockerHost ?? dockerHost()} (${error.code ?? error.message}); is it running?`)));
        req.end();
    });
}
async function readAll(res) {
    const chunks = [];
    for await (const chunk of res)
        chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
}
/** `docker image inspect` over the API. */
async function inspectImage(name, options = {}) {
    const res = await engineRequest(`/images/${encodeURIComponent(name)}/json`, options);
    const text = await readAll(res);
    if (res.statusCode === 404)
        throw new EngineError(`the local Docker engine has no image ${name}; build or load it first (docker images lists what it has)`);
    if (res.statusCode !== 200)
        throw new EngineError(`the Docker engine answered ${res.statusCode} inspecting ${name}: ${text.trim()}`);
    return JSON.parse(text);
}
/** `docker save NAME > file` over the API, streamed (to a path, or a stream that writes it): needs no client on PATH. */
async function exportImage(name, file, options = {}) {
    const res = await engineRequest(`/images/get?names=${encodeURIComponent(name)}`, options);
    if (res.statusCode !== 200)
        throw new EngineError(`the Docker engine answered ${res.statusCode} exporting ${name}: ${(await readAll(res)).trim()}`);
    await (0,promises_.pipeline)(res, typeof file === 'string' ? (0,external_node_fs_.createWriteStream)(file) : file);
}
/**
 * A docker client for what any version does (run, rm, save, load, push, inspect): the first `docker` on
 * PATH that answers `--version`. For builds use findDocker, which also needs BuildKit to work.
 */
async function findDockerCli(pathVariable = process.env.PATH ?? '') {
    for (const path of dockerCandidates(pathVariable)) {
        const answered = await runTool(path, ['--version']);
        if (answered.code === 0)
            return { path, version: /version\s+v?([\w.+~-]+?),?\s/i.exec(`${answered.stdout} `)?.[1] ?? 'unknown' };
    }
    throw new src/* UserError */.yo('No docker client on PATH: this step needs the Docker CLI (and DOCKER_HOST, or the default socket)');
}
/** The engine the suite talks to: the daemon address, and clients found on PATH (once each). */
class DockerEngine {
    env;
    host;
    cli;
    builder;
    constructor(env = process.env, host = dockerHost(env)) {
        this.env = env;
        this.host = host;
    }
    /** A client for run/push/save/load. */
    client() {
        this.cli ??= findDockerCli(this.env.PATH ?? '');
        return this.cli;
    }
    /** A client that can build with BuildKit (buildx, or the engine's own with an older client). */
    buildClient() {
        this.builder ??= findDocker(this.env.PATH ?? '');
        return this.builder;
    }
    /** Environment for the CLI: DOCKER_HOST set, INPUT_* and STATE_* removed. */
    childEnv() {
        return dockerEnv({ ...this.env, DOCKER_HOST: this.host });
    }
    inspectImage(name) {
        return inspectImage(name, { dockerHost: this.host });
    }
    exportImage(name, file) {
        return exportImage(name, file, { dockerHost: this.host });
    }
}

;// CONCATENATED MODULE: ./packages/docker/src/image.ts


/**
 * What happens to a built image in the engine: push each tag (with retries, since registries answer
 * 5xx and 429 under load: build-push-action #84, #974, #1522), read the registry digest the push
 * reports, save an archive, measure, and untag.
 */
const TRANSIENT = /\b(5\d\d|429)\b|toomanyrequests|too many requests|connection reset|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|broken pipe|service unavailable|bad gateway/i;
class PushError extends src/* UserError */.yo {
    retryable;
    constructor(message, retryable) {
        super(message);
        this.retryable = retryable;
    }
}
/** Pushes one reference and returns the manifest digest the registry stored. */
async function pushImage(client, ref, options = {}) {
    const log = options.log ?? (() => { });
    const result = await (0,src/* retry */.L5)(async () => {
        const pushed = await runTool(client.path, ['push', ref], {
            onLine: log,
            timeoutMs: options.timeoutMs ?? 900_000,
            signal: options.signal,
        });
        if (pushed.stopped === 'cancelled')
            throw new PushError(`docker push ${ref} was cancelled`, false);
        if (pushed.stopped === 'timeout')
            throw new PushError(`docker push ${ref} hung and was stopped`, true);
        if (pushed.code !== 0) {
            const reason = pushed.lines
                .filter((l) => l.trim())
                .slice(-3)
                .join(' / ');
            throw new PushError(`docker push ${ref} failed: ${reason}`, TRANSIENT.test(reason));
        }
        return pushed;
    }, {
        attempts: options.attempts ?? 4,
        baseMs: options.baseMs ?? 2000,
        onRetry: (error, attempt, delay) => log(`${error.message}; retry ${attempt} in ${Math.round(delay / 1000)}s`),
        retryable: (error) => !options.signal?.aborted && Boolean(error.retryable),
    });
    return digestOf(result, ref) ?? (await repoDigest(client, ref));
}
/** docker push ends with `<tag>: digest: sha256:... size: N`. */
function digestOf(result, ref) {
    const tag = ref.slice(ref.lastIndexOf(':') + 1);
    for (const line of result.lines) {
        const m = /^(\S+): digest: (sha256:[a-f0-9]{64}) size: \d+/.exec(line.trim());
        if (m && m[1] === tag)
            return m[2];
    }
    return undefined;
}
/** The digest the engine recorded for the repository, when the push output did not say. */
async function repoDigest(client, ref) {
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    const inspected = await runTool(client.path, ['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
    const digests = inspected.code === 0 ? JSON.parse(inspected.stdout || '[]') : [];
    const match = (digests ?? []).find((d) => d.startsWith(`${repo}@`));
    if (!match)
        throw new src/* UserError */.yo(`docker push ${ref} succeeded but reported no digest, and the engine has none recorded for ${repo}`);
    return match.slice(match.indexOf('@') + 1);
}
async function imageSize(client, image, signal) {
    const inspected = await runTool(client.path, ['image', 'inspect', '--format', '{{.Size}}', image], { signal });
    return inspected.code === 0 ? Number(inspected.stdout.trim()) : undefined;
}
/** `docker save`: a docker-archive tar (manifest.json, repositories, config and layer tars). */
async function saveImage(client, refs, path, signal) {
    const saved = await runTool(client.path, ['save', '--output', path, ...refs], { signal });
    if (saved.stopped)
        throw new src/* UserError */.yo(`docker save to ${path} was ${saved.stopped === 'timeout' ? 'stopped at the step timeout' : 'cancelled'}`);
    if (saved.code !== 0)
        throw new src/* UserError */.yo(`docker save to ${path} failed: ${saved.lines.slice(-3).join(' / ')}`);
}
/** Removes the given references (untags; the layers stay while anything else uses them). */
async function removeImages(client, refs) {
    if (refs.length)
        await runTool(client.path, ['image', 'rm', ...refs]);
}

;// CONCATENATED MODULE: ./packages/docker/src/metadata/context.ts

function readPayload(env) {
    if (!env.GITHUB_EVENT_PATH)
        return {};
    try {
        const parsed = JSON.parse((0,external_node_fs_.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        return parsed && typeof parsed === 'object' ? parsed : {};
    }
    catch {
        return {};
    }
}
function readContext(env = process.env, now = new Date(), payload = readPayload(env)) {
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    let ref = env.GITHUB_REF ?? '';
    let sha = env.GITHUB_SHA ?? '';
    if (/pull_request_target/.test(eventName))
        ref = `refs/pull/${payload.number}/merge`;
    if (/true/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') && /pull_request/.test(eventName)) {
        const head = payload.pull_request?.head?.sha;
        if (head !== undefined)
            sha = head;
    }
    return {
        eventName,
        ref,
        sha,
        payload,
        commitDate: commitDateFromPayload(payload, sha) ?? now,
        repository: env.GITHUB_REPOSITORY ?? '',
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    };
}
/** The commit's timestamp when the push payload carries it (branch pushes list commits, tags a head_commit). */
function commitDateFromPayload(payload, sha) {
    const fromCommits = payload.commits?.find((c) => c.id === sha)?.timestamp;
    if (fromCommits)
        return new Date(fromCommits);
    if (payload.head_commit?.id === sha && payload.head_commit.timestamp)
        return new Date(payload.head_commit.timestamp);
    return undefined;
}
/** The repository from the payload when it carries every field the labels use, else undefined. */
function repositoryFromPayload(payload) {
    const repo = payload.repository;
    if (!repo || typeof repo.name !== 'string' || typeof repo.html_url !== 'string')
        return undefined;
    if (!('description' in repo) || !('license' in repo) || typeof repo.default_branch !== 'string')
        return undefined;
    return {
        name: repo.name,
        description: repo.description ?? null,
        html_url: repo.html_url,
        default_branch: repo.default_branch,
        license: repo.license ?? null,
    };
}
/** What is known without the API: name and URL from GITHUB_REPOSITORY, the rest from the payload if any. */
function repositoryFallback(context) {
    const repo = context.payload.repository ?? {};
    const name = context.repository.split('/')[1] ?? '';
    return {
        name: typeof repo.name === 'string' ? repo.name : name,
        description: typeof repo.description === 'string' ? repo.description : null,
        html_url: typeof repo.html_url === 'string'
            ? repo.html_url
            : context.repository
                ? `${context.serverUrl}/${context.repository}`
                : '',
        default_branch: typeof repo.default_branch === 'string' ? repo.default_branch : '',
        license: repo.license ?? null,
    };
}

;// CONCATENATED MODULE: ./packages/docker/src/metadata/git-context.ts


function gitRunner(cwd, env = process.env) {
    return async (args) => {
        const result = await runTool('git', args, { cwd, env });
        if (result.code !== 0)
            throw new src/* UserError */.yo(`git ${args[0]} failed in ${cwd}: ${result.lines.slice(-2).join(' / ') || `exit ${result.code}`}`);
        return result.stdout.trim();
    };
}
async function readGitContext(base, git) {
    const ref = await gitRef(git);
    const sha = await git(['show', '--format=%H', 'HEAD', '--quiet', '--']);
    const commitDate = new Date((await git(['show', '-s', '--format=%cI', sha])).replace(/^"|"$/g, ''));
    return { ...base, ref, sha, commitDate };
}
async function gitRef(git) {
    const current = await git(['branch', '--show-current']);
    if (current.length > 0)
        return git(['symbolic-ref', 'HEAD']);
    const decorations = await git(['show', '-s', '--pretty=%D']);
    const normalized = decorations.replace(/^grafted, /, '').trim();
    if (normalized === 'HEAD')
        return inferRefFromHead(git);
    const ref = /^HEAD, (.*)$/.exec(normalized)?.[1]?.trim();
    if (!ref)
        throw new src/* UserError */.yo(`Cannot find the ref of the detached HEAD in "${decorations}"`);
    if (ref.startsWith('tag: '))
        return detachedTagRef(git, ref, decorations);
    if (/^pull\/\d+\/(head|merge)$/.test(ref))
        return `refs/${ref}`;
    const branch = /^[^/]+\/[^/]+, (.+)$/.exec(ref)?.[1] ?? /^[^/]+\/(.+)$/.exec(ref)?.[1];
    if (branch)
        return `refs/heads/${branch.trim()}`;
    throw new src/* UserError */.yo(`Unsupported detached HEAD ref in "${decorations}"`);
}
const lines = (text) => text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
async function inferRefFromHead(git) {
    const containing = async (scope) => lines(await git(['for-each-ref', '--format=%(refname)', '--contains', 'HEAD', '--sort=-committerdate', scope]))[0];
    const local = await containing('refs/heads/');
    if (local)
        return local;
    const remote = await containing('refs/remotes/');
    if (remote) {
        const branch = /^refs\/remotes\/[^/]+\/(.+)$/.exec(remote)?.[1];
        return branch ? `refs/heads/${branch}` : remote;
    }
    const tag = lines(await git(['tag', '--contains', 'HEAD']))[0];
    if (tag)
        return `refs/tags/${tag}`;
    throw new src/* UserError */.yo('Cannot infer a ref from the detached HEAD: no branch or tag contains it');
}
async function detachedTagRef(git, decoration, original) {
    const refs = lines(await git(['for-each-ref', '--format=%(refname)', '--points-at', 'HEAD', 'refs/tags/'])).sort((a, b) => b.length - a.length);
    for (const ref of refs) {
        const expected = `tag: ${ref.slice('refs/tags/'.length)}`;
        if (decoration === expected || decoration.startsWith(`${expected}, `))
            return ref;
    }
    if (refs.length === 1)
        return refs[0];
    throw new src/* UserError */.yo(`Cannot find the tag of the detached HEAD in "${original}"`);
}

;// CONCATENATED MODULE: ./packages/docker/src/metadata/github-api.ts


async function resolveRepository(context, options = {}) {
    const notes = [];
    const fromPayload = repositoryFromPayload(context.payload);
    const commitKnown = options.commitDate === false || commitDateFromPayload(context.payload, context.sha) !== undefined;
    if (fromPayload && (commitKnown || !context.sha))
        return { repo: fromPayload, commitDate: context.commitDate, source: 'payload', notes };
    const [owner, name] = context.repository.split('/');
    const apiUrl = options.apiUrl ?? context.apiUrl;
    const problem = options.token && !options.client ? credentialUrlProblem(apiUrl) : undefined;
    if (problem)
        notes.push(`${problem}, so the token was not sent to GITHUB_API_URL`);
    if (!options.token || !owner || !name || problem) {
        if (!fromPayload && !problem)
            notes.push('the event payload has no repository description or license; give "github-token" to read them from the GitHub API');
        return {
            repo: fromPayload ?? repositoryFallback(context),
            commitDate: context.commitDate,
            source: fromPayload ? 'payload' : 'environment',
            notes,
        };
    }
    const client = options.client ??
        new src/* HttpClient */.Qq({
            baseUrl: apiUrl,
            headers: {
                authorization: `Bearer ${options.token}`,
                accept: 'application/vnd.github+json',
                'x-github-api-version': '2022-11-28',
            },
            timeoutMs: 15_000,
            retry: { attempts: 3 },
        });
    let repo = fromPayload;
    if (!repo) {
        try {
            const data = await client.json(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`);
            repo = {
                name: data.name ?? name,
                description: data.description ?? null,
                html_url: data.html_url ?? `${context.serverUrl}/${context.repository}`,
                default_branch: data.default_branch ?? '',
                license: data.license ?? null,
            };
        }
        catch (error) {
            notes.push(`could not read the repository from the GitHub API (${error.message.split('\n')[0]})`);
        }
    }
    let commitDate = context.commitDate;
    if (!commitKnown && context.sha && /^[0-9a-f]{7,64}$/i.test(context.sha)) {
        try {
            const data = await client.json(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/commits/${context.sha}`);
            if (data.commit?.committer?.date)
                commitDate = new Date(data.commit.committer.date);
        }
        catch (error) {
            notes.push(`could not read the commit date from the GitHub API (${error.message.split('\n')[0]})`);
        }
    }
    return {
        repo: repo ?? repositoryFallback(context),
        commitDate,
        source: repo && !fromPayload ? 'api' : fromPayload ? 'payload' : 'environment',
        notes,
    };
}
/** Why the token may not go to this URL (the suite's credential-URL rule), or undefined. */
function credentialUrlProblem(url) {
    try {
        (0,src/* checkCredentialUrl */.Jh)(url, 'GITHUB_API_URL');
        return undefined;
    }
    catch (error) {
        return error.message.replace(/^Input "GITHUB_API_URL": /, 'GITHUB_API_URL ').split(';')[0];
    }
}

// EXTERNAL MODULE: ./node_modules/@renovatebot/pep440/index.js
var pep440 = __webpack_require__(8898);
var pep440_default = /*#__PURE__*/__webpack_require__.n(pep440);
// EXTERNAL MODULE: ./node_modules/handlebars/lib/index.js
var lib = __webpack_require__(8508);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./node_modules/semver/semver.js
var semver = __webpack_require__(9318);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: ./node_modules/csv-parse/lib/sync.js + 9 modules
var sync = __webpack_require__(5175);
;// CONCATENATED MODULE: ./packages/docker/src/metadata/rules.ts


const DEFAULT_PRIORITIES = {
    schedule: '1000',
    semver: '900',
    pep440: '900',
    match: '800',
    edge: '700',
    ref: '600',
    raw: '200',
    sha: '100',
};
/** metadata-action's default rules when `tags` is empty. */
const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
/**
 * Input lines as metadata-action reads them (`getInputList` with `comment: '#'`): one entry a line,
 * blank lines and lines starting with `#` dropped; a `#` inside a value (`foo#bar`) is kept.
 */
function inputLines(text) {
    return (text ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0 && !line.startsWith('#'));
}
function fields(line, input) {
    try {
        const rows = (0,sync/* parse */.qg)(line, { relax_column_count: true, skip_empty_lines: true });
        return (rows[0] ?? []).map(String);
    }
    catch (error) {
        const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid Record Length: /, '');
        throw new src/* InputError */.dz(input, `cannot read "${line}" (${reason})`, 'write key=value pairs separated by commas');
    }
}
/** `key=value` split at the first `=`, both trimmed, the key lowercased; a field without `=` has no key. */
function keyValue(field) {
    const eq = field.indexOf('=');
    if (eq <= 0)
        return [undefined, field.trim()];
    return [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
}
const has = (attrs, key) => Object.hasOwn(attrs, key);
function parseTagRule(line, input = 'tags') {
    const bad = (problem, fix) => new src/* InputError */.dz(input, `rule "${line}" ${problem}`, fix);
    let type;
    const attrs = Object.create(null);
    for (const field of fields(line, input)) {
        const [key, value] = keyValue(field);
        if (key === undefined)
            attrs.value = value;
        else if (key === 'type') {
            if (!has(DEFAULT_PRIORITIES, value))
                throw bad(`has an unknown type "${value}"`, `use one of ${Object.keys(DEFAULT_PRIORITIES).join(', ')}`);
            type = value;
        }
        else if (key === '__proto__' || key === 'constructor' || key === 'prototype')
            throw bad(`has an attribute "${key}" that no rule takes`, 'remove it');
        else
            attrs[key] = value;
    }
    type ??= 'raw';
    switch (type) {
        case 'schedule':
            if (!has(attrs, 'pattern'))
                attrs.pattern = 'nightly';
            break;
        case 'semver':
        case 'pep440':
            if (!has(attrs, 'pattern'))
                throw bad('has no pattern', `add pattern=..., e.g. type=${type},pattern={{version}}`);
            if (!has(attrs, 'value'))
                attrs.value = '';
            if (!has(attrs, 'match'))
                attrs.match = '';
            break;
        case 'match':
            if (!has(attrs, 'pattern'))
                throw bad('has no pattern', 'add pattern=..., e.g. type=match,pattern=\\d.\\d.\\d');
            if (!has(attrs, 'group'))
                attrs.group = '0';
            if (!/^\d+$/.test(attrs.group))
                throw bad('has a group that is not a number', 'use group=0, 1, ...');
            if (!has(attrs, 'value'))
                attrs.value = '';
            break;
        case 'edge':
            if (!has(attrs, 'branch'))
                attrs.branch = '';
            break;
        case 'ref':
            if (!has(attrs, 'event'))
                throw bad('needs event=branch, event=tag or event=pr', 'add one of them, e.g. type=ref,event=branch');
            if (!['branch', 'tag', 'pr'].includes(attrs.event))
                throw bad(`has event=${attrs.event}`, 'use event=branch, event=tag or event=pr');
            if (attrs.event === 'pr' && !has(attrs, 'prefix'))
                attrs.prefix = 'pr-';
            break;
        case 'raw':
            if (!has(attrs, 'value'))
                throw bad('has no value', 'add value=..., e.g. type=raw,value=stable');
            break;
        case 'sha':
            if (!has(attrs, 'prefix'))
                attrs.prefix = 'sha-';
            if (!has(attrs, 'format'))
                attrs.format = 'short';
            if (!['short', 'long'].includes(attrs.format))
                throw bad(`has format "${attrs.format}"`, 'use format=short or format=long');
            break;
    }
    if (!has(attrs, 'enable'))
        attrs.enable = 'true';
    if (!has(attrs, 'priority'))
        attrs.priority = DEFAULT_PRIORITIES[type];
    if (!/^-?\d+$/.test(attrs.priority))
        throw bad('has a priority that is not a whole number', 'use e.g. priority=500');
    return { type, attrs: { ...attrs }, priority: Number(attrs.priority), source: line };
}
/** Rules sorted by priority, highest first (stable for equal priorities, as Array.prototype.sort is). */
function parseTagRules(lines, input = 'tags') {
    const rules = (lines.length ? lines : DEFAULT_TAG_RULES).map((line) => parseTagRule(line, input));
    return rules.sort((a, b) => b.priority - a.priority);
}
/** A `match` pattern may be written `/regex/flags`, as in metadata-action. */
function splitRegex(pattern) {
    const literal = /^\/(.+)\/(.*)$/.exec(pattern);
    return literal ? { source: literal[1], flags: literal[2] } : { source: pattern, flags: '' };
}
function parseFlavor(lines, input = 'flavor') {
    const flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
    for (const line of lines) {
        let last;
        for (const field of fields(line, input)) {
            const [key, value] = keyValue(field);
            if (key === undefined)
                throw new src/* InputError */.dz(input, `"${line}" has "${value}" without a value`, 'write latest=auto|true|false, prefix=..., suffix=...');
            if (key === 'latest') {
                if (!['auto', 'true', 'false'].includes(value))
                    throw new src/* InputError */.dz(input, `latest=${value} is not a choice`, 'use latest=auto, latest=true or latest=false');
                flavor.latest = value;
            }
            else if (key === 'prefix' || key === 'suffix') {
                flavor[key] = value;
                last = key;
            }
            else if (key === 'onlatest') {
                if (!['true', 'false'].includes(value))
                    throw new src/* InputError */.dz(input, `onlatest=${value} is not a boolean`, 'use onlatest=true or onlatest=false');
                if (last)
                    flavor[last === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = value === 'true';
            }
            else {
                throw new src/* InputError */.dz(input, `"${line}" has an unknown key "${key}"`, 'use latest, prefix, suffix and onlatest');
            }
        }
    }
    return flavor;
}
/**
 * `images`: one name a line, or a single line of comma-separated names, or metadata-action's
 * `name=...,enable=...` lines (also `name,enable=false`). Names are kept as written here; the caller
 * lowercases and checks them against the reference grammar.
 */
function parseImages(lines, input = 'images') {
    if (lines.length === 1) {
        const names = fields(lines[0], input).map((f) => f.trim());
        if (names.every((f) => !f.includes('=')))
            return names.filter(Boolean).map((name) => ({ name, enable: true }));
    }
    return lines.map((line) => {
        const image = { name: '', enable: true };
        let named = 0;
        for (const field of fields(line, input)) {
            const [key, value] = keyValue(field);
            if (key === undefined || key === 'name') {
                image.name = value;
                named++;
            }
            else if (key === 'enable') {
                if (!['true', 'false'].includes(value))
                    throw new src/* InputError */.dz(input, `"${line}" has enable=${value}`, 'use enable=true or enable=false');
                image.enable = value === 'true';
            }
            else
                throw new src/* InputError */.dz(input, `"${line}" has an unknown key "${key}"`, 'use name=... and enable=...');
        }
        if (named > 1)
            throw new src/* InputError */.dz(input, `"${line}" names more than one image`, 'give one image a line');
        if (!image.name)
            throw new src/* InputError */.dz(input, `"${line}" has an empty name`, 'write name=ghcr.io/owner/app');
        return image;
    });
}
/**
 * metadata-action's inputs, read the way it reads them: lists one entry a line with `#` comment lines
 * dropped, separators untrimmed (a single space is a valid separator) and defaulting to a newline.
 */
function readMetadataInputs(get) {
    const sep = (name) => {
        const value = get(name);
        return value === undefined || value === '' ? '\n' : value;
    };
    return {
        images: inputLines(get('images')),
        tags: inputLines(get('tags')),
        flavor: inputLines(get('flavor')),
        labels: inputLines(get('labels')),
        annotations: inputLines(get('annotations')),
        sepTags: sep('sep-tags'),
        sepLabels: sep('sep-labels'),
        sepAnnotations: sep('sep-annotations'),
    };
}

// EXTERNAL MODULE: external "node:vm"
var external_node_vm_ = __webpack_require__(714);
;// CONCATENATED MODULE: ./packages/docker/src/metadata/safe-match.ts


/**
 * `type=match` patterns and `match=` attributes are user regular expressions run on the tag name. They
 * keep JavaScript's RegExp semantics (metadata-action's, so lookarounds and backreferences still work),
 * but each match runs in a fresh V8 context with a time limit: `^(a+)+$` on 28 characters no longer runs
 * for seconds, it fails the step naming the rule. A linear-time engine (re2js) would refuse the
 * lookarounds existing workflows use; a static "safe regex" check has false positives and negatives.
 * Patterns and values are also bounded in length, so the limit is about backtracking, not size.
 */
const MATCH_TIMEOUT_MS = 1000;
const MAX_PATTERN = 1000;
const MAX_VALUE = 1024;
const SCRIPT = 'var m = new RegExp(pattern, flags).exec(value); m ? JSON.stringify(Array.from(m)) : null';
/** The match as an array (undefined for groups that did not take part), or undefined when there is none. */
function boundedMatch(pattern, flags, value, rule, timeoutMs = MATCH_TIMEOUT_MS) {
    const bad = (problem, fix) => new src/* InputError */.dz('tags', `rule "${shorten(rule)}" ${problem}`, fix);
    if (pattern.length > MAX_PATTERN)
        throw bad(`has a pattern of ${pattern.length} characters`, `keep patterns under ${MAX_PATTERN} characters`);
    if (value.length > MAX_VALUE)
        throw bad(`is matched against a ${value.length}-character value`, 'match a shorter value');
    if (!/^[dgimsuvy]*$/.test(flags))
        throw bad(`has unknown regular expression flags "${flags}"`, 'use flags such as i');
    let result;
    try {
        result = (0,external_node_vm_.runInNewContext)(SCRIPT, { pattern, flags, value }, { timeout: timeoutMs });
    }
    catch (error) {
        const e = error;
        if (e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
            throw bad(`has a pattern that ran for more than ${timeoutMs} ms on "${shorten(value)}" (catastrophic backtracking)`, 'simplify it, e.g. avoid nested repetition such as (a+)+');
        if (e.name === 'SyntaxError')
            throw bad(`has a pattern that is not a regular expression (${e.message})`, 'fix the pattern');
        throw error;
    }
    if (typeof result !== 'string')
        return undefined;
    return JSON.parse(result).map((group) => group ?? undefined);
}
function shorten(text) {
    const line = text.replace(/[\r\n]/g, ' ');
    return line.length > 80 ? `${line.slice(0, 60)}... (${text.length} characters)` : line;
}

;// CONCATENATED MODULE: ./packages/docker/src/metadata/meta.ts






const DEFAULT_SHORT_SHA_LENGTH = 7;
const GLOBAL_HELPERS = [
    'branch',
    'tag',
    'sha',
    'base_ref',
    'commit_date',
    'is_default_branch',
    'is_not_default_branch',
    'date',
];
const DATE_HELPERS = ['date', 'commit_date'];
const SEMVER_FIELDS = ['raw', 'version', 'major', 'minor', 'patch', 'prerelease', 'build', 'loose', 'options'];
const PEP440_FIELDS = ['raw', 'version', 'major', 'minor', 'patch'];
const BUILTINS = ['if', 'unless', 'each', 'with', 'lookup', 'log'];
/** Whether any of these templates formats a date, so moment-timezone must be loaded first. */
function needsMoment(texts) {
    return texts.some((text) => /\{\{[~#^/\s]*(date|commit_date)\b/.test(text));
}
async function loadMoment() {
    const module = (await __webpack_require__.e(/* import() */ 856).then(__webpack_require__.t.bind(__webpack_require__, 9856, 23)));
    return module.default ?? module;
}
class Meta {
    inputs;
    context;
    repo;
    options;
    version;
    warnings = [];
    images;
    tags;
    flavor;
    date;
    shortShaLength;
    constructor(inputs, context, repo, options = {}) {
        this.inputs = inputs;
        this.context = context;
        this.repo = repo;
        this.options = options;
        this.images = parseImages(inputs.images);
        this.tags = parseTagRules(inputs.tags);
        this.flavor = parseFlavor(inputs.flavor);
        this.date = options.now ?? new Date();
        this.shortShaLength = parseShortShaLength(options.shortShaLength);
        this.version = this.computeVersion();
    }
    computeVersion() {
        let version = { main: undefined, partial: [], latest: undefined };
        for (const tag of this.tags) {
            const enabled = this.globalExp(tag.attrs.enable, tag, 'tags');
            if (!['true', 'false'].includes(enabled))
                throw new src/* InputError */.dz('tags', `rule "${tag.source}" has enable=${enabled}`, 'enable must be true or false');
            if (enabled !== 'true')
                continue;
            switch (tag.type) {
                case 'schedule':
                    version = this.procSchedule(version, tag);
                    break;
                case 'semver':
                    version = this.procSemver(version, tag);
                    break;
                case 'pep440':
                    version = this.procPep440(version, tag);
                    break;
                case 'match':
                    version = this.procMatch(version, tag);
                    break;
                case 'ref':
                    if (tag.attrs.event === 'branch')
                        version = this.procRefBranch(version, tag);
                    else if (tag.attrs.event === 'tag')
                        version = this.procRefTag(version, tag);
                    else
                        version = this.procRefPr(version, tag);
                    break;
                case 'edge':
                    version = this.procEdge(version, tag);
                    break;
                case 'raw':
                    version = this.setVersion(version, this.setValue(this.globalExp(tag.attrs.value, tag, 'tags'), tag), this.latestFor(false));
                    break;
                case 'sha':
                    if (this.context.sha) {
                        const sha = tag.attrs.format === 'short' ? this.shortSha(this.context.sha) : this.context.sha;
                        version = this.setVersion(version, this.setValue(sha, tag), this.latestFor(false));
                    }
                    break;
            }
        }
        version.partial = version.partial.filter((item, index) => version.partial.indexOf(item) === index);
        if (version.latest === undefined)
            version.latest = false;
        if (this.options.latestOnDefaultBranch &&
            this.flavor.latest === 'auto' &&
            version.main !== undefined &&
            this.isDefaultBranch() === 'true' &&
            /^refs\/heads\//.test(this.context.ref) &&
            !/pull_request|schedule/.test(this.context.eventName))
            version.latest = true;
        return version;
    }
    /** `latest` as the flavor decides it, given what the rule itself would say under latest=auto. */
    latestFor(auto) {
        return this.flavor.latest === 'auto' ? auto : this.flavor.latest === 'true';
    }
    procSchedule(version, tag) {
        if (!/schedule/.test(this.context.eventName))
            return version;
        const helpers = { date: this.dateHelper(this.date), commit_date: this.dateHelper(this.context.commitDate) };
        const value = this.render(tag.attrs.pattern, helpers, DATE_HELPERS, tag, 'tags');
        return this.setVersion(version, this.setValue(value, tag), this.latestFor(false));
    }
    /** The text a semver/pep440/match rule reads: its `value`, else the tag being built; undefined to skip. */
    releaseValue(tag) {
        if (!/^refs\/tags\//.test(this.context.ref) && tag.attrs.value.length === 0)
            return undefined;
        if (tag.attrs.value.length > 0)
            return this.globalExp(tag.attrs.value, tag, 'tags');
        return this.context.ref.replace(/^refs\/tags\//g, '');
    }
    /** `match=`: the first group when the pattern matches; the whole value (with a warning) when it does not. */
    applyMatch(raw, tag) {
        if (tag.attrs.match.length === 0)
            return raw;
        const found = boundedMatch(tag.attrs.match, '', raw, tag.source, this.options.matchTimeoutMs);
        if (!found) {
            this.warnings.push(`${tag.attrs.match} does not match ${raw}.`);
            return raw;
        }
        return found[1] ?? found[0] ?? raw;
    }
    procSemver(version, tag) {
        let raw = this.releaseValue(tag);
        if (raw === undefined)
            return version;
        raw = this.applyMatch(raw, tag).replace(/\//g, '-');
        if (!semver_default().valid(raw)) {
            this.warnings.push(`${raw} is not a valid semver. More info: https://semver.org/`);
            return version;
        }
        const parsed = semver_default().parse(raw, { loose: true });
        let value;
        let latest = false;
        if (semver_default().prerelease(raw)) {
            const pattern = isRawStatement(tag.attrs.pattern) ? tag.attrs.pattern : '{{version}}';
            value = this.setValue(this.render(pattern, parsed, SEMVER_FIELDS, tag, 'tags'), tag);
        }
        else {
            value = this.setValue(this.render(tag.attrs.pattern, parsed, SEMVER_FIELDS, tag, 'tags'), tag);
            latest = true;
        }
        return this.setVersion(version, value, this.latestFor(latest));
    }
    procPep440(version, tag) {
        let raw = this.releaseValue(tag);
        if (raw === undefined)
            return version;
        raw = this.applyMatch(raw, tag).replace(/\//g, '-');
        if (!pep440_default().valid(raw)) {
            this.warnings.push(`${raw} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
            return version;
        }
        const explained = pep440_default().explain(raw);
        const release = raw;
        let value;
        let latest = false;
        // Pre-, post- and dev-releases get only the whole version: 1.2post1 must not move `1.2`, `1` or `latest`.
        if (explained?.is_prerelease || explained?.is_postrelease || explained?.is_devrelease) {
            value = this.setValue(isRawStatement(tag.attrs.pattern) ? raw : (pep440_default().clean(raw) ?? raw), tag);
        }
        else {
            const fields = {
                raw: () => release,
                version: () => pep440_default().clean(release),
                major: () => pep440_default().major(release),
                minor: () => pep440_default().minor(release),
                patch: () => pep440_default().patch(release),
            };
            value = this.setValue(this.render(tag.attrs.pattern, fields, PEP440_FIELDS, tag, 'tags'), tag);
            latest = true;
        }
        return this.setVersion(version, value, this.latestFor(latest));
    }
    procMatch(version, tag) {
        const raw = this.releaseValue(tag);
        if (raw === undefined)
            return version;
        const { source, flags } = splitRegex(tag.attrs.pattern);
        const found = boundedMatch(source, flags, raw, tag.source, this.options.matchTimeoutMs);
        if (!found) {
            this.warnings.push(`${tag.attrs.pattern} does not match ${raw}.`);
            return version;
        }
        const group = found[Number(tag.attrs.group)];
        if (group === undefined) {
            this.warnings.push(`Group ${tag.attrs.group} does not exist for ${tag.attrs.pattern} pattern.`);
            return version;
        }
        return this.setVersion(version, this.setValue(group, tag), this.latestFor(true));
    }
    procRefBranch(version, tag) {
        if (!/^refs\/heads\//.test(this.context.ref))
            return version;
        const value = this.setValue(this.context.ref.replace(/^refs\/heads\//g, ''), tag);
        return this.setVersion(version, value, this.latestFor(false));
    }
    procRefTag(version, tag) {
        if (!/^refs\/tags\//.test(this.context.ref))
            return version;
        const value = this.setValue(this.context.ref.replace(/^refs\/tags\//g, ''), tag);
        return this.setVersion(version, value, this.latestFor(true));
    }
    procRefPr(version, tag) {
        if (!/^refs\/pull\//.test(this.context.ref))
            return version;
        const pr = this.context.ref.replace(/^refs\/pull\//g, '').replace(/\/merge$/g, '');
        return this.setVersion(version, this.setValue(pr, tag), this.latestFor(false));
    }
    procEdge(version, tag) {
        if (!/^refs\/heads\//.test(this.context.ref))
            return version;
        const branch = this.context.ref.replace(/^refs\/heads\//g, '');
        if ((tag.attrs.branch || this.repo.default_branch) !== branch)
            return version;
        return this.setVersion(version, this.setValue('edge', tag), this.latestFor(false));
    }
    setVersion(version, value, latest) {
        if (value.length === 0)
            return version;
        const tag = sanitizeTag(value);
        if (version.main === undefined)
            version.main = tag;
        else if (tag !== version.main)
            version.partial.push(tag);
        if (version.latest === undefined)
            version.latest = latest;
        return version;
    }
    /** The rule's own prefix/suffix when it has one (even empty), else the flavor's. */
    setValue(value, tag) {
        let result = value;
        if (Object.hasOwn(tag.attrs, 'prefix'))
            result = `${this.globalExp(tag.attrs.prefix, tag, 'tags')}${result}`;
        else if (this.flavor.prefix.length > 0)
            result = `${this.globalExp(this.flavor.prefix, tag, 'flavor')}${result}`;
        if (Object.hasOwn(tag.attrs, 'suffix'))
            result = `${result}${this.globalExp(tag.attrs.suffix, tag, 'tags')}`;
        else if (this.flavor.suffix.length > 0)
            result = `${result}${this.globalExp(this.flavor.suffix, tag, 'flavor')}`;
        return result;
    }
    isDefaultBranch() {
        const { ref, eventName, payload } = this.context;
        const branch = ref.replace(/^refs\/heads\//g, '');
        if (!branch)
            return 'false';
        if (payload.repository?.default_branch === branch)
            return 'true';
        // These events always run for the last commit of the default branch.
        if (/create|discussion|issues|schedule/.test(eventName))
            return 'true';
        return 'false';
    }
    globalHelpers() {
        const { ref, sha, payload } = this.context;
        return {
            branch: () => (/^refs\/heads\//.test(ref) ? ref.replace(/^refs\/heads\//g, '') : ''),
            tag: () => (/^refs\/tags\//.test(ref) ? ref.replace(/^refs\/tags\//g, '') : ''),
            sha: () => this.shortSha(sha),
            base_ref: () => {
                if (/^refs\/tags\//.test(ref) && typeof payload.base_ref === 'string')
                    return payload.base_ref.replace(/^refs\/heads\//g, '');
                if (/^refs\/pull\//.test(ref) && payload.pull_request?.base?.ref !== undefined)
                    return payload.pull_request.base.ref;
                return '';
            },
            commit_date: this.dateHelper(this.context.commitDate),
            is_default_branch: () => this.isDefaultBranch(),
            is_not_default_branch: () => (this.isDefaultBranch() === 'false' ? 'true' : 'false'),
            date: this.dateHelper(this.date),
        };
    }
    globalExp(text, tag, input) {
        return this.render(text, this.globalHelpers(), GLOBAL_HELPERS, tag, input);
    }
    dateHelper(date) {
        const moment = this.options.moment;
        return (format, options) => {
            // Called as {{date}} without a format, handlebars passes the options object first.
            const hash = (options ?? format)?.hash ?? {};
            let tz = 'UTC';
            for (const [key, value] of Object.entries(hash)) {
                if (key !== 'tz')
                    throw new TemplateError(`has an unknown ${key}= attribute in a date`, "use tz='Zone'");
                tz = String(value);
            }
            if (!moment)
                throw new Error('moment-timezone was not loaded for a date template (see needsMoment)');
            if (!moment.tz.zone(tz))
                throw new TemplateError(`has an unknown time zone "${tz}"`, 'use an IANA zone such as UTC or Europe/Paris');
            return moment(date)
                .tz(tz)
                .format(typeof format === 'string' ? format : undefined);
        };
    }
    /** Renders a Handlebars template with the given helpers, refusing names it does not know. */
    render(text, data, known, tag, input) {
        const where = tag ? `rule "${tag.source}"` : `"${text}"`;
        let ast;
        try {
            ast = lib_default().parseWithoutProcessing(text);
        }
        catch (error) {
            throw new src/* InputError */.dz(input, `${where} is not a valid template (${error.message.split('\n')[0]})`, 'write expressions as {{name}}');
        }
        const unknown = unknownNames(ast, known);
        if (unknown)
            throw new src/* InputError */.dz(input, `${where} uses an unknown expression {{${unknown}}}`, `use ${known.map((k) => `{{${k}}}`).join(', ')}`);
        try {
            return lib_default().compile(text)(data);
        }
        catch (error) {
            if (error instanceof TemplateError)
                throw new src/* InputError */.dz(input, `${where} ${error.problem}`, error.fix);
            throw error;
        }
    }
    shortSha(sha) {
        return this.shortShaLength >= sha.length ? sha : sha.substring(0, this.shortShaLength);
    }
    imageNames() {
        return this.images.filter((image) => image.enable).map((image) => image.name.toLowerCase());
    }
    /** `image:tag` for every enabled image, or the tag names alone when there are no images (or `namesOnly`). */
    getTags(namesOnly = false) {
        const main = this.version.main;
        if (!main)
            return [];
        if (namesOnly)
            return this.generateTags(main);
        const images = this.imageNames();
        if (!images.length)
            return this.generateTags(main);
        return images.flatMap((image) => this.generateTags(main, image));
    }
    generateTags(main, image) {
        const prefix = image ? `${image}:` : '';
        const tags = [`${prefix}${main}`, ...this.version.partial.map((partial) => `${prefix}${partial}`)];
        if (this.version.latest) {
            const latest = `${this.flavor.prefixLatest ? this.flavor.prefix : ''}latest${this.flavor.suffixLatest ? this.flavor.suffix : ''}`;
            tags.push(`${prefix}${sanitizeTag(latest)}`);
        }
        return tags;
    }
    getLabels() {
        return this.ociWithCustoms(this.inputs.labels, 'labels');
    }
    getAnnotations() {
        return this.ociWithCustoms(this.inputs.annotations, 'annotations');
    }
    /** The standard OCI keys, then the user's lines (expanded), later keys winning; lines without `=` are dropped. */
    ociWithCustoms(extra, input) {
        const repo = this.repo;
        const lines = [
            `org.opencontainers.image.title=${repo.name || ''}`,
            `org.opencontainers.image.description=${repo.description || ''}`,
            `org.opencontainers.image.url=${repo.html_url || ''}`,
            `org.opencontainers.image.source=${repo.html_url || ''}`,
            `org.opencontainers.image.version=${this.version.main || ''}`,
            `org.opencontainers.image.created=${this.date.toISOString()}`,
            `org.opencontainers.image.revision=${this.context.sha || ''}`,
            `org.opencontainers.image.licenses=${repo.license?.spdx_id || ''}`,
        ];
        for (const line of extra) {
            const expanded = this.globalExp(line, undefined, input);
            if (!expanded.includes('='))
                this.warnings.push(`${input}: "${line}" has no "=" and is ignored`);
            lines.push(expanded);
        }
        const map = new Map();
        for (const line of lines) {
            const [key, ...values] = line.split('=');
            if (values.length > 0)
                map.set(key, values.join('='));
        }
        return [...map].sort((a, b) => a[0].localeCompare(b[0])).map(([key, value]) => `${key}=${value}`);
    }
    /** metadata-action's `json` output. */
    getJSON(levels) {
        const annotations = levels.flatMap((level) => this.getAnnotations().map((a) => `${level}:${a}`));
        return { tags: this.getTags(), 'tag-names': this.getTags(true), labels: this.labelMap(), annotations };
    }
    labelMap() {
        const labels = {};
        for (const label of this.getLabels()) {
            const match = /([^=]*)=(.*)/.exec(label);
            if (match)
                labels[match[1]] = match[2];
        }
        return labels;
    }
    /**
     * metadata-action's bake definitions: `tags`, `labels`, `annotations:LEVELS`, or (no kind) tags and
     * labels together, for `docker buildx bake --file`.
     */
    bakeDefinition(kind, target = 'docker-metadata-action') {
        const args = { DOCKER_META_IMAGES: this.imageNames().join(','), DOCKER_META_VERSION: this.version.main };
        let definition;
        if (kind === undefined)
            definition = { tags: this.getTags(), labels: this.labelMap(), args };
        else if (kind === 'tags')
            definition = { tags: this.getTags(), args };
        else if (kind === 'labels')
            definition = { labels: this.labelMap() };
        else if (kind.startsWith('annotations:'))
            definition = {
                annotations: kind
                    .slice('annotations:'.length)
                    .split(',')
                    .flatMap((level) => this.getAnnotations().map((a) => `${level}:${a}`)),
            };
        else
            throw new Error(`unknown bake definition kind ${kind}`);
        return JSON.parse(JSON.stringify({ target: { [target]: definition } }));
    }
}
class TemplateError extends Error {
    problem;
    fix;
    constructor(problem, fix) {
        super(problem);
        this.problem = problem;
        this.fix = fix;
    }
}
function parseShortShaLength(value) {
    if (value === undefined || value === '')
        return DEFAULT_SHORT_SHA_LENGTH;
    if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
        throw new src/* UserError */.yo(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a positive whole number ("${value.slice(0, 20)}"); set it to e.g. 12, or unset it`);
    return Number(value);
}
/** Docker's tag characters: anything else becomes `-`, as in metadata-action. */
function sanitizeTag(tag) {
    return tag.replace(/[^a-zA-Z0-9._-]+/g, '-');
}
/** True when the pattern is exactly `{{raw}}`, which pre-releases keep (metadata-action's isRawStatement). */
function isRawStatement(pattern) {
    try {
        const body = lib_default().parseWithoutProcessing(pattern).body;
        if (body.length === 1 && body[0].type === 'MustacheStatement') {
            const path = body[0].path;
            return path.parts?.length === 1 && path.parts[0] === 'raw';
        }
    }
    catch {
        return false;
    }
    return false;
}
/** The first expression name the template uses that is neither known nor a Handlebars built-in. */
function unknownNames(program, known) {
    for (const node of program.body) {
        if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
            const statement = node;
            if (statement.path.type === 'PathExpression') {
                const name = statement.path.original;
                const allowed = node.type === 'BlockStatement' ? BUILTINS : [...known, ...BUILTINS];
                if (!allowed.includes(name))
                    return name;
            }
            if (node.type === 'BlockStatement') {
                const block = node;
                const inner = unknownNames(block.program, known) ?? (block.inverse && unknownNames(block.inverse, known));
                if (inner)
                    return inner;
            }
        }
    }
    return undefined;
}
/** Loads moment-timezone when a template needs it, then computes everything. */
async function computeMetadata(inputs, context, repo, options = {}) {
    const texts = [...inputs.tags, ...inputs.flavor, ...inputs.labels, ...inputs.annotations];
    const moment = options.moment ?? (needsMoment(texts) ? await loadMoment() : undefined);
    const meta = new Meta(inputs, context, repo, { ...options, moment });
    return {
        meta,
        version: meta.version.main ?? '',
        tags: meta.getTags(),
        tagNames: meta.getTags(true),
        labels: meta.getLabels(),
        annotations: meta.getAnnotations(),
        images: meta.imageNames(),
        warnings: meta.warnings,
    };
}

;// CONCATENATED MODULE: ./packages/docker/src/metadata/index.ts
/** Tags, labels and annotations computed like docker/metadata-action, from rules and the GitHub context. */







// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./node_modules/tar/dist/esm/index.min.js
var index_min = __webpack_require__(8697);
;// CONCATENATED MODULE: ./packages/docker/src/oci-layout.ts






async function sha256File(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    for await (const chunk of (0,external_node_fs_.createReadStream)(path)) {
        hash.update(chunk);
        size += chunk.length;
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
}
/** Converts, and returns the digest of the first image's manifest (what a registry stores for it, pushed as-is). */
async function dockerArchiveToOciLayout(dockerArchive, ociArchive) {
    const work = await (0,external_node_fs_promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'oci-layout-'));
    try {
        const source = (0,external_node_path_.join)(work, 'docker');
        const layout = (0,external_node_path_.join)(work, 'oci');
        const blobs = (0,external_node_path_.join)(layout, 'blobs', 'sha256');
        await (0,external_node_fs_promises_.mkdir)(source);
        await (0,external_node_fs_promises_.mkdir)(blobs, { recursive: true });
        await (0,index_min.x)({ file: dockerArchive, cwd: source });
        const entries = JSON.parse(await (0,external_node_fs_promises_.readFile)((0,external_node_path_.join)(source, 'manifest.json'), 'utf8'));
        const addBlob = async (path, mediaType) => {
            const { digest, size } = await sha256File(path);
            await (0,external_node_fs_promises_.copyFile)(path, (0,external_node_path_.join)(blobs, digest.slice('sha256:'.length)));
            return { mediaType, digest, size };
        };
        const index = [];
        for (const entry of entries) {
            const config = await addBlob((0,external_node_path_.join)(source, entry.Config), 'application/vnd.oci.image.config.v1+json');
            const layers = [];
            for (const layer of entry.Layers)
                layers.push(await addBlob((0,external_node_path_.join)(source, layer), 'application/vnd.oci.image.layer.v1.tar'));
            const manifestPath = (0,external_node_path_.join)(work, 'manifest.json');
            await (0,external_node_fs_promises_.writeFile)(manifestPath, JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }));
            const manifest = await addBlob(manifestPath, 'application/vnd.oci.image.manifest.v1+json');
            for (const ref of entry.RepoTags ?? [undefined]) {
                const annotations = ref
                    ? {
                        'io.containerd.image.name': ref,
                        'org.opencontainers.image.ref.name': ref.slice(ref.lastIndexOf(':') + 1),
                    }
                    : undefined;
                index.push({ ...manifest, ...(annotations ? { annotations } : {}) });
            }
        }
        await (0,external_node_fs_promises_.writeFile)((0,external_node_path_.join)(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
        await (0,external_node_fs_promises_.writeFile)((0,external_node_path_.join)(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }));
        await (0,index_min.c)({ file: ociArchive, cwd: layout, portable: true }, ['oci-layout', 'index.json', 'blobs']);
        return index[0]?.digest ?? '';
    }
    finally {
        await (0,external_node_fs_promises_.rm)(work, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./packages/docker/src/progress.ts
/**
 * Reads BuildKit's plain progress output (`--progress plain`, the same from buildx and the engine's
 * built-in BuildKit): how many Dockerfile steps ran and how many came from the cache, and, when the
 * build fails, the failing step with its last output lines and error, so the annotation says what broke
 * instead of "exit code 1".
 */
const VERTEX = /^#(\d+) (.*)$/;
function vertices(lines) {
    const map = new Map();
    for (const line of lines) {
        const m = VERTEX.exec(line);
        if (!m)
            continue;
        const [, id, rest] = m;
        let vertex = map.get(id);
        if (!vertex) {
            vertex = { title: rest, cached: false, output: [] };
            map.set(id, vertex);
            continue;
        }
        if (rest === 'CACHED')
            vertex.cached = true;
        else if (rest.startsWith('ERROR:') || rest.startsWith('ERROR '))
            vertex.error = rest.replace(/^ERROR:?\s*/, '');
        else if (/^\d+\.\d+ /.test(rest))
            vertex.output.push(rest.replace(/^\d+\.\d+ /, ''));
    }
    return map;
}
function isStep(title) {
    return /^\[[^\]]*\d+\/\d+\] /.test(title) && !/^\[[^\]]*\] FROM /.test(title);
}
function readProgress(lines) {
    let steps = 0;
    let cached = 0;
    for (const vertex of vertices(lines).values()) {
        if (!isStep(vertex.title))
            continue;
        steps++;
        if (vertex.cached)
            cached++;
    }
    return { steps, cached };
}
/** The lines that explain a failed build: the failing step, its last output, and BuildKit's error. */
function failureLines(lines, keep = 15) {
    const failed = [...vertices(lines).values()].filter((v) => v.error !== undefined);
    if (failed.length) {
        return failed.flatMap((v) => [`${v.title}`, ...v.output.slice(-keep).map((l) => `  ${l}`), `  ${v.error}`]);
    }
    // Errors before any step ran (a Dockerfile syntax error, a missing base image): BuildKit's last words.
    const errors = lines.filter((l) => /^(error|ERROR|failed to|Error response)/.test(l.trim()));
    return errors.length ? errors.slice(-keep) : lines.filter((l) => l.trim()).slice(-keep);
}

;// CONCATENATED MODULE: ./packages/docker/src/index.ts
/**
 * @deploy-actions/docker: the one Docker engine layer of the suite, BuildKit builds, and image metadata.
 *
 * Engine (engine.ts, client.ts, image.ts, exec.ts), for every action, emulator and test that needs Docker:
 * - `dockerHost(env)`, `engineTarget(host)`: the daemon address (DOCKER_HOST, default unix socket).
 * - `new DockerEngine(env)`: `.client()` a docker CLI found on PATH (never keyed to /usr/bin/docker),
 *   `.buildClient()` one that can build with BuildKit (buildx, else an older client using the engine's
 *   BuildKit), `.childEnv()` (DOCKER_HOST kept, INPUT_ and STATE_ variables dropped), `.inspectImage(name)`,
 *   `.exportImage(name, file)` (`docker save` over the API, no CLI needed).
 * - `findDocker(PATH)` (build client), `findDockerCli(PATH)` (any client), `runTool(path, args, opts)`
 *   (redacted, line by line, timeout and cancel), `dockerEnv(env)`.
 * - `pushImage(client, ref, opts)` → registry digest (retries transient failures), `saveImage(client,
 *   refs, file)` (docker-archive), `imageSize`, `removeImages`, `inspectImage`, `exportImage`: each
 *   exported once, here.
 * Build (build.ts, progress.ts, oci-layout.ts): `buildCommand`, `engineProblems`, `readProgress`,
 *   `dockerArchiveToOciLayout` (→ manifest digest).
 * Metadata (metadata/): docker/metadata-action's tags, labels, annotations and json (`computeMetadata`,
 *   `Meta`, `readContext`, `resolveRepository`, `readMetadataInputs`).
 */










/***/ })

};
