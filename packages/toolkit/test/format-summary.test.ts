import { formatBytes, formatCount, formatDuration, outputSeconds, RecordingLogger, SummaryBuilder } from '../src';

describe('units', () => {
  it.each([
    [812, '812 B'],
    [4_200_000, '4.20 MB'],
    [12_345_678, '12.3 MB'],
    [1_050_000_000, '1.05 GB'],
    [999_999, '1.00 MB'],
  ])('formatBytes(%d) is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
  it('counts and seconds', () => {
    expect([formatCount(1, 'request'), formatCount(1204, 'row')]).toEqual(['1 request', '1,204 rows']);
    expect(formatCount(2, 'retry', 'retries')).toBe('2 retries');
    expect([outputSeconds(12_345), outputSeconds(50)]).toEqual(['12.3', '0.1']);
    expect(formatDuration(3_723_000)).toBe('1h 2m 3s');
  });
});

describe('the shared summary', () => {
  it('starts with one header at level 2, sections at level 3, escaped pieces', () => {
    const text = new SummaryBuilder()
      .headline('api deployed to <prod>')
      .section('Steps')
      .steps([
        { label: 'Build', state: 'done' },
        { label: 'Deploy', state: 'failed', detail: 'timed out' },
        { label: 'Smoke test', state: 'not-run' },
        { label: 'Notify', state: 'skipped' },
      ])
      .facts([
        ['Image', 'app:1'],
        ['Empty', undefined],
      ])
      .render('Cloud Run deploy', 'success');
    expect(text.split('\n')[0]).toBe('## ✅ Cloud Run deploy: api deployed to &lt;prod&gt;');
    expect(text).toContain('\n### Steps\n');
    expect(text).toContain('<li>✅ Build</li><li>❌ Deploy: timed out</li><li>◻️ Smoke test</li><li>⏭️ Notify</li>');
    expect(text).not.toContain('Empty');
  });
  it.each([
    ['failure', '## ❌ X: failed'],
    ['timeout', '## ⏱️ X: timed out'],
    ['cancelled', '## 🛑 X: cancelled'],
  ] as const)('marks %s', (status, header) => expect(new SummaryBuilder().render('X', status)).toMatch(`${header}\n`));
  it('takes a status override (a success with warnings)', () =>
    expect(new SummaryBuilder().status('partial').render('X', 'success')).toMatch(/^## ⚠️ X: partly done/));
});

describe('RecordingLogger', () => {
  it('keeps lines by level for assertions', async () => {
    const log = new RecordingLogger();
    log.info('one');
    log.warning('careful');
    await log.group('Group', async () => log.info('inside'));
    expect(log.text()).toBe('one\n▸ Group\ninside');
    expect(log.text('warning')).toBe('careful');
  });
});
