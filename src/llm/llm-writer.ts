import Decimal from 'decimal.js';
import { z } from 'zod';
import { costOf } from '../pricing/prices';
import { chatInputTokens, EMBEDDING_INPUT_MAX_TOKENS, embeddingInput } from '../pricing/tokens';
import { RETURN_LANGUAGE } from '../../generators/ecommerce/orders';
import { OFFLINE_EMBEDDING_MODEL, offlineVector } from './offline-vectors';
import { offlinePersonaCopy, offlineProductCopy, offlineReviewCopy } from './offline-writer';
import { agreesWithStars, finished, firstRefusal, language, onTopic, Refusal } from './sense-checks';
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

interface TextBounds {
  minLength: number;
  maxLength: number;
}

/** The structured output every text call asks for: one item per requested key. */
function itemsSchema(fields: Record<string, TextBounds>) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', ...Object.keys(fields)],
          properties: {
            key: { type: 'string' },
            ...Object.fromEntries(
              Object.entries(fields).map(([name, bounds]) => [name, { type: 'string', ...bounds }]),
            ),
          },
        },
      },
    },
  };
}

const noFiller = (text: string) => !/lorem ipsum|\[insert|as an ai/i.test(text);
const PRODUCT_LIMITS = {
  title: { minLength: 5, maxLength: 150 },
  description: { minLength: 30, maxLength: 1000 },
};
const PERSONA_LIMITS = { persona: { minLength: 40, maxLength: 400 } };
const REVIEW_LIMITS = { title: { minLength: 3, maxLength: 120 }, text: { minLength: 30, maxLength: 1500 } };

/**
 * The validator of one answered item, from the same bounds as its JSON schema: every text field
 * is trimmed, within its lengths and free of filler.
 */
function itemValidator<C>(fields: Record<keyof C & string, TextBounds>): z.ZodType<C & { key: string }> {
  const texts = Object.entries<TextBounds>(fields).map(([name, b]) => [
    name,
    z.string().trim().min(b.minLength).max(b.maxLength).refine(noFiller),
  ]);
  return z.object({ key: z.string(), ...Object.fromEntries(texts) }) as unknown as z.ZodType<
    C & { key: string }
  >;
}

/** One kind of text the model writes: its prompt, schema, validation and offline fallback. */
export interface Task<B, C> {
  phase: string;
  /** Most briefs per call, given the configured review batch size. */
  batchSize: (reviewBatch: number) => number;
  /** Expected output tokens per item (low, high), for estimates. */
  outputTokensPerItem: [number, number];
  /** Order of briefs before batching (keeps alike items together). */
  order?: (a: B, b: B) => number;
  schemaName: string;
  schema: Record<string, unknown>;
  system: string;
  /** The prompt for a batch of briefs (each carries its key). */
  prompt: (briefs: readonly B[]) => string;
  item: z.ZodType<C & { key: string }>;
  key: (brief: B) => string;
  /**
   * Why a well-formed item does not make sense for its brief (sense-checks.ts), or null when it
   * does: it is then refused like an invalid one.
   */
  refuse(brief: B, copy: C): Refusal | null;
  offline: (brief: B) => C;
}

/** Products: one call per scenario. */
export const PRODUCT_TASK: Task<ProductBrief, ProductCopy> = {
  phase: 'products',
  batchSize: () => Infinity,
  // A title (~15 tokens) and a 2–3 sentence description (~50–120), with the item's JSON.
  outputTokensPerItem: [70, 150],
  schemaName: 'product_copy',
  schema: itemsSchema(PRODUCT_LIMITS),
  system:
    'You write realistic e-commerce catalogue copy. For each product, write a marketplace-style title and a ' +
    '2–3 sentence description. Use the brand, product type and model given; invent no prices or numbers.',
  prompt: (batch) =>
    `Main product of this catalogue: ${JSON.stringify(batch[0]?.mainTitle ?? '')}.\n` +
    `Products (answer with one item per key):\n${JSON.stringify(
      batch.map((b) => ({
        key: b.key,
        role: b.role,
        category: b.category,
        brand: b.brand,
        type: b.noun,
        model: b.model,
      })),
    )}`,
  item: itemValidator<ProductCopy>(PRODUCT_LIMITS),
  key: (b) => b.key,
  refuse: (b, copy) =>
    firstRefusal(
      language(copy.description),
      finished(copy.description),
      onTopic(copy.description, [b.noun, b.brand, b.model]),
    ),
  offline: offlineProductCopy,
};

/** Words a shopping persona uses (it is about how someone shops, buys and reviews). */
const SHOPPING_WORDS = [
  'shop shops shopping shopper buy buys buying bought purchase purchases purchasing review reviews reviewing',
  'reviewed store stores deal deals brand brands price prices quality online order orders',
];

/** Shopper personas: one call per 50 users; names and demographics stay with the generators. */
export const PERSONA_TASK: Task<PersonaBrief, PersonaCopy> = {
  phase: 'users',
  batchSize: () => 50,
  // Two or three sentences (~35–70 tokens), with the item's JSON.
  outputTokensPerItem: [45, 100],
  schemaName: 'shopper_personas',
  schema: itemsSchema(PERSONA_LIMITS),
  system:
    'You write short shopping personas for the customers of an online shop. For each shopper, write 2–3 ' +
    'sentences on their life stage, shopping habits, priorities and how they review purchases, consistent ' +
    'with the age, gender and location given. Do not repeat their name; invent no numbers.',
  prompt: (batch) =>
    `Shoppers (answer with one item per key):\n${JSON.stringify(
      batch.map((b) => ({
        key: b.key,
        first_name: b.firstName,
        age: b.age,
        gender: b.gender,
        location: b.location,
        browses: b.category,
      })),
    )}`,
  item: itemValidator<PersonaCopy>(PERSONA_LIMITS),
  key: (b) => b.key,
  refuse: (b, copy) =>
    firstRefusal(
      language(copy.persona),
      finished(copy.persona),
      onTopic(copy.persona, [...SHOPPING_WORDS, b.category]),
    ),
  offline: offlinePersonaCopy,
};

/** Reviews: as many per call as the batch size allows, grouped by product and sentiment. */
export const REVIEW_TASK: Task<ReviewBrief, ReviewCopy> = {
  phase: 'reviews',
  batchSize: (reviewBatch) => reviewBatch,
  // A short title and 2–4 sentences, with the item's JSON.
  outputTokensPerItem: [55, 130],
  order: (a, b) => a.productName.localeCompare(b.productName) || a.sentiment.localeCompare(b.sentiment),
  schemaName: 'review_copy',
  schema: itemsSchema(REVIEW_LIMITS),
  system:
    'You write authentic customer reviews for an online shop. Each review gets a short title and 2–4 sentences ' +
    'that mention the product and match its star rating exactly (5 = delighted, 3 = mixed, 1 = angry). When ' +
    '"returned" is true the shopper sent the item back: say so ("returned it"). Otherwise they kept it: never ' +
    'mention returns or refunds. Vary the voice; no lorem ipsum, no placeholders.',
  prompt: (batch) =>
    `Reviews to write (one item per key):\n${JSON.stringify(
      batch.map((b) => ({ key: b.key, product: b.productName, stars: b.stars, returned: b.returned })),
    )}`,
  item: itemValidator<ReviewCopy>(REVIEW_LIMITS),
  key: (b) => b.key,
  // The contract checks stored reviews the same way: return language exactly on returned items.
  refuse: (brief, copy) =>
    // The text itself must make sense: a fitting title does not make up for it.
    firstRefusal(
      language(copy.text),
      finished(copy.text),
      onTopic(copy.text, [brief.productNoun, brief.productName, brief.productTitle]),
      agreesWithStars(`${copy.title}. ${copy.text}`, brief.stars),
      RETURN_LANGUAGE.test(`${copy.title} ${copy.text}`) === brief.returned ? null : Refusal.PURCHASE_STATUS,
    ),
  offline: offlineReviewCopy,
};

/** The output cap of a call for `items` texts (max_completion_tokens): the high estimate plus the JSON wrapper. */
export function outputAllowance<B, C>(task: Task<B, C>, items: number): number {
  return items * task.outputTokensPerItem[1] + 50;
}

/** The batches the writer sends for a task (the same ones costEstimate prices). */
export function textBatches<B, C>(task: Task<B, C>, briefs: readonly B[], reviewBatch: number): B[][] {
  const size = task.batchSize(reviewBatch);
  const order = task.order ? [...briefs].sort(task.order) : [...briefs];
  const batches: B[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/**
 * Text from a language model, never trusted as it comes: each batch asks for one JSON item per
 * brief, every item is validated (shape, lengths, no filler), missing or invalid items are asked
 * for once more, and anything still missing gets the offline template text. Values (ids, stars,
 * prices, dates) never pass through the model. One writer per run: it reports what it did.
 *
 * Batches are independent, so they go out concurrently (the run's call policy bounds how many);
 * answers are placed by key and the ledger is kept in planning order, so the dataset and the
 * report are the same whatever order answers arrive in.
 */
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
