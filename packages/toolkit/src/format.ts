/** Units as every summary and log line writes them, so the actions agree: durations, sizes, counts, seconds. */
export { formatDuration } from './duration';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `812 B`, `4.2 MB`, `1.05 GB`: decimal (1000) units, three significant digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}

/** `1 request`, `3 requests`, `1,204 rows`. */
export function formatCount(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`;
}

/** Milliseconds as seconds with one decimal, for outputs such as `duration-seconds`: 12345 → `12.3`. */
export function outputSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
