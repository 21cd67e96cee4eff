import { calcPrice } from '@pydantic/genai-prices';
import Decimal from 'decimal.js';
import { DashboardPricing } from '../../entities/enums';

/**
 * The one pricing module of the service: model prices per million tokens come from
 * @pydantic/genai-prices (pinned; its bundled data, no network), matched the way OpenAI names
 * models, dated ones included (`gpt-4o-mini-2024-07-18` → gpt-4o-mini). Money is computed in
 * decimals, never binary floats. An unknown model has no price (null), never $0.
 */
export interface ModelPrice {
  /** The model as asked for. */
  model: string;
  /** The catalogue entry it matched. */
  matchedModel: string;
  inputPerMillion: Decimal;
  outputPerMillion: Decimal;
}

/** Where prices come from, shown with every estimate. */
export const PRICE_SOURCE = {
  name: '@pydantic/genai-prices',
  // The package does not export its package.json; a unit test keeps this equal to the pinned version.
  version: '0.1.8',
  /** Publication date of that version's bundled price data. */
  date: '2026-09-23',
} as const;

const cache = new Map<string, ModelPrice | null>();

/** The price of a model, or null when the catalogue does not know it. */
export function priceOf(model: string): ModelPrice | null {
  if (cache.has(model)) return cache.get(model)!;
  const result = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model, {
    providerId: 'openai',
  });
  const price: ModelPrice | null = result
    ? {
        model,
        matchedModel: result.model.id,
        inputPerMillion: new Decimal(String(result.model_price.input_mtok ?? 0)),
        outputPerMillion: new Decimal(String(result.model_price.output_mtok ?? 0)),
      }
    : null;
  cache.set(model, price);
  return price;
}

/**
 * The fake-data strategy document's price table, per 1K tokens as it states it
 * (`../shared/seeds/fake-data-strategy.md`, "Costs"). Dashboards priced DOCUMENT use it; everything
 * else (LLM calls, estimates, dashboards priced CURRENT) uses today's list prices above.
 */
export const DOCUMENT_PRICES_PER_1K: Readonly<Record<string, { input: string; output: string }>> = {
  'gpt-4o': { input: '0.005', output: '0.015' },
  'gpt-4o-mini': { input: '0.00015', output: '0.0006' },
  'gpt-3.5-turbo': { input: '0.0005', output: '0.0015' },
};

/** A model's price under a dashboard's pricing, or null when that table does not know it. */
export function priceUnder(pricing: DashboardPricing, model: string): ModelPrice | null {
  if (pricing === DashboardPricing.CURRENT) return priceOf(model);
  const row = DOCUMENT_PRICES_PER_1K[model];
  return row
    ? {
        model,
        matchedModel: model,
        inputPerMillion: new Decimal(row.input).times(1000),
        outputPerMillion: new Decimal(row.output).times(1000),
      }
    : null;
}

/**
 * Cost in USD of a call or a day of calls, or null for an unknown model: at today's list prices
 * unless a dashboard's pricing says otherwise.
 */
export function costOf(
  model: string,
  inputTokens: number,
  outputTokens: number,
  pricing: DashboardPricing = DashboardPricing.CURRENT,
): Decimal | null {
  const price = priceUnder(pricing, model);
  if (!price) return null;
  return price.inputPerMillion
    .times(inputTokens)
    .plus(price.outputPerMillion.times(outputTokens))
    .dividedBy(1_000_000);
}
