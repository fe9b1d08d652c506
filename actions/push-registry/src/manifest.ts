import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

/** Where the image comes from, from the raw inputs: an archive on disk, another registry, or the engine. */
function sourceKind(raw: (name: string) => string): 'archive' | 'registry' | 'engine' {
  if (raw('source-archive')) return 'archive';
  const source = raw('source');
  const first = source.split('/')[0];
  const registry =
    !source.startsWith('docker://') &&
    source.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  return registry ? 'registry' : 'engine';
}

/** Every input and output of push-registry, declared once: action.yml and the README tables are generated from it. */
export const manifest = defineAction({
  id: 'push-registry',
  name: 'Push to registries',
  description:
    'Pushes one image to many registries at once (GHCR, Artifact Registry, ECR, ECR Public, Docker Hub, any), from the Docker engine, a build archive, or another registry, compressing each layer once and skipping and mounting what is already there.',
  author: 'deploy-actions',
  branding: { icon: 'upload-cloud', color: 'blue' },
  post: true,
  dimensions: {
    'source-kind': { values: ['engine', 'archive', 'registry'], from: sourceKind, label: 'source' },
  },
  inapplicable: ({ value }) => ({
    problem: `does not apply to a ${value} source, which is copied unchanged`,
    fix: 'remove it (layers of a registry image keep their compression and digests)',
  }),
  inputs: {
    destinations: {
      kind: 'list',
      required: true,
      description:
        'Where to push: full references `registry/name:tag`, one per line (or comma-separated). Several tags of one repository are allowed; blobs go up once per repository.',
    },
    source: {
      kind: 'string',
      description:
        'The image to push. `docker://IMAGE:TAG` or a name without a registry host (`app:1.2`) is read from the local Docker engine; `registry/name:tag` or `registry/name@sha256:...` is copied registry to registry (multi-platform indexes unchanged). With `source-archive`, optionally the tag of the image to take from an archive holding several.',
    },
    'source-archive': {
      kind: 'string',
      description:
        'Path of an image written to disk, e.g. by build-image: a `docker save` tar, an OCI image layout directory, or an OCI layout tar.',
    },
    'github-token': {
      kind: 'string',
      secret: true,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for action.yml, not a template.
      docDefault: '${{ github.token }}',
      description: 'Token for ghcr.io (needs `packages: write`). Masked.',
    },
    credentials: {
      kind: 'string',
      secret: true,
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression in the example, not a template.
        'Usernames and passwords for other registries (Docker Hub, Quay, a private registry), one `REGISTRY=USERNAME:PASSWORD` per line, e.g. `docker.io=me:${{ secrets.DOCKERHUB_TOKEN }}`; each line is split on the first `=` and the first `:` after it, so a password may hold commas, `=`, `:` and spaces. Masked in every form. A line for ghcr.io, a Google or an ECR host overrides the automatic method and any Docker config login.',
    },
    'registry-auth': {
      kind: 'map',
      keyWord: 'REGISTRY',
      description:
        'How a registry authenticates when its host does not say, one `REGISTRY=METHOD` per line; METHOD is `github`, `google` (Application Default Credentials), `ecr` (AWS default credential chain), `ecr-public`, `docker-config` (the login in ~/.docker/config.json or $DOCKER_CONFIG), `basic` (from `credentials`) or `anonymous`. By default: hosts in `credentials` use basic, then a login in the Docker config (auths, credHelpers, credsStore), then ghcr.io uses github, *-docker.pkg.dev and gcr.io use google, *.dkr.ecr.*.amazonaws.com and *.dkr-ecr.*.on.aws use ecr, public.ecr.aws uses ecr-public, others anonymous.',
    },
    'google-access-token': {
      kind: 'string',
      secret: true,
      description:
        'An OAuth access token for Artifact Registry / GCR. Empty: the credentials file that google-github-actions/auth wrote (GOOGLE_APPLICATION_CREDENTIALS). Masked.',
    },
    'aws-region': {
      kind: 'string',
      description: 'Region for ECR tokens when the registry host does not name one (default AWS_REGION).',
    },
    'insecure-registries': {
      kind: 'list',
      description:
        'Registries (host[:port]) that may be spoken to over plain HTTP, anonymously only. Loopback registries (127.0.0.0/8, ::1, localhost) always may, as with Docker.',
    },
    compression: {
      kind: 'enum',
      values: ['gzip', 'zstd', 'none'],
      default: 'gzip',
      appliesTo: { 'source-kind': ['engine', 'archive'] },
      description:
        'How layers that are not compressed yet (engine images, docker save archives) are compressed: `gzip` (what docker push sends; every runtime pulls it), `zstd` (smaller and faster to pull; needs containerd 1.5+ / Docker 23+ to pull, and the node24 runtime), or `none`. Each layer is compressed once for all destinations, reproducibly. Layers already compressed, and OCI layouts, go up unchanged.',
    },
    'compression-level': {
      kind: 'integer',
      min: 1,
      max: 19,
      appliesTo: { 'source-kind': ['engine', 'archive'] },
      description: 'Compression level: gzip 1-9 (default 6), zstd 1-19 (default 3).',
    },
    login: {
      kind: 'boolean',
      default: false,
      description:
        "After a successful push, leave the pushed registries' logins in a Docker config of its own and export DOCKER_CONFIG for the later steps of the job (docker pull/run of the private image, build-image push, run-migrations mode image). Removed when the job ends. Tokens keep their lifetime (GitHub token: the job; ECR: 12 h; Google: 1 h).",
    },
    concurrency: {
      kind: 'integer',
      default: 6,
      min: 1,
      max: 32,
      description: 'Blob uploads in flight at once, across all destinations (1 to 32).',
    },
    retries: {
      kind: 'integer',
      default: 4,
      min: 0,
      max: 10,
      description:
        'Retries of a failed registry request (connection reset, 5xx, 429 honouring Retry-After), each with backoff; a blob upload restarts cleanly.',
    },
    ...timeoutInput('30m'),
  },
  outputs: {
    digest: {
      description:
        'The digest of the pushed manifest (the image index for a multi-platform image); the same at every destination.',
    },
    refs: { description: 'Every pushed repository as `registry/name@digest`, one per line.' },
    'image-ref': {
      description:
        'The first destination as one `registry/name@digest`, usable as is by deploy-cloudrun, trigger-render-hook and run-migrations.',
    },
  },
});
