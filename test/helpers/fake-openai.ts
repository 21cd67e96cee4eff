import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEncoding } from 'js-tiktoken';

/**
 * A real HTTP server on a random local port that speaks the part of the OpenAI API MockForge
 * uses: chat completions with structured output (json_schema) and embeddings. Deterministic:
 * the same request gets the same answer. It counts calls and tokens, and can misbehave on demand
 * so tests can drive the real `openai` client through every failure mode.
 */

export type Fault =
  | { kind: 'status'; status: 429 | 500; times: number; retryAfterSeconds?: number }
  | { kind: 'slow'; delayMs: number; times: number }
  | { kind: 'malformed-json'; times: number }
  | { kind: 'wrong-shape'; times: number }
  | { kind: 'too-few'; times: number }
  | { kind: 'too-many'; times: number }
  | { kind: 'out-of-range'; times: number }
  /** Reviews that ignore the prompt's `returned`: every one says it was returned. */
  | { kind: 'returns-everywhere'; times: number }
  /** Embeddings billed but of the wrong dimensions (unusable). */
  | { kind: 'bad-vectors'; times: number }
  /** Well-formed answers that make no sense for their brief (the text checks must refuse them). */
  | { kind: 'off-topic' | 'wrong-language' | 'opposite-sentiment' | 'cut-off'; times: number };

/** Faults whose answers are well-formed but make no sense for what was asked. */
export type SenseFault = 'off-topic' | 'wrong-language' | 'opposite-sentiment' | 'cut-off';

export interface FakeOpenAiStats {
  chatCalls: number;
  embeddingCalls: number;
  /** Requests answered with an error or a fault (they are not billed). */
  failedCalls: number;
  /** Most requests being answered at the same moment. */
  maxInFlight: number;
  promptTokens: number;
  completionTokens: number;
  embeddingTokens: number;
}

export interface FakeOpenAi {
  baseUrl: string;
  stats: FakeOpenAiStats;
  /** Requests received, in order (bodies parsed). */
  requests: { path: string; body: any; headers: http.IncomingHttpHeaders; at: number }[];
  /** Queues a fault for the next matching requests. */
  fail(fault: Fault, on?: 'chat' | 'embeddings'): void;
  /**
   * Answers each request only after `delayMs(body, n)` milliseconds (n = its arrival number), so
   * concurrent requests can be made to finish in another order than they were sent; null = at once.
   */
  latency(delayMs: ((body: any, n: number) => number) | null): void;
  reset(): void;
  close(): Promise<void>;
}

/** The model name the server answers with: dated, as OpenAI does. */
export const RETURNED_MODEL = 'gpt-4o-mini-2024-07-18';
export const RETURNED_EMBEDDING_MODEL = 'text-embedding-3-small';

const encoder = getEncoding('o200k_base');

/** Tokens as the gpt-4o family counts them: what the fake bills. */
export function fakeTokens(text: string): number {
  return encoder.encode(text).length;
}

const ADJECTIVES =
  'solid comfortable quick easy bright quiet smooth handy compact sleek useful simple light'.split(' ');
const NOUNS = (
  'setup battery packaging price value quality design size color sound grip finish weight charge button ' +
  'screen cable handle fabric strap corner surface'
).split(' ');

/**
 * Deterministic, realistic-length English prose (no lorem ipsum) about `subject`, about `words`
 * words long: sentences like a model's ("The Acme mouse has a quick setup."), ending as one.
 */
function prose(seed: string, words: number, subject = 'item'): string {
  let h = hash(seed);
  const next = (list: readonly string[]) => {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    return list[h % list.length];
  };
  const sentences: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence =
      sentences.length % 2 === 0
        ? `The ${subject} has a ${next(ADJECTIVES)} ${next(NOUNS)} and a ${next(ADJECTIVES)} ${next(NOUNS)}.`
        : `It is ${next(ADJECTIVES)} for the ${next(NOUNS)}.`;
    sentences.push(sentence);
    count += sentence.split(' ').length;
  }
  return sentences.join(' ');
}

/** What a model following the prompt says of an item's stars. */
function verdict(stars: number): string {
  return stars >= 4
    ? 'I love it and recommend it.'
    : stars <= 2
      ? 'I am disappointed with it.'
      : 'It is okay.';
}

/** The items a prompt asks for: the JSON array it carries. */
function briefsOf(prompt: string): Record<string, any>[] {
  const start = prompt.indexOf('[');
  const end = prompt.lastIndexOf(']');
  try {
    const list = JSON.parse(prompt.slice(start, end + 1));
    return Array.isArray(list) ? list.filter((b) => b && typeof b.key === 'string') : [];
  } catch {
    return [];
  }
}

/** The words an item is about: a review's product, a product's brand and type, a shopper. */
function subjectOf(brief: Record<string, any>): string {
  return brief.product ?? (brief.brand ? `${brief.brand} ${brief.type}` : 'shopper');
}

/** A well-formed text that makes no sense for its brief, as a sense fault asks. */
function nonsense(kind: SenseFault, brief: Record<string, any>, text: string): string {
  const stars = Number(brief.stars ?? 5);
  switch (kind) {
    case 'off-topic':
      return 'Mash three ripe bananas, stir in the flour and the sugar, and bake the loaf for an hour at 175 degrees.';
    case 'wrong-language':
      return hash(brief.key) % 2
        ? `Das ${subjectOf(brief)} ist wirklich gut, ich bin damit sehr zufrieden und würde es wieder kaufen.`
        : `这个${subjectOf(brief)}非常好用，我很满意，推荐购买。`;
    case 'opposite-sentiment':
      // Only reviews have stars, and three stars have no opposite.
      if (brief.stars === undefined || stars === 3) return text;
      return stars >= 4
        ? `The ${subjectOf(brief)} is terrible: it broke in a day, a total waste, and I am disappointed.`
        : `The ${subjectOf(brief)} is excellent, I love it and recommend it, the best purchase I made.`;
    case 'cut-off':
      return text
        .slice(0, Math.max(20, Math.floor(text.length * 0.6)))
        .replace(/[.\s]+$/, '')
        .concat(' and the');
  }
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Up to 50 words, fewer when the field's maxLength asks for it (a word averages under 9 characters). */
function wordsFor(field: { maxLength?: number }): number {
  return Math.min(50, Math.floor(((field.maxLength ?? 1000) - 30) / 9));
}

/**
 * Fills a JSON schema with plausible values for the items asked for in the prompt, like a model
 * following it: a review names its product and reads as its stars, a returned item's review says it
 * went back. A sense fault makes the texts well-formed nonsense instead.
 */
function answer(
  schema: any,
  prompt: string,
  returnsEverywhere = false,
  sense: SenseFault | null = null,
): any {
  const itemSchema = schema?.properties?.items?.items ?? {};
  const props = Object.keys(itemSchema.properties ?? {});
  const items = briefsOf(prompt).map((brief) => {
    const key = brief.key;
    const subject = subjectOf(brief);
    const item: Record<string, unknown> = {};
    for (const prop of props) {
      if (prop === 'key') {
        item.key = key;
        continue;
      }
      const said =
        prop === 'title'
          ? `Written by the fake model: the ${subject}`
          : `Written by the fake model: ${returnsEverywhere || brief.returned === true ? 'I returned it. ' : ''}` +
            `${brief.stars !== undefined ? `${verdict(Number(brief.stars))} ` : ''}` +
            prose(key + prop, wordsFor(itemSchema.properties[prop]), subject);
      item[prop] = sense && prop !== 'title' ? nonsense(sense, brief, said) : said;
    }
    return item;
  });
  return { items };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const faults: { fault: Fault; on: 'chat' | 'embeddings' | 'any' }[] = [];
  const stats: FakeOpenAiStats = {
    chatCalls: 0,
    embeddingCalls: 0,
    failedCalls: 0,
    maxInFlight: 0,
    promptTokens: 0,
    completionTokens: 0,
    embeddingTokens: 0,
  };
  const requests: FakeOpenAi['requests'] = [];
  let latency: ((body: any, n: number) => number) | null = null;
  let inFlight = 0;

  function takeFault(endpoint: 'chat' | 'embeddings'): Fault | null {
    const i = faults.findIndex((f) => f.on === 'any' || f.on === endpoint);
    if (i < 0) return null;
    const entry = faults[i];
    entry.fault.times--;
    if (entry.fault.times <= 0) faults.splice(i, 1);
    return entry.fault;
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', async () => {
      const path = (req.url ?? '').replace(/\?.*$/, '');
      let body: any = {};
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        res.writeHead(400).end();
        return;
      }
      requests.push({ path, body, headers: req.headers, at: Date.now() });
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      if (latency) {
        await new Promise((resolve) => setTimeout(resolve, latency!(body, requests.length)));
        if (res.destroyed) return;
      }
      const endpoint = path.endsWith('/embeddings') ? 'embeddings' : 'chat';
      const fault = takeFault(endpoint);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (fault?.kind === 'status') {
        stats.failedCalls++;
        send(
          fault.status,
          {
            error: {
              message: fault.status === 429 ? 'Rate limit reached' : 'Server error',
              type: 'server_error',
            },
          },
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
        return;
      }
      if (fault?.kind === 'slow') {
        stats.failedCalls++;
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (res.destroyed) return;
      }

      if (endpoint === 'embeddings') {
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        const tokens = inputs.reduce((sum, text) => sum + fakeTokens(text), 0);
        stats.embeddingCalls++;
        stats.embeddingTokens += tokens;
        send(200, {
          object: 'list',
          model: RETURNED_EMBEDDING_MODEL,
          data: inputs.map((text, index) => {
            const vector = fakeVector(text, fault?.kind === 'bad-vectors' ? 7 : (body.dimensions ?? 1536));
            // Like OpenAI: base64 of little-endian float32s when asked, else a JSON array.
            const embedding =
              body.encoding_format === 'base64'
                ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
                : vector;
            return { object: 'embedding', index, embedding };
          }),
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
        return;
      }

      const messages: { role: string; content: string }[] = body.messages ?? [];
      const prompt = messages.map((m) => m.content).join('\n');
      const schema = body.response_format?.json_schema?.schema;
      // Like OpenAI: message contents, the structured-output schema and a few tokens per message.
      const promptTokens =
        messages.reduce((n, m) => n + fakeTokens(m.content) + 3, 3) +
        (schema ? fakeTokens(JSON.stringify(schema)) : 0);
      let content: string;
      const sense =
        fault && ['off-topic', 'wrong-language', 'opposite-sentiment', 'cut-off'].includes(fault.kind)
          ? (fault.kind as SenseFault)
          : null;
      const data = answer(schema, prompt, fault?.kind === 'returns-everywhere', sense);
      if (fault?.kind === 'malformed-json') content = '{"items": [ {"key": ';
      else if (fault?.kind === 'wrong-shape') content = JSON.stringify({ results: data.items });
      else if (fault?.kind === 'too-few')
        content = JSON.stringify({ items: data.items.slice(0, Math.floor(data.items.length / 2)) });
      else if (fault?.kind === 'too-many')
        content = JSON.stringify({ items: [...data.items, { ...data.items[0], key: 'not-asked-for' }] });
      else if (fault?.kind === 'out-of-range')
        content = JSON.stringify({
          items: data.items.map((item: any) =>
            Object.fromEntries(
              Object.entries(item).map(([k, v]) => [k, k === 'key' ? v : prose(`${k}${v}`, 500)]),
            ),
          ),
        });
      else content = JSON.stringify(data);
      const completionTokens = fakeTokens(content);
      stats.chatCalls++;
      stats.promptTokens += promptTokens;
      stats.completionTokens += completionTokens;
      send(200, {
        id: `chatcmpl-${hash(prompt)}`,
        object: 'chat.completion',
        created: 1_760_000_000,
        model: RETURNED_MODEL,
        choices: [
          { index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    requests,
    fail(fault, on = 'chat') {
      faults.push({ fault: { ...fault }, on });
    },
    latency(delayMs) {
      latency = delayMs;
    },
    reset() {
      faults.length = 0;
      latency = null;
      requests.length = 0;
      Object.assign(stats, {
        chatCalls: 0,
        embeddingCalls: 0,
        failedCalls: 0,
        maxInFlight: 0,
        promptTokens: 0,
        completionTokens: 0,
        embeddingTokens: 0,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A deterministic unit vector for a text. */
function fakeVector(text: string, dimensions: number): number[] {
  let state = hash(text) || 1;
  const values = Array.from({ length: dimensions }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  });
  const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  return values.map((v) => v / norm);
}
