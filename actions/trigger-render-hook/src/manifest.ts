import { healthInputs } from '@deploy-actions/health';
import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

/** Every input and output of trigger-render-hook, declared once: action.yml and the README tables are generated from it. */
export const manifest = defineAction({
  id: 'trigger-render-hook',
  name: 'Trigger Render deploy',
  description:
    'Triggers a Render deploy by deploy hook or API, waits until it is live, health-checks it and rolls back on failure.',
  author: 'deploy-actions',
  branding: { icon: 'upload-cloud', color: 'purple' },
  dimensions: {
    trigger: {
      values: ['hook', 'api'],
      from: (raw) => (raw('deploy-hook-url') ? 'hook' : 'api'),
      label: 'trigger',
    },
  },
  inapplicable: ({ input }) =>
    input === 'clear-cache'
      ? { problem: 'cannot be used with a deploy hook', fix: 'trigger with api-key and service-id instead' }
      : { problem: 'does not apply to a deploy hook trigger', fix: 'remove it, or trigger with api-key instead' },
  inputs: {
    'deploy-hook-url': {
      // Parsed by the action: a URL parser drops newlines and tabs silently, and this one must be refused whole.
      kind: 'string',
      secret: true,
      description:
        "The service's deploy hook (Settings > Deploy Hook), from a secret. Triggers the deploy without an API key. Give api-key too to wait for the deploy. Masked.",
    },
    'service-id': {
      kind: 'string',
      pattern: /^srv-[a-z0-9]{4,40}$/,
      described: 'a Render service ID like srv-d0abc123xyz',
      description:
        'The Render service ID (srv-...). Required with api-key alone; with a deploy hook it is read from the hook URL (and must match when given).',
    },
    'api-key': {
      kind: 'string',
      secret: true,
      description:
        'A Render API key, from a secret. Triggers the deploy when no hook is given, and lets the action wait for it, check its health and roll it back. Masked.',
    },
    'api-url': {
      kind: 'string',
      default: 'https://api.render.com/v1',
      description:
        'The Render API base URL, for proxies and tests. https, or http to a loopback address; never a link-local or metadata address.',
    },
    'image-url': {
      kind: 'string',
      description:
        'For image-backed services, the image to deploy, with its tag or digest (docker.io/acme/api:1.2.3). Its repository must be the one the service is configured with; the deploy that goes live must carry it.',
    },
    commit: {
      kind: 'string',
      pattern: /^[0-9a-fA-F]{7,40}$/,
      described: 'a commit SHA of 7 to 40 hex digits',
      description:
        'For git-backed services, the commit SHA to deploy instead of the branch head; the deploy that goes live must carry it.',
    },
    'clear-cache': {
      kind: 'boolean',
      default: false,
      appliesTo: { trigger: ['api'] },
      description: 'Clear the build cache before building (API trigger only).',
    },
    wait: {
      kind: 'boolean',
      description: 'Wait for the deploy to finish. Defaults to true when api-key is given; needs api-key.',
    },
    ...timeoutInput('30m', 'A deploy still running then is canceled (see cancel-on-timeout).'),
    'cancel-on-timeout': {
      kind: 'boolean',
      default: true,
      description: 'Cancel the deploy when the timeout passes. With false it keeps running and the step still fails.',
    },
    'poll-interval': {
      kind: 'duration',
      default: '10s',
      min: 100,
      max: 300_000,
      description:
        'The longest pause between two status checks. Checks come at a tenth of it after each status change and back off to it; early in a deploy whose usual length is known, they may stretch to three times it.',
    },
    'health-path': healthInputs['health-path'],
    'health-url': healthInputs['health-url'],
    'health-status': healthInputs['health-status'],
    'health-retries': healthInputs['health-retries'],
    'health-interval': { ...healthInputs['health-interval'], default: '5s', min: 100 },
    'rollback-on-failure': {
      kind: 'boolean',
      default: false,
      description:
        'When the deploy fails or its health check does, roll back to the deploy that was live before (when it no longer serves), wait for the rollback, then fail. Needs api-key.',
    },
  },
  outputs: {
    'deploy-id': {
      description:
        'The ID of the deploy the trigger started (dep-...), when known; or of the deploy that superseded it while queued and was followed.',
    },
    status: {
      description:
        'The final status of the deploy that went live or ended the step (live, build_failed, update_failed, pre_deploy_failed, canceled, deactivated), or triggered when the action did not wait.',
    },
    'superseded-by': {
      description:
        'The newer deploy that superseded ours: after ours went live (a success), or while ours was queued (then followed when it carries the same image or commit).',
    },
    'service-url': { description: "The service's public URL (needs api-key)." },
    'duration-seconds': { description: "Seconds from the trigger to the deploy's final status." },
    'rollback-deploy-id': { description: 'The ID of the rollback deploy, when the action rolled back.' },
  },
});
