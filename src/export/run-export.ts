import { MoreThan, type EntityTarget, type ObjectLiteral } from 'typeorm';
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
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
import { getMetadataStorage } from 'type-graphql';
import { RunKind, RunStatus } from '../../entities/enums';
import type { Database } from '../db/data-source';
import type { EmbeddingOwner } from '../pipeline/bulk-writer';

/** One exported table: the name clients use, its entity, and whose embeddings its rows carry. */
export interface ExportTable {
  name: string;
  entity: EntityTarget<ObjectLiteral>;
  vectors?: EmbeddingOwner;
}

/** A run's tables in dependency order (parents before children). */
export const EXPORT_TABLES: Record<RunKind, ExportTable[]> = {
  [RunKind.SCENARIO]: [
    { name: 'products', entity: Product, vectors: 'product' },
    { name: 'users', entity: User, vectors: 'user' },
    { name: 'transactions', entity: Transaction },
    { name: 'reviews', entity: Review, vectors: 'review' },
    // The pipeline's agents and their cost records (scenario runs record them too).
    { name: 'members', entity: Member },
    { name: 'agents', entity: Agent },
    { name: 'costRecords', entity: CostRecord },
  ],
  [RunKind.DASHBOARD]: [
    { name: 'members', entity: Member },
    { name: 'agents', entity: Agent },
    { name: 'dailyMetrics', entity: DailyMetric },
    { name: 'conversations', entity: Conversation },
    { name: 'costRecords', entity: CostRecord },
    { name: 'auditLogs', entity: AuditLog },
  ],
};

export const EXPORT_FORMATS = ['ndjson', 'csv', 'sql', 'parquet', 'survey-sensei'] as const;
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

/** What to export: a SUCCEEDED run, some of its tables, with or without embedding vectors. */
export interface ExportRequest {
  db: Database;
  schema: GraphQLSchema;
  run: GenerationRun;
  tables: ExportTable[];
  embeddings: boolean;
  /** Whether the run stored embeddings (an export without them is then not whole). */
  runHasEmbeddings: boolean;
}

/** The export format asked for (checked). */
export function exportFormat(asked: string | undefined): ExportFormat {
  const format = asked ?? 'ndjson';
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw new ExportRefusal(
      400,
      'BAD_USER_INPUT',
      `Unknown format ${format}; formats: ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  return format as ExportFormat;
}

/** The tables to export: all of the run's kind, or the ones asked for (checked). */
export function exportTables(run: GenerationRun, asked: string | undefined): ExportTable[] {
  const all = EXPORT_TABLES[run.kind];
  if (!asked) return all;
  const names = asked.split(',').map((t) => t.trim());
  const unknown = names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length) {
    throw new ExportRefusal(
      400,
      'BAD_USER_INPUT',
      `Unknown table ${unknown.join(', ')} for a ${run.kind.toLowerCase()} run; its tables: ${all.map((t) => t.name).join(', ')}`,
    );
  }
  return all.filter((t) => names.includes(t.name));
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
  if (isObjectType(type)) return apiObject(apiFields(type), value as Record<string, unknown>);
  return value;
}

type GraphQLFieldOf = GraphQLField<unknown, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EntityClass = abstract new (...args: any[]) => unknown;

/** A field of the API and the entity property it shows (the same name but for a renamed one). */
export interface ApiField {
  name: string;
  type: GraphQLOutputType;
  property: string;
}

/** The fields of a type that hold values (no arguments, leaf or object types). */
function apiFields(type: GraphQLObjectType, entity?: EntityClass): ApiField[] {
  return Object.values(type.getFields())
    .filter((field: GraphQLFieldOf) => {
      const named = getNamedType(field.type);
      return !field.args.length && (isLeafType(named) || isObjectType(named));
    })
    .map((field) => ({ name: field.name, type: field.type, property: propertyOf(entity, field.name) }));
}

/** The entity property behind a GraphQL field (type-graphql's `@Field({ name })` renames a few). */
function propertyOf(entity: EntityClass | undefined, schemaName: string): string {
  if (!entity) return schemaName;
  const renamed = getMetadataStorage().fields.find(
    (f) =>
      f.schemaName === schemaName &&
      f.name !== schemaName &&
      (f.target === entity || entity.prototype instanceof f.target),
  );
  return renamed?.name ?? schemaName;
}

/**
 * The API's view of an exported table: the fields of its GraphQL type that are stored columns
 * (relations, computed fields and the run id left out), in the type's order.
 */
export interface TableShape {
  table: ExportTable;
  fields: ApiField[];
}

export function tableShape(req: ExportRequest, table: ExportTable): TableShape {
  const metadata = req.db.dataSource.getMetadata(table.entity);
  const type = req.schema.getType(metadata.targetName) as GraphQLObjectType;
  // Columns, and embedded objects stored as columns of their own (an agent's config).
  const stored = new Set([...metadata.columns, ...metadata.embeddeds].map((c) => c.propertyName));
  const fields = apiFields(type, metadata.target as EntityClass).filter(
    (f) => f.name !== 'runId' && stored.has(f.property),
  );
  return { table, fields };
}

/** A row as the GraphQL type shows it: the listed fields' values, serialized. */
export function apiObject(
  fields: readonly ApiField[],
  row: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.property in row) out[field.name] = apiValue(field.type, row[field.property]);
  }
  return out;
}

/** Whether a run stored any embedding vectors. */
export async function hasEmbeddings(db: Database, runId: string): Promise<boolean> {
  const [{ any }] = await db.dataSource.query(
    `SELECT EXISTS (SELECT 1 FROM product_embeddings WHERE run_id = $1)
         OR EXISTS (SELECT 1 FROM user_embeddings WHERE run_id = $1)
         OR EXISTS (SELECT 1 FROM review_embeddings WHERE run_id = $1) AS any`,
    [runId],
  );
  return any;
}

/** A stored embedding: the model that made it and its vector. */
export interface StoredVector {
  model: string;
  vector: number[];
}

/** One page of a table: its rows (entities, as stored) and the vectors of those that have one. */
export interface ExportPage {
  rows: ObjectLiteral[];
  vectors: Map<string, StoredVector>;
}

/** Rows read per statement: memory stays flat whatever the run's size. */
const PAGE_ROWS = 2000;

/**
 * A table's rows page by page (keyset on id, so each page is one indexed statement), with their
 * embeddings when asked for and the table has them. A million-row run costs one page of memory.
 */
export async function* tablePages(req: ExportRequest, table: ExportTable): AsyncGenerator<ExportPage> {
  const repository = req.db.dataSource.getRepository(table.entity);
  let after = '';
  for (;;) {
    const rows = await repository.find({
      where: { runId: req.run.id, ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: PAGE_ROWS,
    });
    if (rows.length === 0) return;
    const vectors =
      req.embeddings && table.vectors
        ? await storedVectors(
            req,
            table.vectors,
            rows.map((r) => r.id as string),
          )
        : new Map<string, StoredVector>();
    yield { rows, vectors };
    after = rows[rows.length - 1].id;
    if (rows.length < PAGE_ROWS) return;
  }
}

/** The vectors of some rows. */
async function storedVectors(
  req: ExportRequest,
  owner: EmbeddingOwner,
  ids: string[],
): Promise<Map<string, StoredVector>> {
  const found: { id: string; model: string; vector: string }[] = await req.db.dataSource.query(
    `SELECT ${owner}_id AS id, model, embedding::text AS vector FROM ${owner}_embeddings
      WHERE run_id = $1 AND ${owner}_id = ANY($2::uuid[])`,
    [req.run.id, ids],
  );
  return new Map(found.map((f) => [f.id, { model: f.model, vector: parseVector(f.vector) }]));
}

/** A table's embeddings page by page, by row id (for formats that keep them in a table of their own). */
export async function* vectorPages(
  req: ExportRequest,
  owner: EmbeddingOwner,
): AsyncGenerator<(StoredVector & { id: string })[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const found: { id: string; model: string; vector: string }[] = await req.db.dataSource.query(
      `SELECT ${owner}_id AS id, model, embedding::text AS vector FROM ${owner}_embeddings
        WHERE run_id = $1 AND ${owner}_id > $2 ORDER BY ${owner}_id LIMIT ${PAGE_ROWS / 4}`,
      [req.run.id, after],
    );
    if (found.length === 0) return;
    yield found.map((f) => ({ id: f.id, model: f.model, vector: parseVector(f.vector) }));
    after = found[found.length - 1].id;
  }
}

/** pgvector prints `[x,y]`, real[] `{x,y}`: both parse the same. */
const parseVector = (text: string) => text.slice(1, -1).split(',').map(Number);
