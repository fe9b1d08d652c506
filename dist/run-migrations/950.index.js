export const id = 950;
export const ids = [950];
export const modules = {

/***/ 25950:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DockerEngine: () => (/* binding */ DockerEngine)
});

// UNUSED EXPORTS: DEFAULT_DOCKER_HOST, EngineError, dockerEnv, dockerHost, engineRequest, engineTarget, exportImage, findDockerCli, inspectImage

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 24 modules
var src = __webpack_require__(37464);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
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


/***/ })

};
