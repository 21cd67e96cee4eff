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
 * family's o200k_base). Token counts come from the conversation (TOKEN_RULES), not from a cost
 * target: what a day costs follows from them and the model's price.
 */
export const AGENT_MODELS = [
  { model: 'gpt-4o', share: 0.3, responseMs: [1400, 2600] as [number, number], tokenizerFactor: 1 },
  { model: 'gpt-4o-mini', share: 0.5, responseMs: [800, 1500] as [number, number], tokenizerFactor: 1 },
  { model: 'gpt-3.5-turbo', share: 0.2, responseMs: [900, 1800] as [number, number], tokenizerFactor: 1.1 },
] as const;

/**
 * How a conversation's tokens add up, stated once (the generators use it, the run's contract
 * checks stored rows against the bands): messages alternate between the end user and the agent;
 * each agent turn re-sends the system prompt, the retrieved context and the history so far (an
 * average message is `messageTokens`) and writes one reply.
 */
export const TOKEN_RULES = {
  messageTokens: 60,
  /** Plausible input and output tokens per message of a conversation. */
  inputPerMessage: [250, 2000] as [number, number],
  outputPerMessage: [20, 200] as [number, number],
} as const;

/** Input and output tokens of a conversation of `messages` messages (before noise). */
export function conversationTokens(
  kind: AgentKind,
  tokenizerFactor: number,
  messages: number,
): { input: number; output: number } {
  const turns = Math.ceil(messages / 2);
  const input = turns * (kind.promptTokens + kind.contextTokens) + TOKEN_RULES.messageTokens * turns * turns;
  return { input: input * tokenizerFactor, output: turns * kind.replyTokens * tokenizerFactor };
}

/** The mean of conversationTokens over the kind's message range. */
export function meanConversationTokens(
  kind: AgentKind,
  tokenizerFactor: number,
): { input: number; output: number } {
  let input = 0;
  let output = 0;
  const [min, max] = kind.messages;
  for (let m = min; m <= max; m++) {
    const t = conversationTokens(kind, tokenizerFactor, m);
    input += t.input;
    output += t.output;
  }
  return { input: input / (max - min + 1), output: output / (max - min + 1) };
}

/** Weekday conversations a day of an agent at the start of the window (weekends are half). */
export const BASE_DAILY_CONVERSATIONS: [number, number] = [25, 50];

export type AgentModel = (typeof AGENT_MODELS)[number]['model'];

export const POLICIES = ['data-retention', 'pii-redaction', 'rate-limits', 'model-access'];
export const REPORTS = ['conversations', 'costs', 'metrics', 'audit-logs'];
