import { z } from 'zod';
import { RETURN_LANGUAGE } from '../../generators/ecommerce/orders';
import { offlinePersonaCopy, offlineProductCopy, offlineReviewCopy } from './offline-writer';
import { agreesWithStars, finished, firstRefusal, language, onTopic, Refusal } from './sense-checks';
import type {
  PersonaBrief,
  PersonaCopy,
  ProductBrief,
  ProductCopy,
  ReviewBrief,
  ReviewCopy,
} from './text-writer';

/**
 * The LLM's tasks: what each writes (products, personas, reviews), the JSON it must answer with,
 * how its answers are checked, and how briefs are batched into calls. The writer (llm-writer.ts)
 * runs them; the estimate prices them.
 */
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
