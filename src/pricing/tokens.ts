import { getEncoding, type Tiktoken } from 'js-tiktoken';

const encoders = new Map<string, Tiktoken>();

/** The tokenizer of a model: o200k_base for the gpt-4o family (and newer), cl100k_base otherwise. */
function encoderFor(model: string): Tiktoken {
  const name = /^(gpt-4o|gpt-4\.1|gpt-5|o\d)/.test(model) ? 'o200k_base' : 'cl100k_base';
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder = getEncoding(name);
    encoders.set(name, encoder);
  }
  return encoder;
}

/** Prompt tokens of a chat request as OpenAI counts them: content plus a few tokens per message. */
export function chatInputTokens(model: string, system: string, user: string, schema: object): number {
  const encoder = encoderFor(model);
  const perMessage = 3;
  return (
    encoder.encode(system).length +
    encoder.encode(user).length +
    // Structured output adds the schema to the prompt.
    encoder.encode(JSON.stringify(schema)).length +
    2 * perMessage +
    3
  );
}

/** Tokens of an embedding input (cl100k_base, the embedding models' tokenizer). */
export function embeddingTokens(text: string): number {
  return encoderFor('text-embedding-3-small').encode(text).length;
}
