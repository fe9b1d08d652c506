// Installs (when missing) and starts the local services once for the whole run (scripts/services.sh),
// and points Docker clients at the engine it started.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup() {
  execFileSync('bash', [join(import.meta.dirname, '..', 'scripts', 'services.sh')], { stdio: 'inherit' });
  const state = process.env.DEPLOY_ACTIONS_SERVICES_DIR ?? '/tmp/deploy-actions';
  const env = readFileSync(join(state, 'services.env'), 'utf8');
  process.env.DOCKER_HOST = /^DOCKER_HOST=(.*)$/m.exec(env)[1];
}
