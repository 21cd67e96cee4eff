import Decimal from 'decimal.js';
import type { WriterReport } from '../llm/text-writer';
import type { PhaseEstimate } from './estimate';

/** One phase of a run: what the estimate expected beside what the calls used. */
export interface PhaseCost {
  phase: string;
  kind: string;
  estimatedCalls: number | null;
  calls: number;
  cachedCalls: number;
  /** Planned calls not sent (budget or circuit breaker). */
  skippedCalls: number;
  estimatedInputTokens: number | null;
  inputTokens: number;
  estimatedOutputTokensLow: number | null;
  estimatedOutputTokensHigh: number | null;
  outputTokens: number;
  estimatedCostLowUsd: string | null;
  estimatedCostHighUsd: string | null;
  /** What the calls cost (cached calls are free); null when a model had no known price. */
  costUsd: string | null;
}

/** A phase of a fresh estimate, or of one stored as JSON on a run. */
type EstimatedPhase = Omit<PhaseEstimate, 'kind'> & { kind: string };

/** Embedding calls of every table form one phase, as in the estimate. */
const phaseOf = (call: { kind: string; phase: string }) =>
  call.kind === 'embedding' ? 'embeddings' : call.phase;

/**
 * Estimate and ledger side by side, per phase: the estimate's phases in order, then any phase
 * only the ledger has. Tokens count every call (cached ones too: they are what the run needed);
 * cost counts what was billed. Repair calls make `calls` exceed the estimate.
 */
export function compareCosts(
  /** A stored estimate (JSON) or a fresh one. */
  estimate: { phases: readonly EstimatedPhase[] } | null,
  report: Pick<WriterReport, 'calls'> | null,
): PhaseCost[] {
  const calls = report?.calls ?? [];
  const phases = new Map<string, string>();
  for (const p of estimate?.phases ?? []) phases.set(p.phase, p.kind);
  for (const c of calls) if (!phases.has(phaseOf(c))) phases.set(phaseOf(c), c.kind);

  return [...phases].map(([phase, kind]) => {
    const planned = calls.filter((c) => phaseOf(c) === phase);
    const own = planned.filter((c) => !c.outcome?.startsWith('SKIPPED'));
    const e = estimate?.phases.find((p) => p.phase === phase);
    return {
      phase,
      kind,
      estimatedCalls: e?.calls ?? null,
      calls: own.length,
      cachedCalls: own.filter((c) => c.cached).length,
      skippedCalls: planned.length - own.length,
      estimatedInputTokens: e?.inputTokens ?? null,
      inputTokens: own.reduce((n, c) => n + c.inputTokens, 0),
      estimatedOutputTokensLow: e?.outputTokensLow ?? null,
      estimatedOutputTokensHigh: e?.outputTokensHigh ?? null,
      outputTokens: own.reduce((n, c) => n + c.outputTokens, 0),
      estimatedCostLowUsd: e?.costLowUsd ?? null,
      estimatedCostHighUsd: e?.costHighUsd ?? null,
      costUsd: own.some((c) => c.costUsd === null)
        ? null
        : own.reduce((sum, c) => sum.plus(c.costUsd as string), new Decimal(0)).toString(),
    };
  });
}

/** What a run's calls cost in all (cached calls are free); null when a model had no known price. */
export function actualCost(report: WriterReport | null): string | null {
  const calls = report?.calls ?? [];
  if (calls.some((c) => c.costUsd === null)) return null;
  return calls.reduce((sum, c) => sum.plus(c.costUsd as string), new Decimal(0)).toString();
}
