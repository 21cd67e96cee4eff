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

/** Tokens of an embedding input (cl100k_base, the embedding models' tokenizer). */
export function embeddingTokens(text: string): number {
  return encoder('cl100k_base').encode(text).length;
}
