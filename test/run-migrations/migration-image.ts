import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { repoRoot } from '@deploy-actions/harness';
import { services } from './databases';

/**
 * The migration image for the image and cloudrun-job tests, built FROM the local busybox: the host's psql
 * with the shared libraries ldd names, the small migration tool (fixtures/migrate.sh) as its CMD, and the
 * example app's migrations, so the migrations that run are the ones in the image.
 */

const svc = services();
export const docker = svc.dockerClient;
export const dockerEnv = { ...process.env, DOCKER_HOST: svc.dockerHost, DOCKER_BUILDKIT: '1' };

export function buildMigrationImage(name: string): string {
  const image = `localhost/${name}:${Date.now().toString(36)}`;
  const context = mkdtempSync(join(tmpdir(), 'rm-image-'));
  const psql = join(svc.postgresBin, 'psql');
  mkdirSync(join(context, 'lib'));
  let loader = '';
  for (const line of execFileSync('ldd', [psql], { encoding: 'utf8' }).split('\n')) {
    const lib = /=>\s+(\/\S+)/.exec(line)?.[1];
    if (lib) copyFileSync(realpathSync(lib), join(context, 'lib', basename(lib)));
    const ld = /^\s*(\/lib64\/\S+)/.exec(line)?.[1];
    if (ld) loader = ld;
  }
  copyFileSync(realpathSync(loader), join(context, 'ld.so'));
  copyFileSync(psql, join(context, 'psql'));
  copyFileSync(join(import.meta.dirname, 'fixtures', 'migrate.sh'), join(context, 'migrate.sh'));
  cpSync(join(repoRoot, 'examples', 'app', 'migrations'), join(context, 'migrations'), { recursive: true });
  writeFileSync(
    join(context, 'Dockerfile'),
    [
      `FROM ${svc.baseImage}`,
      'COPY lib/ /lib/x86_64-linux-gnu/',
      `COPY ld.so ${loader}`,
      'COPY psql /usr/local/bin/psql',
      'COPY migrate.sh /usr/local/bin/migrate',
      'COPY migrations/ /migrations/',
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      'CMD ["/bin/sh", "/usr/local/bin/migrate"]',
    ].join('\n'),
  );
  execFileSync(docker, ['build', '--network', 'host', '-q', '-t', image, context], { env: dockerEnv, stdio: 'pipe' });
  rmSync(context, { recursive: true, force: true });
  return image;
}

export function removeImage(image: string): void {
  spawnSync(docker, ['rmi', '--force', image], { env: dockerEnv });
}
