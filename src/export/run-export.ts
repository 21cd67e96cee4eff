import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { MoreThan, type EntityTarget, type ObjectLiteral } from 'typeorm';
import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  Member,
  Product,
  Review,
  Transaction,
  User,
  type GenerationRun,
} from '../../entities';
import { RunKind, RunStatus } from '../../entities/enums';
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { Database } from '../data-source';

/** A run's tables in dependency order (parents before children), by the names clients use. */
export const EXPORT_TABLES: Record<RunKind, [string, EntityTarget<ObjectLiteral>][]> = {
  [RunKind.SCENARIO]: [
    ['products', Product],
    ['users', User],
    ['transactions', Transaction],
    ['reviews', Review],
    // The pipeline's agents and their cost records (scenario runs record them too).
    ['members', Member],
    ['agents', Agent],
    ['costRecords', CostRecord],
  ],
  [RunKind.DASHBOARD]: [
    ['members', Member],
    ['agents', Agent],
    ['dailyMetrics', DailyMetric],
    ['conversations', Conversation],
    ['costRecords', CostRecord],
    ['auditLogs', AuditLog],
  ],
};

export const EXPORT_FORMATS = ['ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Why an export cannot be made: an HTTP status and a message for the client. */
export class ExportRefusal extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The tables to export: all of the run's kind, or the ones asked for (checked). */
export function exportTables(
  run: GenerationRun,
  asked: string | undefined,
): [string, EntityTarget<ObjectLiteral>][] {
  const all = EXPORT_TABLES[run.kind];
  if (!asked) return all;
  const names = asked.split(',').map((t) => t.trim());
  const unknown = names.filter((n) => !all.some(([name]) => name === n));
  if (unknown.length) {
    throw new ExportRefusal(
      400,
      'BAD_USER_INPUT',
      `Unknown table ${unknown.join(', ')} for a ${run.kind.toLowerCase()} run; its tables: ${all.map(([n]) => n).join(', ')}`,
    );
  }
  return all.filter(([name]) => names.includes(name));
}

/** A run that can be exported: it exists and SUCCEEDED (other runs have no rows to give). */
export function checkExportable(run: GenerationRun | null, id: string): GenerationRun {
  if (!run) throw new ExportRefusal(404, 'NOT_FOUND', `Run ${id} not found`);
  if (run.status !== RunStatus.SUCCEEDED) {
    throw new ExportRefusal(
      409,
      'CONFLICT',
      `Run ${id} is ${run.status}: only a SUCCEEDED run has rows to export`,
    );
  }
  return run;
}

/** A value as the GraphQL API shows it in a field of `type` (enum names, scalars serialized, lists). */
function apiValue(type: GraphQLOutputType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return apiValue(type.ofType, value);
  if (isListType(type)) return (value as unknown[]).map((v) => apiValue(type.ofType, v));
  if (isLeafType(type)) return type.serialize(value);
  if (isObjectType(type)) return apiObject(type, value as Record<string, unknown>);
  return value;
}

/** A row as the GraphQL type shows it: its fields with stored values (relations and run id left out). */
function apiObject(type: GraphQLObjectType, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(type.getFields())) {
    if (name === 'runId' || !(name in row) || field.args.length) continue;
    const named = getNamedType(field.type);
    if (!isLeafType(named) && !isObjectType(named)) continue;
    out[name] = apiValue(field.type, row[name]);
  }
  return out;
}

/** Rows read per statement: memory stays flat whatever the run's size. */
const PAGE_ROWS = 2000;

/**
 * Streams a run's rows as NDJSON: one JSON object per row, `{"table": …, …fields}`, tables in
 * dependency order, rows by id, values as the GraphQL API shows them (dates as ISO strings,
 * decimals as strings). Reads page by page (keyset on id) and waits for the client to drain, so
 * a million-row run costs the memory of one page.
 */
export async function writeNdjson(
  db: Database,
  schema: GraphQLSchema,
  run: GenerationRun,
  tables: [string, EntityTarget<ObjectLiteral>][],
  out: Writable,
): Promise<void> {
  for (const [table, entity] of tables) {
    const repository = db.dataSource.getRepository(entity);
    const type = schema.getType(repository.metadata.targetName) as GraphQLObjectType;
    let after = '';
    for (;;) {
      const rows = await repository.find({
        where: { runId: run.id, ...(after ? { id: MoreThan(after) } : {}) },
        order: { id: 'ASC' },
        take: PAGE_ROWS,
      });
      if (rows.length === 0) break;
      let text = '';
      for (const row of rows) text += `${JSON.stringify({ table, ...apiObject(type, row) })}\n`;
      if (!out.write(text)) await once(out, 'drain');
      after = rows[rows.length - 1].id;
      if (rows.length < PAGE_ROWS) break;
    }
  }
}
