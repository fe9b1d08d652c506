import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the local services started by scripts/services.sh are: it writes `services.env` into its state
 * directory, and tests, the demo and the benchmark read it here.
 */
export interface Services {
  dockerHost: string;
  /** The Debian docker.io client, which builds with the engine's BuildKit without buildx. */
  dockerClient: string;
  /** A plain-HTTP OCI registry on loopback, `host:port`. */
  registry: string;
  /** A PostgreSQL superuser URL. */
  postgresUrl: string;
  /** The server's bin directory (pg_dump, psql, pg_restore of the matching major). */
  postgresBin: string;
  mariadbUrl: string;
  /** A tiny image made locally from busybox-static: tests build FROM it, nothing is pulled. */
  baseImage: string;
  stateDir: string;
}

export const servicesStateDir = process.env.DEPLOY_ACTIONS_SERVICES_DIR ?? '/tmp/deploy-actions';

export function readServices(): Services {
  const file = join(servicesStateDir, 'services.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: start the local services with "npm run services" first`);
  }
  const env = Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return {
    dockerHost: env.DOCKER_HOST,
    dockerClient: env.DOCKER_CLIENT,
    registry: env.REGISTRY,
    postgresUrl: env.POSTGRES_URL,
    postgresBin: env.POSTGRES_BIN,
    mariadbUrl: env.MARIADB_URL,
    baseImage: env.BASE_IMAGE,
    stateDir: servicesStateDir,
  };
}
