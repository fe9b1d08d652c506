import * as core from './workflow';

/**
 * Secrets the action has read. Each is masked for the runner at once, and `redact` scrubs it from any text
 * we print ourselves (a tool's error output, outputs, summaries, error annotations), because the runner's
 * masking only covers the log. Every form a secret takes on the way out is registered: as is,
 * URL-encoded (encodeURIComponent and the URLSearchParams/form form), JSON-escaped, HTML-escaped, and base64
 * (standard and URL-safe, and the stable middle of its encoding at each of the three byte alignments, so it
 * is caught inside the base64 of a longer text such as `user:password`). An `Authorization` value
 * (`Bearer X`, `Basic X`, `token X`) registers X too, and a Basic credential's decoded `user:password` and password.
 */
const known = new Set<string>();

/** Forms shorter than this are not masked (they would blank out ordinary text). */
const MIN = 3;

export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, encodeURIComponent(value)]);
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(escapeForHtml(value));
  const bytes = Buffer.from(value, 'utf8');
  forms.add(bytes.toString('base64'));
  forms.add(bytes.toString('base64url'));
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil(offset / 3) * 4;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const middle = shifted.slice(start, end);
    // Only long enough middles: short ones would match unrelated base64.
    if (middle.length >= 8) {
      forms.add(middle);
      forms.add(middle.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms].filter((form) => form.length >= MIN);
}

export function registerSecret(value: string): string {
  if (!value) return value;
  for (const form of secretForms(value)) {
    if (known.has(form)) continue;
    known.add(form);
    core.setSecret(form);
  }
  const auth = /^\s*(bearer|basic|token)\s+(\S+)\s*$/i.exec(value);
  if (auth) {
    registerSecret(auth[2]);
    if (auth[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(auth[2], 'base64').toString('utf8');
      if (decoded.includes(':')) {
        registerSecret(decoded);
        registerSecret(decoded.slice(decoded.indexOf(':') + 1));
      }
    }
  }
  return value;
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
  return out;
}

function escapeForHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
