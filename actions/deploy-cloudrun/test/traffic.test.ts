import { finalTraffic, matches, pinned, splitTraffic } from '../src/traffic';

const REV = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST';

describe('traffic splits', () => {
  it('pins LATEST to the revision it serves, and reads an empty split as 100% latest', () => {
    expect(pinned([], 'api-1')).toEqual([{ type: REV, revision: 'api-1', percent: 100 }]);
    expect(pinned([{ type: LATEST, percent: 100, tag: 'live' }], 'api-1')).toEqual([
      { type: REV, revision: 'api-1', percent: 100, tag: 'live' },
    ]);
  });

  it('shares the rest among previous revisions in proportion, adding up to exactly 100', () => {
    const previous = [
      { type: REV, revision: 'a', percent: 67 },
      { type: REV, revision: 'b', percent: 33 },
      { type: REV, revision: 'c', percent: 0, tag: 'old' },
    ] as const;
    const next = splitTraffic([...previous], 'new', 10, 'candidate');
    expect(next).toEqual([
      { type: REV, revision: 'a', percent: 60 },
      { type: REV, revision: 'b', percent: 30 },
      { type: REV, revision: 'c', percent: 0, tag: 'old' },
      { type: REV, revision: 'new', percent: 10, tag: 'candidate' },
    ]);
    const odd = splitTraffic(
      [
        { type: REV, revision: 'a', percent: 50 },
        { type: REV, revision: 'b', percent: 25 },
        { type: REV, revision: 'c', percent: 25 },
      ],
      'new',
      33,
    );
    expect(odd.reduce((sum, t) => sum + (t.percent ?? 0), 0)).toBe(100);
  });

  it('moves a tag to the new revision and keeps the others at 0% in the final split', () => {
    const previous = [
      { type: REV, revision: 'a', percent: 100, tag: 'stable' },
      { type: REV, revision: 'b', percent: 0, tag: 'green' },
    ];
    expect(finalTraffic(previous, 'new', 'green')).toEqual([
      { type: LATEST, percent: 100 },
      { type: REV, revision: 'a', percent: 0, tag: 'stable' },
      { type: REV, revision: 'new', percent: 0, tag: 'green' },
    ]);
  });

  it('compares a requested split with the reported statuses', () => {
    const wanted = [
      { type: REV, revision: 'a', percent: 90 },
      { type: REV, revision: 'b', percent: 10, tag: 'c' },
    ] as const;
    expect(
      matches(
        [...wanted],
        [
          { type: REV, revision: 'b', percent: 10, tag: 'c' },
          { type: REV, revision: 'a', percent: 90 },
        ],
      ),
    ).toBe(true);
    expect(matches([...wanted], [{ type: REV, revision: 'a', percent: 100 }])).toBe(false);
    expect(
      matches(
        [{ type: LATEST, percent: 100 }],
        [{ type: LATEST, revision: 'b', percent: 100 }],
        'projects/p/locations/l/services/s/revisions/b',
      ),
    ).toBe(true);
  });
});
