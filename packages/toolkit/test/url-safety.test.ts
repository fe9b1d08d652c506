import { assertPathSegment, checkCredentialUrl, checkProbeUrl, InputError, safeCopy, safeMerge } from '../src';

describe('checkCredentialUrl', () => {
  it.each([
    'https://api.render.com/v1',
    'http://127.0.0.1:8080/x',
    'http://127.8.9.10/x',
    'http://localhost:3000',
    'http://[::1]:9000/',
  ])('accepts %s', (url) => {
    expect(checkCredentialUrl(url, 'api-url').href).toBe(new URL(url).href);
  });

  it.each([
    ['http://api.example.com/v1', 'Input "api-url": the URL uses http: to api.example.com; use an https:// URL'],
    ['http://10.0.0.5/', 'Input "api-url": the URL uses http: to 10.0.0.5; use an https:// URL'],
    ['https://169.254.169.254/latest/meta-data', 'Input "api-url": points at 169.254.169.254, a link-local address'],
    ['https://0xA9FEA9FE/', 'points at 169.254.169.254, a link-local'],
    ['https://[::ffff:169.254.169.254]/', 'points at [::ffff:a9fe:a9fe], a link-local'],
    ['https://[fd00:ec2::254]/', 'points at [fd00:ec2::254], a cloud metadata address'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'points at metadata.google.internal, a cloud metadata'],
    ['http://metadata/computeMetadata/v1/', 'points at metadata, a cloud metadata address'],
    ['https://METADATA.google.internal./', 'a cloud metadata address'],
    ['https://[fe80::1]/', 'a link-local address'],
    ['ftp://example.com/', 'Input "api-url": the URL uses ftp:; use a https: or http: URL'],
    ['not a url', 'Input "api-url": the value is not a URL'],
  ])('refuses %s in one line', (url, message) => {
    expect(() => checkCredentialUrl(url, 'api-url')).toThrow(InputError);
    expect(() => checkCredentialUrl(url, 'api-url')).toThrow(message);
  });

  it('allows metadata only when asked', () => {
    expect(checkCredentialUrl('https://169.254.169.254/', 'x', { allowMetadata: true }).hostname).toBe(
      '169.254.169.254',
    );
  });
});

describe('checkProbeUrl', () => {
  it('accepts plain http to anywhere else and refuses metadata', () => {
    expect(checkProbeUrl('http://api.example.com/healthz', 'health-url').pathname).toBe('/healthz');
    expect(() => checkProbeUrl('http://169.254.169.254/', 'health-url')).toThrow(
      'Input "health-url": points at 169.254.169.254, a link-local address',
    );
    expect(() => checkProbeUrl('file:///etc/passwd', 'health-url')).toThrow('the URL uses file:');
  });
});

describe('assertPathSegment', () => {
  const rule = { pattern: /^srv-[a-z0-9]+$/, described: 'a Render service ID like srv-abc123' };
  it('passes a good segment', () => expect(assertPathSegment('srv-abc123', 'service-id', rule)).toBe('srv-abc123'));
  it.each([
    ['srv-a/../b', 'contains "/"'],
    ['..', 'is ".."'],
    ['srv-a%2Fb', 'contains "%"'],
    ['srv-a?x=1', 'contains "?"'],
    ['srv-a#x', 'contains "#"'],
    ['srv a', 'contains " "'],
    ['srv-a\u0000', 'contains "\\u0000"'],
    ['', 'is ""'],
  ])('refuses %j', (value, problem) => {
    expect(() => assertPathSegment(value, 'service-id', rule)).toThrow(
      `Input "service-id": ${problem}, which cannot be part of a URL path; use a Render service ID like srv-abc123`,
    );
  });
  it('then applies the rule', () =>
    expect(() => assertPathSegment('web', 'service-id', rule)).toThrow('"web" is not a Render service ID'));
});

describe('safeMerge', () => {
  it('merges objects, replaces arrays, removes nulls, into null-prototype objects', () => {
    const base = { spec: { a: 1, list: [1, 2], gone: true }, keep: 'x' };
    const merged = safeMerge(base, { spec: { b: 2, list: [3], gone: null } }, { input: 'service-patch' });
    expect(JSON.parse(JSON.stringify(merged))).toEqual({ spec: { a: 1, b: 2, list: [3] }, keep: 'x' });
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(base.spec.gone).toBe(true);
  });
  it.each([
    '{"__proto__": {"polluted": 1}}',
    '{"a": {"constructor": {"prototype": {"polluted": 1}}}}',
    '{"prototype": 1}',
  ])('refuses %s and pollutes nothing', (json) => {
    expect(() => safeMerge({}, JSON.parse(json), { input: 'service-patch' })).toThrow(
      /^Input "service-patch": has the key "(__proto__|constructor|prototype)"/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('copies user data safely', () => {
    expect(() => safeCopy([{ ok: 1 }, { __proto__x: 1 }], { input: 'x' })).not.toThrow();
    expect(() => safeCopy([{ a: JSON.parse('{"__proto__": 1}') }], { input: 'x' })).toThrow('under [0].a');
  });
});
