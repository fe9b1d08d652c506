/**
 * push-registry: a ~200 MB, 6-layer image (3 layers of text-like bytes, 3 of random bytes, so the
 * compression ratio shows) pushed compressed, side by side in one run with `docker push` (the engine, one
 * push per registry, run concurrently) and `skopeo copy` from the same docker-save archive (one per
 * registry, concurrently); then re-pushed unchanged. Everything is gzip-compressed: push-registry by
 * default, docker push and skopeo as they always do. Our action runs as the runner runs it (the built
 * bundle through the harness, node startup included); its peak RSS is read from the process at exit.
 * Bytes are what each registry ends up storing for the image (manifest + config + layers), read back.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readServices, runAction } from '../packages/harness/src/index';
import { dockerEnv, type LocalRegistry, startRegistry } from '../test/push-registry/fixtures';

export const title = 'push-registry: one image to three registries';

const exec = promisify(execFile);
const LAYERS = 6;
const LAYER_BYTES = 33 * 1024 * 1024;
/** The docker client the local services chose (npm run bench starts them first). */
const docker = readServices().dockerClient;
const WORDS = ['const', 'return', 'import', 'export', 'function', 'module', 'require', 'async', 'await', 'class'];

/** 1 MiB of source-code-like text (words drawn at random): compresses about 4×, like most image files. */
function textChunk(): Buffer {
  const picks = randomBytes(1 << 18);
  let out = '';
  for (const b of picks) {
    out += `${WORDS[b % WORDS.length]}${b & 16 ? '\n' : ' '}`;
    if (out.length >= 1 << 20) break;
  }
  return Buffer.from(out.slice(0, 1 << 20));
}

/** A docker-save archive with LAYERS single-file layers (even: text-like, odd: random), loaded into the engine too. */
async function makeImage(dir: string, name: string): Promise<string> {
  const root = join(dir, 'archive');
  const diffIds: string[] = [];
  const layerPaths: string[] = [];
  for (let i = 0; i < LAYERS; i++) {
    const content = join(dir, `content${i}`);
    mkdirSync(content);
    const fd = openSync(join(content, `layer${i}.bin`), 'w');
    for (let written = 0; written < LAYER_BYTES; written += 1 << 20)
      writeSync(fd, i % 2 === 0 ? textChunk() : randomBytes(1 << 20));
    closeSync(fd);
    mkdirSync(join(root, `l${i}`), { recursive: true });
    const tar = join(root, `l${i}`, 'layer.tar');
    await exec('tar', ['-C', content, '-cf', tar, '.']);
    rmSync(content, { recursive: true });
    const { stdout } = await exec('sha256sum', [tar]);
    diffIds.push(`sha256:${stdout.split(' ')[0]}`);
    layerPaths.push(`l${i}/layer.tar`);
  }
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/layer0.bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created_by: 'bench' })),
  });
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  writeFileSync(join(root, configName), config);
  writeFileSync(
    join(root, 'manifest.json'),
    JSON.stringify([{ Config: configName, RepoTags: [name], Layers: layerPaths }]),
  );
  const archive = join(dir, 'image.tar');
  await exec('tar', ['-C', root, '-cf', archive, '.']);
  rmSync(root, { recursive: true });
  await exec(docker, ['load', '-i', archive], { env: dockerEnv() });
  return archive;
}

/** The children's CPU seconds from bash's `times` (its second line: children's user and system time). */
function childCpuSeconds(times: string): number {
  const line = times.trim().split('\n').at(-1) ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function withRegistries<T>(count: number, fn: (hosts: string[]) => Promise<T>): Promise<T> {
  const registries: LocalRegistry[] = await Promise.all(Array.from({ length: count }, () => startRegistry()));
  try {
    return await fn(registries.map((r) => r.host));
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
  }
}

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

/** What the registry stores for the image: the manifest, its config and layers, with each layer's size. */
async function stored(host: string, reference: string): Promise<{ total: number; layers: number[] }> {
  const res = await fetch(`http://${host}/v2/bench/app/manifests/${reference}`, { headers: { accept: ACCEPT } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const manifest = JSON.parse(bytes.toString()) as { config: { size: number }; layers: { size: number }[] };
  const layers = manifest.layers.map((l) => l.size);
  return { total: bytes.length + manifest.config.size + layers.reduce((a, b) => a + b, 0), layers };
}

/** Runs the action; the main step's wall time (node startup included) and its peak RSS. */
async function ours(
  inputs: Record<string, string>,
  rssHook: string,
  env: Record<string, string> = {},
): Promise<{ ms: number; rssMb: number; cpuS: number; log: string }> {
  const value = await runAction('push-registry', {
    inputs,
    env: { NODE_OPTIONS: `--require ${rssHook}`, DOCKER_HOST: dockerEnv().DOCKER_HOST, ...env },
  });
  if (value.exitCode !== 0) throw new Error(`push-registry failed:\n${value.log}`);
  const usage = /peak-rss-kb=(\d+) cpu-us=(\d+)/.exec(value.log);
  return {
    ms: value.durationMs,
    rssMb: usage ? Number(usage[1]) / 1024 : Number.NaN,
    cpuS: usage ? Number(usage[2]) / 1e6 : Number.NaN,
    log: value.log,
  };
}

export async function run(): Promise<string> {
  const loadStart = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'bench-push-'));
  const rssHook = join(dir, 'rss.cjs');
  writeFileSync(
    rssHook,
    // VmHWM, not getrusage's maxRSS: Linux carries ru_maxrss over fork and exec, so that would report the
    // benchmark's own (larger) process; VmHWM belongs to this process's memory alone.
    `process.on('exit', () => { const u = process.resourceUsage(); const hwm = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]; process.stdout.write('peak-rss-kb=' + hwm + ' cpu-us=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n`,
  );
  const name = `bench/push-registry:${Date.now()}`;
  const env = dockerEnv();
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  try {
    const archive = await makeImage(dir, name);
    const to = (hosts: string[], tag = '1') => hosts.map((h) => `${h}/bench/app:${tag}`).join('\n');
    // Each run gets fresh registries and a fresh digest cache, so every first push is a real first push.
    const cache = () => ({ RUNNER_TOOL_CACHE: mkdtempSync(join(dir, 'tool-cache-')) });

    // 1. From the engine to one registry: push-registry vs docker push (time and bytes).
    const single = await withRegistries(2, async ([a, b]) => {
      const mine = await ours({ source: `docker://${name}`, destinations: to([a]) }, rssHook, cache());
      await exec(docker, ['tag', name, `${b}/bench/app:1`], { env });
      const theirs = await timed(() => exec(docker, ['push', `${b}/bench/app:1`], { env, maxBuffer: 1 << 24 }));
      await exec(docker, ['rmi', `${b}/bench/app:1`], { env }).catch(() => {});
      return { mine, theirs, mineBytes: await stored(a, '1'), theirBytes: await stored(b, '1') };
    });

    // 2. Three registries, first push and unchanged re-pushes (same tag, then a new tag).
    const engine = await withRegistries(3, async (hosts) => {
      const env3 = cache();
      const first = await ours({ source: `docker://${name}`, destinations: to(hosts) }, rssHook, env3);
      const again = await ours({ source: `docker://${name}`, destinations: to(hosts) }, rssHook, env3);
      const retag = await ours({ source: `docker://${name}`, destinations: to(hosts, '2') }, rssHook, env3);
      return { first, again, retag, bytes: await stored(hosts[0], '1') };
    });
    const fromArchive = await withRegistries(3, async (hosts) => {
      const env3 = cache();
      const first = await ours({ 'source-archive': archive, destinations: to(hosts) }, rssHook, env3);
      const again = await ours({ 'source-archive': archive, destinations: to(hosts) }, rssHook, env3);
      return { first, again, bytes: await stored(hosts[0], '1') };
    });
    const dockerRun = await withRegistries(3, async (hosts) => {
      for (const h of hosts) await exec(docker, ['tag', name, `${h}/bench/app:1`], { env });
      const pushAll = () =>
        Promise.all(hosts.map((h) => exec(docker, ['push', `${h}/bench/app:1`], { env, maxBuffer: 1 << 24 })));
      const first = await timed(pushAll);
      const again = await timed(pushAll);
      for (const h of hosts) await exec(docker, ['rmi', `${h}/bench/app:1`], { env }).catch(() => {});
      return { first, again, bytes: await stored(hosts[0], '1') };
    });
    const skopeoCopies = (source: string, extra: string[] = []) =>
      withRegistries(3, async (hosts) => {
        // Each copy under bash, whose `times` reports the CPU its child used (user + system).
        const copyAll = () =>
          Promise.all(
            hosts.map(async (h) => {
              const { stderr } = await exec(
                'bash',
                [
                  '-c',
                  'skopeo "$@" || exit; times >&2',
                  'skopeo',
                  'copy',
                  '-q',
                  '--dest-tls-verify=false',
                  ...extra,
                  source,
                  `docker://${h}/bench/app:1`,
                ],
                { maxBuffer: 1 << 24 },
              );
              return childCpuSeconds(stderr);
            }),
          );
        const first = await timed(copyAll);
        const again = await timed(copyAll);
        return {
          first,
          again,
          cpuS: first.value.reduce((a, b) => a + b, 0),
          bytes: await stored(hosts[0], '1'),
        };
      });
    const skopeoRun = await skopeoCopies(`docker-archive:${archive}`);
    const skopeoDaemon = await skopeoCopies(`docker-daemon:${name}`, [
      '--src-daemon-host',
      env.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
    ]);

    // Each of our sources against the peers that start from the same place: the engine (docker push,
    // skopeo docker-daemon:) or the saved archive (skopeo docker-archive:; docker push cannot read one).
    const fastestEngine = Math.min(dockerRun.first.ms, skopeoDaemon.first.ms);
    const fastestArchive = skopeoRun.first.ms;
    const ratio = (ms: number, base: number) => `${(ms / base).toFixed(2)}×`;
    const cpu = (seconds: number) => seconds.toFixed(2);
    const peerRow = (
      label: string,
      run: { first: { ms: number }; again: { ms: number }; bytes: { total: number } },
      base: number,
      cpuS: string,
      rss = 'n/a',
    ) => [label, s(run.first.ms), ratio(run.first.ms, base), cpuS, s(run.again.ms), '', mb(run.bytes.total), rss];
    const rows = [
      [
        'push-registry, from the engine (`docker://`, `docker save` included)',
        s(engine.first.ms),
        ratio(engine.first.ms, fastestEngine),
        `${cpu(engine.first.cpuS)} (+ the engine's export)`,
        s(engine.again.ms),
        s(engine.retag.ms),
        mb(engine.bytes.total),
        `${engine.first.rssMb.toFixed(0)} MB`,
      ],
      peerRow('`docker push` ×3 (concurrent)', dockerRun, fastestEngine, 'n/a (in the daemon)', 'n/a (daemon)'),
      peerRow(
        '`skopeo copy docker-daemon:` ×3 (concurrent)',
        skopeoDaemon,
        fastestEngine,
        `${cpu(skopeoDaemon.cpuS)} (+ the engine's exports)`,
      ),
      [
        'push-registry, from the archive (`source-archive`)',
        s(fromArchive.first.ms),
        ratio(fromArchive.first.ms, fastestArchive),
        cpu(fromArchive.first.cpuS),
        s(fromArchive.again.ms),
        '',
        mb(fromArchive.bytes.total),
        `${fromArchive.first.rssMb.toFixed(0)} MB`,
      ],
      peerRow('`skopeo copy docker-archive:` ×3 (concurrent)', skopeoRun, fastestArchive, cpu(skopeoRun.cpuS)),
    ];
    const timeRatio = single.mine.ms / single.theirs.ms;
    const byteRatio = single.mineBytes.total / single.theirBytes.total;
    const raw = LAYER_BYTES;
    const layerRow = (sizes: number[]) =>
      sizes.map((size, i) => `${i % 2 === 0 ? 'text' : 'random'} ${mb(size)}`).join(', ');
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    return `Image: ${LAYERS} layers × ${raw / 2 ** 20} MiB (${((LAYERS * raw) / 2 ** 20).toFixed(0)} MiB uncompressed): three of text-like bytes (words, as in source and library files) and three of random bytes (as in already-compressed assets), so the compression ratio shows. Every tool sends gzip-compressed layers: push-registry (default \`compression: gzip\`, level 6, each layer compressed once whatever the number of destinations, in parallel), \`docker push\` and \`skopeo copy\` (each compresses once per destination). Each run pushes to fresh docker-registry processes on loopback; "stored" is what a registry holds for the image afterwards (manifest, config and layers), which shows every tool sent compressed layers. Load average (1 min) on this ${cpus().length}-core machine: ${loadStart.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after; the ratios compare runs made seconds to minutes apart. skopeo compresses with klauspost/pgzip, several times faster than zlib per core; docker push with Go's compress/gzip.

**From the engine to one registry** (push-registry \`docker://\` vs \`docker push\`):

| | time (s) | stored bytes (MiB) | layer sizes (MiB) |
|---|---|---|---|
| push-registry | ${s(single.mine.ms)} | ${mb(single.mineBytes.total)} | ${layerRow(single.mineBytes.layers)} |
| \`docker push\` | ${s(single.theirs.ms)} | ${mb(single.theirBytes.total)} | ${layerRow(single.theirBytes.layers)} |
| ratio | ${timeRatio.toFixed(2)}× (target ≤ 1.0×: ${met(timeRatio <= 1)}) | ${byteRatio.toFixed(3)}× (target ≤ 1.05×: ${met(byteRatio <= 1.05)}) | |

**To three registries:**

| tool | first push (s) | vs the faster peer from the same source | CPU, first push (s) | unchanged re-push, same tag (s) | unchanged, new tag (s) | stored per registry (MiB) | peak RSS |
|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

- First push to 3 registries from the engine vs the faster of docker push ×3 and skopeo copy docker-daemon: ×3: ${ratio(engine.first.ms, fastestEngine)} (target ≤ 0.5×): ${met(engine.first.ms <= 0.5 * fastestEngine)}.
- From the archive vs skopeo copy docker-archive: ×3: ${ratio(fromArchive.first.ms, fastestArchive)} (target ≤ 0.5×): ${met(fromArchive.first.ms <= 0.5 * fastestArchive)}.
- CPU: push-registry compressed each layer once and used ${cpu(fromArchive.first.cpuS)} s from the archive; the three skopeo copies, each compressing every layer again, used ${cpu(skopeoRun.cpuS)} s together (${(fromArchive.first.cpuS / skopeoRun.cpuS).toFixed(2)}×). On ${cpus().length} cores a first push is bound by that CPU, and zlib at level 6 spends more per byte than pgzip does at its default level (whose layers come out larger: ${mb(skopeoRun.bytes.total)} against ${mb(fromArchive.bytes.total)} MiB stored).
- Unchanged re-push to 3 destinations from the engine: ${s(engine.again.ms)} s (same tag), ${s(engine.retag.ms)} s (a new tag; manifests only) (target ≤ 0.5 s, node startup included): ${met(Math.max(engine.again.ms, engine.retag.ms) <= 500)}; from the archive: ${s(fromArchive.again.ms)} s (the digest cache rebuilds the manifest without compressing).
`;
  } finally {
    await exec(docker, ['rmi', '-f', name], { env }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
