import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { AgentStatus, MemberRole } from '../../../entities/enums';
import type { AgentRow } from '../../../generators/dashboard/agents';
import type { CostRecordRow } from '../../../generators/dashboard/costs';
import type { MemberRow } from '../../../generators/dashboard/members';
import { outputAllowance, PERSONA_TASK, PRODUCT_TASK, REVIEW_TASK, type Task } from '../../llm/tasks';
import { CHAT_TEMPERATURE } from '../../llm/openai-provider';
import { billed, type WriterReport } from '../../llm/text-writer';

/**
 * The scenario pipeline's own four agents, recorded in every scenario run as rows of the
 * dashboard model, so the dashboard's queries (agents, costSummary, overview) show what
 * generating the run really cost. They are dated at the run's asOf, like the world they built.
 */

/** A UUID derived from a name: the same in every run (rows are keyed by run and id). */
function stableUuid(name: string): string {
  const h = createHash('sha256').update(`mockforge:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const PIPELINE_MEMBER_ID = stableUuid('pipeline-member');

interface PipelineAgentSpec {
  /** Ledger phase whose calls this agent made (chat and embeddings). */
  phase: 'products' | 'users' | 'transactions' | 'reviews';
  name: string;
  description: string;
  /** The text task it runs; none for the rule-based agent. */
  task: Task<never, unknown> | null;
}

const AGENTS: PipelineAgentSpec[] = [
  {
    phase: 'products',
    name: 'MOCK_PDT_MINI_AGENT',
    description: 'Writes titles and descriptions of the main, similar and diverse products, and embeds them.',
    task: PRODUCT_TASK as Task<never, unknown>,
  },
  {
    phase: 'users',
    name: 'MOCK_USR_MINI_AGENT',
    description:
      'Writes the shoppers’ personas (demographics stay with the generators) and embeds the shoppers.',
    task: PERSONA_TASK as Task<never, unknown>,
  },
  {
    phase: 'transactions',
    name: 'MOCK_TRX_MINI_AGENT',
    description: 'Places purchases by the scenario’s deterministic rules; makes no model calls.',
    task: null,
  },
  {
    phase: 'reviews',
    name: 'MOCK_RVW_MINI_AGENT',
    description: 'Writes review titles and texts matching their stars, in batches, and embeds the reviews.',
    task: REVIEW_TASK as Task<never, unknown>,
  },
];

export const PIPELINE_AGENT_IDS = Object.fromEntries(
  AGENTS.map((a) => [a.phase, stableUuid(`pipeline-agent:${a.phase}`)]),
) as Record<PipelineAgentSpec['phase'], string>;

export interface PipelineRows {
  member: MemberRow;
  agents: AgentRow[];
  costRecords: CostRecordRow[];
}

/**
 * The pipeline member and agents of a run, and one cost record per agent and model (as the server
 * named it) over the calls actually billed: cached calls cost nothing and are left out, and so are
 * calls of a model without a known price (their cost is unknown, never $0; the run's ledger keeps them).
 */
export function pipelineRows(
  runId: string,
  asOf: Date,
  report: WriterReport,
  /** The configured review batch size: with the row counts, what each agent's largest call asks for. */
  reviewBatch: number,
  rowCounts: { products: number; users: number; reviews: number },
): PipelineRows {
  const member: MemberRow = {
    runId,
    id: PIPELINE_MEMBER_ID,
    name: 'MockForge pipeline',
    email: 'pipeline@mockforge.local',
    avatarUrl: 'https://api.dicebear.com/7.x/bottts/svg?seed=mockforge-pipeline',
    role: MemberRole.ADMIN,
  };
  const online = report.provider === 'openai';
  const agents: AgentRow[] = AGENTS.map((spec) => ({
    runId,
    id: PIPELINE_AGENT_IDS[spec.phase],
    name: spec.name,
    description: spec.description,
    model: spec.task ? (online ? (report.model ?? 'unknown') : 'offline-templates') : 'rules',
    status: AgentStatus.ACTIVE,
    config: {
      temperature: spec.task && online ? CHAT_TEMPERATURE : 0,
      maxTokens:
        spec.task && online
          ? outputAllowance(
              spec.task,
              Math.min(spec.task.batchSize(reviewBatch), rowCounts[spec.phase as 'products']),
            )
          : 0,
      systemPrompt: spec.task
        ? spec.task.system
        : 'Rule-based: purchases follow the scenario’s rules; no model calls.',
    },
    createdById: member.id,
    createdAt: asOf,
    lastActiveAt: asOf,
    deletedAt: null,
  }));

  const totals = new Map<
    string,
    { phase: string; model: string; input: number; output: number; cost: Decimal }
  >();
  for (const call of report.calls) {
    if (!billed(call) || call.costUsd === null) continue;
    const key = `${call.phase}\u0000${call.model}`;
    const entry = totals.get(key) ?? {
      phase: call.phase,
      model: call.model,
      input: 0,
      output: 0,
      cost: new Decimal(0),
    };
    entry.input += call.inputTokens;
    entry.output += call.outputTokens;
    entry.cost = entry.cost.plus(call.costUsd);
    totals.set(key, entry);
  }
  const date = asOf.toISOString().slice(0, 10);
  const shown = toMillionths([...totals.values()].map((t) => t.cost));
  const costRecords: CostRecordRow[] = [...totals.values()].map((t, i) => ({
    runId,
    id: stableUuid(`pipeline-cost:${t.phase}:${t.model}`),
    agentId: PIPELINE_AGENT_IDS[t.phase as PipelineAgentSpec['phase']],
    date,
    model: t.model,
    inputTokens: t.input,
    outputTokens: t.output,
    totalCost: shown[i],
    pricedRunId: runId,
  }));
  return { member, agents, costRecords };
}

/**
 * Exact amounts in the cost column's 6 decimals, summing to their total rounded to 6 decimals
 * (half up): each is cut to whole millionths and the millionths the cuts lost go to the largest
 * remainders (the first on ties). So the records of a run add up to its actualCostUsd at the
 * dashboard's precision, which rounding each record on its own does not.
 */
export function toMillionths(amounts: readonly Decimal[]): string[] {
  const units = amounts.map((a) => a.times(1_000_000));
  const floors = units.map((u) => u.floor());
  const total = units
    .reduce((sum, u) => sum.plus(u), new Decimal(0))
    .toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  let left = total.minus(floors.reduce((sum, f) => sum.plus(f), new Decimal(0))).toNumber();
  const byRemainder = units
    .map((u, i) => ({ i, rest: u.minus(floors[i]) }))
    .sort((a, b) => b.rest.comparedTo(a.rest) || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    floors[i] = floors[i].plus(1);
    left--;
  }
  return floors.map((f) => f.dividedBy(1_000_000).toFixed(6));
}
