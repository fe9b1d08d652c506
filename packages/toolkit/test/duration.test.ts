import { formatDuration, parseDuration } from '../src/duration';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['45', 45_000],
    [' 1.5m ', 90_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5x', 'm', '10 m', '-5s', '1h-'])('rejects %p', (text) => expect(parseDuration(text)).toBeUndefined());

  it('formats for people', () => {
    expect(formatDuration(350)).toBe('350ms');
    expect(formatDuration(4200)).toBe('4.2s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(3_723_000)).toBe('1h 2m 3s');
  });
});
