import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../packages/harness/src';
import { type Cloud, deploy, envOf, service, split, startCloud } from './fixture';

// Issue 13: users of google-github-actions/deploy-cloudrun move over without surprises. The peer's inputs
// come from its own action.yml (fixtures/peer-action.yml, Apache-2.0, see fixtures/NOTICE).

const peer = parse(readFileSync(join(import.meta.dirname, 'fixtures', 'peer-action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const ours = parse(readFileSync(join(repoRoot, 'deploy-cloudrun', 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const STRATEGIES = ['all-at-once', 'canary', 'blue-green', 'no-traffic'];
const readme = readFileSync(join(repoRoot, 'deploy-cloudrun', 'README.md'), 'utf8');

function migrationTable(): Map<string, string> {
  const section = readme.slice(readme.indexOf('## Migrating from google-github-actions/deploy-cloudrun'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n').filter((l) => /^\| `|^\| output `/.test(l))) {
    const [, left, right] = line.split(/(?<!\\)\|/).map((c) => c.trim());
    for (const name of left.matchAll(/`([^`]+)`/g))
      rows.set(left.startsWith('output') ? `output ${name[1]}` : name[1], right);
  }
  return rows;
}

describe('deploy-cloudrun for google-github-actions/deploy-cloudrun users (issue 13)', () => {
  it('the README migration table covers every peer input and output, and names only inputs we have', () => {
    const table = migrationTable();
    const missing = [
      ...Object.keys(peer.inputs).filter((name) => !table.has(name)),
      ...Object.keys(peer.outputs).filter((name) => !table.has(`output ${name}`)),
    ];
    expect(missing).toEqual([]);
    for (const [name, right] of table) {
      // Every kebab-case name we point at is one of our inputs or outputs.
      for (const [, ourName] of right.matchAll(/`([a-z][a-z0-9-]*)`/g))
        if ((ourName.includes('-') || name === ourName) && !STRATEGIES.includes(ourName))
          expect([name, ourName, ourName in ours.inputs || ourName in ours.outputs]).toEqual([name, ourName, true]);
    }
    expect(table.get('timeout')).toMatch(/^`request-timeout`/);
  });

  it("this action's name differs from Google's", () => {
    const name = /^name: (.*)$/m.exec(readFileSync(join(repoRoot, 'deploy-cloudrun', 'action.yml'), 'utf8'))?.[1];
    expect(name).toBeDefined();
    expect(name).not.toMatch(/^'?Deploy to Cloud Run'?$/);
  });

  describe('through the action', () => {
    let cloud: Cloud;
    beforeEach(async () => {
      cloud = await startCloud();
    });
    afterEach(() => cloud.close());

    it("reads env-vars and secrets in the peer's comma form, \\, escapes included, and says which form it read", async () => {
      cloud.run.setSecret('db-url', 'postgres://x', '2');
      cloud.run.setSecret('api-key', 'k');
      const result = await deploy(cloud, {
        service: 'api',
        image: 'example.com/api:1',
        'env-vars': 'A=1,ORIGINS=https://a.example\\,https://b.example, QUOTED=" kept "',
        secrets: 'DB=db-url:2,KEY=api-key',
      });
      expect(result.errors).toEqual([]);
      expect(envOf(service(cloud, 'api'))).toEqual({
        A: '1',
        ORIGINS: 'https://a.example,https://b.example',
        QUOTED: ' kept ',
        DB: { secret: 'db-url', version: '2' },
        KEY: { secret: 'api-key', version: 'latest' },
      });
      expect(result.log).toContain(
        'env-vars: read as a comma-separated list (3 pairs, google-github-actions/deploy-cloudrun form); escaped commas kept in ORIGINS',
      );
      const lines = await deploy(cloud, {
        service: 'api',
        image: 'example.com/api:2',
        'env-vars': 'ORIGINS=https://a,https://b\nB=2',
      });
      expect(lines.errors).toEqual([]);
      expect(lines.log).toContain(
        'env-vars: read one KEY=VALUE per line; the commas in ORIGINS stay part of the value',
      );
    });

    it('fails before any request on an input copied in snake_case, naming the kebab-case one', async () => {
      const result = await deploy(
        cloud,
        { service: 'api', image: 'example.com/api:1' },
        { env: { INPUT_ENV_VARS: 'A=1' } },
      );
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^Input "env-vars": is given as "env_vars".*rename it to env-vars/);
      expect(cloud.run.server.requests).toEqual([]);
    });

    it("warns when timeout looks like the peer's request timeout copied over", async () => {
      const result = await deploy(cloud, { service: 'api', image: 'example.com/api:1', timeout: '300s' });
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([
        'Input "timeout" (300s) is how long this whole step may take. If it was copied from google-github-actions/deploy-cloudrun, whose timeout is the request timeout, rename it to request-timeout.',
      ]);
      const renamed = await deploy(cloud, { service: 'api', image: 'example.com/api:2', 'request-timeout': '300s' });
      expect(renamed.warnings).toEqual([]);
      expect(service(cloud, 'api').template.timeout).toBe('300s');
    });

    it('moves traffic without deploying: to a named revision, to a tag, back to PREVIOUS, and to LATEST', async () => {
      const v1 = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
      const v2 = await deploy(cloud, {
        service: 'api',
        image: 'example.com/api:2',
        strategy: 'no-traffic',
        tag: 'green',
      });
      const v3 = await deploy(cloud, { service: 'api', image: 'example.com/api:3' });
      const revisions = cloud.run.server.count('POST', /\/services$/) + cloud.run.server.count('PATCH');

      const named = await deploy(cloud, {
        image: undefined,
        service: 'api',
        'revision-traffic': `${v1.outputs.revision}=10`,
      });
      expect(named.errors).toEqual([]);
      expect(split(service(cloud, 'api'))).toEqual({ [v1.outputs.revision]: 10, [v3.outputs.revision]: 90 });
      expect(named.outputs.revision).toBe(v3.outputs.revision);

      const tagged = await deploy(cloud, {
        image: undefined,
        service: 'api',
        'tag-traffic': 'green=100',
        'health-path': '/health',
        'health-probes': 1,
      });
      expect(tagged.errors).toEqual([]);
      expect(split(service(cloud, 'api'))).toEqual({ [v2.outputs.revision]: 100 });
      expect(service(cloud, 'api').trafficStatuses).toContainEqual(
        expect.objectContaining({ tag: 'green', revision: v2.outputs.revision }),
      );

      const latest = await deploy(cloud, { image: undefined, service: 'api', 'revision-traffic': 'LATEST=100' });
      expect(latest.errors).toEqual([]);
      expect(split(service(cloud, 'api'))).toEqual({ [v3.outputs.revision]: 100 });

      const back = await deploy(cloud, { image: undefined, service: 'api', 'revision-traffic': 'PREVIOUS=100' });
      expect(back.errors).toEqual([]);
      expect(split(service(cloud, 'api'))).toEqual({ [v2.outputs.revision]: 100 });
      expect(back.outputs['previous-revision']).toBe(v3.outputs.revision);
      expect(back.summary).toContain('Cloud Run traffic move: api');
      // Four moves, no new revision: every write was a traffic patch.
      expect(service(cloud, 'api').latestCreatedRevision).toMatch(new RegExp(`/${v3.outputs.revision}$`));
      expect(cloud.run.server.count('PATCH') + cloud.run.server.count('POST', /\/services$/) - revisions).toBe(4);
    });

    it('refuses a traffic move that names what the service does not have, before any write', async () => {
      await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
      const patches = cloud.run.server.count('PATCH');
      const result = await deploy(cloud, { image: undefined, service: 'api', 'tag-traffic': 'blue=100' });
      expect(result.errors).toEqual(['Input "tag-traffic": api has no tag "blue"; use one of its tags: it has none']);
      const deployish = await deploy(cloud, {
        service: 'api',
        'revision-traffic': 'LATEST=100',
        image: 'example.com/api:2',
      });
      expect(deployish.errors[0]).toMatch(
        /^Input "image": deploys something, but revision-traffic \/ tag-traffic only move traffic/,
      );
      expect(cloud.run.server.count('PATCH')).toBe(patches);
    });
  });
});
