import { service, startRender, trigger } from './fixture';

/**
 * Every bad input fails with one line naming it, before the action sends anything: the emulator must
 * have seen no request at all. `{hook}`, `{key}`, `{api}` and `{srv}` stand for the emulator's values.
 */
const cases: [string, Record<string, string | boolean | number>, string][] = [
  ['nothing to trigger with', {}, 'deploy-hook-url'],
  ['a hook that is not a URL', { 'deploy-hook-url': 'render-hook' }, 'deploy-hook-url'],
  [
    'a hook over plain http',
    { 'deploy-hook-url': 'http://api.render.com/deploy/srv-abc123?key=k3y' },
    'deploy-hook-url',
  ],
  ['a hook without a key', { 'deploy-hook-url': 'https://api.render.com/deploy/srv-abc123' }, 'deploy-hook-url'],
  [
    'a hook with the wrong path',
    { 'deploy-hook-url': 'https://api.render.com/v1/srv-abc123?key=k3y' },
    'deploy-hook-url',
  ],
  ['a malformed service ID', { 'api-key': '{key}', 'service-id': 'web-123' }, 'service-id'],
  [
    'a service ID that is not the hook service',
    { 'deploy-hook-url': '{hook}', 'service-id': 'srv-other1234' },
    'service-id',
  ],
  ['an API key without a service', { 'api-key': '{key}' }, 'service-id'],
  ['an API key with a line break', { 'api-key': 'rnd_abc\nrnd_def', 'service-id': '{srv}' }, 'api-key'],
  [
    'an api-url over plain http to another host',
    { 'api-key': '{key}', 'service-id': '{srv}', 'api-url': 'http://proxy.example/v1' },
    'api-url',
  ],
  ['an image without a tag', { 'deploy-hook-url': '{hook}', 'image-url': 'docker.io/acme/api' }, 'image-url'],
  ['an image with capitals', { 'deploy-hook-url': '{hook}', 'image-url': 'docker.io/Acme/API:1' }, 'image-url'],
  ['a commit that is not a SHA', { 'deploy-hook-url': '{hook}', commit: 'main' }, 'commit'],
  [
    'both an image and a commit',
    { 'deploy-hook-url': '{hook}', 'image-url': 'acme/api:1', commit: 'abcdef1' },
    'image-url',
  ],
  [
    'clear-cache that is not a boolean',
    { 'api-key': '{key}', 'service-id': '{srv}', 'clear-cache': 'maybe' },
    'clear-cache',
  ],
  ['clear-cache with a hook', { 'deploy-hook-url': '{hook}', 'clear-cache': true }, 'clear-cache'],
  ['wait without an API key', { 'deploy-hook-url': '{hook}', wait: true }, 'wait'],
  ['a timeout that is not a duration', { 'api-key': '{key}', 'service-id': '{srv}', timeout: 'soon' }, 'timeout'],
  ['a timeout under a second', { 'api-key': '{key}', 'service-id': '{srv}', timeout: '10ms' }, 'timeout'],
  [
    'cancel-on-timeout that is not a boolean',
    { 'api-key': '{key}', 'service-id': '{srv}', 'cancel-on-timeout': 'y' },
    'cancel-on-timeout',
  ],
  ['a poll interval of zero', { 'api-key': '{key}', 'service-id': '{srv}', 'poll-interval': '0s' }, 'poll-interval'],
  [
    'a health path without a slash',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': 'healthz' },
    'health-path',
  ],
  [
    'both health-path and health-url',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-url': 'https://x.example/h' },
    'health-path',
  ],
  [
    'a health status out of range',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-status': 700 },
    'health-status',
  ],
  [
    'zero health retries',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-retries': 0 },
    'health-retries',
  ],
  [
    'a bad health interval',
    { 'api-key': '{key}', 'service-id': '{srv}', 'health-path': '/h', 'health-interval': '5 minutes' },
    'health-interval',
  ],
  ['a health check with a hook alone', { 'deploy-hook-url': '{hook}', 'health-path': '/healthz' }, 'health-path'],
  [
    'a health check with wait: false',
    { 'api-key': '{key}', 'service-id': '{srv}', wait: false, 'health-url': 'https://x.example/h' },
    'health-url',
  ],
  ['rollback without an API key', { 'deploy-hook-url': '{hook}', 'rollback-on-failure': true }, 'rollback-on-failure'],
];

describe('trigger-render-hook inputs', () => {
  it.concurrent.each(cases)('rejects %s before any request', async (_, given, input) => {
    const render = await startRender();
    try {
      const setup = service(render);
      const fill = (value: string | boolean | number) =>
        typeof value !== 'string'
          ? value
          : value.replace('{hook}', setup.hookUrl).replace('{key}', render.apiKey).replace('{srv}', setup.serviceId);
      const inputs = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, fill(value)]));
      const result = await trigger(setup, { 'api-url': render.apiUrl, ...inputs });
      expect(result.exitCode).not.toBe(0);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
      expect(result.log).not.toMatch(/\n\s+at /);
      expect(render.requests).toEqual([]);
    } finally {
      await render.close();
    }
  });

  it('never quotes a secret hook URL back in its error', async () => {
    const render = await startRender();
    try {
      const setup = service(render);
      const hook = 'http://hooks.example/deploy/srv-abc123?key=SuperSecretKey';
      const result = await trigger(
        { ...setup, secrets: [...setup.secrets, hook, 'SuperSecretKey'] },
        { 'deploy-hook-url': hook },
      );
      expect(result.errors).toEqual([
        'Input "deploy-hook-url": the URL uses http: to hooks.example; use an https:// URL',
      ]);
    } finally {
      await render.close();
    }
  });
});
