/**
 * A user value as it may appear in a one-line error: JSON-quoted (so a newline shows as \n and cannot
 * split the line) and cut to 60 characters (so a 100 KB value does not become a 100 KB error).
 */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
