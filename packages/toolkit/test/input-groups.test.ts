import { exclusive } from '../src/input-groups';

test('exclusive: at most one of the named inputs, whatever kind each value is', () => {
  expect(() => exclusive({ a: 'x', b: 'y' })).toThrow('Input "a": cannot be combined with "b"; set only one of them');
  expect(() => exclusive({ a: ['x'], b: { k: 'v' }, c: true })).toThrow('Input "a": cannot be combined with "b", "c"');
  expect(() => exclusive({ a: 'x', b: undefined, c: '', d: false, e: [], f: {} })).not.toThrow();
  expect(() => exclusive({ a: new URL('https://a.test'), b: 'y' })).toThrow('Input "a": cannot be combined with "b"');
});
