import type { Row } from '@deploy-actions/toolkit';
import type { TemplateValues } from './identifier';
import type { Inputs } from './inputs';

/** What every provider is given, and what it reports back for the outputs and the job summary. */

export interface Run<I extends Inputs = Inputs> {
  inputs: I;
  values: TemplateValues;
  repository: string;
  sha: string;
  runUrl: string;
  /** Epoch ms by which everything (busy source, snapshot) must be done. */
  deadline: number;
  /** Cancellation and the step timeout. */
  signal: AbortSignal;
  /** Called once the snapshot has been asked for: the report of a later failure names it. */
  requested(what: string): void;
}

export interface Pruned {
  deleted: string[];
  wouldDelete: string[];
  kept: string[];
  skipped: { id: string; reason: string }[];
  failed: { id: string; reason: string }[];
}

export interface Outcome {
  id: string;
  /** ARN, backup run link or dump path. */
  ref: string;
  status: string;
  createdAt?: Date;
  sizeBytes?: number;
  pruned?: Pruned;
  /** A ready-to-run restore command. */
  restore: string;
  /** What else the summary should show about this provider. */
  facts: Row[];
  apiCalls?: number;
}

export function emptyPruned(): Pruned {
  return { deleted: [], wouldDelete: [], kept: [], skipped: [], failed: [] };
}
