import Decimal from 'decimal.js';
import { z } from 'zod';
import { costOf } from '../pricing/prices';
import { chatInputTokens, EMBEDDING_INPUT_MAX_TOKENS, embeddingInput } from '../pricing/tokens';
import { OFFLINE_EMBEDDING_MODEL, offlineVector } from './offline-vectors';
import { Refusal } from './sense-checks';
import { BrokenCircuitError } from 'cockatiel';
import { Budget, type Place } from './budget';
import { settleAll } from './settle-all';
import type { CallPolicy } from './call-policy';
import { UnusableAnswer, type LlmCall, type OpenAiProvider } from './openai-provider';
import type {
  PersonaBrief,
  PersonaCopy,
  ProductBrief,
  ProductCopy,
  ReviewBrief,
  ReviewCopy,
  TextWriter,
  WriterReport,
  EmbeddingItem,
  EmbeddingPlan,
  EmbeddingSpace,
  LlmCallOutcome,
} from './text-writer';

import { outputAllowance, PERSONA_TASK, PRODUCT_TASK, REVIEW_TASK, textBatches, type Task } from './tasks';

export class LlmTextWriter implements TextWriter {
  readonly name = 'openai';
  /** The label of the run's vectors: the model's, or the offline space's when the budget ruled it out. */
  get embeddingModel(): string {
    return this.space.model;
  }
  /** Recorded calls by their place in the planning order. */
  private readonly calls: { index: number; call: LlmCall }[] = [];
  private llmTexts = 0;
  private fallbackTexts = 0;
  private failedCalls = 0;
  private skippedCalls = 0;
  private brokenCalls = 0;
  private embedded = false;
  private readonly budget: Budget;
  /** The run's one vector space, decided before any call. */
  private readonly space: EmbeddingSpace;
  /** Well-formed model texts refused by the sense checks, by reason. */
  private readonly refusals = new Map<Refusal, number>();

  constructor(
    private readonly provider: OpenAiProvider,
    private readonly reviewBatch: number,
    /** USD the run may spend (maxCostUsd); null = no limit. */
    private readonly budgetUsd: string | null = null,
    private readonly embeddingBatch = 100,
    /** What the run's cost estimate says it will need (what a budget plans its embeddings by). */
    plan: EmbeddingPlan = { rows: 0, textHighUsd: null },
    private readonly policy: CallPolicy = provider.newCallPolicy(),
  ) {
    this.budget = new Budget(budgetUsd);
    this.space = this.embeddingSpace(plan);
  }

  /**
   * One vector space per run, decided before its first call. Under a budget, text comes first:
   * the vectors come from the model only when the budget covers the estimate's text at its high
   * end and, beside it, the embeddings' worst case (every row at EMBEDDING_INPUT_MAX_TOKENS),
   * which is then set aside from the start so text calls can never eat into it. Otherwise every
   * vector of the run is offline and labelled so, and the whole budget goes to text.
   */
  private embeddingSpace({ rows, textHighUsd }: EmbeddingPlan): EmbeddingSpace {
    const model = this.provider.embeddingModel;
    if (this.budgetUsd === null || rows === 0) return { model, offlineReason: null };
    const worst = costOf(model, rows * EMBEDDING_INPUT_MAX_TOKENS, 0);
    const text = new Decimal(textHighUsd ?? 0);
    if (worst && text.plus(worst).lte(this.budgetUsd) && this.budget.setAside(worst)) {
      return { model, offlineReason: null };
    }
    const offlineReason = worst
      ? `maxCostUsd ($${this.budgetUsd}) does not cover the text at its estimated high end ($${text.toFixed(8)}) ` +
        `and the embeddings' worst case ($${worst.toFixed(8)}: ${rows} rows of at most ${EMBEDDING_INPUT_MAX_TOKENS} tokens); text comes first.`
      : `The embedding model ${model} has no known price, so it cannot be called under a budget.`;
    return { model: OFFLINE_EMBEDDING_MODEL, offlineReason };
  }

  report(): WriterReport {
    return {
      provider: 'openai',
      model: this.provider.model,
      llmTexts: this.llmTexts,
      fallbackTexts: this.fallbackTexts,
      offlineTexts: 0,
      failedCalls: this.failedCalls,
      budgetUsd: this.budgetUsd,
      skippedCalls: this.skippedCalls,
      breakerReason: this.policy.brokenReason,
      breakerSkippedCalls: this.brokenCalls,
      refusedTexts: [...this.refusals]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([reason, count]) => ({ reason, count })),
      embeddings: this.embedded ? { ...this.space } : null,
      calls: [...this.calls].sort((a, b) => a.index - b.index).map((c) => c.call),
    };
  }

  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]> {
    return this.write(briefs, textBatches(PRODUCT_TASK, briefs, this.reviewBatch), PRODUCT_TASK);
  }

  personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]> {
    return this.write(briefs, textBatches(PERSONA_TASK, briefs, this.reviewBatch), PERSONA_TASK);
  }

  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]> {
    return this.write(briefs, textBatches(REVIEW_TASK, briefs, this.reviewBatch), REVIEW_TASK);
  }

  /**
   * Embeddings, batches concurrently, all from the run's one vector space (decided before its first
   * call, see the constructor): from the model, each batch drawing on what the run set aside for
   * its embeddings, so none is ever skipped half-way; or, when that did not fit the budget, every
   * row offline (the skipped calls are in the ledger).
   */
  async embed(phase: 'products' | 'users' | 'reviews', items: readonly EmbeddingItem[]): Promise<number[][]> {
    const batches: EmbeddingItem[][] = [];
    for (let start = 0; start < items.length; start += this.embeddingBatch) {
      batches.push(items.slice(start, start + this.embeddingBatch));
    }
    this.embedded ||= items.length > 0;
    const places = batches.map(() => this.budget.place());
    const vectors = await settleAll(
      batches.map(async (batch, i) => {
        if (this.space.offlineReason) {
          places[i].pass();
          this.skippedCalls++;
          this.record(places[i].index, this.unsent('embedding', phase, batch.length, 'SKIPPED_BUDGET'));
          return batch.map((item) => offlineVector(item.meaning));
        }
        const inputs = batch.map((item) => embeddingInput(item.text));
        const tokens = inputs.reduce((n, input) => n + input.tokens, 0);
        const reservation = await places[i].draw(
          this.embeddingWorstCase(batch.length),
          this.embeddingCost(tokens),
        );
        let call: LlmCall | null = null;
        try {
          const answer = await this.provider.embed(
            phase,
            inputs.map((input) => input.text),
            this.policy.embeddings,
          );
          call = answer.call;
          return answer.vectors;
        } catch (error) {
          // Billed but unusable (or not answered at all): in the ledger either way, then the run fails.
          call = error instanceof UnusableAnswer ? error.call : null;
          if (!call) this.failedCalls++;
          throw error;
        } finally {
          this.record(places[i].index, call ?? this.unsent('embedding', phase, batch.length, 'FAILED'));
          reservation.settle(call && listPrice(call));
        }
      }),
    );
    return vectors.flat();
  }

  /** What `rows` may cost to embed at most (what the budget set aside for them); $0 without a budget. */
  private embeddingWorstCase(rows: number): Decimal {
    return this.embeddingCost(rows * EMBEDDING_INPUT_MAX_TOKENS);
  }

  private embeddingCost(tokens: number): Decimal {
    if (this.budgetUsd === null) return new Decimal(0);
    return costOf(this.provider.embeddingModel, tokens, 0) ?? new Decimal(0);
  }

  /** A call that was planned but not sent, or sent and never answered: no tokens, nothing billed. */
  private unsent(kind: LlmCall['kind'], phase: string, items: number, outcome: LlmCallOutcome): LlmCall {
    const model = kind === 'embedding' ? this.provider.embeddingModel : this.provider.model;
    return {
      kind,
      phase,
      model,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: '0',
      cached: false,
      items,
      outcome,
    };
  }

  /**
   * Logs a call. The budget charges it at its list price even when it came from the cache: a
   * re-run then makes exactly the same decisions as the first run (same texts, same fingerprint,
   * zero calls), although what it actually costs is $0.
   */
  private record(index: number, call: LlmCall): void {
    this.calls.push({ index, call });
  }

  /**
   * Writes every brief: all batches at once, then one repair call per answered batch for what is
   * missing or invalid, offline text for the rest. Every place in line is taken before anything is sent, so a budget
   * decides the same way whatever order the answers come in.
   */
  private async write<B, C>(
    briefs: readonly B[],
    batches: readonly (readonly B[])[],
    task: Task<B, C>,
  ): Promise<C[]> {
    const written = new Map<string, C>();
    const first = batches.map(() => this.budget.place());
    const repairs = batches.map(() => this.budget.place());
    await Promise.all(
      batches.map(async (batch, i) => {
        let answered = false;
        try {
          answered = await this.ask(batch, task, written, false, first[i]);
        } finally {
          // A repair only follows an answer that arrived and left items missing or invalid: a
          // failed or skipped call is not "invalid", and asking again would only repeat it.
          const missing = batch.filter((b) => !written.has(task.key(b)));
          if (missing.length && answered) await this.ask(missing, task, written, true, repairs[i]);
          else repairs[i].pass();
        }
      }),
    );
    return briefs.map((brief) => {
      const copy = written.get(task.key(brief));
      if (copy) {
        this.llmTexts++;
        return copy;
      }
      this.fallbackTexts++;
      return task.offline(brief);
    });
  }

  /**
   * A call's worst case: the prompt counted with the model's tokenizer (plus 5 %) and the full
   * output allowance, which the call cannot exceed. Null (never called under a budget) for an
   * unpriced model.
   */
  private worstCase<B, C>(task: Task<B, C>, user: string, maxOutputTokens: number): Decimal | null {
    if (this.budgetUsd === null) return new Decimal(0);
    const inputTokens = Math.ceil(
      chatInputTokens(this.provider.model, task.system, user, task.schema) * 1.05,
    );
    return costOf(this.provider.model, inputTokens, maxOutputTokens);
  }

  private async ask<B, C>(
    batch: readonly B[],
    task: Task<B, C>,
    written: Map<string, C>,
    repair: boolean,
    place: Place,
  ): Promise<boolean> {
    const wanted = new Map(batch.map((brief) => [task.key(brief), brief]));
    // A repair is a different request (and cache entry) from the answer that failed validation.
    const note = repair
      ? '\nA previous answer for these keys was missing or invalid: answer with exactly one valid item per key, following the schema.'
      : '';
    const user = task.prompt(batch) + note;
    const maxOutputTokens = outputAllowance(task, batch.length);
    const reservation = await place.admit(() => this.worstCase(task, user, maxOutputTokens));
    if (!reservation) {
      this.skippedCalls++;
      this.record(place.index, this.unsent('chat', task.phase, batch.length, 'SKIPPED_BUDGET'));
      return false;
    }
    let call: LlmCall | null = null;
    try {
      const answer = await this.provider.chatJson(
        {
          phase: task.phase,
          system: task.system,
          user,
          schemaName: task.schemaName,
          schema: task.schema,
          items: batch.length,
          maxOutputTokens,
        },
        this.policy.chat,
      );
      call = answer.call;
      this.record(place.index, call);
      const parsed = z.object({ items: z.array(z.unknown()) }).safeParse(safeJson(answer.content));
      if (!parsed.success) return true;
      const before = written.size;
      for (const raw of parsed.data.items) {
        const item = task.item.safeParse(raw);
        // Unknown keys (items nobody asked for) and repeats are dropped, never stored.
        if (!item.success || !wanted.has(item.data.key) || written.has(item.data.key)) continue;
        const { key, ...copy } = item.data;
        const refusal = task.refuse(wanted.get(key)!, copy as unknown as C);
        if (refusal) {
          this.refusals.set(refusal, (this.refusals.get(refusal) ?? 0) + 1);
          continue;
        }
        written.set(key, copy as unknown as C);
      }
      // Only an answer that gave texts is cached (a re-run replays what was used, never refusals).
      if (written.size > before) await answer.remember();
      return true;
    } catch (error) {
      // Retries are spent (or the circuit is open): this batch falls back.
      const broken = error instanceof BrokenCircuitError;
      if (broken) this.brokenCalls++;
      else this.failedCalls++;
      const outcome = broken ? 'SKIPPED_BREAKER' : 'FAILED';
      this.record(place.index, this.unsent('chat', task.phase, batch.length, outcome));
      return false;
    } finally {
      reservation.settle(call && listPrice(call));
    }
  }
}

/** What a call costs at list price, cached or not (what the budget charges). */
function listPrice(call: LlmCall): Decimal | null {
  return costOf(call.model, call.inputTokens, call.outputTokens);
}

function safeJson(content: string | null): unknown {
  if (!content) return null;
  try {
    return JSON.parse(content);
  } catch {
    return null;
  }
}
