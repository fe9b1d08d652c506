/**
 * Reads BuildKit's plain progress output (`--progress plain`, the same from buildx and the engine's
 * built-in BuildKit): how many Dockerfile steps ran and how many came from the cache, and, when the
 * build fails, the failing step with its last output lines and error, so the annotation says what broke
 * instead of "exit code 1".
 */

export interface BuildProgress {
  /** Dockerfile steps (FROM lines excluded: the base image is always "cached"). */
  steps: number;
  cached: number;
}

interface Vertex {
  title: string;
  cached: boolean;
  output: string[];
  error?: string;
}

const VERTEX = /^#(\d+) (.*)$/;

function vertices(lines: string[]): Map<string, Vertex> {
  const map = new Map<string, Vertex>();
  for (const line of lines) {
    const m = VERTEX.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    let vertex = map.get(id);
    if (!vertex) {
      vertex = { title: rest, cached: false, output: [] };
      map.set(id, vertex);
      continue;
    }
    if (rest === 'CACHED') vertex.cached = true;
    else if (rest.startsWith('ERROR:') || rest.startsWith('ERROR ')) vertex.error = rest.replace(/^ERROR:?\s*/, '');
    else if (/^\d+\.\d+ /.test(rest)) vertex.output.push(rest.replace(/^\d+\.\d+ /, ''));
  }
  return map;
}

function isStep(title: string): boolean {
  return /^\[[^\]]*\d+\/\d+\] /.test(title) && !/^\[[^\]]*\] FROM /.test(title);
}

export function readProgress(lines: string[]): BuildProgress {
  let steps = 0;
  let cached = 0;
  for (const vertex of vertices(lines).values()) {
    if (!isStep(vertex.title)) continue;
    steps++;
    if (vertex.cached) cached++;
  }
  return { steps, cached };
}

/** The lines that explain a failed build: the failing step, its last output, and BuildKit's error. */
export function failureLines(lines: string[], keep = 15): string[] {
  const failed = [...vertices(lines).values()].filter((v) => v.error !== undefined);
  if (failed.length) {
    return failed.flatMap((v) => [`${v.title}`, ...v.output.slice(-keep).map((l) => `  ${l}`), `  ${v.error}`]);
  }
  // Errors before any step ran (a Dockerfile syntax error, a missing base image): BuildKit's last words.
  const errors = lines.filter((l) => /^(error|ERROR|failed to|Error response)/.test(l.trim()));
  return errors.length ? errors.slice(-keep) : lines.filter((l) => l.trim()).slice(-keep);
}
