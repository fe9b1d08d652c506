import { checkCredentialUrl, HttpClient } from '@deploy-actions/toolkit';
import {
  commitDateFromPayload,
  type MetadataContext,
  type RepositoryInfo,
  repositoryFallback,
  repositoryFromPayload,
} from './context';

/**
 * The repository fields the OCI labels use (description, license, default branch) and the commit date,
 * read from the GitHub API when the event payload lacks them (schedule, workflow_dispatch from some
 * clients, release events), as metadata-action does with its `github-token`. Without a token, or when
 * the API cannot be reached, the labels are still written from what is known, with a note saying so.
 */

export interface GitHubApiOptions {
  token?: string;
  /** Defaults to the context's GITHUB_API_URL. */
  apiUrl?: string;
  client?: HttpClient;
  /** Read the commit date too (only `{{commit_date}}` uses it); default true, as metadata-action. */
  commitDate?: boolean;
}

export interface ResolvedRepository {
  repo: RepositoryInfo;
  commitDate: Date;
  /** Where the repository fields came from. */
  source: 'payload' | 'api' | 'environment';
  notes: string[];
}

export async function resolveRepository(
  context: MetadataContext,
  options: GitHubApiOptions = {},
): Promise<ResolvedRepository> {
  const notes: string[] = [];
  const fromPayload = repositoryFromPayload(context.payload);
  const commitKnown = options.commitDate === false || commitDateFromPayload(context.payload, context.sha) !== undefined;
  if (fromPayload && (commitKnown || !context.sha))
    return { repo: fromPayload, commitDate: context.commitDate, source: 'payload', notes };
  const [owner, name] = context.repository.split('/');
  const apiUrl = options.apiUrl ?? context.apiUrl;
  const problem = options.token && !options.client ? credentialUrlProblem(apiUrl) : undefined;
  if (problem) notes.push(`${problem}, so the token was not sent to GITHUB_API_URL`);
  if (!options.token || !owner || !name || problem) {
    if (!fromPayload && !problem)
      notes.push(
        'the event payload has no repository description or license; give "github-token" to read them from the GitHub API',
      );
    return {
      repo: fromPayload ?? repositoryFallback(context),
      commitDate: context.commitDate,
      source: fromPayload ? 'payload' : 'environment',
      notes,
    };
  }
  const client =
    options.client ??
    new HttpClient({
      baseUrl: apiUrl,
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
      timeoutMs: 15_000,
      retry: { attempts: 3 },
    });
  let repo = fromPayload;
  if (!repo) {
    try {
      const data = await client.json<Partial<RepositoryInfo>>(
        `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
      );
      repo = {
        name: data.name ?? name,
        description: data.description ?? null,
        html_url: data.html_url ?? `${context.serverUrl}/${context.repository}`,
        default_branch: data.default_branch ?? '',
        license: data.license ?? null,
      };
    } catch (error) {
      notes.push(`could not read the repository from the GitHub API (${(error as Error).message.split('\n')[0]})`);
    }
  }
  let commitDate = context.commitDate;
  if (!commitKnown && context.sha && /^[0-9a-f]{7,64}$/i.test(context.sha)) {
    try {
      const data = await client.json<{ commit?: { committer?: { date?: string } } }>(
        `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/commits/${context.sha}`,
      );
      if (data.commit?.committer?.date) commitDate = new Date(data.commit.committer.date);
    } catch (error) {
      notes.push(`could not read the commit date from the GitHub API (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return {
    repo: repo ?? repositoryFallback(context),
    commitDate,
    source: repo && !fromPayload ? 'api' : fromPayload ? 'payload' : 'environment',
    notes,
  };
}

/** Why the token may not go to this URL (the suite's credential-URL rule), or undefined. */
function credentialUrlProblem(url: string): string | undefined {
  try {
    checkCredentialUrl(url, 'GITHUB_API_URL');
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Input "GITHUB_API_URL": /, 'GITHUB_API_URL ').split(';')[0];
  }
}
