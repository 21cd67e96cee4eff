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
  },
  {
    name: 'Expense Report Bot',
    descriptions: ['Turns receipts into expense reports', 'Checks expenses against the travel policy'],
    systemPrompt:
      'You are an expense assistant. Read receipts, categorize each expense, check it against the policy and prepare the report.',
    messages: [8, 12],
    temperature: [0.1, 0.4],
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
  },
];

/**
 * Models agents run on: their share of agents, typical response times (ms) and input tokens per
 * conversation (context re-sent every turn). The token ranges keep every agent-day between $0.50
 * and $50 at 25–50 conversations a day while a gpt-4o agent costs about 10× a gpt-4o-mini one.
 */
export const AGENT_MODELS = [
  {
    model: 'gpt-4o',
    share: 0.3,
    responseMs: [1400, 2600] as [number, number],
    tokensPerConversation: [40_000, 44_000] as [number, number],
  },
  {
    model: 'gpt-4o-mini',
    share: 0.5,
    responseMs: [800, 1500] as [number, number],
    tokensPerConversation: [67_000, 72_000] as [number, number],
  },
  {
    model: 'gpt-3.5-turbo',
    share: 0.2,
    responseMs: [900, 1800] as [number, number],
    tokensPerConversation: [40_000, 60_000] as [number, number],
  },
] as const;

/** Weekday conversations a day of an agent at the start of the window (weekends are half). */
export const BASE_DAILY_CONVERSATIONS: [number, number] = [25, 50];

export type AgentModel = (typeof AGENT_MODELS)[number]['model'];

export const POLICIES = ['data-retention', 'pii-redaction', 'rate-limits', 'model-access'];
export const REPORTS = ['conversations', 'costs', 'metrics', 'audit-logs'];
