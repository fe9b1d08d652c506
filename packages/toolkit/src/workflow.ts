import { appendFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EOL } from 'node:os';
import { delimiter as PATH_DELIMITER } from 'node:path';

/**
 * The runner's workflow commands, written here instead of importing @actions/core: core's entry point loads
 * its OIDC client, @actions/http-client and undici at import, which alone made every action start several
 * times slower than bare node (issue 9 wants ≤ 1.6×). This is the same protocol, byte for byte
 * (actions/toolkit packages/core/src/command.ts and file-command.ts): `::name k=v::message` with the same
 * escaping, and the GITHUB_OUTPUT/GITHUB_STATE/GITHUB_ENV/GITHUB_PATH file commands with a random heredoc
 * delimiter. The surface matches core's, so `import { workflow as core } from '@deploy-actions/toolkit'`
 * replaces `import * as core from '@actions/core'` line for line (job summaries: `SummaryBuilder`).
 */

/** As @actions/core's: sent as title, file, line, endLine, col, endColumn. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const toValue = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const PROPERTY_NAMES: Record<keyof AnnotationProperties, string> = {
  title: 'title',
  file: 'file',
  startLine: 'line',
  endLine: 'endLine',
  startColumn: 'col',
  endColumn: 'endColumn',
};

/** `::command k=v,k=v::message`, escaped as the runner parses it. */
export function formatCommand(command: string, properties: Record<string, unknown>, message: unknown): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(toValue(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(toValue(message))}`;
}

function issue(command: string, properties: Record<string, unknown>, message: unknown): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL);
}

function commandFile(variable: string): string | undefined {
  const file = process.env[variable];
  if (file && !existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  return file;
}

// node:crypto (for the delimiter) pulls in all of crypto and streams: loaded on the first file command.
const require = createRequire(import.meta.url);

function fileCommand(variable: string, key: string, value: unknown): boolean {
  const file = commandFile(variable);
  if (!file) return false;
  const { randomUUID } = require('node:crypto') as typeof import('node:crypto');
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const text = toValue(value);
  if (key.includes(delimiter))
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (text.includes(delimiter))
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  appendFileSync(file, `${key}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

const annotation = (properties: AnnotationProperties = {}) =>
  Object.fromEntries(
    Object.entries(properties).map(([k, v]) => [PROPERTY_NAMES[k as keyof AnnotationProperties] ?? k, v]),
  );
const text = (message: string | Error) => (message instanceof Error ? message.toString() : message);

export function info(message: string): void {
  process.stdout.write(message + EOL);
}
export function debug(message: string): void {
  issue('debug', {}, message);
}
export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}
export function error(message: string | Error, properties?: AnnotationProperties): void {
  issue('error', annotation(properties), text(message));
}
export function warning(message: string | Error, properties?: AnnotationProperties): void {
  issue('warning', annotation(properties), text(message));
}
export function notice(message: string | Error, properties?: AnnotationProperties): void {
  issue('notice', annotation(properties), text(message));
}
/** Marks the step failed (exit code 1) with one `::error::` line. */
export function setFailed(message: string | Error): void {
  process.exitCode = 1;
  error(message);
}
export function setSecret(secret: string): void {
  issue('add-mask', {}, secret);
}
export function setOutput(name: string, value: unknown): void {
  if (fileCommand('GITHUB_OUTPUT', name, value)) return;
  process.stdout.write(EOL);
  issue('set-output', { name }, toValue(value));
}
export function saveState(name: string, value: unknown): void {
  if (fileCommand('GITHUB_STATE', name, value)) return;
  issue('save-state', { name }, toValue(value));
}
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}
export function exportVariable(name: string, value: unknown): void {
  process.env[name] = toValue(value);
  if (fileCommand('GITHUB_ENV', name, value)) return;
  issue('set-env', { name }, toValue(value));
}
export function addPath(path: string): void {
  const file = commandFile('GITHUB_PATH');
  if (file) appendFileSync(file, `${path}${EOL}`, 'utf8');
  else issue('add-path', {}, path);
  process.env.PATH = `${path}${PATH_DELIMITER}${process.env.PATH}`;
}
/** A collapsible group in the log around `fn`. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', {}, name);
  try {
    return await fn();
  } finally {
    issue('endgroup', {}, '');
  }
}
/** An input as @actions/core's getInput reads it (trimmed; `required` fails like core). */
export function getInput(name: string, options: { required?: boolean; trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  if (options.required && !value) throw new Error(`Input required and not supplied: ${name}`);
  return options.trimWhitespace === false ? value : value.trim();
}
