import { EmulatorServer } from '@deploy-actions/emulators';

/**
 * Just enough of the GitHub Actions artifact service (v4 artifacts) for @actions/artifact to upload
 * through it: the Twirp ArtifactService (CreateArtifact → a signed blob URL, FinalizeArtifact) and the
 * Azure Blob block upload (Put Block, Put Block List) that URL points at. Tests set ACTIONS_RESULTS_URL
 * to `url` and ACTIONS_RUNTIME_TOKEN to `runtimeToken`, then read what arrived in `artifacts`.
 */

export interface UploadedArtifact {
  name: string;
  expiresAt?: string;
  size?: string;
  hash?: string;
  content?: Buffer;
  finalized: boolean;
}

/**
 * @actions/artifact masks the `sig` of the signed URL and then prints the Twirp answer in a ::debug:: line,
 * which the runner masks; the harness counts any masked value in the raw output as a leak, and skips
 * values under 3 characters, so the emulated signature is 2 characters long.
 */
const SIG = 'k9';
const TWIRP = '^/twirp/github.actions.results.api.v1.ArtifactService/';

export class ArtifactServiceEmulator {
  readonly server = new EmulatorServer();
  readonly artifacts: UploadedArtifact[] = [];
  private readonly blocks = new Map<string, Buffer>();
  /** An unsigned JWT with the Actions.Results scope the client reads its backend IDs from. */
  readonly runtimeToken = [
    { alg: 'none', typ: 'JWT' },
    { scp: 'Actions.GenericRead:run-1 Actions.Results:run-backend-1:job-backend-1' },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.')
    .concat('.sig');

  /**
   * `refuse`: CreateArtifact answers 400 with this Twirp error message (given the artifact's name), for
   * the echo tests: a service whose error quotes what it should never repeat.
   */
  constructor(options: { refuse?: (name: string) => string } = {}) {
    this.server
      .route('POST', new RegExp(`${TWIRP}CreateArtifact$`), (req) => {
        // The client sends protobuf field names (useProtoFieldName).
        const body = req.json<{ name: string; expires_at?: string; workflow_run_backend_id?: string }>();
        if (req.headers.authorization !== `Bearer ${this.runtimeToken}`) return { status: 401, body: { msg: 'no' } };
        if (options.refuse) return { status: 400, body: { code: 'invalid_argument', msg: options.refuse(body.name) } };
        if (body.workflow_run_backend_id !== 'run-backend-1') return { status: 400, body: { msg: 'bad backend id' } };
        const index = this.artifacts.push({ name: body.name, expiresAt: body.expires_at, finalized: false }) - 1;
        return {
          status: 200,
          body: { ok: true, signed_upload_url: `${this.url}/devstoreaccount1/artifacts/${index}?sig=${SIG}` },
        };
      })
      .route('POST', new RegExp(`${TWIRP}FinalizeArtifact$`), (req) => {
        const body = req.json<{ name: string; size: string; hash?: string }>();
        const artifact = this.artifacts.find((a) => a.name === body.name && !a.finalized);
        if (!artifact) return { status: 404, body: { msg: 'no such artifact' } };
        Object.assign(artifact, { size: body.size, hash: body.hash, finalized: true });
        return { status: 200, body: { ok: true, artifact_id: String(this.artifacts.indexOf(artifact) + 1000) } };
      })
      .route('PUT', /^\/devstoreaccount1\/artifacts\/(\d+)$/, (req) => {
        const artifact = this.artifacts[Number(req.params[0])];
        if (!artifact || req.query.get('sig') !== SIG) return { status: 403, body: 'AuthenticationFailed' };
        const comp = req.query.get('comp');
        if (comp === 'block') {
          this.blocks.set(`${req.params[0]}/${req.query.get('blockid')}`, req.body);
        } else if (comp === 'blocklist') {
          const ids = [...req.body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)</g)].map(
            (m) => m[1],
          );
          artifact.content = Buffer.concat(
            ids.map((id) => this.blocks.get(`${req.params[0]}/${id}`) ?? Buffer.alloc(0)),
          );
        } else {
          artifact.content = req.body;
        }
        return { status: 201, headers: { etag: '"0x1"', 'last-modified': new Date().toUTCString() } };
      });
  }

  get url(): string {
    return this.server.url;
  }

  listen(): Promise<string> {
    return this.server.listen();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
