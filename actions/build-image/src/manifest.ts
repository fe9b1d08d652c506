import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

// A build-arg key is what a Dockerfile ARG can name; a secret id is what --secret id= takes.
export const ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ARG_CHARS = 'letters, digits and "_", not starting with a digit';
const ID_CHARS = 'letters, digits, "-", "_" and "."';

/** Every input and output of build-image, declared once: action.yml and the README tables are generated from it. */
export const manifest = defineAction({
  id: 'build-image',
  name: 'Build image',
  description:
    'Builds a container image with BuildKit, tags and labels it like docker/metadata-action, caches, and pushes, loads or archives it.',
  branding: { icon: 'package', color: 'blue' },
  inputs: {
    images: {
      kind: 'string',
      description:
        "Image names, one per line or comma-separated (e.g. ghcr.io/acme/api); metadata-action's `name=...,enable=...` and `name,enable=false` forms work too. Names are lowercased and checked against the image reference grammar. Lines starting with # are comments. Needed to push.",
    },
    tags: {
      kind: 'string',
      description:
        "Tag rules, one per line, in docker/metadata-action syntax: type=semver,pattern={{version}}, type=ref,event=branch, type=ref,event=pr, type=sha, type=raw,value=..., type=schedule, type=edge, type=match, type=pep440, with enable=, priority=, prefix=, suffix=. A line without type= is a raw tag. Empty means metadata-action's defaults (schedule, branch, tag, pr). Lines starting with # are comments.",
    },
    flavor: {
      kind: 'string',
      description:
        'Global tag options, one per line: latest=auto|true|false, prefix=...[,onlatest=true], suffix=...[,onlatest=true].',
    },
    labels: {
      kind: 'string',
      description:
        "Extra labels, KEY=VALUE one per line; they override the standard org.opencontainers.image.* labels. Values may use expressions ({{branch}}, {{sha}}, {{date 'YYYYMMDD'}}, ...); lines without = are ignored with a warning, as metadata-action does.",
    },
    'sep-tags': {
      kind: 'string',
      description: "Separator of the tags and tag-names outputs (metadata-action's sep-tags). Default a newline.",
    },
    'sep-labels': {
      kind: 'string',
      description: "Separator of the labels output (metadata-action's sep-labels). Default a newline.",
    },
    'sep-annotations': {
      kind: 'string',
      description: "Separator of the annotations output (metadata-action's sep-annotations). Default a newline.",
    },
    'metadata-context': {
      kind: 'enum',
      values: ['workflow', 'git'],
      default: 'workflow',
      description:
        "Where the ref, commit and commit date for the tags come from: workflow (the event, as GitHub gives it) or git (the repository checked out in the workspace, e.g. another ref than the one that triggered the run). metadata-action's `context` input.",
    },
    'bake-target': {
      kind: 'string',
      default: 'docker-metadata-action',
      description:
        "The target name in the bake-file outputs (metadata-action's bake-target), for a later `docker buildx bake`.",
    },
    'github-token': {
      kind: 'string',
      description:
        'Token to read the repository description, license and commit date from the GitHub API when the event payload lacks them (schedule, release, workflow_dispatch), as metadata-action does.',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, written into action.yml as is
      docDefault: '${{ github.token }}',
      secret: true,
    },
    'latest-on-default-branch': {
      kind: 'boolean',
      description:
        'With flavor latest=auto, also tag `latest` on every push to the default branch. metadata-action does not (latest comes only from tag and semver rules), so this is off by default.',
      default: false,
    },
    'pr-head-sha': {
      kind: 'boolean',
      description:
        "On pull_request events, label and sha-tag the PR's head commit instead of the merge commit (metadata-action's DOCKER_METADATA_PR_HEAD_SHA=true, which is honoured too).",
      default: false,
    },
    context: {
      kind: 'string',
      description: 'The build context directory (or a Git/HTTP URL).',
      default: '.',
    },
    file: {
      kind: 'string',
      description: 'The Dockerfile. Defaults to Dockerfile in the context.',
    },
    'build-args': {
      kind: 'map',
      lines: true,
      keyPattern: ARG_KEY,
      keyDescribed: ARG_CHARS,
      description: 'Build arguments, KEY=VALUE one per line.',
    },
    target: {
      kind: 'string',
      description: 'The stage to build.',
    },
    platforms: {
      kind: 'list',
      description: 'Target platforms, comma-separated (e.g. linux/amd64,linux/arm64). More than one needs buildx.',
    },
    network: {
      kind: 'string',
      description: 'The network for RUN steps (default, host, none).',
    },
    'add-hosts': {
      kind: 'list',
      lines: true,
      description: 'Extra /etc/hosts entries for RUN steps, host:ip one per line.',
    },
    'no-cache': {
      kind: 'boolean',
      description: 'Build without using the cache.',
      default: false,
    },
    pull: {
      kind: 'boolean',
      description: 'Always pull newer versions of the base images.',
      default: false,
    },
    push: {
      kind: 'boolean',
      description: 'Push every tag to its registry (log in first, e.g. with docker/login-action).',
      default: false,
    },
    load: {
      kind: 'boolean',
      description: 'Keep the image in the local Docker engine (for later steps that run it).',
      default: false,
    },
    'output-archive': {
      kind: 'string',
      description: 'Also write the image to this tar file, for push-registry or an artifact.',
    },
    'archive-format': {
      kind: 'enum',
      values: ['docker', 'oci'],
      description: 'The archive format: docker (docker save, a docker-archive) or oci (an OCI image layout tar).',
      default: 'docker',
    },
    'cache-from': {
      kind: 'list',
      lines: true,
      description:
        'Cache sources, one per line, buildx syntax (type=registry,ref=..., type=gha, type=local,src=...). Without buildx only registry references work.',
    },
    'cache-to': {
      kind: 'list',
      lines: true,
      description:
        'Cache exports, one per line, buildx syntax (type=gha,mode=max, type=registry,ref=...,mode=max, type=inline). Without buildx only type=inline works.',
    },
    secrets: {
      kind: 'map',
      lines: true,
      keyPattern: SECRET_ID,
      keyWord: 'ID',
      keyDescribed: ID_CHARS,
      description:
        'Build secrets, id=value one per line, for RUN --mount=type=secret,id=... They are masked and never logged.',
      secret: true,
    },
    'secret-files': {
      kind: 'map',
      lines: true,
      keyPattern: SECRET_ID,
      keyWord: 'ID',
      keyDescribed: ID_CHARS,
      description: 'Build secrets from files, id=path one per line.',
    },
    ssh: {
      kind: 'list',
      lines: true,
      description: 'SSH agent sockets or keys to forward, one per line (default, or id=path).',
    },
    provenance: {
      kind: 'string',
      description:
        'Provenance attestation, as buildx --provenance takes it (false, true, mode=min, mode=max). Needs buildx.',
    },
    sbom: {
      kind: 'string',
      description: 'SBOM attestation, as buildx --sbom takes it (false, true). Needs buildx.',
    },
    annotations: {
      kind: 'string',
      description:
        'Manifest annotations, one per line (KEY=VALUE or type:KEY=VALUE), passed to the build (needs buildx) and, with the standard OCI keys, to the annotations output.',
    },
    outputs: {
      kind: 'list',
      lines: true,
      description: 'Extra buildx outputs, one per line (e.g. type=local,dest=out). Without buildx only local and tar.',
    },
    builder: {
      kind: 'string',
      description: 'The buildx builder instance to use. Needs buildx.',
    },
    ...timeoutInput('1h', 'The build is stopped (the docker CLI cancels it) when it passes.'),
  },
  outputs: {
    image: { description: 'The first reference built (name:tag), for the next steps.' },
    tags: { description: 'Every reference built (name:tag), joined by sep-tags; the bare tags when images is empty.' },
    'tag-names': { description: "The tags without image names, joined by sep-tags (metadata-action's tag-names)." },
    labels: { description: 'The labels set on the image, KEY=VALUE, joined by sep-labels.' },
    annotations: {
      description:
        'The OCI annotations as metadata-action outputs them (LEVEL:KEY=VALUE joined by sep-annotations, levels from DOCKER_METADATA_ANNOTATIONS_LEVELS, default manifest).',
    },
    'bake-file-tags': {
      description: "Path of a bake definition file with the tags (metadata-action's bake-file-tags).",
    },
    'bake-file-labels': {
      description: "Path of a bake definition file with the labels (metadata-action's bake-file-labels).",
    },
    'bake-file-annotations': {
      description: "Path of a bake definition file with the annotations (metadata-action's bake-file-annotations).",
    },
    'bake-file': {
      description: "Path of a bake definition file with the tags and labels (metadata-action's bake-file).",
    },
    json: { description: "metadata-action's json output: {tags, tag-names, labels, annotations}." },
    'image-ref': {
      description:
        'name@digest of the first image when the digest is known: pushed (push true), or the manifest in an OCI archive (archive-format oci). Empty otherwise. Chain it into run-migrations or deploy-cloudrun.',
    },
    version: { description: "The version, like metadata-action's (the highest-priority tag)." },
    'image-id': { description: 'The image ID (config digest).' },
    digest: { description: 'The registry manifest digest, when pushed (or when buildx reports one).' },
    metadata: {
      description: "Build result metadata as JSON (buildx's --metadata-file, or the same keys from the engine build).",
    },
  },
});
