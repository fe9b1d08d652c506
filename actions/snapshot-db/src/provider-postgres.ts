import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { workflow as core } from '@deploy-actions/toolkit';
import { findPgDump, pgDump, serverVersion } from '@deploy-actions/db';
import { UserError, formatDuration, redact } from '@deploy-actions/toolkit';
import { decryptCommand, encryptFile } from './artifact-encryption';
import { fileName } from './identifier';
import type { PostgresInputs } from './inputs';
import type { Outcome, Run } from './outcome';

/**
 * Any PostgreSQL, by pg_dump: asks the server its version, runs the pg_dump of that major into a
 * compressed custom-format archive, and optionally keeps it as a workflow artifact (without one, the
 * file lives only as long as the runner).
 */

/** The artifact service is there only inside a GitHub Actions job. */
function artifactServiceMissing(): string | undefined {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !process.env[name]);
  return missing.length ? missing.join(' and ') : undefined;
}

/**
 * @actions/artifact prints the service's answers itself (`::debug::Body: {...}`, JSON-escaped, and its retry
 * lines), straight to stdout, past `redact`: an answer that quotes a secret would reach the raw log. While it
 * runs, what it writes is redacted first; a workflow command's message is redacted unescaped (its `%`
 * written `%25`, so a URL-encoded secret would otherwise slip through) and escaped again (issue 12's echo test).
 */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const scrub = (text: string) =>
  redact(
    text.replace(
      /^(::[^:\n]*::)(.*)$/gm,
      (_, head: string, message: string) => head + escapeData(redact(unescapeData(message))),
    ),
  );

async function redactingStdout<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    (write as (...args: unknown[]) => boolean).call(
      process.stdout,
      scrub(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')),
      ...rest,
    )) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/** Uploads `file` (already encrypted unless the opt-in said otherwise); the artifact's name, or undefined. */
async function upload(run: Run<PostgresInputs>, file: string): Promise<string | undefined> {
  const name = run.inputs.artifactName ?? basename(file);
  const missing = artifactServiceMissing();
  if (missing) {
    core.warning(
      `upload-artifact: the artifact service is not available here (${missing} unset: not a GitHub Actions job?), so the dump was not uploaded; it stays at ${file} until the runner is cleaned`,
    );
    return undefined;
  }
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const { id, size } = await redactingStdout(() =>
      new DefaultArtifactClient().uploadArtifact(name, [file], dirname(file), {
        retentionDays: run.inputs.artifactRetentionDays,
        // The archive is compressed already.
        compressionLevel: 0,
      }),
    );
    core.info(`Uploaded artifact "${name}" (id ${id}, ${size} bytes)`);
    return name;
  } catch (error) {
    throw new UserError(redact(`Uploading the dump as artifact "${name}" failed: ${(error as Error).message}`));
  }
}

export async function snapshotPostgres(run: Run<PostgresInputs>): Promise<Outcome> {
  const db = run.inputs.databaseUrl;
  let version: Awaited<ReturnType<typeof serverVersion>>;
  try {
    version = await serverVersion(db);
  } catch (error) {
    throw new UserError(redact(`Could not connect to ${db.describe}: ${(error as Error).message}`));
  }
  const binary = findPgDump(version.major);
  core.info(`${db.describe} runs PostgreSQL ${version.text}; dumping with ${binary.path}`);

  const dir = resolve(run.inputs.path);
  const base = fileName(run.inputs.identifier, { ...run.values, db: db.database });
  let file = join(dir, `${base}.dump`);
  for (let n = 2; existsSync(file); n++) file = join(dir, `${base}-${n}.dump`);

  run.requested(`a dump of ${db.database} to ${file}`);
  const result = await core.group(`pg_dump ${db.describe}`, () =>
    pgDump({
      db,
      pgDump: binary.path,
      file,
      compression: run.inputs.compressionLevel,
      onLine: (line) => core.info(redact(line)),
      signal: run.signal,
    }),
  );
  core.info(`Dumped ${db.database} to ${file}: ${result.bytes} bytes in ${formatDuration(result.durationMs)}`);

  let artifact: string | undefined;
  let uploaded = file;
  const key = run.inputs.artifactKey;
  if (run.inputs.uploadArtifact) {
    if (key) {
      uploaded = `${file}.age`;
      const started = Date.now();
      await encryptFile(file, uploaded, key);
      core.info(
        `Encrypted the dump to ${basename(uploaded)} (age, ${key.kind === 'recipients' ? `${key.recipients.length} recipient(s)` : 'passphrase'}) in ${formatDuration(Date.now() - started)}`,
      );
    } else {
      core.warning(
        'artifact-unencrypted: the database dump is uploaded UNENCRYPTED: anyone who can read this repository can download it for the retention period. Set artifact-passphrase instead',
      );
    }
    artifact = await upload(run, uploaded);
  }
  const restore = [
    ...(artifact ? [`gh run download ${process.env.GITHUB_RUN_ID ?? '<run-id>'} --name "${artifact}"`] : []),
    ...(artifact && key ? [decryptCommand(key, basename(uploaded), basename(file))] : []),
    `pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${artifact ? basename(file) : file}`,
  ].join('\n');
  return {
    id: basename(file),
    ref: file,
    status: 'completed',
    createdAt: new Date(),
    sizeBytes: result.bytes,
    restore,
    facts: [
      ['Source', db.describe],
      ['Server', `PostgreSQL ${version.text}`],
      ['pg_dump', binary.path],
      ['Format', `custom, compression level ${run.inputs.compressionLevel}`],
      ['Artifact', artifact ?? (run.inputs.uploadArtifact ? 'not uploaded (no artifact service)' : undefined)],
      [
        'Encryption',
        run.inputs.uploadArtifact
          ? key
            ? `age (${key.kind === 'recipients' ? 'to recipients' : 'passphrase'})`
            : '⚠️ none: the artifact is the database in the clear (artifact-unencrypted)'
          : undefined,
      ],
    ],
  };
}
