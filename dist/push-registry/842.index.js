export const id = 842;
export const ids = [842];
export const modules = {

/***/ 6842:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 24 modules
var src = __webpack_require__(7464);
// EXTERNAL MODULE: ./packages/registry/src/index.ts + 15 modules
var registry_src = __webpack_require__(8164);
;// CONCATENATED MODULE: ./actions/push-registry/src/credentials.ts


/** Checks what can be checked locally (a Google credentials file exists) and returns a source per registry. */
async function credentialSources(inputs) {
    const needsGoogle = [...inputs.registries.values()].some((r) => r.method === 'google');
    const google = needsGoogle ? await googleSource(inputs) : undefined;
    const sources = new Map();
    for (const plan of inputs.registries.values())
        sources.set(plan.name, sourceFor(plan, inputs, google));
    return sources;
}
async function googleSource(inputs) {
    const { googleCredentials } = await __webpack_require__.e(/* import() */ 258).then(__webpack_require__.bind(__webpack_require__, 7258));
    let google;
    try {
        google = await googleCredentials({
            accessToken: inputs.googleAccessToken,
            scopes: ['https://www.googleapis.com/auth/cloud-platform'],
        });
    }
    catch (error) {
        if (error instanceof src/* UserError */.yo)
            throw new src/* InputError */.dz('google-access-token', `is empty and ${error.message.replace(/^No/, 'no')}`, 'set one of them');
        throw error;
    }
    return async () => ({ username: 'oauth2accesstoken', password: (0,registry_src/* maskCredential */.kV)(await google.token()) });
}
/** The AWS SDK reads these from the environment itself: masked (every form) before an API error could quote them. */
function maskAwsEnvironment() {
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
        const value = process.env[name];
        if (value)
            (0,src/* registerSecret */.cl)(value);
    }
}
function sourceFor(plan, inputs, google) {
    switch (plan.method) {
        case 'basic':
            return async () => plan.basic;
        case 'github':
            return async () => ({ username: inputs.githubActor, password: plan.token });
        case 'google':
            return google ?? (async () => undefined);
        case 'ecr':
            return async () => {
                maskAwsEnvironment();
                const { ecrAuthorization } = await Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(515)]).then(__webpack_require__.bind(__webpack_require__, 8515));
                const auth = await ecrAuthorization({ region: plan.awsRegion, account: plan.awsAccount });
                (0,registry_src/* maskCredential */.kV)(auth.password);
                return { username: auth.username, password: auth.password };
            };
        case 'ecr-public':
            return async () => {
                maskAwsEnvironment();
                const { ecrPublicAuthorization } = await Promise.all(/* import() */[__webpack_require__.e(249), __webpack_require__.e(821), __webpack_require__.e(9)]).then(__webpack_require__.bind(__webpack_require__, 3009));
                const auth = await ecrPublicAuthorization();
                (0,registry_src/* maskCredential */.kV)(auth.password);
                return { username: auth.username, password: auth.password };
            };
        case 'docker-config': {
            const login = plan.docker;
            if (login.kind === 'auth')
                return async () => login.credentials;
            return async () => {
                try {
                    const creds = await (0,registry_src/* helperCredentials */.J8)(login.helper, plan.name);
                    if (creds)
                        (0,registry_src/* maskCredential */.kV)(creds.password);
                    return creds;
                }
                catch (error) {
                    if (error instanceof registry_src/* DockerConfigError */.Zh)
                        throw new src/* UserError */.yo(`${plan.name}: ${error.message}`);
                    throw error;
                }
            };
        }
        default:
            return async () => undefined;
    }
}

// EXTERNAL MODULE: ./packages/toolkit/src/errors.ts
var errors = __webpack_require__(2087);
;// CONCATENATED MODULE: ./packages/aws/src/region.ts

/**
 * The AWS region rule of the suite: the form every AWS partition's region names take (`eu-west-1`,
 * `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`), and where a region comes from when the input is empty
 * (AWS_REGION, then AWS_DEFAULT_REGION, as the SDK and aws-actions/configure-aws-credentials have it).
 * No SDK is loaded here: actions check it with their inputs, before any call.
 */
const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** The region to use, from the input or the environment; an InputError naming `input` when none or not a region. */
function awsRegion(input, given, env, quote) {
    const region = given || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!region)
        throw new InputError(input, 'is empty and AWS_REGION is not set', `set ${input}, e.g. us-east-1, or configure credentials first`);
    if (!AWS_REGION_PATTERN.test(region))
        throw new InputError(input, `${quote(region)} is not an AWS region`, 'write e.g. eu-west-1');
    return region;
}

// EXTERNAL MODULE: ./actions/push-registry/src/manifest.ts
var manifest = __webpack_require__(635);
;// CONCATENATED MODULE: ./actions/push-registry/src/inputs.ts
/**
 * Reads and checks every input before anything is sent anywhere: destinations, the source, credentials
 * and how each registry authenticates, compression, plain-HTTP permission, limits. Each problem is one
 * line naming the input. Secrets (passwords, tokens) are masked as they are read and never quoted.
 *
 * How a registry authenticates, first match wins: `registry-auth`, then a `credentials` line, then the
 * Docker config's login (credHelpers, auths, credsStore), then what the host says (ghcr.io, Google and
 * ECR hosts, ECR Public), else anonymous.
 */






const AUTH_METHODS = ['github', 'google', 'ecr', 'ecr-public', 'docker-config', 'basic', 'anonymous'];
/** A value quoted in an error: one line, and short (a 100 KB input is not echoed whole). */
function quote(value) {
    const line = value.replace(/[\r\n\t]/g, ' ');
    return line.length > 80 ? `"${line.slice(0, 60)}..." (${value.length} characters)` : `"${line}"`;
}
function reference(input, text, kind) {
    try {
        return (0,registry_src/* parseReference */.F2)(text);
    }
    catch (error) {
        if (error instanceof registry_src/* BadReferenceError */.pE)
            throw new src/* InputError */.dz(input, error.message, `give a full ${kind} reference such as ghcr.io/org/app:1.2.3`);
        throw error;
    }
}
function readDestinations(lines) {
    const seen = new Set();
    const refs = [];
    for (const line of lines) {
        const ref = reference('destinations', line, 'destination');
        if (ref.digest)
            throw new src/* InputError */.dz('destinations', `${quote(line)} names a digest`, 'push to a tag (registry/name:tag); the digest is the output');
        if (!ref.tag)
            throw new src/* InputError */.dz('destinations', `${quote(line)} has no tag`, 'add one, e.g. :latest or :1.2.3');
        if (!(0,registry_src/* hasRegistryHost */.mP)(line) && !line.startsWith('docker.io/'))
            throw new src/* InputError */.dz('destinations', `${quote(line)} has no registry host`, 'write the full reference, e.g. docker.io/org/app:tag or ghcr.io/org/app:tag');
        const key = `${ref.registry}/${ref.repository}:${ref.tag}`;
        if (seen.has(key))
            throw new src/* InputError */.dz('destinations', `${quote(line)} is listed twice`, 'list each destination once');
        seen.add(key);
        refs.push({ ...ref, tag: ref.tag });
    }
    return refs;
}
function readSource(inputs) {
    const branch = (0,src/* narrow */.sc)(manifest/* manifest */.e, inputs, 'source-kind');
    const { source } = branch;
    const archive = branch.sourceKind === 'archive' ? branch.sourceArchive : undefined;
    if (archive) {
        if (!(0,external_node_fs_.existsSync)(archive))
            throw new src/* InputError */.dz('source-archive', `${quote(archive)} does not exist`, 'give the path of a docker save tar, an OCI layout directory or an OCI layout tar');
        if (source?.startsWith('docker://') || (source && (0,registry_src/* hasRegistryHost */.mP)(source) && source.includes('@')))
            (0,src/* exclusive */.jC)({ 'source-archive': archive, source });
        return { kind: 'archive', path: archive, select: source };
    }
    if (!source)
        throw new src/* InputError */.dz('source', 'is missing', 'set "source" (a local image or a registry reference) or "source-archive"');
    const value = source;
    if (/\s/.test(value))
        throw new src/* InputError */.dz('source', `${quote(value)} contains spaces`, 'give one image reference');
    if (value.startsWith('docker://')) {
        const image = value.slice('docker://'.length);
        if (!image)
            throw new src/* InputError */.dz('source', '"docker://" names no image', 'write docker://IMAGE:TAG');
        if (!/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(image))
            throw new src/* InputError */.dz('source', `${quote(value)} is not an image name`, 'write docker://IMAGE:TAG');
        return { kind: 'engine', image };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        throw new src/* InputError */.dz('source', `${quote(value)} has an unknown scheme`, 'use docker://IMAGE for the local engine, or registry/name:tag without a scheme');
    if ((0,registry_src/* hasRegistryHost */.mP)(value))
        return { kind: 'registry', ref: reference('source', value, 'source') };
    reference('source', value, 'source');
    return { kind: 'engine', image: value };
}
/**
 * `REGISTRY=USERNAME:PASSWORD`, one per line, split on the first `=` and the first `:` after it, so a
 * password may hold commas, `=`, `:` and spaces. No part of a line is ever quoted back (it holds a secret).
 */
function readCredentials(text = '') {
    const out = new Map();
    for (const [n, raw] of text.split(/\r?\n/).entries()) {
        const line = raw.trim();
        if (!line)
            continue;
        const eq = line.indexOf('=');
        const colon = eq > 0 ? line.indexOf(':', eq + 1) : -1;
        const registry = eq > 0 ? line.slice(0, eq).trim() : '';
        const username = colon > 0 ? line.slice(eq + 1, colon).trim() : '';
        const password = colon > 0 ? line.slice(colon + 1) : '';
        if (!registry || !username || !password)
            throw new src/* InputError */.dz('credentials', `line ${n + 1} is not USERNAME:PASSWORD after REGISTRY=`, 'write one REGISTRY=USERNAME:PASSWORD per line');
        (0,registry_src/* maskCredential */.kV)(password);
        if (!(0,registry_src/* isValidHost */.HO)(registry))
            throw new src/* InputError */.dz('credentials', `line ${n + 1} starts with something that is not a registry host`, 'start each line with a host such as ghcr.io or registry.example.com:5000, then =USERNAME:PASSWORD');
        const host = normalizeHost(registry);
        if (out.has(host))
            throw new src/* InputError */.dz('credentials', `line ${n + 1} repeats ${host}`, 'give one line per registry');
        out.set(host, { username, password });
    }
    return out;
}
function normalizeHost(host) {
    return (0,registry_src/* parseReference */.F2)(`${host}/x:y`).registry;
}
const ECR_PUBLIC_HOST = 'public.ecr.aws';
/**
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, its FIPS and China forms, and the dual-stack
 * `123456789012.dkr-ecr.eu-west-1.on.aws` → account and region; undefined for other hosts.
 */
function parseEcrHost(host) {
    const match = /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)$/.exec(host.replace(/:\d+$/, '').toLowerCase());
    if (match)
        return { account: match[1], region: match[2] ?? match[3] };
    return undefined;
}
/** What `method` needs for this registry, or the input to fix when it is missing. */
function registryAuth(method, name, given) {
    switch (method) {
        case 'basic':
            if (!given.basic)
                throw new src/* InputError */.dz('credentials', `has no entry for ${name}, whose registry-auth is basic`, `add a line ${name}=USERNAME:PASSWORD`);
            return { method, basic: given.basic };
        case 'docker-config':
            if (!given.docker)
                throw new src/* InputError */.dz('registry-auth', `says docker-config for ${name}, but ${(0,external_node_path_.join)(given.dockerDir, 'config.json')} has no login for it`, 'run docker/login-action (or docker login) before this step, or choose another method');
            if (given.docker.kind === 'auth')
                (0,registry_src/* maskCredential */.kV)(given.docker.credentials.password);
            return { method, docker: given.docker };
        case 'ecr': {
            const host = parseEcrHost(name);
            const awsRegion = host?.region ?? given.awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
            if (!awsRegion)
                throw new src/* InputError */.dz('aws-region', `is empty and ${name} does not name an ECR region`, 'set aws-region (or AWS_REGION) for it');
            return { method, awsRegion, awsAccount: host?.account };
        }
        case 'github':
            if (!given.githubToken)
                throw new src/* InputError */.dz('github-token', `is empty but ${name} authenticates with it`, 'leave it at its default (the job token, with permissions: packages: write) or pass a token');
            return { method, token: given.githubToken };
        default:
            return { method };
    }
}
function detectMethod(registry) {
    if (registry === 'ghcr.io')
        return { method: 'github', reason: 'ghcr.io' };
    if (registry.endsWith('-docker.pkg.dev') || registry === 'gcr.io' || registry.endsWith('.gcr.io'))
        return { method: 'google', reason: 'Google registry host' };
    if (parseEcrHost(registry))
        return { method: 'ecr', reason: 'ECR host' };
    if (registry === ECR_PUBLIC_HOST)
        return { method: 'ecr-public', reason: 'ECR Public host' };
    return undefined;
}
/**
 * Everything the push needs, checked, in one pass over the destinations: registry → how it authenticates
 * and the scopes its token needs → repositories → tags.
 */
function plan(inputs, warn) {
    const destinations = readDestinations(inputs.destinations);
    const source = readSource(inputs);
    const credentials = readCredentials(inputs.credentials);
    const githubToken = inputs.githubToken;
    const googleAccessToken = inputs.googleAccessToken;
    const awsRegion = inputs.awsRegion;
    if (awsRegion && !AWS_REGION_PATTERN.test(awsRegion))
        throw new src/* InputError */.dz('aws-region', `${quote(awsRegion)} is not an AWS region`, 'use a region such as us-east-1');
    const insecure = new Set();
    for (const host of inputs.insecureRegistries) {
        if (!(0,registry_src/* isValidHost */.HO)(host))
            throw new src/* InputError */.dz('insecure-registries', `${quote(host)} is not a registry host`, 'list hosts such as registry.internal:5000, without a scheme');
        insecure.add(normalizeHost(host));
    }
    const explicit = new Map();
    for (const [host, method] of Object.entries(inputs.registryAuth)) {
        if (!(0,registry_src/* isValidHost */.HO)(host))
            throw new src/* InputError */.dz('registry-auth', `${quote(host)} is not a registry host`, 'write one REGISTRY=METHOD per line');
        const chosen = AUTH_METHODS.find((m) => m === method.toLowerCase());
        if (!chosen)
            throw new src/* InputError */.dz('registry-auth', `${quote(method)} for ${host} is not a method`, `use one of: ${AUTH_METHODS.join(', ')}`);
        explicit.set(normalizeHost(host), chosen);
    }
    const compression = readCompression(inputs);
    const dockerDir = (0,registry_src/* dockerConfigDir */.kG)();
    let dockerConfig;
    try {
        dockerConfig = (0,registry_src/* readDockerConfig */.TO)(dockerDir);
    }
    catch (error) {
        if (error instanceof registry_src/* DockerConfigError */.Zh)
            throw new src/* UserError */.yo(`${error.message}; fix or remove it (docker login writes it), or set DOCKER_CONFIG`);
        throw error;
    }
    const used = new Set(destinations.map((d) => d.registry));
    if (source.kind === 'registry')
        used.add(source.ref.registry);
    for (const host of used) {
        const why = (0,src/* forbiddenHost */.sR)((0,registry_src/* hostOf */.w4)(host));
        if (why)
            throw new src/* InputError */.dz(source.kind === 'registry' && source.ref.registry === host && !destinations.some((d) => d.registry === host)
                ? 'source'
                : 'destinations', `names the registry ${host}, ${why}`, "use the registry's own host: metadata and link-local addresses hand out the runner's cloud credentials");
    }
    for (const host of [...credentials.keys(), ...explicit.keys()]) {
        if (!used.has(host))
            warn(`Credentials or an auth method are given for ${host}, which no destination or source uses`);
    }
    const registries = new Map();
    for (const name of used) {
        const given = explicit.get(name);
        const detected = detectMethod(name);
        const basic = credentials.get(name);
        const docker = (0,registry_src/* dockerLogin */.a1)(dockerConfig, name);
        let method;
        let methodReason;
        if (given)
            [method, methodReason] = [given, 'registry-auth input'];
        else if (basic)
            [method, methodReason] = ['basic', 'credentials input'];
        else if (docker)
            [method, methodReason] = ['docker-config', describeLogin(docker, dockerDir)];
        else if (detected)
            [method, methodReason] = [detected.method, detected.reason];
        else
            [method, methodReason] = ['anonymous', 'no credentials given'];
        const auth = registryAuth(method, name, { basic, docker, dockerDir, githubToken, awsRegion });
        const plan = {
            ...auth,
            name,
            scheme: (0,registry_src/* isLoopback */.U9)(name) || insecure.has(name) ? 'http' : 'https',
            methodReason,
            scopes: new Set(),
            repositories: new Map(),
        };
        if (plan.scheme === 'http' && !(0,registry_src/* isLoopback */.U9)(name) && method !== 'anonymous')
            throw new src/* InputError */.dz('insecure-registries', `lists ${name}, which would get ${method} credentials over plain HTTP`, 'serve it over https, or remove its credentials (anonymous access only over plain HTTP)');
        registries.set(name, plan);
    }
    // Every destination's and the source's registry is in `used`, so each has its plan.
    const planOf = (name) => registries.get(name);
    for (const d of destinations) {
        const registry = planOf(d.registry);
        registry.scopes.add(`repository:${d.repository}:pull,push`);
        const tags = registry.repositories.get(d.repository) ?? [];
        tags.push(d.tag);
        registry.repositories.set(d.repository, tags);
    }
    if (source.kind === 'registry') {
        const registry = planOf(source.ref.registry);
        const pull = `repository:${source.ref.repository}:pull`;
        if (!registry.scopes.has(`${pull},push`))
            registry.scopes.add(pull);
    }
    return {
        destinations,
        source,
        registries,
        githubToken,
        githubActor: process.env.GITHUB_ACTOR || 'github-actions',
        googleAccessToken,
        concurrency: inputs.concurrency,
        attempts: inputs.retries + 1,
        compression,
        login: inputs.login,
        dockerConfig: { dir: dockerDir, config: dockerConfig },
    };
}
function describeLogin(login, dir) {
    const file = (0,external_node_path_.join)(dir, 'config.json');
    return login.kind === 'auth' ? `${file} auths` : `${file} ${login.from}: docker-credential-${login.helper}`;
}
function readCompression(inputs) {
    // A registry source is copied unchanged (compression does not apply to it).
    const algorithm = inputs.compression ?? 'none';
    const level = inputs.compressionLevel;
    if (algorithm === 'none') {
        if (level !== undefined)
            throw new src/* InputError */.dz('compression-level', 'is set but compression is none', 'remove it, or choose gzip or zstd');
        return { algorithm };
    }
    if (algorithm === 'zstd' && !(0,registry_src/* zstdAvailable */.xE)())
        throw new src/* InputError */.dz('compression', `zstd needs Node 22.15 or later, and this runtime is ${process.version}`, 'use gzip (the default, which every registry and runtime pulls), or run on a runner with the node24 runtime');
    const { min, max } = registry_src/* LEVELS */.A_[algorithm];
    if (level !== undefined && (level < min || level > max))
        throw new src/* InputError */.dz('compression-level', `${level} is out of range for ${algorithm}`, `use ${min} to ${max} (default ${registry_src/* LEVELS */.A_[algorithm].default})`);
    return { algorithm, level };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./packages/docker/src/exec.ts

async function exec_runTool(command, args, options = {}) {
    const lines = [];
    const result = await spawnTool(command, args, {
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




function client_dockerCandidates(pathVariable = process.env.PATH ?? '') {
    const seen = new Set();
    const found = [];
    for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
        const candidate = join(dir, 'docker');
        try {
            accessSync(candidate, constants.X_OK);
            const real = realpathSync(candidate);
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
async function client_findDocker(pathVariable = process.env.PATH ?? '') {
    const candidates = client_dockerCandidates(pathVariable);
    if (!candidates.length)
        throw new UserError('No docker client on PATH: this action needs the Docker CLI and an engine');
    const clients = await Promise.all(candidates.map(describe));
    const chosen = clients.find((c) => c.buildx) ?? clients.find(builtinBuildKitWorks);
    if (chosen)
        return chosen;
    const seen = clients.map((c) => `${c.path} (${c.version})`).join(', ');
    throw new UserError(`No docker client here can build with BuildKit: ${seen} ${clients.length > 1 ? 'need' : 'needs'} the buildx plugin, which is missing; ` +
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
    throw new UserError('No docker client on PATH: this step needs the Docker CLI (and DOCKER_HOST, or the default socket)');
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

;// CONCATENATED MODULE: ./actions/push-registry/src/source.ts
/**
 * Loads the image to push from where the inputs say: an archive or OCI layout on disk (read while the
 * inputs are checked, so a bad file fails before anything is sent), the local Docker engine (inspected
 * first, then exported with the engine API's `docker save` into the action's temp directory, which the
 * post step removes; both through the suite's one engine layer, packages/docker), or a registry
 * (manifests read now, blobs downloaded only when a destination needs them).
 */






async function loadArchiveInput(path, select, options) {
    try {
        return await (0,registry_src/* loadArchive */.bt)(path, select, options);
    }
    catch (error) {
        if (error instanceof registry_src/* SourceError */.c8)
            throw new src/* InputError */.dz('source-archive', error.message, 'give a docker save tar, an OCI layout directory or an OCI layout tar');
        throw error;
    }
}
async function inspectEngineImage(image) {
    try {
        return await inspectImage(image);
    }
    catch (error) {
        if (error instanceof EngineError)
            throw new src/* InputError */.dz('source', error.message, 'check the image name (docker images)');
        throw error;
    }
}
/**
 * Exports the image and compresses each new layer as soon as the engine has written it, while the rest
 * is still coming: the export and the compression overlap instead of following each other. A layer the
 * digest cache already knows is left for loadArchive, which compresses it only if a destination lacks it.
 */
async function exportEngineImage(image, tempDir, log, options) {
    const file = (0,external_node_path_.join)(tempDir, 'image.tar');
    const started = Date.now();
    const precompressed = new Map();
    const compression = options.compression?.algorithm === 'none' ? undefined : options.compression;
    const limiter = new registry_src/* Limiter */.jG(Math.max(1, (0,external_node_os_.availableParallelism)()));
    const follower = new registry_src/* TarFollower */.mN(file, (entry) => {
        if (!compression || !entry.name || !/(^|\/)layer\.tar$|^blobs\/sha256\//.test(entry.name))
            return;
        if (entry.size < 512 || precompressed.has(entry.digest))
            return;
        if (options.cache?.layer(entry.digest, (0,registry_src/* compressionKey */.mK)(compression)))
            return;
        const spool = (0,external_node_path_.join)(tempDir, `early-${entry.digest.slice(7, 19)}.${compression.algorithm}`);
        const input = () => (0,external_node_fs_.createReadStream)(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
        const done = limiter.run(async () => ({
            ...(await (0,registry_src/* compressToFile */.eV)(input(), spool, compression, entry.digest)),
            spool,
        }));
        done.catch(() => { }); // awaited by loadArchive, or not needed (not a layer of the image after all)
        precompressed.set(entry.digest, done);
    });
    try {
        await exportImage(image, follower);
    }
    catch (error) {
        if (error instanceof EngineError)
            throw new src/* UserError */.yo(`Source: ${error.message}`);
        throw error;
    }
    log(`Exported ${image} from the Docker engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    let loaded;
    try {
        loaded = await (0,registry_src/* loadArchive */.bt)(file, undefined, { ...options, precompressed });
    }
    catch (error) {
        if (error instanceof registry_src/* SourceError */.c8)
            throw new src/* UserError */.yo(`Source: ${error.message}`);
        throw error;
    }
    return { ...loaded, source: `${image} (Docker engine)` };
}
async function loadRegistrySource(registry, ref, tempDir) {
    try {
        return await (0,registry_src/* loadRemote */.dh)(registry, ref, tempDir);
    }
    catch (error) {
        const status = error.status;
        if (status === 404)
            throw new src/* UserError */.yo(`Source: ${ref.registry}/${ref.repository}:${ref.digest ?? ref.tag ?? 'latest'} does not exist (the registry answered 404)`);
        if (error instanceof registry_src/* SourceError */.c8)
            throw new src/* UserError */.yo(`Source: ${error.message}`);
        throw error;
    }
}

;// CONCATENATED MODULE: ./actions/push-registry/src/unchanged.ts
/**
 * Notices an unchanged re-push from the Docker engine without exporting or compressing the image:
 * - when every destination tag already points to the same single-platform manifest whose config is the
 *   engine image's ID (the config digest, which fixes every layer through its diff_ids) and whose layers
 *   have the media type the chosen compression gives, the image is there;
 * - when the digest cache knows the manifest this image became with these settings, and every
 *   destination repository already has that manifest (by digest), it is put under the tags.
 * Both checks run at once.
 * Either way `docker save`, compression and every blob upload are skipped.
 */

function resultFor(t, digest, blobs, ms, put) {
    return {
        registry: t.registry.name,
        repository: t.repository,
        tags: t.tags,
        digest,
        pushed: 0,
        skipped: blobs,
        mounted: 0,
        bytes: 0,
        manifestsPushed: put,
        manifestsSkipped: t.tags.length - put,
        ms,
    };
}
function imageOf(manifest) {
    return { root: { manifest, blobs: [], children: [] }, blobs: new Map(), source: '' };
}
async function alreadyPushed(imageId, layerType, targets) {
    const started = Date.now();
    try {
        const found = await Promise.all(targets.flatMap((t) => t.tags.map(async (tag) => {
            const manifest = await t.registry.getManifest(t.repository, tag);
            const parsed = JSON.parse(manifest.bytes.toString('utf8'));
            return { target: t, manifest, parsed };
        })));
        const first = found[0];
        if (!first?.parsed.config || first.parsed.config.digest !== imageId)
            return undefined;
        if (!(first.parsed.layers ?? []).every((l) => l.mediaType === layerType))
            return undefined;
        if (found.some((f) => f.manifest.digest !== first.manifest.digest))
            return undefined;
        const blobs = 1 + (first.parsed.layers?.length ?? 0);
        const ms = Date.now() - started;
        return {
            image: imageOf(first.manifest),
            results: targets.map((t) => resultFor(t, first.manifest.digest, blobs, ms, 0)),
        };
    }
    catch {
        // A missing tag or an unreachable registry: do the full push, which reports problems properly.
        return undefined;
    }
}
/** Whether every destination repository already holds this manifest (by digest). */
async function holdsManifest(bytes, targets) {
    const digest = (0,registry_src/* sha256 */.sc)(bytes);
    try {
        const present = await Promise.all(targets.map(async (t) => (await t.registry.manifestDigest(t.repository, digest)) === digest));
        return present.every(Boolean);
    }
    catch {
        return false;
    }
}
/**
 * Puts a manifest every destination already holds under the destination tags, all at once (a manifest
 * PUT is idempotent; its blobs are there since the manifest is).
 */
async function tagManifest(bytes, targets) {
    const started = Date.now();
    const manifest = { bytes, digest: (0,registry_src/* sha256 */.sc)(bytes), mediaType: registry_src/* OCI_MANIFEST */.EG };
    const parsed = JSON.parse(bytes.toString('utf8'));
    const blobs = 1 + (parsed.layers?.length ?? 0);
    const results = await Promise.all(targets.map(async (t) => {
        try {
            await Promise.all(t.tags.map((tag) => t.registry.putManifest(t.repository, tag, manifest)));
            return resultFor(t, manifest.digest, blobs, Date.now() - started, t.tags.length);
        }
        catch (error) {
            return { ...resultFor(t, manifest.digest, blobs, Date.now() - started, 0), error: error };
        }
    }));
    return { image: imageOf(manifest), results };
}

;// CONCATENATED MODULE: ./actions/push-registry/src/push.ts
/**
 * The push (loaded by index.ts once the lifecycle has started, so the step starts without the registry
 * client and its compressors): pushes one image to many registries at once, from the Docker engine, an archive or OCI
 * layout, or another registry. Plans every destination from the inputs, loads the image (compressing each
 * uncompressed layer once), pushes to all destinations in parallel, then reports (on failure too). With
 * `login: true` it leaves a Docker config holding the pushed registries' logins for later steps. The post
 * step removes what the main step wrote to disk, that config included.
 */










/** One client per registry and one target per repository, from the plan's single pass. */
function clients(steps, credentials, ctx, signal) {
    const registries = new Map();
    const targets = [];
    const log = (line) => ctx.log.info(line);
    for (const registryPlan of steps.registries.values()) {
        const registry = new registry_src/* Registry */.OR(registryPlan.name, {
            scheme: registryPlan.scheme,
            credentials: credentials.get(registryPlan.name) ?? (async () => undefined),
            attempts: steps.attempts,
            log,
            signal,
        }, registryPlan.scopes);
        registries.set(registryPlan.name, registry);
        for (const [repository, tags] of registryPlan.repositories)
            targets.push({ registry, repository, tags });
    }
    return { registries, targets };
}
function layerTypeFor(compression) {
    if (compression.algorithm === 'gzip')
        return registry_src/* OCI_LAYER_GZIP */.BQ;
    if (compression.algorithm === 'zstd')
        return registry_src/* OCI_LAYER_ZSTD */.aH;
    return registry_src/* OCI_LAYER */.QP;
}
async function main(ctx) {
    const steps = plan(ctx.inputs, (line) => ctx.log.warning(line));
    ctx.progress.plan = steps;
    const credentials = await credentialSources(steps);
    // The step's signal, and ours: when main ends early (an image that fails to load while its first layers
    // are already going up), every request still running ends with it.
    const done = new AbortController();
    const signal = AbortSignal.any([ctx.signal, done.signal]);
    const { registries, targets } = clients(steps, credentials, ctx, signal);
    ctx.progress.registries = registries;
    try {
        await push(ctx, steps, registries, targets);
    }
    catch (error) {
        // Cancelled or past the step timeout: say so, rather than which request the abort cut short.
        if (ctx.signal.aborted)
            throw ctx.signal.reason;
        throw error;
    }
    finally {
        done.abort();
        // Ends kept-alive connections so the process exits as soon as the report is written.
        (0,registry_src/* closeConnections */.Qz)();
    }
    if (ctx.signal.aborted)
        throw ctx.signal.reason;
    const results = ctx.progress.results ?? [];
    const errors = results.flatMap((r) => (r.error ? [r.error.message] : []));
    if (errors.length)
        throw new src/* UserError */.yo(`${errors.length} of ${results.length} destinations failed: ${errors.join('; ')}`);
}
async function push(ctx, steps, registries, targets) {
    const { source, compression } = steps;
    const log = (line) => ctx.log.info(line);
    const cache = compression.algorithm === 'none' ? registry_src/* noDigestCache */.Up : (0,registry_src/* fileDigestCache */.Fj)();
    // Made on first need (a layer to compress, an image to export), so bad input leaves nothing behind.
    let tempDir;
    const temp = () => {
        if (!tempDir) {
            tempDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'push-registry-'));
            ctx.state.set('temp-dir', tempDir);
        }
        return tempDir;
    };
    let uploaded = 0;
    const pushOptions = {
        concurrency: steps.concurrency,
        log,
        onProgress: (bytes) => {
            uploaded += bytes;
        },
    };
    // Blobs start going up as soon as each is ready (compressed), while the other layers still compress.
    const pusher = new registry_src/* Pusher */.UI(targets, pushOptions);
    const load = { compression, spoolDir: temp, cache, log, onBlob: (blob) => pusher.blob(blob) };
    const ticker = setInterval(() => log(`... ${(0,registry_src/* formatBytes */.z3)(uploaded)} uploaded so far`), 10_000);
    ticker.unref();
    try {
        for (const p of steps.registries.values())
            log(`${p.name}: ${p.scheme.toUpperCase()}, auth ${p.method} (${p.methodReason})`);
        // An archive's structure (manifest.json, config) is read before any request, so an archive that is not
        // an image fails without side effects; the engine image is inspected before anything is sent.
        let loaded;
        if (source.kind === 'archive')
            loaded = await loadArchiveInput(source.path, source.select, load);
        else if (source.kind === 'engine') {
            const { Id: id } = await inspectEngineImage(source.image);
            const known = cache.manifest(id, (0,registry_src/* compressionKey */.mK)(compression));
            const [byTags, held] = await Promise.all([
                alreadyPushed(id, layerTypeFor(compression), targets),
                known ? holdsManifest(known, targets) : false,
            ]);
            const unchanged = byTags ?? (held && known ? await tagManifest(known, targets) : undefined);
            if (unchanged) {
                log(`Every destination already has ${source.image} (config ${id.slice(0, 19)}): nothing to export or upload`);
                ctx.progress.image = { ...unchanged.image, source: `${source.image} (Docker engine)` };
                ctx.progress.unchanged = true;
                return await finish(ctx, steps, unchanged.results, registries);
            }
            loaded = await exportEngineImage(source.image, temp(), log, load);
        }
        else
            loaded = await loadRegistrySource(registryOf(registries, source.ref.registry), source.ref, temp());
        ctx.progress.image = loaded;
        const blobs = [...loaded.blobs.values()];
        log(`Pushing ${loaded.source}: ${loaded.root.manifest.digest}, ${blobs.length} blobs, ${(0,registry_src/* formatBytes */.z3)(blobs.reduce((s, b) => s + b.size, 0))}, to ${targets.length} repositories`);
        await finish(ctx, steps, await pusher.finish(loaded), registries);
    }
    finally {
        clearInterval(ticker);
        if (tempDir)
            (0,external_node_fs_.rmSync)(tempDir, { recursive: true, force: true });
    }
}
/** The client of a registry the plan names (every destination's and the source's has one). */
function registryOf(registries, name) {
    const registry = registries.get(name);
    if (!registry)
        throw new Error(`push-registry: no client for ${name}`);
    return registry;
}
async function finish(ctx, steps, results, registries) {
    ctx.progress.results = results;
    for (const r of results) {
        const where = `${r.registry}/${r.repository}`;
        if (r.error)
            ctx.log.info(`${where}: FAILED: ${r.error.message}`);
        else
            ctx.log.info(`${where}: ${r.digest} (${r.pushed} pushed, ${r.mounted} mounted, ${r.skipped} already there, ${(0,registry_src/* formatBytes */.z3)(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s)`);
    }
    if (steps.login && !results.some((r) => r.error))
        ctx.progress.login = await leaveLogin(ctx, steps, registries);
}
/** Writes a Docker config with the logins of the registries pushed to, exported for the job's later steps. */
async function leaveLogin(ctx, steps, registries) {
    const logins = new Map();
    for (const name of new Set(steps.destinations.map((d) => d.registry))) {
        const creds = await registryOf(registries, name).auth.credentials();
        if (!creds)
            continue;
        (0,registry_src/* basicAuthorization */.aR)(creds);
        logins.set(name, creds);
    }
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'push-registry-docker-config-'));
    ctx.state.set('docker-config', dir);
    (0,registry_src/* writeDockerConfig */._D)(dir, logins, steps.dockerConfig);
    src/* workflow.exportVariable */.kn.exportVariable('DOCKER_CONFIG', dir);
    ctx.log.info(`Logged in for later steps: DOCKER_CONFIG=${dir} (${logins.size ? [...logins.keys()].join(', ') : 'no registry needed credentials'}); removed when the job ends`);
    return dir;
}


/***/ })

};
