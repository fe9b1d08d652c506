import {
  isRdsName,
  rdsIdentifier,
  render,
  templateValues,
  unknownPlaceholder,
  firstFree,
  fileName,
} from '../src/identifier';
import { planRetention } from '../src/retention';
import { WaitSchedule } from '../src/wait-schedule';

const values = templateValues({
  db: 'Orders-DB',
  ref: 'refs/heads/feature/ABC_123--fix',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  runId: '4242',
  runAttempt: '2',
  now: new Date('2026-11-22T03:04:05.678Z'),
});

describe('identifier templates', () => {
  it('fills every placeholder', () => {
    expect(render('{db}/{ref}/{sha}/{sha7}/{run-id}/{run-attempt}/{timestamp}/{date}', values)).toBe(
      'Orders-DB/feature/ABC_123--fix/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678/a1b2c3d/4242/2/20261122-030405/20261122',
    );
    expect(unknownPlaceholder('{db}-{sha7}')).toBeUndefined();
    expect(unknownPlaceholder('{db}-{branch}')).toBe('branch');
  });

  it('makes RDS identifiers: lowercase, single hyphens, a letter first, no trailing hyphen, within the limit', () => {
    const id = rdsIdentifier('{db}-{ref}-{sha7}-{timestamp}', values, 255);
    expect(id).toBe('orders-db-feature-abc-123-fix-a1b2c3d-20261122-030405');
    expect(isRdsName(id, 255)).toBe(true);
    expect(rdsIdentifier('{date}--{sha7}-', values, 255)).toBe('snapshot-20261122-a1b2c3d');
    // Clusters allow 63: the branch gives way first, the commit and the time stay.
    const long = rdsIdentifier('{db}-{ref}-{sha7}-{timestamp}', { ...values, ref: 'x'.repeat(80) }, 63);
    expect(long.length).toBeLessThanOrEqual(59);
    expect(long).toMatch(/^orders-db-x+-a1b2c3d-20261122-030405$/);
    expect(isRdsName(long, 63)).toBe(true);
  });

  it('finds the first free name, and makes safe file names', async () => {
    const taken = new Set(['snap', 'snap-2']);
    expect(await firstFree('snap', async (c) => taken.has(c))).toBe('snap-3');
    expect(fileName('{db} {ref}', values)).toBe('Orders-DB-feature-ABC_123--fix');
  });
});

describe('retention', () => {
  const now = Date.parse('2026-11-22T00:00:00Z');
  const day = 86_400_000;
  const snap = (id: string, days?: number, status = 'available') => ({
    id,
    status,
    createdAt: days === undefined ? undefined : new Date(now - days * day),
  });
  const ours = [
    snap('new', 0),
    snap('d1', 1),
    snap('d2', 2),
    snap('d4', 4),
    snap('d5', 5),
    snap('busy', undefined, 'creating'),
  ];
  const ids = (list: { id: string }[]) => list.map((s) => s.id);
  const ok = () => true;

  it('keeps the N newest counting the one just made, skipping in-progress snapshots', () => {
    const plan = planRetention(ours, 'NEW', { keepLast: 2 }, now, ok);
    expect(ids(plan.keep)).toEqual(['d1']);
    expect(ids(plan.delete)).toEqual(['d2', 'd4', 'd5']);
    expect(plan.skipped).toEqual([{ snapshot: ours[5], reason: 'still creating' }]);
  });

  it('deletes by age, and with both rules only what neither keeps', () => {
    expect(ids(planRetention(ours, 'new', { maxAgeMs: 3 * day }, now, ok).delete)).toEqual(['d4', 'd5']);
    expect(ids(planRetention(ours, 'new', { keepLast: 4, maxAgeMs: 1.5 * day }, now, ok).delete)).toEqual(['d5']);
    expect(ids(planRetention(ours, 'new', {}, now, ok).delete)).toEqual([]);
  });

  it('leaves snapshots that cannot be deleted now', () => {
    const plan = planRetention(
      [snap('new', 0), snap('old', 9, 'copying')],
      'new',
      { keepLast: 1 },
      now,
      (s) => s.status === 'available',
    );
    expect(plan.delete).toEqual([]);
    expect(plan.skipped[0].reason).toBe('status copying');
  });
});

describe('WaitSchedule', () => {
  function clock() {
    const c = {
      t: 0,
      now: () => c.t,
      sleep: async (ms: number) => {
        c.t += ms;
      },
    };
    return c;
  }

  it('spaces checks with the time spent when there is no progress, within min and max', () => {
    const c = clock();
    const schedule = new WaitSchedule({ minMs: 2000, maxMs: 120_000, clock: c, random: () => 1 });
    expect(schedule.next()).toBe(2000);
    c.t = 30_000;
    expect(schedule.next()).toBe(10_000);
    c.t = 3_600_000;
    expect(schedule.next()).toBe(120_000);
  });

  it('aims at the end estimated from progress, and backs off when the estimate passes', () => {
    const c = clock();
    const schedule = new WaitSchedule({ minMs: 2000, maxMs: 600_000, clock: c, random: () => 1 });
    schedule.next(0);
    c.t = 600_000;
    // 10% in 10 minutes: 90 minutes left, capped by a third of the time spent.
    expect(schedule.next(10)).toBe(200_000);
    c.t = 5_340_000;
    // 89% after 89 minutes: 11 left; half of that.
    expect(schedule.next(89)).toBeCloseTo(330_000, -3);
    c.t = 6_000_000;
    // First seen at 99%: about one percent (61 s) left, half of it.
    expect(schedule.next(99)).toBeCloseTo(30_303, -1);
    c.t = 6_060_000;
    // Still 99% when the estimate runs out: look again soon, then less often.
    expect(schedule.next(99)).toBe(2000);
    expect(schedule.next(99)).toBe(3000);
  });
});
