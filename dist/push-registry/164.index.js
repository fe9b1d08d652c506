export const id = 164;
export const ids = [164];
export const modules = {

/***/ 8164:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pE: () => (/* reexport */ BadReferenceError),
  Zh: () => (/* reexport */ DockerConfigError),
  A_: () => (/* reexport */ LEVELS),
  jG: () => (/* reexport */ Limiter),
  QP: () => (/* reexport */ OCI_LAYER),
  BQ: () => (/* reexport */ OCI_LAYER_GZIP),
  aH: () => (/* reexport */ OCI_LAYER_ZSTD),
  EG: () => (/* reexport */ OCI_MANIFEST),
  UI: () => (/* reexport */ Pusher),
  OR: () => (/* reexport */ Registry),
  c8: () => (/* reexport */ SourceError),
  mN: () => (/* reexport */ TarFollower),
  aR: () => (/* reexport */ basicAuthorization),
  Qz: () => (/* reexport */ closeConnections),
  eV: () => (/* reexport */ compressToFile),
  mK: () => (/* reexport */ compressionKey),
  kG: () => (/* reexport */ dockerConfigDir),
  a1: () => (/* reexport */ dockerLogin),
  Fj: () => (/* reexport */ fileDigestCache),
  z3: () => (/* reexport */ formatBytes),
  mP: () => (/* reexport */ hasRegistryHost),
  J8: () => (/* reexport */ helperCredentials),
  w4: () => (/* reexport */ hostOf),
  U9: () => (/* reexport */ isLoopback),
  HO: () => (/* reexport */ isValidHost),
  In: () => (/* reexport */ levelOf),
  bt: () => (/* reexport */ loadArchive),
  dh: () => (/* reexport */ loadRemote),
  kV: () => (/* reexport */ maskCredential),
  Up: () => (/* reexport */ noDigestCache),
  F2: () => (/* reexport */ parseReference),
  TO: () => (/* reexport */ readDockerConfig),
  sc: () => (/* reexport */ sha256),
  _D: () => (/* reexport */ writeDockerConfig),
  xE: () => (/* reexport */ zstdAvailable)
});

// UNUSED EXPORTS: ACCEPT, AuthError, Authenticator, BlobPushError, COMPRESSION_ALGORITHMS, DIGEST, DOCKER_LIST, DOCKER_MANIFEST, INDEX_TYPES, NAME_MAX_LENGTH, OCI_CONFIG, OCI_INDEX, REDIRECTS, StatusError, TAG, TAG_MAX_LENGTH, TarError, TransportError, apiHost, byteEntropy, compressors, defaultCacheDir, findHelper, formatReference, indexTar, isForeign, isIndex, layerTypeFromMagic, looksRandom, manifestsInPushOrder, mediaTypeOf, parseChallenge, pushToTargets, realmAllowsCredentials, registryMessage, sameOrigin, send, short

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./packages/registry/src/image.ts
class SourceError extends Error {
    name = 'SourceError';
}
/** Every manifest of the tree, children before their index (the order they must be pushed in). */
function manifestsInPushOrder(root) {
    return [...root.children.flatMap(manifestsInPushOrder), root];
}

;// CONCATENATED MODULE: ./packages/registry/src/media.ts
/**
 * Media types of the OCI image spec and Docker's v2 schema 2, and the shapes of manifests and indexes
 * as far as copying needs them (descriptors are kept as parsed; manifests themselves travel as raw bytes
 * so their digests never change).
 */
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const INDEX_TYPES = [OCI_INDEX, DOCKER_LIST];
/** What we ask a registry for: every manifest kind we can copy. */
const ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');
function isIndex(mediaType) {
    return INDEX_TYPES.includes(mediaType);
}
/** A manifest's media type: its own field, else what it looks like (OCI allows leaving it out). */
function mediaTypeOf(parsed) {
    if (parsed.mediaType)
        return parsed.mediaType;
    if (Array.isArray(parsed.manifests))
        return OCI_INDEX;
    if (parsed.config)
        return OCI_MANIFEST;
    return undefined;
}
/** Layer media type from the first bytes of an uncompressed-or-not tar. */
function layerTypeFromMagic(head) {
    if (head[0] === 0x1f && head[1] === 0x8b)
        return OCI_LAYER_GZIP;
    if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
        return OCI_LAYER_ZSTD;
    return OCI_LAYER;
}
/** Non-distributable (foreign) layers stay where they are: registries refuse them or never store them. */
function isForeign(descriptor) {
    return /nondistributable|foreign/.test(descriptor.mediaType) && Boolean(descriptor.urls?.length);
}

// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./packages/registry/src/limiter.ts
/** A counting semaphore: at most `limit` tasks run at once (blob transfers, layer compressions). */
class Limiter {
    limit;
    running = 0;
    queue = [];
    constructor(limit) {
        this.limit = limit;
    }
    async run(task) {
        if (this.running >= this.limit)
            await new Promise((resolve) => this.queue.push(resolve));
        this.running++;
        try {
            return await task();
        }
        finally {
            this.running--;
            this.queue.shift()?.();
        }
    }
}

;// CONCATENATED MODULE: ./packages/registry/src/compress.ts
/**
 * Layer compression: gzip (the default, what `docker push` and BuildKit send), zstd, or none. Each layer
 * is compressed once, whatever the number of destinations, streamed from its byte range in the archive to
 * a spool file while its sha256 and size are computed, so no layer is held in memory and nothing is read
 * twice. The output is reproducible: the same input, algorithm, level and zlib give the same bytes.
 *
 * gzip is written as pigz writes it, because zlib deflates one stream on one core and is the slowest
 * part of a push: the input is cut into 1 MiB blocks deflated on libuv's thread pool several at a time,
 * each primed with the previous block's last 32 KiB and ended by a sync flush, so the pieces join into
 * one ordinary gzip member (any gunzip reads it) within a fraction of a percent of a single deflate's
 * size. The header is written here: no name, mtime 0, OS byte 255 ("unknown", as Go's compress/gzip
 * writes it), so the digest does not depend on the platform the runner runs on. A block whose bytes look
 * random (byte entropy above 7.9 bits in each of three samples, as in already-compressed assets: images,
 * archives, model weights) is stored rather than deflated, which costs under 0.01% in size and saves the
 * CPU deflate would spend finding nothing. Every choice depends only on the bytes at fixed offsets, so
 * the output stays reproducible however the input arrives in chunks.
 *
 * zstd comes from node:zlib (Node 22.15+, and the node24 runtime the action declares); where the runtime
 * lacks it, asking for zstd is refused up front with a message saying so, rather than loading a native
 * or wasm package into every run.
 */








const COMPRESSION_ALGORITHMS = (/* unused pure expression or super */ null && (['gzip', 'zstd', 'none']));
const LEVELS = {
    gzip: { min: 1, max: 9, default: 6 },
    zstd: { min: 1, max: 19, default: 3 },
};
/** Whether this runtime's node:zlib has zstd (Node 22.15+). */
function zstdAvailable(z = external_node_zlib_) {
    return typeof z.createZstdCompress === 'function';
}
/** The level actually used. */
function levelOf(compression) {
    if (compression.algorithm === 'none')
        return undefined;
    return compression.level ?? LEVELS[compression.algorithm].default;
}
/** A key naming everything the compressed bytes depend on, for the digest cache. */
function compressionKey(compression) {
    if (compression.algorithm === 'none')
        return 'none';
    // The format's own version too: a change in how blocks are cut or stored changes every digest.
    const format = compression.algorithm === 'gzip' ? `-blocks${GZIP_FORMAT}` : '';
    return `${compression.algorithm}-${levelOf(compression)}-zlib${process.versions.zlib}${format}`;
}
const BLOCK = 1 << 20;
/** Deflate's window: each block is primed with the last 32 KiB of the one before, as pigz does. */
const WINDOW = 32 << 10;
const RANDOM_BITS = 7.9;
const SAMPLE = 16 << 10;
/** Output buffer per deflate call: a block compressed 4× or better comes back in one trip to the pool. */
const OUTPUT_CHUNK = 256 << 10;
/** Bumped whenever the gzip bytes for the same input change (block size, priming, stored blocks). */
const GZIP_FORMAT = 1;
/** Shannon entropy of some bytes, in bits per byte (8 for random data). */
function byteEntropy(block) {
    const counts = new Uint32Array(256);
    for (let i = 0; i < block.length; i++)
        counts[block[i]]++;
    let bits = 0;
    for (const count of counts) {
        if (!count)
            continue;
        const p = count / block.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}
/** Whether a block looks random: three 16 KiB samples at fixed offsets all do (see the header). */
function looksRandom(block) {
    if (block.length < 4 * SAMPLE)
        return byteEntropy(block) > RANDOM_BITS;
    const step = Math.floor((block.length - SAMPLE) / 2);
    for (let at = 0; at + SAMPLE <= block.length; at += step)
        if (byteEntropy(block.subarray(at, at + SAMPLE)) <= RANDOM_BITS)
            return false;
    return true;
}
/** gzip header: no name, mtime 0, no extra flags, OS 255 ("unknown", as Go's compress/gzip writes it). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block with fixed codes: how zlib ends a stream after a sync flush. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/**
 * At most one block deflating per core, across every layer: libuv's pool has 4 threads and also serves the
 * file reads and writes that feed the uploads, which must not queue behind deflates.
 */
const deflates = new Limiter((0,external_node_os_.availableParallelism)());
function deflateBlock(block, level, dictionary) {
    return deflates.run(() => new Promise((resolve, reject) => external_node_zlib_.deflateRaw(block, 
    // The default 16 KiB output chunk costs a round trip through the main thread per 16 KiB.
    { level, memLevel: 8, dictionary, finishFlush: external_node_zlib_.constants.Z_SYNC_FLUSH, chunkSize: OUTPUT_CHUNK }, (error, out) => (error ? reject(error) : resolve(out)))));
}
/**
 * A block as deflate's stored blocks (RFC 1951 3.2.4), written here rather than by zlib at level 0: no
 * copy through the pool and no output buffer to allocate. The stream is byte-aligned at every block
 * boundary (each deflated block ends with a sync flush), so each header is one byte: not final, stored.
 */
function storedBlocks(block) {
    const MAX = 0xffff;
    const parts = [];
    for (let at = 0; at < block.length; at += MAX) {
        const piece = block.subarray(at, Math.min(at + MAX, block.length));
        const header = Buffer.alloc(5);
        header.writeUInt16LE(piece.length, 1);
        header.writeUInt16LE(~piece.length & 0xffff, 3);
        parts.push(header, piece);
    }
    return Buffer.concat(parts);
}
/**
 * gzip at `level` as pigz writes it: one gzip member whose deflate stream is made of 1 MiB blocks, each
 * deflated on its own (on libuv's thread pool, several at once, so one layer uses every core) with the
 * previous block's last 32 KiB as its dictionary and ended by a sync flush, so they concatenate into one
 * valid stream as good as a single deflate. Blocks that look random are stored (storedBlocks). The CRC and
 * size come from the input, block by block, in order. Output is written in input order.
 */
function parallelGzip(level, inFlight = (0,external_node_os_.availableParallelism)() + 1) {
    let pending = [];
    let pendingBytes = 0;
    let previousTail;
    let crc = 0;
    let size = 0;
    const queue = [];
    const dispatch = (block) => {
        crc = external_node_zlib_.crc32(block, crc);
        size = (size + block.length) >>> 0;
        queue.push(looksRandom(block) ? Promise.resolve(storedBlocks(block)) : deflateBlock(block, level, previousTail));
        previousTail = Buffer.from(block.subarray(Math.max(0, block.length - WINDOW)));
    };
    const drainTo = async (stream, keep) => {
        while (queue.length > keep)
            stream.push(await queue.shift());
    };
    let started = false;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            if (!started) {
                started = true;
                this.push(GZIP_HEADER);
            }
            pending.push(chunk);
            pendingBytes += chunk.length;
            if (pendingBytes < BLOCK)
                return done();
            const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
            let offset = 0;
            for (; all.length - offset >= BLOCK; offset += BLOCK)
                dispatch(all.subarray(offset, offset + BLOCK));
            pending = offset < all.length ? [all.subarray(offset)] : [];
            pendingBytes = all.length - offset;
            drainTo(this, inFlight - 1).then(() => done(), done);
        },
        flush(done) {
            if (!started)
                this.push(GZIP_HEADER);
            if (pendingBytes)
                dispatch(Buffer.concat(pending));
            drainTo(this, 0).then(() => {
                const trailer = Buffer.alloc(8);
                trailer.writeUInt32LE(crc >>> 0, 0);
                trailer.writeUInt32LE(size, 4);
                this.push(FINAL_BLOCK);
                this.push(trailer);
                done();
            }, done);
        },
    });
}
/** The compressing streams for one layer. */
function compressors(compression) {
    const level = levelOf(compression);
    if (compression.algorithm === 'gzip')
        return [parallelGzip(level)];
    if (compression.algorithm === 'zstd') {
        const z = external_node_zlib_;
        if (!z.createZstdCompress)
            throw new Error(`zstd compression needs Node 22.15 or later (this is ${process.version})`);
        const param = z.constants.ZSTD_c_compressionLevel ?? 100;
        return [z.createZstdCompress({ params: { [param]: level } })];
    }
    return [];
}
/**
 * Compresses a stream to a file, hashing the output as it is written, and the input too (the layer's
 * diff_id, which the registry cannot check once the layer is compressed).
 */
async function compressToFile(input, file, compression, 
/** The input's digest when the caller hashed it already (as the input went by), so it is not hashed twice. */
knownInputDigest) {
    const inputHash = (0,external_node_crypto_.createHash)('sha256');
    const tap = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            inputHash.update(chunk);
            done(null, chunk);
        },
    });
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const count = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
        },
    });
    try {
        await (0,external_node_stream_promises_.pipeline)([
            input,
            ...(knownInputDigest ? [] : [tap]),
            ...compressors(compression),
            count,
            (0,external_node_fs_.createWriteStream)(file),
        ]);
    }
    catch (error) {
        await (0,promises_.rm)(file, { force: true });
        throw error;
    }
    const inputDigest = knownInputDigest ?? `sha256:${inputHash.digest('hex')}`;
    return { digest: `sha256:${hash.digest('hex')}`, size, inputDigest };
}

;// CONCATENATED MODULE: ./packages/registry/src/digest-cache.ts
/**
 * Remembers what compressing a layer gave (uncompressed diff_id + settings → compressed digest and size)
 * and which manifest an image became (config digest + settings → manifest bytes), so an unchanged
 * re-push recognises the image without compressing it again: the manifest is rebuilt from the cache and
 * only missing blobs are compressed. Sound because compression is reproducible (compress.ts): the key
 * names the algorithm, level and zlib version, so a runtime whose zlib differs starts afresh. Entries are
 * small JSON files under the runner's tool cache (persisting across jobs on self-hosted runners), written
 * atomically; a missing or unreadable entry is a cache miss, never an error.
 */



function defaultCacheDir(env = process.env) {
    const root = env.RUNNER_TOOL_CACHE || (0,external_node_path_.join)(env.XDG_CACHE_HOME || (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.cache'));
    return (0,external_node_path_.join)(root, 'deploy-actions', 'push-registry');
}
const safe = (text) => text.replace(/[^A-Za-z0-9._-]/g, '_');
function fileDigestCache(dir = defaultCacheDir()) {
    const path = (kind, key, digest) => (0,external_node_path_.join)(dir, kind, safe(key), `${safe(digest)}.json`);
    const read = (file) => {
        try {
            return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
        }
        catch {
            return undefined;
        }
    };
    const write = (file, value) => {
        try {
            (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(file, '..'), { recursive: true });
            const tmp = `${file}.${process.pid}.tmp`;
            (0,external_node_fs_.writeFileSync)(tmp, JSON.stringify(value));
            (0,external_node_fs_.renameSync)(tmp, file);
        }
        catch {
            // A read-only or full disk only costs the next run a recompression.
        }
    };
    return {
        layer(diffId, key) {
            const found = read(path('layers', key, diffId));
            return found && /^sha256:[a-f0-9]{64}$/.test(found.digest) && Number.isSafeInteger(found.size)
                ? found
                : undefined;
        },
        setLayer: (diffId, key, value) => write(path('layers', key, diffId), value),
        manifest(configDigest, key) {
            const found = read(path('manifests', key, configDigest));
            return typeof found?.manifest === 'string' ? Buffer.from(found.manifest, 'utf8') : undefined;
        },
        setManifest: (configDigest, key, bytes) => write(path('manifests', key, configDigest), { manifest: bytes.toString('utf8') }),
    };
}
/** A cache that remembers nothing (tests, and `compression: none`, which needs none). */
const noDigestCache = {
    layer: () => undefined,
    setLayer: () => { },
    manifest: () => undefined,
    setManifest: () => { },
};

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

// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 24 modules
var src = __webpack_require__(7464);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./packages/registry/src/transport.ts
/**
 * HTTP for the registry protocol on node:http/https. Written on the core modules rather than the toolkit
 * HttpClient (which buffers bodies as text) because blobs must stream both ways: uploads are piped from
 * disk and downloads to disk, so a 200 MB layer never sits in memory. Keep-alive agents are shared so
 * HEAD checks and uploads reuse connections. Retrying is the caller's job (registry.ts), because an
 * upload restart has to begin a new upload session, not just resend.
 *
 * Redirects (301/302/303/307/308) are followed here for every request, blob HEAD and GET included, as
 * registries hand blobs out from storage on another host (S3, GCS, a CDN). The Authorization header is
 * sent only to the origin it was meant for: a redirect to another host (or scheme or port) goes without
 * it, as a pre-signed storage URL refuses it. Every request has an idle timeout, and all of them end when
 * the step's AbortSignal fires, so nothing outlives the step.
 */




const httpAgent = new external_node_http_.Agent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new external_node_https_.Agent({ keepAlive: true, maxSockets: 32 });
// Through HTTPS_PROXY/HTTP_PROXY (NO_PROXY honoured) when a proxy is configured; undefined otherwise.
const proxiedHttp = (0,src/* proxyAgent */.QT)('http');
const proxiedHttps = (0,src/* proxyAgent */.QT)('https');
const REDIRECTS = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 5;
/** A failure before a complete response: refused, reset, timed out. Worth retrying. */
class TransportError extends Error {
    name = 'TransportError';
    retryable;
    constructor(message, retryable = true) {
        super(message);
        this.retryable = retryable;
    }
}
/** An HTTP status the caller did not expect; 5xx, 408 and 429 are worth retrying (after Retry-After). */
class StatusError extends Error {
    status;
    name = 'StatusError';
    retryable;
    retryAfterMs;
    constructor(status, message, headers) {
        super(message);
        this.status = status;
        this.retryable = status >= 500 || status === 429 || status === 408;
        this.retryAfterMs = (0,src/* serverWaitMs */.Rx)(headers);
    }
}
/** Same scheme, host and port: the only place an Authorization header may go. */
function sameOrigin(a, b) {
    return a.origin === b.origin;
}
/** Sends a request, following redirects; Authorization only ever goes to the first request's origin. */
async function send(options) {
    let current = options;
    for (let hops = 0;; hops++) {
        const response = await sendOnce(current);
        if (options.noFollow || !REDIRECTS.includes(response.status))
            return response;
        await response.drain();
        const location = response.header('location');
        if (!location)
            return response;
        if (hops === MAX_REDIRECTS)
            throw new TransportError(`${options.method} ${options.url.host}${options.url.pathname} redirects more than ${MAX_REDIRECTS} times`, false);
        const url = new URL(location, current.url);
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            throw new TransportError(`${options.url.host} redirected to a ${url.protocol} URL`, false);
        if (current.url.protocol === 'https:' && url.protocol === 'http:')
            throw new TransportError(`${options.url.host} redirected from https to plain http (${url.host}); refused`, false);
        const headers = { ...current.headers };
        if (!sameOrigin(url, options.url))
            delete headers.authorization;
        // 303 (and 301/302 after a POST, as browsers do) turns into a GET without a body.
        const toGet = response.status === 303 && current.method !== 'HEAD';
        current = {
            ...current,
            url,
            headers,
            method: toGet ? 'GET' : current.method,
            body: toGet ? undefined : current.body,
        };
    }
}
function sendOnce(options) {
    const { url, method, signal } = options;
    const secure = url.protocol === 'https:';
    const headers = { 'user-agent': (0,src/* userAgent */.N1)(), ...options.headers };
    if (Buffer.isBuffer(options.body))
        headers['content-length'] = String(options.body.length);
    else if (options.body)
        headers['content-length'] = String(options.contentLength ?? 0);
    else if (method === 'PUT' || method === 'POST' || method === 'PATCH')
        headers['content-length'] = '0';
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(new TransportError(`${method} ${url.host}${url.pathname} not sent: the step is over`, false));
            return;
        }
        const req = (secure ? external_node_https_.request : external_node_http_.request)(url, {
            method,
            headers,
            agent: secure ? (proxiedHttps ?? httpsAgent) : (proxiedHttp ?? httpAgent),
        });
        let settled = false;
        const onAbort = () => fail(new Error('cancelled'), false);
        signal?.addEventListener('abort', onAbort, { once: true });
        const fail = (error, retryable = true) => {
            if (settled)
                return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            req.destroy();
            reject(new TransportError(`${method} ${url.host}${url.pathname} failed: ${code ?? error.message}`, retryable));
        };
        req.setTimeout(options.idleTimeoutMs ?? 60_000, () => fail(new Error('timed out')));
        req.on('error', (error) => fail(error));
        req.on('response', (res) => {
            if (settled) {
                res.resume();
                return;
            }
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            res.on('error', () => { });
            if (signal) {
                const stop = () => res.destroy(new Error('cancelled'));
                signal.addEventListener('abort', stop, { once: true });
                res.once('close', () => signal.removeEventListener('abort', stop));
            }
            resolve(wrap(res, url));
        });
        if (Buffer.isBuffer(options.body))
            req.end(options.body);
        else if (options.body) {
            const stream = options.body();
            if (options.onProgress)
                stream.on('data', (chunk) => options.onProgress(chunk.length));
            // The response (or the error) settles the promise; a broken pipe shows up there as a reset.
            (0,external_node_stream_promises_.pipeline)(stream, req).catch((error) => fail(error));
        }
        else
            req.end();
    });
}
function wrap(res, url) {
    return {
        status: res.statusCode ?? 0,
        headers: res.headers,
        stream: res,
        url,
        header(name) {
            const value = res.headers[name.toLowerCase()];
            return Array.isArray(value) ? value[0] : value;
        },
        async bytes() {
            const chunks = [];
            try {
                for await (const chunk of res)
                    chunks.push(chunk);
            }
            catch (error) {
                throw new TransportError(`reading the response failed: ${error.code ?? error}`);
            }
            return Buffer.concat(chunks);
        },
        async text() {
            return (await this.bytes()).toString('utf8');
        },
        async drain() {
            try {
                for await (const _ of res)
                    ;
            }
            catch {
                // A broken body after a status we already have changes nothing.
            }
        },
    };
}
/** Closes kept-alive connections (and any in use) so the process can exit as soon as the work is done. */
function closeConnections() {
    httpAgent.destroy();
    httpsAgent.destroy();
    proxiedHttp?.destroy();
    proxiedHttps?.destroy();
}

;// CONCATENATED MODULE: ./packages/registry/src/auth.ts
/**
 * Registry authentication per the distribution spec: `GET /v2/` answers 401 with a `WWW-Authenticate`
 * challenge; Basic means sending the credentials on every request, Bearer means fetching a token from
 * the realm for the scopes needed (`repository:NAME:pull,push`), with the credentials as Basic auth when
 * we have them, and sending that. Tokens are cached per registry and refreshed before they expire or
 * when a request is refused with a new challenge (more scopes, or expired).
 *
 * Every credential form is masked the moment it exists: the password, the Basic header's base64, each
 * issued token (and its Bearer header). Basic credentials go to a token realm only over https or to a
 * loopback host; a realm elsewhere is refused, naming the registry and the realm, before anything is sent.
 * Time comes from an injected clock, so token renewal is tested without waiting on the wall clock.
 */



/** Parses `Bearer realm="https://...",service="...",scope="..."` (quoted values may hold commas). */
function parseChallenge(header) {
    if (!header)
        return undefined;
    const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
    if (!match)
        return undefined;
    const scheme = match[1].toLowerCase();
    if (scheme !== 'basic' && scheme !== 'bearer')
        return undefined;
    const params = {};
    for (const m of match[2].matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
        params[m[1].toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    return { scheme, params };
}
class AuthError extends Error {
    name = 'AuthError';
}
/** Masks a credential in every form it is sent or could be echoed in (raw, URL-encoded, JSON-escaped). */
function maskCredential(value) {
    (0,src/* registerSecret */.cl)(value);
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value)
        (0,src/* registerSecret */.cl)(json);
    return value;
}
/** The Basic header for a username and password, with the base64 (and the header) masked. */
function basicAuthorization(creds) {
    maskCredential(creds.password);
    const encoded = maskCredential(Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
    return `Basic ${encoded}`;
}
/** Whether Basic credentials may be sent to a realm: https, or plain http to a loopback host. */
function realmAllowsCredentials(realm) {
    return realm.protocol === 'https:' || (realm.protocol === 'http:' && isLoopback(realm.host));
}
/** The Authorization header for one registry, kept current across scopes and expiry. */
class Authenticator {
    registry;
    source;
    scopes;
    options;
    challenge;
    token;
    pending;
    resolved;
    /** Token requests made, for the summary and tests. */
    tokensFetched = 0;
    constructor(registry, source, scopes, options = {}) {
        this.registry = registry;
        this.source = source;
        this.scopes = scopes;
        this.options = options;
    }
    get clock() {
        return this.options.clock ?? src/* realClock */.dQ;
    }
    /** Records the challenge from `GET /v2/` (or a later 401); returns whether anything changed. */
    setChallenge(challenge) {
        if (!challenge)
            return false;
        const extra = challenge.params.scope?.split(' ').filter((s) => s && !this.scopes.has(s)) ?? [];
        for (const scope of extra)
            this.scopes.add(scope);
        const changed = !this.challenge || this.challenge.scheme !== challenge.scheme || extra.length > 0;
        this.challenge = challenge;
        return changed;
    }
    addScope(scope) {
        this.scopes.add(scope);
    }
    /**
     * Forgets the token so the next request fetches a fresh one (after a 401). Given the header a refused
     * request carried, only that token is forgotten: concurrent refusals of an old token keep the new one.
     */
    invalidate(refused) {
        if (refused && this.token && refused !== `Bearer ${this.token.value}`)
            return;
        this.token = undefined;
    }
    get scheme() {
        return this.challenge?.scheme ?? 'none';
    }
    /** The credentials this registry is logged in with (for `login: true`), resolved once. */
    credentials() {
        return this.creds();
    }
    /** Asked once, even by concurrent requests (an ECR or Google token is one API call). */
    creds() {
        this.resolved ??= this.source().catch((error) => {
            this.resolved = undefined;
            throw error;
        });
        return this.resolved;
    }
    async header() {
        if (!this.challenge)
            return undefined;
        if (this.challenge.scheme === 'basic') {
            const creds = await this.creds();
            if (!creds)
                throw new AuthError(`${this.registry} asks for a username and password and none were given`);
            return basicAuthorization(creds);
        }
        const fresh = this.token &&
            this.token.expiresAt - this.token.margin > this.clock.now() &&
            [...this.scopes].every((s) => this.token.scopes.has(s));
        if (!fresh) {
            this.pending ??= this.fetchToken().finally(() => {
                this.pending = undefined;
            });
            this.token = await this.pending;
        }
        return `Bearer ${this.token.value}`;
    }
    async fetchToken() {
        const { realm, service } = this.challenge.params;
        if (!realm)
            throw new AuthError(`${this.registry} sent a Bearer challenge without a realm`);
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw new AuthError(`${this.registry} names a token realm that is not a URL: ${(0,src/* redact */.E$)(realm).slice(0, 200)}`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            throw new AuthError(`${this.registry} names a token realm ${url.protocol} URL; only https realms are used`);
        if (service)
            url.searchParams.set('service', service);
        const scopes = new Set(this.scopes);
        for (const scope of scopes)
            url.searchParams.append('scope', scope);
        const creds = await this.creds();
        const headers = {};
        if (creds) {
            if (!realmAllowsCredentials(url))
                throw new AuthError(`${this.registry} sends its token requests to ${url.origin}${url.pathname}, which is neither https nor loopback; credentials are not sent there (use an https realm)`);
            headers.authorization = basicAuthorization(creds);
        }
        this.tokensFetched++;
        const started = this.clock.now();
        const response = await send({ method: 'GET', url, headers, idleTimeoutMs: 30_000, signal: this.options.signal });
        const text = await response.text();
        if (response.status === 401 || response.status === 403) {
            throw new AuthError(`${this.registry} refused the ${creds ? 'credentials' : 'anonymous request'} for ${[...scopes].join(' ')} (${response.status}): ${creds ? 'check the username and password or token and its permissions' : 'give credentials for it'}`);
        }
        // A busy or failing token service is worth retrying like any registry request.
        if (response.status >= 500 || response.status === 429 || response.status === 408)
            throw new StatusError(response.status, `${this.registry}: token request answered ${response.status}`, response.headers);
        if (response.status !== 200)
            throw new AuthError(`${this.registry}: token request answered ${response.status}`);
        let body;
        try {
            body = JSON.parse(text);
        }
        catch {
            throw new AuthError(`${this.registry}: the token response is not JSON`);
        }
        const value = body.token ?? body.access_token;
        if (value)
            maskCredential(value);
        if (body.token && body.access_token && body.token !== body.access_token)
            maskCredential(body.access_token);
        if (!value)
            throw new AuthError(`${this.registry}: the token response has neither "token" nor "access_token"`);
        // The spec's default lifetime is 60 s when expires_in is absent.
        const lifetime = (body.expires_in ?? 60) * 1000;
        return { value, scopes, expiresAt: started + lifetime, margin: Math.min(10_000, lifetime / 2) };
    }
}

;// CONCATENATED MODULE: ./packages/registry/src/registry.ts
/**
 * A client for one registry host speaking the OCI distribution API: the auth handshake, blob existence,
 * cross-repository mounts, uploads (monolithic PUT for small blobs, one streamed PATCH for big ones, each
 * attempt a fresh upload session), streamed blob downloads verified against their digest, and manifests
 * by tag or digest as raw bytes. Every call is retried on connection failures, 5xx, 408 and 429 with
 * jittered backoff that honours Retry-After.
 */









function sha256(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
}
class Registry {
    name;
    options;
    auth;
    /** Requests sent, retries included. */
    requests = 0;
    base;
    pinged;
    constructor(name, options, scopes = new Set()) {
        this.name = name;
        this.options = options;
        this.base = `${options.scheme}://${apiHost(name)}`;
        this.auth = new Authenticator(name, options.credentials, scopes, { clock: options.clock, signal: options.signal });
    }
    /** Retry waits that end early (and fail) when the step is over, so none keeps the process alive after it. */
    retryClock = {
        now: () => (this.options.clock ?? src/* realClock */.dQ).now(),
        sleep: (ms) => {
            const { signal } = this.options;
            if (this.options.clock)
                return this.options.clock.sleep(ms);
            return new Promise((resolve, reject) => {
                const stop = () => {
                    clearTimeout(timer);
                    reject(new TransportError(`${this.name}: gave up waiting to retry, the step is over`, false));
                };
                const timer = setTimeout(() => {
                    signal?.removeEventListener('abort', stop);
                    resolve();
                }, ms);
                if (signal?.aborted)
                    stop();
                else
                    signal?.addEventListener('abort', stop, { once: true });
            });
        },
    };
    /** `GET /v2/`: learns how the registry wants to be authenticated. Idempotent; done once. */
    ping() {
        this.pinged ??= this.withRetry('GET /v2/', async () => {
            this.requests++;
            const response = await send({
                method: 'GET',
                url: new URL(`${this.base}/v2/`),
                idleTimeoutMs: 30_000,
                signal: this.options.signal,
            });
            await response.drain();
            if (response.status === 401)
                this.auth.setChallenge(parseChallenge(response.header('www-authenticate')));
            else if (response.status !== 200)
                throw this.statusError(response, 'GET /v2/', '');
        }).catch((error) => {
            this.pinged = undefined;
            throw error;
        });
        return this.pinged;
    }
    async hasBlob(repository, digest) {
        const response = await this.call(`HEAD ${repository} blob ${digest}`, {
            method: 'HEAD',
            path: `/v2/${repository}/blobs/${digest}`,
            ok: [200, 404],
        });
        await response.drain();
        return response.status === 200;
    }
    /**
     * Tries to mount a blob from another repository of this registry. Returns true when mounted; false when
     * the registry declined (it then opened an upload session, which we cancel).
     */
    async mountBlob(repository, digest, from) {
        const response = await this.call(`mount ${digest} into ${repository}`, {
            method: 'POST',
            path: `/v2/${repository}/blobs/uploads/`,
            query: { mount: digest, from },
            ok: [201, 202],
        });
        await response.drain();
        if (response.status === 201)
            return true;
        await this.cancelUpload(response);
        return false;
    }
    /**
     * Uploads a blob from a stream factory; each attempt starts a new upload session and reopens the stream,
     * so a connection reset halfway through restarts cleanly.
     */
    async uploadBlob(repository, blob, onProgress) {
        const monolithic = blob.size <= (this.options.monolithicMaxBytes ?? 8 * 1024 * 1024);
        await this.withRetry(`upload ${blob.digest} to ${repository}`, async () => {
            let sent = 0;
            const progress = (bytes) => {
                sent += bytes;
                onProgress?.(bytes);
            };
            try {
                const start = await this.once({ method: 'POST', path: `/v2/${repository}/blobs/uploads/`, ok: [202] });
                await start.drain();
                let location = this.location(start);
                if (!monolithic) {
                    const patched = await this.once({
                        method: 'PATCH',
                        url: location,
                        headers: { 'content-type': 'application/octet-stream' },
                        body: blob.open,
                        contentLength: blob.size,
                        onProgress: progress,
                        ok: [202, 204],
                    });
                    await patched.drain();
                    location = this.location(patched);
                }
                location.searchParams.set('digest', blob.digest);
                const put = await this.once({
                    method: 'PUT',
                    url: location,
                    headers: { 'content-type': 'application/octet-stream' },
                    ...(monolithic ? { body: blob.open, contentLength: blob.size, onProgress: progress } : {}),
                    ok: [201, 204],
                });
                await put.drain();
            }
            catch (error) {
                // Progress already counted for a failed attempt is taken back so totals stay true.
                if (sent)
                    onProgress?.(-sent);
                throw error;
            }
        });
    }
    /** Streams a blob to a file, verifying its digest; retried from the start on any failure. */
    async downloadBlob(repository, digest, file) {
        await this.withRetry(`download ${repository}@${digest}`, async () => {
            // Registries hand blobs out from storage (S3, GCS, a CDN) by redirect, to a pre-signed URL: send()
            // follows it without our Authorization header.
            const response = await this.once({ method: 'GET', path: `/v2/${repository}/blobs/${digest}`, ok: [200] });
            const hash = (0,external_node_crypto_.createHash)('sha256');
            response.stream.on('data', (chunk) => hash.update(chunk));
            try {
                await (0,external_node_stream_promises_.pipeline)(response.stream, (0,external_node_fs_.createWriteStream)(file));
            }
            catch (error) {
                await (0,promises_.rm)(file, { force: true });
                throw new StatusError(599, `download of ${digest} from ${this.name}/${repository} broke off: ${error.code ?? error}`, {});
            }
            const actual = `sha256:${hash.digest('hex')}`;
            if (actual !== digest) {
                await (0,promises_.rm)(file, { force: true });
                throw new StatusError(599, `${this.name}/${repository} served ${digest} with content hashing to ${actual}`, {});
            }
        });
    }
    async getManifest(repository, reference) {
        return this.withRetry(`GET ${repository} manifest ${reference}`, async () => {
            const response = await this.once({
                method: 'GET',
                path: `/v2/${repository}/manifests/${reference}`,
                headers: { accept: ACCEPT },
                ok: [200],
            });
            const bytes = await response.bytes();
            const digest = sha256(bytes);
            if (reference.startsWith('sha256:') && digest !== reference)
                throw new Error(`${this.name}/${repository} served manifest ${reference} with content hashing to ${digest}`);
            const mediaType = (response.header('content-type') ?? '').split(';')[0].trim();
            return { bytes, mediaType, digest };
        });
    }
    /** The digest a tag (or digest) points to, or undefined when there is none. */
    async manifestDigest(repository, reference) {
        const response = await this.call(`HEAD ${repository} manifest ${reference}`, {
            method: 'HEAD',
            path: `/v2/${repository}/manifests/${reference}`,
            headers: { accept: ACCEPT },
            ok: [200, 404],
        });
        await response.drain();
        if (response.status === 404)
            return undefined;
        return response.header('docker-content-digest') ?? (reference.startsWith('sha256:') ? reference : undefined);
    }
    async putManifest(repository, reference, manifest) {
        const response = await this.call(`PUT ${repository} manifest ${reference}`, {
            method: 'PUT',
            path: `/v2/${repository}/manifests/${reference}`,
            headers: { 'content-type': manifest.mediaType },
            body: manifest.bytes,
            ok: [201, 200],
        });
        await response.drain();
        const digest = response.header('docker-content-digest');
        if (digest && digest !== manifest.digest)
            throw new Error(`${this.name}/${repository} stored manifest ${reference} as ${digest}, not ${manifest.digest}: it rewrote the manifest`);
        return manifest.digest;
    }
    async cancelUpload(response) {
        try {
            const cancel = await this.once({ method: 'DELETE', url: this.location(response), ok: [200, 202, 204, 404] });
            await cancel.drain();
        }
        catch {
            // An abandoned session expires on its own.
        }
    }
    /** An upload Location, absolute or relative to the request, query parameters kept. */
    location(response) {
        const location = response.header('location');
        if (!location)
            throw new Error(`${this.name} answered ${response.status} without a Location for the upload`);
        return new URL(location, response.url);
    }
    call(what, request) {
        return this.withRetry(what, () => this.once(request));
    }
    withRetry(what, fn) {
        return (0,src/* retry */.L5)(fn, {
            attempts: this.options.attempts ?? 5,
            baseMs: this.options.baseDelayMs ?? 500,
            maxMs: 15_000,
            clock: this.retryClock,
            onRetry: (error, attempt, delay) => this.options.log?.(`${this.name}: ${what}: ${(0,src/* describeRetry */.eV)(error, attempt, delay)}`),
        });
    }
    /** One request with auth; a 401 takes the new challenge and is tried once more with a fresh token. */
    async once(request) {
        await this.ping();
        for (let authTry = 0;; authTry++) {
            const url = request.url ? new URL(request.url) : new URL(`${this.base}${request.path}`);
            for (const [key, value] of Object.entries(request.query ?? {}))
                url.searchParams.set(key, value);
            const headers = { ...request.headers };
            // An upload Location on another host (storage) gets no credentials.
            const authorization = sameOrigin(url, new URL(this.base)) ? await this.auth.header() : undefined;
            if (authorization)
                headers.authorization = authorization;
            this.requests++;
            const response = await send({ ...request, url, headers, signal: this.options.signal });
            // A refused token is renewed (up to twice: a concurrent request may use up the renewed one first).
            if (response.status === 401 && authTry < 2) {
                await response.drain();
                this.auth.setChallenge(parseChallenge(response.header('www-authenticate')));
                this.auth.invalidate(authorization);
                continue;
            }
            if (request.ok.includes(response.status))
                return response;
            const what = `${request.method} ${url.pathname}`;
            const body = request.method === 'HEAD' ? '' : await response.text().catch(() => '');
            if (response.status === 401 || response.status === 403)
                throw new AuthError(`${this.name} refused ${what} (${response.status})${registryMessage(body)}: check the credentials and their push permission`);
            throw this.statusError(response, what, body);
        }
    }
    statusError(response, what, body) {
        return new StatusError(response.status, `${this.name}: ${what} answered ${response.status}${registryMessage(body)}`, response.headers);
    }
}
/**
 * The registry's own words from an error body (`{"errors":[{"code":"...","message":"..."}]}`), redacted
 * at once: registries echo credentials in error bodies, and this text reaches the log, errors and summary.
 */
function registryMessage(body) {
    let text = '';
    try {
        const parsed = JSON.parse(body);
        const first = parsed.errors?.[0];
        if (first)
            text = [first.code, first.message].filter((v) => typeof v === 'string' && v).join(' ');
    }
    catch { }
    if (!text)
        text = (0,src/* redact */.E$)(body).replace(/\s+/g, ' ').trim();
    text = (0,src/* redact */.E$)(text).replace(/\s+/g, ' ').trim();
    return text ? `: ${text.slice(0, 200)}` : '';
}

;// CONCATENATED MODULE: ./packages/registry/src/tar-index.ts
/**
 * Finds where each file of a tar archive lies, by reading only the 512-byte headers, so a layer inside a
 * `docker save` archive or an OCI layout tar can be streamed straight from its byte range, in parallel,
 * without extracting the archive. Written by hand because tar libraries stream entries in order and do
 * not expose offsets; handles ustar prefixes, pax `path`/`size` records, GNU long names, and links.
 */

class TarError extends Error {
    name = 'TarError';
}
function cString(block, start, length) {
    const slice = block.subarray(start, start + length);
    const end = slice.indexOf(0);
    return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8');
}
function octal(block, start, length) {
    // Base-256 (GNU) for sizes over 8 GiB: high bit of the first byte set.
    if (block[start] & 0x80) {
        let value = block[start] & 0x7f;
        for (let i = start + 1; i < start + length; i++)
            value = value * 256 + block[i];
        return value;
    }
    const text = cString(block, start, length).trim();
    return text ? Number.parseInt(text, 8) : 0;
}
function normalize(name) {
    return name.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
}
function parsePax(text) {
    const records = {};
    let rest = Buffer.from(text);
    while (rest.length) {
        const space = rest.indexOf(0x20);
        const length = Number(rest.subarray(0, space).toString());
        if (!length)
            break;
        const record = rest.subarray(space + 1, length - 1).toString('utf8');
        const eq = record.indexOf('=');
        records[record.slice(0, eq)] = record.slice(eq + 1);
        rest = rest.subarray(length);
    }
    return records;
}
async function readAt(handle, offset, length) {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
}
/** Regular files by normalized path; hard and symbolic links resolve to their target's bytes. */
async function indexTar(file) {
    const handle = await (0,promises_.open)(file, 'r');
    const entries = new Map();
    const links = [];
    try {
        const { size: total } = await handle.stat();
        // Shorter than one header block: text, an empty file, anything but a tar.
        if (total < 512)
            throw new TarError('is not a tar archive');
        let offset = 0;
        let pax = {};
        let longName;
        while (offset + 512 <= total) {
            const block = await readAt(handle, offset, 512);
            if (block.every((b) => b === 0))
                break;
            if (block.subarray(257, 262).toString() !== 'ustar' && offset === 0)
                throw new TarError('is not a tar archive');
            const stored = block.reduce((sum, b, i) => sum + (i >= 148 && i < 156 ? 32 : b), 0);
            if (stored !== octal(block, 148, 8))
                throw new TarError(`has a corrupt header at byte ${offset}`);
            const type = String.fromCharCode(block[156] || 48);
            let size = octal(block, 124, 12);
            const prefix = cString(block, 345, 155);
            let name = longName ?? pax.path ?? (prefix ? `${prefix}/${cString(block, 0, 100)}` : cString(block, 0, 100));
            if (pax.size)
                size = Number(pax.size);
            const linkname = pax.linkpath ?? cString(block, 157, 100);
            const dataOffset = offset + 512;
            offset = dataOffset + Math.ceil(size / 512) * 512;
            if (type === 'x' || type === 'L') {
                const data = (await readAt(handle, dataOffset, size)).toString('utf8');
                if (type === 'x')
                    pax = parsePax(data);
                else
                    longName = data.replace(/\0+$/, '');
                continue;
            }
            if (type === 'g')
                continue;
            name = normalize(name);
            pax = {};
            longName = undefined;
            if (type === '0' || type === '7')
                entries.set(name, { name, offset: dataOffset, size });
            else if (type === '1')
                links.push([name, normalize(linkname)]);
            else if (type === '2') {
                const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
                links.push([name, normalize(resolveRelative(dir, linkname))]);
            }
            if (offset > total)
                throw new TarError(`is truncated (${name} runs past the end)`);
        }
    }
    finally {
        await handle.close();
    }
    for (const [name, target] of links) {
        const entry = entries.get(target);
        if (entry)
            entries.set(name, { ...entry, name });
    }
    return entries;
}
function resolveRelative(dir, link) {
    if (link.startsWith('/'))
        return link;
    const parts = `${dir}${link}`.split('/');
    const out = [];
    for (const part of parts) {
        if (part === '..')
            out.pop();
        else if (part !== '.' && part !== '')
            out.push(part);
    }
    return out.join('/');
}

;// CONCATENATED MODULE: ./packages/registry/src/archive.ts
/**
 * Reads images written to disk: a `docker save` archive (manifest.json, a config JSON and layer tars), an
 * OCI image layout directory, or an OCI layout tar (index.json, oci-layout, blobs/sha256/...). Nothing is
 * extracted: blobs stream from their byte range in the file. For a docker archive the manifest is made
 * here from the config and layers, deterministically, so pushing the same archive twice gives the same
 * digest; layer digests come from the file names or the config's diff_ids (verified by the registry on
 * upload), so no layer is hashed ahead of time.
 *
 * Uncompressed layers of a docker archive (what `docker save` writes for the classic engine store) are
 * compressed once each, in parallel, to spool files (compress.ts), unless the digest cache already knows
 * what they compress to; then they are compressed only if a destination lacks them. OCI layouts are
 * pushed as they are: they are content-addressed, and rewriting them would change the digest a build
 * reported.
 */














async function tarFiles(file) {
    let entries;
    try {
        entries = await indexTar(file);
    }
    catch (error) {
        if (error instanceof TarError)
            throw new SourceError(`${file} ${error.message}`);
        throw error;
    }
    const entry = (name) => {
        const found = entries.get(name);
        if (!found)
            throw new SourceError(`${file} has no ${name}`);
        return found;
    };
    const open = (name, start = 0, end) => {
        const e = entry(name);
        const last = e.offset + Math.min(e.size, end ?? e.size) - 1;
        return (0,external_node_fs_.createReadStream)(file, {
            start: e.offset + start,
            end: Math.max(e.offset + start, last),
            highWaterMark: 1 << 20,
        });
    };
    return {
        has: (name) => entries.has(name),
        size: (name) => entry(name).size,
        open: (name, start, end) => (entry(name).size === 0 ? external_node_stream_.Readable.from([]) : open(name, start, end)),
        read: async (name) => {
            const chunks = [];
            if (entry(name).size === 0)
                return Buffer.alloc(0);
            for await (const chunk of open(name))
                chunks.push(chunk);
            return Buffer.concat(chunks);
        },
    };
}
function dirFiles(dir) {
    const path = (name) => (0,external_node_path_.join)(dir, name);
    const stats = new Map();
    const statOf = (name) => {
        if (!stats.has(name))
            stats.set(name, (0,promises_.stat)(path(name)).catch(() => undefined));
        return stats.get(name);
    };
    return {
        has: () => true,
        size: async (name) => {
            const s = await statOf(name);
            if (!s)
                throw new SourceError(`${dir} has no ${name}`);
            return s.size;
        },
        read: (name) => (0,promises_.readFile)(path(name)).catch(() => {
            throw new SourceError(`${dir} has no ${name}`);
        }),
        open: (name, start, end) => (0,external_node_fs_.createReadStream)(path(name), { start, end: end === undefined ? undefined : end - 1, highWaterMark: 1 << 20 }),
    };
}
function parseJson(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new SourceError(`${what} is not valid JSON`);
    }
}
/**
 * Loads an image from an archive file or layout directory. `select` picks one image when the archive
 * holds several (a tag from `docker save a b`, or an OCI ref name annotation).
 */
async function loadArchive(path, select, options = {}) {
    let info;
    try {
        info = await (0,promises_.stat)(path);
    }
    catch {
        throw new SourceError(`${path} does not exist`);
    }
    if (info.isDirectory()) {
        const files = dirFiles(path);
        const layout = await files.read('oci-layout').catch(() => undefined);
        if (!layout)
            throw new SourceError(`${path} is a directory but not an OCI image layout (no oci-layout file)`);
        return loadLayout(files, path, select);
    }
    const files = await tarFiles(path);
    if (files.has('manifest.json'))
        return loadDockerArchive(files, path, select, options);
    if (files.has('index.json') && files.has('oci-layout'))
        return loadLayout(files, path, select);
    throw new SourceError(`${path} is a tar but neither a docker save archive (manifest.json) nor an OCI layout (index.json)`);
}
function blobPath(digest) {
    const [algorithm, hex] = digest.split(':');
    return `blobs/${algorithm}/${hex}`;
}
function fileBlob(files, name, digest, size) {
    return { digest, size, ready: async () => { }, open: () => files.open(name) };
}
async function loadLayout(files, path, select) {
    const index = parseJson(await files.read('index.json'), `${path}: index.json`);
    const entries = index.manifests ?? [];
    if (!entries.length)
        throw new SourceError(`${path}: index.json lists no images`);
    const blobs = new Map();
    let root;
    const names = entries.map((d) => d.annotations?.['org.opencontainers.image.ref.name'] ?? d.annotations?.['io.containerd.image.name']);
    if (select) {
        const wanted = matchName(select);
        const at = names.findIndex((n) => n !== undefined && wanted(n));
        if (at < 0)
            throw new SourceError(`${path} has no image named ${select} (it has: ${names.filter(Boolean).join(', ') || 'no named images'})`);
        root = await layoutNode(files, path, entries[at], blobs);
    }
    else if (entries.length === 1)
        root = await layoutNode(files, path, entries[0], blobs);
    else if (entries.every((d) => d.platform) && new Set(names).size <= 1) {
        // index.json itself lists one image's platforms: push it as the image index.
        const bytes = await files.read('index.json');
        const children = await Promise.all(entries.map((d) => layoutNode(files, path, d, blobs)));
        root = {
            manifest: {
                bytes,
                digest: sha256(bytes),
                mediaType: mediaTypeOf(index) ?? 'application/vnd.oci.image.index.v1+json',
            },
            blobs: [],
            children,
        };
    }
    else
        throw new SourceError(`${path} holds ${entries.length} images (${names.filter(Boolean).join(', ')}); name the one to push in "source"`);
    return { root, blobs, source: path };
}
async function layoutNode(files, path, descriptor, blobs) {
    const bytes = await files.read(blobPath(descriptor.digest));
    const digest = sha256(bytes);
    if (digest !== descriptor.digest)
        throw new SourceError(`${path}: manifest ${descriptor.digest} hashes to ${digest}`);
    const parsed = parseJson(bytes, `${path}: manifest ${descriptor.digest}`);
    const mediaType = descriptor.mediaType ?? mediaTypeOf(parsed);
    const platform = descriptor.platform
        ? [descriptor.platform.os, descriptor.platform.architecture, descriptor.platform.variant].filter(Boolean).join('/')
        : undefined;
    if (isIndex(mediaType)) {
        const children = await Promise.all(parsed.manifests.map((d) => layoutNode(files, path, d, blobs)));
        return { manifest: { bytes, digest, mediaType }, blobs: [], children, platform };
    }
    const referenced = [parsed.config, ...(parsed.layers ?? [])];
    for (const d of referenced) {
        if (blobs.has(d.digest))
            continue;
        const name = blobPath(d.digest);
        const size = await files.size(name);
        if (size !== d.size)
            throw new SourceError(`${path}: blob ${d.digest} is ${size} bytes, the manifest says ${d.size}`);
        blobs.set(d.digest, fileBlob(files, name, d.digest, d.size));
    }
    return { manifest: { bytes, digest, mediaType }, blobs: referenced.map((d) => d.digest), children: [], platform };
}
async function loadDockerArchive(files, path, select, options) {
    const list = parseJson(await files.read('manifest.json'), `${path}: manifest.json`);
    if (!Array.isArray(list) || !list.length)
        throw new SourceError(`${path}: manifest.json lists no images`);
    let entry = list[0];
    if (select) {
        const wanted = matchName(select);
        const found = list.find((e) => e.RepoTags?.some(wanted));
        if (!found)
            throw new SourceError(`${path} has no image tagged ${select} (it has: ${list.flatMap((e) => e.RepoTags ?? []).join(', ') || 'untagged images'})`);
        entry = found;
    }
    else if (list.length > 1) {
        throw new SourceError(`${path} holds ${list.length} images (${list.flatMap((e) => e.RepoTags ?? []).join(', ')}); name the one to push in "source"`);
    }
    const configBytes = await files.read(entry.Config);
    const configDigest = sha256(configBytes);
    const config = parseJson(configBytes, `${path}: ${entry.Config}`);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const blobs = new Map();
    const addBlob = (blob) => {
        if (blobs.has(blob.digest))
            return;
        blobs.set(blob.digest, blob);
        options.onBlob?.(blob);
    };
    addBlob({
        digest: configDigest,
        size: configBytes.length,
        ready: async () => { },
        open: () => files.open(entry.Config),
    });
    const compression = options.compression?.algorithm === 'none' ? undefined : options.compression;
    if (compression && !options.spoolDir)
        throw new Error('loadArchive: compression needs a spoolDir');
    let spoolDir;
    const spoolIn = () => {
        spoolDir ??= typeof options.spoolDir === 'function' ? options.spoolDir() : options.spoolDir;
        return spoolDir;
    };
    const cache = options.cache ?? noDigestCache;
    const key = compression ? compressionKey(compression) : '';
    const compressedType = compression?.algorithm === 'zstd' ? OCI_LAYER_ZSTD : OCI_LAYER_GZIP;
    const limiter = new Limiter(options.concurrency ?? Math.max(1, (0,external_node_os_.availableParallelism)()));
    const layers = await Promise.all(entry.Layers.map(async (name, i) => {
        const size = await files.size(name);
        const head = size ? await readHead(files, name) : Buffer.alloc(0);
        const mediaType = layerTypeFromMagic(head);
        const fromName = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
        let digest;
        if (fromName)
            digest = `sha256:${fromName[1]}`;
        else if (mediaType === OCI_LAYER && diffIds[i])
            digest = diffIds[i];
        else
            digest = await hashStream(files.open(name));
        if (!compression || mediaType !== OCI_LAYER) {
            addBlob(fileBlob(files, name, digest, size));
            return { mediaType, digest, size };
        }
        // An uncompressed layer: its digest is its diff_id; what goes up is its compressed form.
        const diffId = diffIds[i] ?? digest;
        // Compressed already while the archive was being written (engine exports), or now from the archive.
        const early = options.precompressed?.get(diffId);
        let spool = early ? '' : (0,external_node_path_.join)(spoolIn(), `layer-${i}-${diffId.slice(7, 19)}.${compression.algorithm}`);
        const compress = async () => {
            if (!early)
                return compressToFile(files.open(name), spool, compression);
            const out = await early;
            spool = out.spool;
            return out;
        };
        const checked = async () => {
            const out = await compress();
            if (out.inputDigest !== diffId)
                throw new SourceError(`${path}: layer ${name} hashes to ${out.inputDigest}, but the image config says ${diffId}`);
            cache.setLayer(diffId, key, { digest: out.digest, size: out.size });
            return out;
        };
        const known = cache.layer(diffId, key);
        if (known) {
            let done;
            addBlob({
                digest: known.digest,
                size: known.size,
                // Compressed only when some destination lacks it; reproducible, so it must come out the same.
                ready() {
                    done ??= limiter.run(checked).then((out) => {
                        if (out.digest !== known.digest)
                            throw new SourceError(`${path}: layer ${name} compressed to ${out.digest}, not the cached ${known.digest}`);
                    });
                    return done;
                },
                open: () => (0,external_node_fs_.createReadStream)(spool, { highWaterMark: 1 << 20 }),
            });
            return { mediaType: compressedType, digest: known.digest, size: known.size };
        }
        const started = Date.now();
        const out = await (early ? checked() : limiter.run(checked));
        options.log?.(`Compressed layer ${i + 1} (${diffId.slice(0, 19)}): ${size} → ${out.size} bytes with ${compression.algorithm} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        addBlob({
            digest: out.digest,
            size: out.size,
            ready: async () => { },
            open: () => (0,external_node_fs_.createReadStream)(spool, { highWaterMark: 1 << 20 }),
        });
        return { mediaType: compressedType, digest: out.digest, size: out.size };
    }));
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: configDigest, size: configBytes.length },
        layers,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    if (compression)
        cache.setManifest(configDigest, key, bytes);
    const root = {
        manifest: { bytes, digest: sha256(bytes), mediaType: OCI_MANIFEST },
        blobs: [configDigest, ...layers.map((l) => l.digest)],
        children: [],
    };
    return { root, blobs, source: entry.RepoTags?.[0] ? `${entry.RepoTags[0]} (${path})` : path };
}
async function readHead(files, name) {
    const chunks = [];
    for await (const chunk of files.open(name, 0, 4))
        chunks.push(chunk);
    return Buffer.concat(chunks).subarray(0, 4);
}
async function hashStream(stream) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of stream)
        hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
}
/** Matches an image name as written by the user against archive tags, with or without docker.io/library. */
function matchName(select) {
    const canonical = (text) => {
        try {
            const ref = parseReference(text.includes(':') || text.includes('@') ? text : `${text}:latest`);
            return `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
        }
        catch {
            return text;
        }
    };
    const want = canonical(select);
    return (name) => name === select ||
        canonical(name) === want ||
        (!select.includes(':') && name === `${select}:latest`) ||
        name === select.split(':').pop();
}

;// CONCATENATED MODULE: ./packages/registry/src/docker-config.ts
/**
 * The logins Docker keeps, read the way the docker CLI reads them, so push-registry uses what
 * docker/login-action, amazon-ecr-login and `gcloud auth configure-docker` left: `$DOCKER_CONFIG/config.json`
 * (default ~/.docker/config.json) with `credHelpers` (a helper per registry), `credsStore` (one helper for
 * all) and `auths` (base64 `user:password`, or `username`/`password`). Helpers are the
 * `docker-credential-<name>` programs on PATH, asked with `get` and the server address on stdin; they run
 * through the toolkit's process runner (without the step's INPUT_* and STATE_* variables), under a timeout.
 *
 * Also writes a config for later steps (`login: true`): a copy of the user's config with the pushed
 * registries' logins added, in a directory of its own, with the original's cli-plugins, buildx and
 * contexts linked in so buildx builders keep working under the new DOCKER_CONFIG.
 */




class DockerConfigError extends Error {
    name = 'DockerConfigError';
}
function dockerConfigDir(env = process.env) {
    return env.DOCKER_CONFIG || (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.docker');
}
/** The parsed config, or undefined when there is none; a file that is not JSON is an error. */
function readDockerConfig(dir = dockerConfigDir()) {
    const file = (0,external_node_path_.join)(dir, 'config.json');
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch {
        return undefined;
    }
    try {
        const parsed = JSON.parse(text);
        return parsed && typeof parsed === 'object' ? parsed : undefined;
    }
    catch {
        throw new DockerConfigError(`${file} is not valid JSON`);
    }
}
/** The keys Docker may have stored a registry's login under. */
function keysFor(registry) {
    if (registry === 'docker.io')
        return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
    return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}
function serverAddress(registry) {
    return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}
/** Finds the login for a registry: credHelpers first, then auths entries with credentials, then credsStore. */
function dockerLogin(config, registry) {
    if (!config)
        return undefined;
    const keys = keysFor(registry);
    const lower = (r) => new Map(Object.entries(r ?? {}).map(([k, v]) => [k.toLowerCase().replace(/\/+$/, '/'), v]));
    const helpers = lower(config.credHelpers);
    let fileOnly = false;
    for (const key of keys) {
        const helper = helpers.get(key.toLowerCase());
        if (typeof helper === 'string' && helper)
            return { kind: 'helper', helper, from: 'credHelpers' };
        if (helper === '')
            fileOnly = true;
    }
    const auths = lower(config.auths);
    for (const key of keys) {
        const entry = auths.get(key.toLowerCase());
        if (!entry || typeof entry !== 'object')
            continue;
        if (typeof entry.auth === 'string' && entry.auth) {
            const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon > 0)
                return {
                    kind: 'auth',
                    key,
                    credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
                };
        }
        if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username)
            return { kind: 'auth', key, credentials: { username: entry.username, password: entry.password } };
    }
    if (!fileOnly && typeof config.credsStore === 'string' && config.credsStore)
        return { kind: 'helper', helper: config.credsStore, from: 'credsStore' };
    return undefined;
}
/** Whether `docker-credential-<name>` is on PATH. */
function findHelper(name, path = process.env.PATH ?? '') {
    if (!/^[A-Za-z0-9._-]+$/.test(name))
        return undefined;
    for (const dir of path.split(external_node_path_.delimiter).filter(Boolean)) {
        const candidate = (0,external_node_path_.join)(dir, `docker-credential-${name}`);
        if ((0,external_node_fs_.existsSync)(candidate))
            return candidate;
    }
    return undefined;
}
/** Runs `docker-credential-<name> get`; undefined when the helper has no login for the registry. */
async function helperCredentials(name, registry, options = {}) {
    const program = findHelper(name, (options.env ?? process.env).PATH);
    if (!program)
        throw new DockerConfigError(`the Docker config names the credential helper "${name}" for ${registry}, but docker-credential-${name} is not on PATH`);
    const timeoutMs = options.timeoutMs ?? 30_000;
    // toolkit's runner: no INPUT_*/STATE_* in the helper's environment, a timeout, stdout kept raw (it holds the secret).
    const result = await (0,src/* execTool */.wc)(program, ['get'], {
        env: options.env,
        stdin: serverAddress(registry),
        rawStdout: true,
        timeoutMs,
        signal: options.signal,
    });
    if (result.stopped === 'timeout')
        throw new DockerConfigError(`docker-credential-${name} get did not answer for ${registry} within ${timeoutMs / 1000} s`);
    if (result.code !== 0) {
        // The helpers' own words for "no login stored here".
        if (/not found|no credentials/i.test(`${result.stdout} ${result.tail.join(' ')}`))
            return undefined;
        throw new DockerConfigError(`docker-credential-${name} get failed for ${registry} (exit ${result.code})`);
    }
    try {
        const parsed = JSON.parse(result.stdout.trim());
        return parsed.Secret ? { username: parsed.Username ?? '', password: parsed.Secret } : undefined;
    }
    catch {
        throw new DockerConfigError(`docker-credential-${name} get answered for ${registry} with something that is not JSON`);
    }
}
/**
 * Writes `<dir>/config.json`: the user's config (credential helpers for other registries kept) with the
 * given logins added as `auths` entries, which take precedence for those registries.
 */
function writeDockerConfig(dir, logins, original) {
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    const config = { ...(original.config ?? {}) };
    const auths = { ...(config.auths ?? {}) };
    const helpers = { ...(config.credHelpers ?? {}) };
    for (const [registry, creds] of logins) {
        for (const key of keysFor(registry)) {
            delete auths[key];
            delete helpers[key];
        }
        auths[serverAddress(registry)] = { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') };
    }
    // With a credsStore, Docker asks it before auths; an empty credHelpers entry sends these registries to auths.
    if (config.credsStore)
        for (const registry of logins.keys())
            helpers[serverAddress(registry)] = '';
    config.auths = auths;
    if (Object.keys(helpers).length)
        config.credHelpers = helpers;
    else
        delete config.credHelpers;
    const file = (0,external_node_path_.join)(dir, 'config.json');
    (0,external_node_fs_.writeFileSync)(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    for (const entry of ['cli-plugins', 'buildx', 'contexts']) {
        const from = (0,external_node_path_.join)(original.dir, entry);
        if ((0,external_node_fs_.existsSync)(from) && !(0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, entry)))
            (0,external_node_fs_.symlinkSync)(from, (0,external_node_path_.join)(dir, entry));
    }
    return file;
}

;// CONCATENATED MODULE: ./packages/registry/src/push.ts
/**
 * Pushes one image to many repositories at once. For each repository, every blob is first checked with
 * HEAD (present: skipped), then mounted when another repository of the same registry has it or is about
 * to (the first repository to miss a blob uploads it; the others wait and mount it), else uploaded from
 * its stream. Uploads run in parallel under one concurrency limit shared by all destinations. Manifests
 * follow their blobs: per-platform manifests by digest, then the top manifest under each tag, each PUT
 * skipped when the registry already maps that tag to that digest. A failing repository does not stop the
 * others; each gets its own result.
 */


class BlobPushError extends Error {
    name = 'BlobPushError';
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    const units = ['KB', 'MB', 'GB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
function push_short(digest) {
    return digest.slice(0, 19);
}
/** Pushes an image to every target (repository and tags), sharing uploads and mounts between them. */
async function pushToTargets(image, targets, options) {
    const pusher = new Pusher(targets, options);
    return pusher.finish(image);
}
/**
 * The push of one image to many targets, fed blob by blob: `blob()` starts a blob's HEAD, mount or upload
 * on every target as soon as it is ready (while other layers are still being compressed), `finish()` adds
 * the image's remaining blobs, waits for all of them, then puts the manifests.
 */
class Pusher {
    options;
    limiter;
    // Per registry and digest: a promise of a repository there that holds the blob (undefined if none will).
    holders = new Map();
    started = Date.now();
    states;
    constructor(targets, options) {
        this.options = options;
        this.limiter = new Limiter(options.concurrency);
        this.states = targets.map((target) => ({
            target,
            blobs: new Map(),
            result: {
                registry: target.registry.name,
                repository: target.repository,
                tags: target.tags,
                digest: '',
                pushed: 0,
                skipped: 0,
                mounted: 0,
                bytes: 0,
                manifestsPushed: 0,
                manifestsSkipped: 0,
                ms: 0,
            },
        }));
    }
    holdersOf(registry) {
        if (!this.holders.has(registry))
            this.holders.set(registry, new Map());
        return this.holders.get(registry);
    }
    /** Starts pushing one blob to every target (once per digest). */
    blob(blob) {
        for (const state of this.states) {
            if (state.blobs.has(blob.digest))
                continue;
            const running = pushBlob(blob, state.target, state.result, this.holdersOf(state.target.registry.name), this.limiter, this.options);
            // Settled here so a failure is reported once, by finish(), not as an unhandled rejection.
            running.catch(() => { });
            state.blobs.set(blob.digest, running);
        }
    }
    async finish(image) {
        for (const blob of image.blobs.values())
            this.blob(blob);
        return Promise.all(this.states.map(async ({ target, result, blobs }) => {
            result.digest = image.root.manifest.digest;
            const { registry, repository } = target;
            try {
                try {
                    await registry.ping();
                }
                catch (error) {
                    await Promise.allSettled(blobs.values());
                    throw error;
                }
                // Every blob runs to its end (success or spent retries) before the target reports, so no request of
                // a failed target is still in flight when the step finishes.
                const settled = await Promise.allSettled(blobs.values());
                const failed = settled.find((r) => r.status === 'rejected');
                if (failed)
                    throw failed.reason;
                for (const node of manifestsInPushOrder(image.root)) {
                    const tags = node === image.root ? target.tags : [node.manifest.digest];
                    for (const tag of tags) {
                        if ((await registry.manifestDigest(repository, tag)) === node.manifest.digest) {
                            result.manifestsSkipped++;
                            continue;
                        }
                        await registry.putManifest(repository, tag, node.manifest);
                        result.manifestsPushed++;
                    }
                }
            }
            catch (error) {
                result.error = error;
            }
            result.ms = Date.now() - this.started;
            return result;
        }));
    }
}
/** One blob to one target: present (skipped), mounted from a sibling or the source repository, or uploaded. */
async function pushBlob(blob, target, result, holders, limiter, options) {
    const { registry, repository } = target;
    const where = `${registry.name}/${repository}`;
    const what = `${where}: blob ${push_short(blob.digest)} (${formatBytes(blob.size)})`;
    try {
        await registry.ping();
        if (await registry.hasBlob(repository, blob.digest)) {
            result.skipped++;
            if (!holders.has(blob.digest))
                holders.set(blob.digest, Promise.resolve(repository));
            return;
        }
        // Mount from where it already is: the source repository on this registry, or a sibling destination.
        const from = blob.origin?.registry === registry.name && blob.origin.repository !== repository
            ? blob.origin.repository
            : await holders.get(blob.digest);
        if (from && from !== repository && (await registry.mountBlob(repository, blob.digest, from))) {
            result.mounted++;
            options.log(`${where}: mounted ${push_short(blob.digest)} from ${from}`);
            return;
        }
        let uploaded;
        if (!holders.has(blob.digest))
            holders.set(blob.digest, new Promise((resolve) => (uploaded = resolve)));
        try {
            await limiter.run(async () => {
                const t0 = Date.now();
                await blob.ready();
                await registry.uploadBlob(repository, blob, (bytes) => {
                    result.bytes += bytes;
                    options.onProgress?.(bytes);
                });
                options.log(`${where}: pushed ${push_short(blob.digest)} (${formatBytes(blob.size)}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
            });
            result.pushed++;
            uploaded?.(repository);
        }
        catch (error) {
            uploaded?.(undefined);
            throw error;
        }
    }
    catch (error) {
        throw new BlobPushError(`${what}: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./packages/registry/src/remote.ts
/**
 * Reads an image that is already in a registry, for registry-to-registry copies without an engine: the
 * manifest (and, for an index, every child manifest) as raw bytes so digests stay the same, and each blob
 * fetched only if some destination lacks it and cannot mount it, streamed to a spool file once (digest
 * verified) and uploaded from there to every destination that needs it.
 */




async function loadRemote(registry, ref, spoolDir) {
    const blobs = new Map();
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const root = await remoteNode(registry, ref.repository, reference, undefined, blobs, spoolDir);
    return { root, blobs, source: `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${reference}`}` };
}
async function remoteNode(registry, repository, reference, descriptor, blobs, spoolDir) {
    const manifest = await registry.getManifest(repository, reference);
    let parsed;
    try {
        parsed = JSON.parse(manifest.bytes.toString('utf8'));
    }
    catch {
        throw new SourceError(`${registry.name}/${repository}:${reference} is not a JSON manifest`);
    }
    if (parsed.schemaVersion === 1)
        throw new SourceError(`${registry.name}/${repository}:${reference} is a schema 1 manifest, which cannot be copied unchanged`);
    manifest.mediaType = mediaTypeOf(parsed) ?? manifest.mediaType;
    const platform = descriptor?.platform
        ? [descriptor.platform.os, descriptor.platform.architecture, descriptor.platform.variant].filter(Boolean).join('/')
        : undefined;
    if (isIndex(manifest.mediaType)) {
        const children = await Promise.all(parsed.manifests.map((d) => remoteNode(registry, repository, d.digest, d, blobs, spoolDir)));
        return { manifest, blobs: [], children, platform };
    }
    const referenced = [parsed.config, ...(parsed.layers ?? [])].filter((d) => !isForeign(d));
    for (const d of referenced) {
        if (!blobs.has(d.digest))
            blobs.set(d.digest, spooledBlob(registry, repository, d, spoolDir));
    }
    return { manifest, blobs: referenced.map((d) => d.digest), children: [], platform };
}
function spooledBlob(registry, repository, d, spoolDir) {
    const file = (0,external_node_path_.join)(spoolDir, d.digest.replace(':', '-'));
    let downloaded;
    return {
        digest: d.digest,
        size: d.size,
        origin: { registry: registry.name, repository },
        ready() {
            downloaded ??= registry.downloadBlob(repository, d.digest, file).catch((error) => {
                downloaded = undefined;
                throw error;
            });
            return downloaded;
        },
        open: () => (0,external_node_fs_.createReadStream)(file, { highWaterMark: 1 << 20 }),
    };
}

;// CONCATENATED MODULE: ./packages/registry/src/tar-follow.ts
/**
 * Writes a tar stream to a file while following its entries: each regular file's sha256 is computed as
 * its bytes go by, and `onEntry` is called once the entry's last byte is on disk, with where it lies in
 * the file. push-registry uses it to compress the layers of a `docker save` while the engine is still
 * exporting the rest, instead of waiting for the whole archive. Written by hand because tar libraries
 * either extract or stream entries without their offsets (see tar-index.ts, which reads a finished file).
 * Names come from ustar (with its prefix), a pax `path` record or a GNU long name; an entry whose name
 * record is too large to keep is reported without one.
 */



const tar_follow_BLOCK = 512;
function field(header, start, length) {
    const slice = header.subarray(start, start + length);
    const end = slice.indexOf(0);
    return slice.subarray(0, end < 0 ? length : end).toString('utf8');
}
function size(header) {
    if (header[124] & 0x80) {
        let value = header[124] & 0x7f;
        for (let i = 125; i < 136; i++)
            value = value * 256 + header[i];
        return value;
    }
    const text = field(header, 124, 12).trim();
    return text ? Number.parseInt(text, 8) : 0;
}
/** Larger name records than this are not kept (a pax record holds a path and a few attributes). */
const MAX_RECORD = 64 << 10;
/** The name a pax extended header (`x`) or GNU long-name entry (`L`) gives the entry after it. */
function recordName(type, record) {
    if (type === 'L')
        return field(record, 0, record.length);
    for (let at = 0; at < record.length;) {
        const space = record.indexOf(0x20, at);
        const length = Number.parseInt(record.subarray(at, space).toString(), 10);
        if (space < 0 || !(length > 0))
            return undefined;
        const line = record.subarray(space + 1, at + length - 1).toString('utf8');
        if (line.startsWith('path='))
            return line.slice(5);
        at += length;
    }
    return undefined;
}
class TarFollower extends external_node_stream_.Writable {
    file;
    onEntry;
    handle;
    /** Bytes of the stream seen (and, once a write returns, on disk). */
    position = 0;
    /** Where the next header starts. */
    nextHeader = 0;
    header = Buffer.alloc(0);
    current;
    /** What a pax or GNU record said the next entry is called (null: it said, but too long to keep). */
    rename;
    constructor(file, onEntry) {
        super({ highWaterMark: 1 << 20 });
        this.file = file;
        this.onEntry = onEntry;
    }
    _construct(callback) {
        (0,promises_.open)(this.file, 'w').then((handle) => {
            this.handle = handle;
            callback();
        }, callback);
    }
    _write(chunk, _encoding, callback) {
        this.handle.write(chunk, 0, chunk.length, this.position).then(() => {
            this.follow(chunk);
            callback();
        }, callback);
    }
    _final(callback) {
        this.handle.close().then(() => callback(), callback);
    }
    _destroy(error, callback) {
        const handle = this.handle;
        this.handle = undefined;
        (handle ? handle.close().catch(() => { }) : Promise.resolve()).then(() => callback(error));
    }
    /** Walks one written chunk: content bytes feed the current entry's hash, header bytes the next header. */
    follow(chunk) {
        let at = 0;
        while (at < chunk.length) {
            const absolute = this.position + at;
            if (this.current && absolute < this.current.offset + this.current.size) {
                const take = Math.min(chunk.length - at, this.current.offset + this.current.size - absolute);
                const bytes = chunk.subarray(at, at + take);
                this.current.hash?.update(bytes);
                this.current.record?.push(Buffer.from(bytes));
                at += take;
                if (absolute + take === this.current.offset + this.current.size)
                    this.finish();
                continue;
            }
            if (absolute < this.nextHeader) {
                at += Math.min(chunk.length - at, this.nextHeader - absolute);
                continue;
            }
            const take = Math.min(chunk.length - at, tar_follow_BLOCK - this.header.length);
            this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
            at += take;
            if (this.header.length === tar_follow_BLOCK)
                this.readHeader(this.position + at);
        }
        this.position += chunk.length;
    }
    readHeader(contentOffset) {
        const header = this.header;
        this.header = Buffer.alloc(0);
        const length = size(header);
        this.nextHeader = contentOffset + Math.ceil(length / tar_follow_BLOCK) * tar_follow_BLOCK;
        if (header.every((b) => b === 0))
            return;
        const type = String.fromCharCode(header[156] || 0x30);
        const regular = type === '0' || type === '\0' || type === '7';
        const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
        const ustarName = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
        const named = type === 'x' || type === 'L';
        const name = this.rename === null ? undefined : (this.rename ?? ustarName);
        if (!named)
            this.rename = undefined;
        this.current = {
            name,
            offset: contentOffset,
            size: length,
            type,
            hash: regular ? (0,external_node_crypto_.createHash)('sha256') : undefined,
            record: named && length <= MAX_RECORD ? [] : undefined,
        };
        if (named && length > MAX_RECORD)
            this.rename = null;
        if (length === 0)
            this.finish();
    }
    finish() {
        const entry = this.current;
        this.current = undefined;
        if (entry.record)
            this.rename = recordName(entry.type, Buffer.concat(entry.record)) ?? this.rename;
        if (!entry.hash)
            return;
        this.onEntry({
            name: entry.name?.replace(/^\.\//, ''),
            offset: entry.offset,
            size: entry.size,
            digest: `sha256:${entry.hash.digest('hex')}`,
        });
    }
}

;// CONCATENATED MODULE: ./packages/registry/src/index.ts

















/***/ })

};
