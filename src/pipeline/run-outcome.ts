import type { ContractCheck } from '../../entities/contract-check';
import type { RowCountsShape } from '../../entities/row-counts';

/** What writing a run produced: its row counts, the fingerprint of its rows, its contract. */
export interface RunOutcome {
  rowCounts: Partial<RowCountsShape>;
  fingerprint: string;
  contract: ContractCheck[];
}
