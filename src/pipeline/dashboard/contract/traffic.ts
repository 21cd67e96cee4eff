import {
  AGENT_KINDS,
  AGENT_MODELS,
  meanConversationTokens,
  TOKEN_NOISE,
  tokenShapeOf,
} from '../../../../generators/dashboard/catalog';
import { priceUnder } from '../../../pricing/prices';
import { values, type Contract } from './contract';

/** Daily metrics in their ranges, conversations matching their days (rule 7), tokens as the token shape makes them (rule 8). */
export async function checkTrafficAndTokens(contract: Contract): Promise<void> {
  const { request, checks, facts: q } = contract;
  const none = checks.none.bind(checks);
  // Daily metrics in their ranges; days without traffic have no rates. Tokens as the run's token
  // shape makes them, by agent kind (the name before its number) and model: a conversation's within
  // its noise of the shape at its message count, a day's per conversation within the day's noise
  // of the shape's mean over the kind's message counts (each ± rounding).
  const shape = tokenShapeOf(request.pricing);
  const perConversation = values(
    AGENT_KINDS.flatMap((kind) =>
      AGENT_MODELS.flatMap((model) => {
        const rows: (string | number)[][] = [];
        for (let n = kind.messages[0]; n <= kind.messages[1]; n++) {
          const t = shape.conversation(kind, model, n);
          rows.push([kind.name, model.model, n, t.input, t.output]);
        }
        return rows;
      }),
    ),
  );
  const perDay = values(
    AGENT_KINDS.flatMap((kind) =>
      AGENT_MODELS.map((model) => {
        const t = meanConversationTokens(shape, kind, model);
        return [kind.name, model.model, t.input, t.output];
      }),
    ),
  );
  const kindOf = (agent: string) => `regexp_replace(${agent}.name, ' [0-9]+$', '')`;
  const ranges = await q(
    `SELECT count(*) FILTER (WHERE conversations NOT BETWEEN 0 AND 100
              OR (conversations > 0 AND (success_rate NOT BETWEEN 0.85 AND 0.99 OR avg_response_time_ms NOT BETWEEN 800 AND 3000))
              OR (conversations = 0) <> (success_rate IS NULL))::int AS out_of_range,
            count(*) FILTER (WHERE b.model IS NULL
              OR total_tokens_input NOT BETWEEN conversations * b.input * ${1 - TOKEN_NOISE.day} - 0.5
                                            AND conversations * b.input * ${1 + TOKEN_NOISE.day} + 0.5
              OR total_tokens_output NOT BETWEEN conversations * b.output * ${1 - TOKEN_NOISE.day} - 0.5
                                             AND conversations * b.output * ${1 + TOKEN_NOISE.day} + 0.5)::int AS bad_tokens
       FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
       LEFT JOIN ${perDay} AS b(kind, model, input, output) ON b.kind = ${kindOf('a')} AND b.model = a.model
      WHERE m.run_id = $1`,
  );
  none('dailyMetrics.inRanges', ranges.out_of_range);

  // Rule 7: resolved conversations within one of the sum of their days' success rates, for each
  // agent-day and for each agent over the window.
  // Rule 8: tokens as the token shape makes them.
  const talk = await q(
    `WITH c AS (SELECT c.agent_id, m.date, c.resolved, m.success_rate AS s
                 FROM conversations c LEFT JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id
                  AND m.date = (c.started_at AT TIME ZONE 'UTC')::date WHERE c.run_id = $1)
     SELECT ((SELECT count(*) FROM (SELECT count(*) FILTER (WHERE resolved) AS resolved, sum(s) AS expected,
               count(*) - count(s) AS unmatched FROM c GROUP BY agent_id, date) x
              WHERE unmatched > 0 OR abs(resolved - expected) >= 1)
          + (SELECT count(*) FROM (SELECT count(*) FILTER (WHERE resolved) AS resolved, sum(s) AS expected FROM c GROUP BY agent_id) y
              WHERE abs(resolved - expected) >= 1))::int AS off_success,
            (SELECT count(*) FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
               LEFT JOIN ${perConversation} AS b(kind, model, messages, input, output)
                 ON b.kind = ${kindOf('a')} AND b.model = a.model AND b.messages = c.message_count
              WHERE c.run_id = $1 AND (b.model IS NULL
                OR c.input_tokens NOT BETWEEN b.input * ${1 - TOKEN_NOISE.conversation} - 0.5
                                          AND b.input * ${1 + TOKEN_NOISE.conversation} + 0.5
                OR c.output_tokens NOT BETWEEN b.output * ${1 - TOKEN_NOISE.conversation} - 0.5
                                           AND b.output * ${1 + TOKEN_NOISE.conversation} + 0.5))::int AS bad_tokens`,
  );
  none('conversations.resolvedMatchesSuccessRate', talk.off_success);

  // The stored conversations are a proportional sample of the metrics' traffic: every agent-day
  // holds conversations × stored / all conversations of them, rounded down or up.
  const sample = await q(
    `WITH stored AS (SELECT agent_id, (started_at AT TIME ZONE 'UTC')::date AS date, count(*) AS n
                       FROM conversations WHERE run_id = $1 GROUP BY 1, 2),
          m AS (SELECT agent_id, date, conversations FROM daily_metrics WHERE run_id = $1),
          t AS (SELECT (SELECT sum(conversations) FROM m)::float8 AS traffic,
                       (SELECT count(*) FROM conversations WHERE run_id = $1)::float8 AS sampled)
     SELECT count(*)::int AS off FROM m FULL JOIN stored s ON s.agent_id = m.agent_id AND s.date = m.date, t
      WHERE m.agent_id IS NULL OR abs(coalesce(s.n, 0)
        - CASE WHEN t.traffic > 0 THEN m.conversations * t.sampled / t.traffic ELSE 0 END) >= 1.000001`,
  );
  none('conversations.sampleProportionalPerAgentDay', sample.off);
  none('tokens.asTheShapeMakesThem', talk.bad_tokens + ranges.bad_tokens);
  if (shape.outputPerInput !== null) {
    // Rounding each count apart leaves output within 2 tokens of the ratio × input.
    const ratio = await q(
      `SELECT (SELECT count(*) FROM daily_metrics WHERE run_id = $1
                AND abs(total_tokens_output - ${shape.outputPerInput} * total_tokens_input) > 2)
            + (SELECT count(*) FROM conversations WHERE run_id = $1
                AND abs(output_tokens - ${shape.outputPerInput} * input_tokens) > 2) AS off`,
    );
    none('tokens.outputPerInputAsDocumented', ratio.off);
  }
}

/** Costs: the metrics' tokens at the model's price under the run's pricing. */
export async function checkCosts(contract: Contract): Promise<void> {
  const { request, checks, facts: q } = contract;
  const none = checks.none.bind(checks);
  // Costs: the metrics' tokens, at the model's price per million under the run's pricing.
  const prices = AGENT_MODELS.map((m) => {
    const price = priceUnder(request.pricing, m.model)!;
    return [m.model, price.inputPerMillion.toString(), price.outputPerMillion.toString()];
  });
  const costs = await q(
    `SELECT count(*) FILTER (WHERE m.id IS NULL OR c.input_tokens <> m.total_tokens_input
              OR c.output_tokens <> m.total_tokens_output)::int AS tokens_off,
            count(*) FILTER (WHERE c.model <> a.model)::int AS model_off,
            count(*) FILTER (WHERE p.model IS NULL OR abs(c.total_cost
              - (c.input_tokens * p.input::numeric + c.output_tokens * p.output::numeric) / 1000000) > 0.000001)::int AS price_off
       FROM cost_records c
       JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
       LEFT JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id AND m.date = c.date
       LEFT JOIN ${values(prices)} AS p(model, input, output) ON p.model = c.model
      WHERE c.run_id = $1`,
  );
  none('costRecords.tokensMatchMetrics', costs.tokens_off + costs.model_off);
  none('costRecords.costIsTokensTimesPrice', costs.price_off);
}
