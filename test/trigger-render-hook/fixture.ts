/**
 * What the trigger-render-hook tests share: a Render emulator on scaled time (a 46-second deploy takes
 * about a second), inputs that point the action at it, and the secrets the harness must never see.
 */
import { type RenderServiceOptions, RenderEmulator } from '../../packages/emulators/src/render';
import { type RunOptions, type RunResult, runAction } from '../../packages/harness/src/run-action';

export const SCALE = 50;

export async function startRender(): Promise<RenderEmulator> {
  return new RenderEmulator({ scale: SCALE }).start();
}

export interface Setup {
  render: RenderEmulator;
  serviceId: string;
  hookUrl: string;
  secrets: string[];
}

export function service(render: RenderEmulator, options: RenderServiceOptions = {}): Setup {
  const svc = render.addService(options);
  const hookUrl = render.hookUrl(svc.id);
  return { render, serviceId: svc.id, hookUrl, secrets: [hookUrl, svc.hookKey, render.apiKey] };
}

/** Inputs for a waited deploy through the emulator's API, fast polling. */
export function apiInputs(setup: Setup): Record<string, string> {
  return {
    'api-key': setup.render.apiKey,
    'api-url': setup.render.apiUrl,
    'service-id': setup.serviceId,
    'poll-interval': '300ms',
  };
}

export function trigger(setup: Setup, inputs: RunOptions['inputs'], options: RunOptions = {}): Promise<RunResult> {
  return runAction('trigger-render-hook', { timeoutMs: 60_000, ...options, inputs, secrets: setup.secrets });
}

/** The emulator's view of the newest deploy. */
export function newest(setup: Setup) {
  return setup.render.deploys(setup.serviceId)[0];
}
