import { InputError } from '@deploy-actions/toolkit';
import { branchOf, isDefaultBranch, type MetadataContext, tagOf } from './context';

/**
 * metadata-action's global expressions, usable in any rule attribute: {{branch}}, {{tag}}, {{sha}},
 * {{base_ref}}, {{is_default_branch}} and {{date 'FORMAT' tz='Zone'}}. Written out rather than pulling
 * in handlebars and moment for six placeholders; an unknown placeholder is an input error.
 */

export function expand(text: string, context: MetadataContext, input: string, rule: string, tz = 'UTC'): string {
  return text.replace(/\{\{\s*([a-z_]+)((?:\s+[^}]*)?)\s*\}\}/gi, (whole, name: string, args: string) => {
    switch (name) {
      case 'branch':
        return branchOf(context.ref) ?? context.headRef ?? '';
      case 'tag':
        return tagOf(context.ref) ?? '';
      case 'sha':
        return context.sha.slice(0, 7);
      case 'base_ref':
        return context.baseRef ?? '';
      case 'is_default_branch':
        return String(isDefaultBranch(context));
      case 'date': {
        const format = /^\s*['"]([^'"]*)['"]/.exec(args)?.[1];
        const zone = /tz=['"]([^'"]+)['"]/.exec(args)?.[1] ?? tz;
        if (format === undefined)
          throw new InputError(input, `rule "${rule}" has ${whole} without a format`, "write {{date 'YYYYMMDD'}}");
        return formatDate(context.now, format, zone, input, rule);
      }
      // Left for the version patterns to fill.
      case 'raw':
      case 'version':
      case 'major':
      case 'minor':
      case 'patch':
        return whole;
      default:
        throw new InputError(
          input,
          `rule "${rule}" uses an unknown expression ${whole}`,
          'use {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}} or {{date}}',
        );
    }
  });
}

/** Moment-style tokens (YYYY YY MM DD HH mm ss SSS) in a time zone. */
export function formatDate(date: Date, format: string, zone: string, input = 'tags', rule = ''): string {
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(date)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    throw new InputError(
      input,
      `rule "${rule}" has an unknown time zone "${zone}"`,
      'use an IANA zone such as UTC or Europe/Paris',
    );
  }
  const tokens: Record<string, string> = {
    YYYY: parts.year,
    YY: parts.year.slice(-2),
    MM: parts.month,
    DD: parts.day,
    HH: parts.hour,
    mm: parts.minute,
    ss: parts.second,
    SSS: String(date.getUTCMilliseconds()).padStart(3, '0'),
  };
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss|SSS/g, (token) => tokens[token]);
}
