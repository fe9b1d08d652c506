import * as inputs from '../src/inputs';

function withInputs(values: Record<string, string>, fn: () => void): void {
  const keys = Object.keys(values).map((k) => `INPUT_${k.toUpperCase()}`);
  Object.entries(values).forEach(([k, v]) => {
    process.env[`INPUT_${k.toUpperCase()}`] = v;
  });
  try {
    fn();
  } finally {
    for (const key of keys) delete process.env[key];
  }
}

describe('typed inputs', () => {
  it('reads each type', () => {
    withInputs(
      {
        flag: 'TRUE',
        count: '3',
        timeout: '10m',
        items: 'a, b\nc',
        vars: 'A=1\nB=x=y',
        mode: 'Canary',
        url: 'https://example.test/x',
      },
      () => {
        expect(inputs.getBoolean('flag')).toBe(true);
        expect(inputs.getInteger('count', { min: 1 })).toBe(3);
        expect(inputs.getDuration('timeout')).toBe(600_000);
        expect(inputs.getList('items')).toEqual(['a', 'b', 'c']);
        expect(inputs.getMap('vars')).toEqual({ A: '1', B: 'x=y' });
        expect(inputs.getEnum('mode', ['all-at-once', 'canary'] as const)).toBe('canary');
        expect(inputs.getUrl('url')?.host).toBe('example.test');
        expect(inputs.getString('absent')).toBeUndefined();
        expect(inputs.getList('absent')).toEqual([]);
      },
    );
  });

  it.each([
    ['flag', 'maybe', () => inputs.getBoolean('flag'), 'Input "flag": "maybe" is not a boolean; use true or false'],
    ['count', '2.5', () => inputs.getInteger('count'), 'Input "count": "2.5" is not a whole number'],
    [
      'count',
      '0',
      () => inputs.getInteger('count', { min: 1, max: 9 }),
      'Input "count": 0 is out of range; use a whole number from 1 to 9',
    ],
    ['timeout', 'soon', () => inputs.getDuration('timeout'), 'Input "timeout": "soon" is not a duration'],
    ['vars', 'A=1,novalue', () => inputs.getMap('vars'), 'Input "vars": "novalue" is not KEY=VALUE'],
    [
      'mode',
      'yolo',
      () => inputs.getEnum('mode', ['a', 'b']),
      'Input "mode": "yolo" is not one of the choices; use one of: a, b',
    ],
    ['url', 'ftp://x', () => inputs.getUrl('url'), 'Input "url": the URL uses ftp:'],
    ['url', 'not a url', () => inputs.getUrl('url'), 'Input "url": "not a url" is not a URL'],
  ])('names %s and the problem for %p', (name, value, read, message) => {
    withInputs({ [name]: value }, () => expect(read).toThrow(message));
  });

  it('never quotes a secret value', () => {
    withInputs({ key: 'hunter2-secret' }, () => {
      expect(() => inputs.getUrl('key', { secret: true })).toThrow('Input "key": the value is not a URL');
    });
  });

  it('enforces required and exclusive groups', () => {
    expect(() => inputs.getString('missing', { required: true })).toThrow('Input "missing": is required but empty');
    expect(() => inputs.exclusive({ a: 'x', b: 'y' })).toThrow('Input "a": cannot be combined with "b"');
    expect(() => inputs.oneOf({ a: undefined, b: undefined })).toThrow('Input "a": is missing; set one of "a", "b"');
  });
});
