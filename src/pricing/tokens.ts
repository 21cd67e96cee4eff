import { getEncoding, type Tiktoken } from 'js-tiktoken';

export type EncodingName = 'o200k_base' | 'cl100k_base';
export const ENCODINGS: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

const encoders = new Map<EncodingName, Tiktoken>();

/** The tokenizer of a model: o200k_base for the gpt-4o family (and newer), cl100k_base otherwise. */
export function encodingOf(model: string): EncodingName {
  return /^(gpt-4o|gpt-4\.1|gpt-5|o\d)/.test(model) ? 'o200k_base' : 'cl100k_base';
}

function encoder(name: EncodingName): Tiktoken {
  let found = encoders.get(name);
  if (!found) {
    found = getEncoding(name);
    encoders.set(name, found);
  }
  return found;
}

/** Prompt tokens of a chat request as OpenAI counts them: content plus a few tokens per message. */
export function chatPromptTokens(
  encoding: EncodingName,
  system: string,
  user: string,
  schema: object,
): number {
  const e = encoder(encoding);
  const perMessage = 3;
  return (
    e.encode(system).length +
    e.encode(user).length +
    // Structured output adds the schema to the prompt.
    e.encode(JSON.stringify(schema)).length +
    2 * perMessage +
    3
  );
}

/** Prompt tokens of a chat request to `model`. */
export function chatInputTokens(model: string, system: string, user: string, schema: object): number {
  return chatPromptTokens(encodingOf(model), system, user, schema);
}

/**
 * The most an embedding reads of one row's text. A budget run sets its embeddings' worst case
 * aside before its first call, which needs a bound per row whatever the model writes. The longest
 * valid review row (a 120-character title, 1,500 characters of plain English, its ids and date)
 * measures ~490 tokens: only the very longest texts, of unusually short words, lose their last
 * words to the cut. (A typical row is ~110 tokens; the set-aside goes back to the budget batch by
 * batch as rows are embedded.)
 */
export const EMBEDDING_INPUT_MAX_TOKENS = 512;

/** A row's embedding input: its text, cut to EMBEDDING_INPUT_MAX_TOKENS, and its tokens. */
export function embeddingInput(text: string): { text: string; tokens: number } {
  const e = encoder('cl100k_base');
  const tokens = e.encode(text);
  if (tokens.length <= EMBEDDING_INPUT_MAX_TOKENS) return { text, tokens: tokens.length };
  return { text: e.decode(tokens.slice(0, EMBEDDING_INPUT_MAX_TOKENS)), tokens: EMBEDDING_INPUT_MAX_TOKENS };
}
