import { DashboardPricing } from '../../entities/enums';

/**
 * The agent kinds of the fake-data strategy, with words that fit each: descriptions, system
 * prompts and how long their conversations run. Names are numbered to stay unique
 * ("Customer Support Bot 42").
 */
export interface AgentKind {
  name: string;
  descriptions: string[];
  systemPrompt: string;
  /** Messages per conversation: customer support talks longest. */
  messages: [number, number];
  temperature: [number, number];
  /** Tokens re-sent on every turn: system prompt with tool definitions, and retrieved context. */
  promptTokens: number;
  contextTokens: number;
  /** Tokens of an average reply. */
  replyTokens: number;
}

export const AGENT_KINDS: readonly AgentKind[] = [
  {
    name: 'Customer Support Bot',
    descriptions: [
      'Handles tier-1 customer inquiries and FAQs',
      'Answers order, shipping and refund questions around the clock',
    ],
    systemPrompt:
      'You are a helpful customer support agent. Answer politely, resolve the issue in as few steps as possible and escalate to a human when you cannot.',
    messages: [11, 15],
    temperature: [0.3, 0.6],
    promptTokens: 400,
    contextTokens: 700,
    replyTokens: 120,
  },
  {
    name: 'Sales Assistant',
    descriptions: [
      'Guides prospects through plans and pricing',
      'Recommends products and books demos with the sales team',
    ],
    systemPrompt:
      'You are a friendly sales assistant. Understand the prospect’s needs, recommend the right plan and offer to book a demo.',
    messages: [8, 13],
    temperature: [0.6, 0.9],
    promptTokens: 350,
    contextTokens: 400,
    replyTokens: 140,
  },
  {
    name: 'HR Onboarding Helper',
    descriptions: [
      'Walks new hires through their first weeks',
      'Answers questions about benefits, payroll and policies',
    ],
    systemPrompt:
      'You are an HR onboarding assistant. Help new employees with paperwork, benefits and policies; never share another employee’s data.',
    messages: [8, 13],
    temperature: [0.3, 0.6],
    promptTokens: 380,
    contextTokens: 600,
    replyTokens: 120,
  },
  {
    name: 'IT Support Agent',
    descriptions: [
      'Troubleshoots laptops, accounts and VPN access',
      'Resets passwords and files tickets for the IT team',
    ],
    systemPrompt:
      'You are an IT support agent. Diagnose step by step, ask for error messages and open a ticket when hands-on help is needed.',
    messages: [9, 14],
    temperature: [0.2, 0.5],
    promptTokens: 420,
    contextTokens: 500,
    replyTokens: 110,
  },
  {
    name: 'Knowledge Base Bot',
    descriptions: [
      'Finds answers in the company knowledge base',
      'Summarizes internal documentation with links to sources',
    ],
    systemPrompt:
      'You are a knowledge base assistant. Answer only from the retrieved documents and cite them; say so when the answer is not there.',
    messages: [8, 12],
    temperature: [0.1, 0.4],
    promptTokens: 300,
    contextTokens: 1200,
    replyTokens: 150,
  },
  {
    name: 'Lead Qualification Agent',
    descriptions: [
      'Scores inbound leads and routes them to sales',
      'Asks discovery questions and captures budget and timeline',
    ],
    systemPrompt:
      'You are a lead qualification agent. Ask concise discovery questions, score the lead with BANT and hand qualified leads to sales.',
    messages: [8, 12],
    temperature: [0.4, 0.7],
    promptTokens: 320,
    contextTokens: 300,
    replyTokens: 90,
  },
  {
    name: 'Document Analyzer',
    descriptions: [
      'Extracts clauses, dates and totals from documents',
      'Reviews contracts and flags unusual terms',
    ],
    systemPrompt:
      'You are a document analysis assistant. Extract the requested fields exactly as written and flag anything ambiguous.',
    messages: [8, 11],
    temperature: [0.0, 0.3],
    promptTokens: 280,
    contextTokens: 2000,
    replyTokens: 180,
  },
  {
    name: 'Meeting Scheduler',
    descriptions: [
      'Finds slots across calendars and sends invites',
      'Reschedules meetings and handles time zones',
    ],
    systemPrompt:
      'You are a scheduling assistant. Propose times that work for every attendee, confirm the time zone and send the invite.',
    messages: [8, 10],
    temperature: [0.2, 0.5],
    promptTokens: 450,
    contextTokens: 200,
    replyTokens: 60,
  },
  {
    name: 'Expense Report Bot',
    descriptions: ['Turns receipts into expense reports', 'Checks expenses against the travel policy'],
    systemPrompt:
      'You are an expense assistant. Read receipts, categorize each expense, check it against the policy and prepare the report.',
    messages: [8, 12],
    temperature: [0.1, 0.4],
    promptTokens: 360,
    contextTokens: 500,
    replyTokens: 80,
  },
  {
    name: 'Training Assistant',
    descriptions: [
      'Answers questions about courses and certifications',
      'Quizzes employees and tracks their progress',
    ],
    systemPrompt:
      'You are a training assistant. Explain concepts simply, check understanding with short quizzes and suggest the next course.',
    messages: [9, 14],
    temperature: [0.5, 0.8],
    promptTokens: 330,
    contextTokens: 600,
    replyTokens: 130,
  },
];

/**
 * Models agents run on: their share of agents, typical response times (ms) and how many tokens
 * their tokenizer makes of the same text (gpt-3.5-turbo's cl100k_base ~10 % more than the gpt-4o
 * family's o200k_base). Token counts come from the conversation (a TokenShape), not from a cost
 * target: what a day costs follows from them and the model's price.
 */
export const AGENT_MODELS = [
  { model: 'gpt-4o', share: 0.3, responseMs: [1400, 2600] as [number, number], tokenizerFactor: 1 },
  { model: 'gpt-4o-mini', share: 0.5, responseMs: [800, 1500] as [number, number], tokenizerFactor: 1 },
  { model: 'gpt-3.5-turbo', share: 0.2, responseMs: [900, 1800] as [number, number], tokenizerFactor: 1.1 },
] as const;

export type AgentModelSpec = (typeof AGENT_MODELS)[number];

/** Every message count a conversation may have (all agent kinds talk 8–15 messages). */
export const MESSAGES: readonly [number, number] = [
  Math.min(...AGENT_KINDS.map((k) => k.messages[0])),
  Math.max(...AGENT_KINDS.map((k) => k.messages[1])),
];

/** Noise on tokens, stated once: a conversation's ±10 % around its shape, a day's ±5 % around the mean. */
export const TOKEN_NOISE = { conversation: 0.1, day: 0.05 } as const;

/**
 * How a conversation's tokens add up, stated once: the generators use it, the run's contract
 * checks every stored conversation and day against it (with TOKEN_NOISE).
 */
export interface TokenShape {
  /** Input and output tokens of a conversation of `messages` messages (before noise). */
  conversation(kind: AgentKind, model: AgentModelSpec, messages: number): { input: number; output: number };
  /** Output tokens per input token, when the shape fixes it (the document's ~1.5×). */
  outputPerInput: number | null;
}

/**
 * Real chat traffic (`pricing: CURRENT`): messages alternate between the end user and the agent;
 * each agent turn re-sends the system prompt, the retrieved context and the history so far (an
 * average message is `messageTokens`) and writes one reply — so output is a small fraction of input.
 */
export const TOKEN_RULES = { messageTokens: 60 } as const;

export const CHAT_TOKENS: TokenShape = {
  conversation(kind, model, messages) {
    const turns = Math.ceil(messages / 2);
    const input =
      turns * (kind.promptTokens + kind.contextTokens) + TOKEN_RULES.messageTokens * turns * turns;
    return { input: input * model.tokenizerFactor, output: turns * kind.replyTokens * model.tokenizerFactor };
  },
  outputPerInput: null,
};

/**
 * The strategy document's figures (`pricing: DOCUMENT`), which do not all fit together as
 * written, reconciled: output is 1.5× input; a day costs $0.50–$50; gpt-4o agents cost ~10× gpt-4o-mini
 * ones. At the document's prices the same tokens cost 26× more on gpt-4o than on gpt-4o-mini
 * (input + 1.5 × output: $0.0275 vs $0.00105 per 1K input), so a gpt-4o agent's messages are
 * leaner: 10/26 of gpt-4o-mini's tokens. And a gpt-4o-mini day of 10 short conversations reaches
 * $0.50 only at ~5,000 input tokens a message (a long retrieved context) — where the document's
 * sample record (45,000 input tokens, $47.25 at gpt-4o-mini) has tokens for $0.05 and a cost
 * computed per token instead of per 1K: the range and the ratio win over that one record.
 */
export const DOCUMENT_INPUT_PER_MESSAGE: Readonly<Record<AgentModelSpec['model'], number>> = {
  'gpt-4o-mini': 5000,
  'gpt-3.5-turbo': 5000,
  'gpt-4o': 1900,
};

const DOCUMENT_OUTPUT_PER_INPUT = 1.5;

export const DOCUMENT_TOKENS: TokenShape = {
  conversation(_kind, model, messages) {
    const input = messages * DOCUMENT_INPUT_PER_MESSAGE[model.model] * model.tokenizerFactor;
    return { input, output: input * DOCUMENT_OUTPUT_PER_INPUT };
  },
  outputPerInput: DOCUMENT_OUTPUT_PER_INPUT,
};

/** The mean of a shape's conversation tokens over the kind's message range. */
export function meanConversationTokens(
  shape: TokenShape,
  kind: AgentKind,
  model: AgentModelSpec,
): { input: number; output: number } {
  let input = 0;
  let output = 0;
  const [min, max] = kind.messages;
  for (let m = min; m <= max; m++) {
    const t = shape.conversation(kind, model, m);
    input += t.input;
    output += t.output;
  }
  return { input: input / (max - min + 1), output: output / (max - min + 1) };
}

/** Weekday conversations a day of an agent at the start of the window (weekends are half). */
export const BASE_DAILY_CONVERSATIONS: [number, number] = [25, 50];

export type AgentModel = AgentModelSpec['model'];

/** The token shape a dashboard's pricing goes with. */
export const tokenShapeOf = (pricing: DashboardPricing): TokenShape =>
  pricing === DashboardPricing.DOCUMENT ? DOCUMENT_TOKENS : CHAT_TOKENS;

export const POLICIES = ['data-retention', 'pii-redaction', 'rate-limits', 'model-access'];
export const REPORTS = ['conversations', 'costs', 'metrics', 'audit-logs'];
