import { escapeHtml, factsTable, redact, registerSecret, SummaryBuilder } from '../src';

describe('redact', () => {
  const secret = 'p@ss w0rd/+&"<x>\'!';
  beforeAll(() => registerSecret(secret));

  it.each([
    ['as is', secret],
    ['encodeURIComponent', encodeURIComponent(secret)],
    ['URLSearchParams', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    [
      'HTML-escaped',
      secret
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;'),
    ],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
  ])('scrubs the %s form', (_, form) => {
    expect(redact(`before ${form} after`)).toBe('before *** after');
  });

  it('scrubs it inside the base64 of a longer text, at every alignment', () => {
    for (const prefix of ['u:', 'us:', 'use:'])
      expect(redact(Buffer.from(`${prefix}${secret}`).toString('base64'))).toContain('***');
  });

  it('registers the token of an Authorization header, and a Basic credential decoded', () => {
    registerSecret('Bearer ya29.tokentoken');
    expect(redact('token=ya29.tokentoken')).toBe('token=***');
    registerSecret(`Basic ${Buffer.from('bob:hunter2x').toString('base64')}`);
    expect(redact('password hunter2x')).toBe('password ***');
  });

  it('summary writers redact before escaping', () => {
    expect(escapeHtml(`x ${secret}`)).toBe('x ***');
    expect(factsTable([['Password', secret]])).not.toContain('w0rd');
    const text = new SummaryBuilder()
      .text(secret)
      .code(secret)
      .facts([['k', secret]])
      .render('Demo', 'success');
    expect(text).not.toContain('w0rd');
  });
});
