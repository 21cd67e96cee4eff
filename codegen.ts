import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * How MockForge's custom scalars look in TypeScript. Every scalar travels as JSON text or number;
 * these types say exactly which (README, "Typed clients", lists the same mapping for other
 * generators).
 */
export const SCALARS = {
  /** An instant: sent as a date-time with an offset or a plain date; received in UTC with milliseconds. */
  DateTimeISO: {
    input: '`${number}-${number}-${number}` | `${number}-${number}-${number}T${string}`',
    output: '`${number}-${number}-${number}T${number}:${number}:${number}.${number}Z`',
  },
  /** Exact decimals (money) as strings, so no float rounding: "19.99". Input also takes a JSON number. */
  Decimal: { input: '`${number}` | number', output: '`${number}`' },
  /** A calendar day, YYYY-MM-DD. */
  LocalDate: { input: '`${number}-${number}-${number}`', output: '`${number}-${number}-${number}`' },
  /** A JSON object (a run's validated input). */
  JSONObject: { input: 'Record<string, unknown>', output: 'Record<string, unknown>' },
  /** An integer up to 2^53 − 1 (token counts), as a JSON number. */
  SafeInt: { input: 'number', output: 'number' },
} as const;

/**
 * `npm run codegen`: typed documents for the example client (examples/client) from the committed
 * schema.graphql, with the client preset. Copy this file to generate a client of your own.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/client/src/**/*.ts', '!examples/client/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'examples/client/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: SCALARS,
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'string',
      },
    },
  },
};

export default config;
