import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import { RunKind, RunStatus } from '../../entities/enums';
import type { Database } from '../db/data-source';
import { insertEmbeddings, insertEntities, type EmbeddingOwner } from '../pipeline/bulk-writer';
import { checkDashboard } from '../pipeline/dashboard/dashboard-contract';
import { completeRun, loadRun } from '../runs/run-record';
import { storedFingerprint } from '../pipeline/stored-fingerprint';
import { checkScenario } from '../pipeline/scenario/scenario-contract';
import type { WriterReport } from '../llm/text-writer';
import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';
import { RowsDigest } from './formats/ndjson';
import { checkHeader, HeaderProblem, jsonDepth, MAX_JSON_DEPTH, type CheckedHeader } from './import-header';
import {
  EXPORT_TABLES,
  tableShape,
  type ExportRequest,
  type ExportTable,
  type TableShape,
} from './run-export';

/** A parsed line of an export: JSON whose shape is checked field by field below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Line = Record<string, any>;

/** Why a file cannot be imported: the line at fault (when there is one), the field, and what is wrong. */
export class ImportRefusal extends Error {
  constructor(
    readonly line: number | null,
    message: string,
    readonly field: string | null = null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
  }
}

/** Rows inserted per statement while importing. */
const BATCH_ROWS = 2000;

/** A value the API showed, back as stored (enum names to values, ISO text to dates, objects field by field). */
function storedValue(type: GraphQLOutputType, value: unknown, where: string): unknown {
  if (value === null || value === undefined) {
    if (isNonNullType(type)) throw new Error(`${where} is missing`);
    return null;
  }
  if (isNonNullType(type)) return storedValue(type.ofType, value, where);
  if (isListType(type)) {
    if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
    return value.map((v, i) => storedValue(type.ofType, v, `${where}[${i}]`));
  }
  if (isObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be an object`);
    return storedObject(type, value as Record<string, unknown>, where);
  }
  if (isLeafType(type)) {
    try {
      const parsed = (type as GraphQLInputType & { parseValue(v: unknown): unknown }).parseValue(value);
      if (parsed === undefined) throw new Error('not a value of the type');
      return parsed;
    } catch (error) {
      const expected = isEnumType(type)
        ? `one of ${type
            .getValues()
            .map((v) => v.name)
            .join(', ')}`
        : `a ${type.name}`;
      throw new Error(
        `${where} must be ${expected}, not ${JSON.stringify(value)} (${(error as Error).message})`,
      );
    }
  }
  return value;
}

function storedObject(type: GraphQLObjectType, value: Record<string, unknown>, where: string): ObjectLiteral {
  const out: ObjectLiteral = {};
  for (const field of Object.values(type.getFields())) {
    if (
      field.args.length ||
      !(isLeafType(getNamedType(field.type)) || isObjectType(getNamedType(field.type)))
    )
      continue;
    out[field.name] = storedValue(field.type, value[field.name], `${where}.${field.name}`);
  }
  return out;
}

/** Rows of the table being read, written a batch at a time (tables come whole, parents first). */
class TableBatch {
  rows: ObjectLiteral[] = [];
  vectors: { ids: string[]; model: string; vectors: number[][] } | null = null;
  constructor(readonly shape: TableShape) {}

  async flush(manager: EntityManager, runId: string, storage: Database['vectorStorage']): Promise<void> {
    if (this.rows.length) await insertEntities(manager, this.shape.table.entity, this.rows);
    if (this.vectors?.ids.length) {
      const v = this.vectors;
      await insertEmbeddings(
        manager,
        storage,
        this.shape.table.vectors as EmbeddingOwner,
        runId,
        v.ids,
        v.model,
        v.vectors,
      );
    }
    this.rows = [];
    this.vectors = null;
  }
}

/**
 * Re-creates a run from an NDJSON export, in one transaction: nothing is written unless every line
 * is valid, the end line's digest proves the rows are the exported ones, and the stored rows pass
 * the run's contract again (checked by SQL, as a generated run's are). The new run has a new id,
 * the same rows (ids included) and so the same fingerprint.
 */
export async function importNdjson(
  db: Database,
  schema: GraphQLSchema,
  lines: AsyncIterable<string>,
): Promise<GenerationRun> {
  const runId = randomUUID();
  const startedAt = new Date();
  const runRecord = await db.dataSource.transaction(async (manager) => {
    let header: CheckedHeader | null = null;
    let tables: ExportTable[] = [];
    let position = 0;
    let batch: TableBatch | null = null;
    const counts: Record<string, number> = {};
    const digest = new RowsDigest();
    let end: { rows: number; digest: string } | null = null;
    let lineNo = 0;
    const req = { db, schema } as ExportRequest;

    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      if (end) throw new ImportRefusal(lineNo, 'nothing may follow the end line');
      let line: Line;
      try {
        line = JSON.parse(text);
      } catch {
        throw new ImportRefusal(lineNo, 'not a JSON object');
      }
      if (!line || typeof line !== 'object' || Array.isArray(line))
        throw new ImportRefusal(lineNo, 'not a JSON object');
      if (!header) {
        if (lineNo !== 1 || line.table !== 'run') {
          throw new ImportRefusal(lineNo, 'an export starts with its {"table":"run",…} line');
        }
        try {
          header = await checkHeader(schema, line);
        } catch (error) {
          if (error instanceof HeaderProblem) throw new ImportRefusal(1, error.message, error.field);
          throw error;
        }
        tables = EXPORT_TABLES[header.kind];
        await insertRun(manager, runId, header, startedAt);
        continue;
      }
      if (line.table === 'end') {
        end = line as { rows: number; digest: string };
        continue;
      }
      // Tables come whole and in dependency order.
      const at = tables.findIndex((t, i) => i >= position && t.name === line.table);
      if (at < 0) {
        const known = tables.some((t) => t.name === line.table);
        throw new ImportRefusal(
          lineNo,
          known
            ? `${line.table} rows must come before the tables that depend on them`
            : `unknown table ${JSON.stringify(line.table)}`,
        );
      }
      if (!batch || batch.shape.table !== tables[at]) {
        await batch?.flush(manager, runId, db.vectorStorage);
        position = at;
        batch = new TableBatch(tableShape(req, tables[at]));
      }
      digest.add(text);
      batch.rows.push(storedRow(batch.shape, columns(db, batch.shape), line, runId, lineNo, header.id));
      counts[line.table] = (counts[line.table] ?? 0) + 1;
      if (line.embedding) addVector(batch, line, lineNo);
      if (batch.rows.length >= BATCH_ROWS) await batch.flush(manager, runId, db.vectorStorage);
    }
    if (!header) throw new ImportRefusal(null, 'the file is empty');
    await batch?.flush(manager, runId, db.vectorStorage);
    if (!end) throw new ImportRefusal(lineNo, 'the export ends without its end line: it was cut short');
    if (end.rows !== digest.rows || end.digest !== digest.digest()) {
      throw new ImportRefusal(
        null,
        `the rows differ from the ones exported (${digest.rows} rows read, ${end.rows} exported; the digests differ): the file was changed or damaged`,
      );
    }
    for (const t of tables) {
      const expected = header.rowCounts[t.name] ?? 0;
      if ((counts[t.name] ?? 0) !== expected) {
        throw new ImportRefusal(null, `${t.name}: ${counts[t.name] ?? 0} rows, the run had ${expected}`);
      }
    }
    const contract = await recheck(manager, runId, header);
    const failed = contract.filter((c) => !c.passed);
    if (failed.length) {
      throw new ImportRefusal(
        null,
        `the rows break the run's contract: ${failed.map((c) => c.name).join(', ')}`,
      );
    }
    // The run's fingerprint is that of its stored rows: taken again from the imported ones, it
    // must be the one the file claims.
    const fingerprint = await storedFingerprint(manager, runId, header.kind);
    if (fingerprint !== header.fingerprint) {
      throw new ImportRefusal(
        1,
        `run.fingerprint ${header.fingerprint} is not the fingerprint of the rows in the file (${fingerprint})`,
        'run.fingerprint',
      );
    }
    await completeRun(
      manager,
      runId,
      startedAt,
      { rowCounts: header.rowCounts, fingerprint, contract },
      (header.line.textReport as WriterReport | undefined) ?? null,
    );
    return runId;
  });
  return (await loadRun(db, runRecord))!;
}

/** One row line as the entity stores it, checked field by field against the API's type. */
function storedRow(
  shape: TableShape,
  fits: Map<string, ColumnFit>,
  line: Line,
  runId: string,
  lineNo: number,
  sourceRunId: string,
): ObjectLiteral {
  const known = new Set(['table', 'embedding', ...shape.fields.map((f) => f.name)]);
  const unknown = Object.keys(line).filter((k) => !known.has(k));
  if (unknown.length)
    throw new ImportRefusal(lineNo, `${shape.table.name} has no field ${unknown.join(', ')}`);
  const row: ObjectLiteral = { runId };
  for (const field of shape.fields) {
    const where = `${shape.table.name}.${field.name}`;
    try {
      row[field.property] = storedValue(field.type, line[field.name], where);
      const problem = fits.get(field.property)?.(row[field.property]);
      if (problem) throw new Error(`${where} ${problem}`);
    } catch (error) {
      throw new ImportRefusal(lineNo, (error as Error).message, where);
    }
    // A reference to the exported run itself (a cost record's pricedRunId) is to the new run now.
    if (getNamedType(field.type).name === 'ID' && row[field.property] === sourceRunId)
      row[field.property] = runId;
  }
  return row;
}

function addVector(batch: TableBatch, line: Line, lineNo: number): void {
  const e = line.embedding;
  if (!batch.shape.table.vectors)
    throw new ImportRefusal(lineNo, `${batch.shape.table.name} rows have no embedding`);
  if (
    !e ||
    typeof e.model !== 'string' ||
    !Array.isArray(e.vector) ||
    !e.vector.every((x: unknown) => typeof x === 'number')
  ) {
    throw new ImportRefusal(lineNo, 'embedding must be {"model": text, "vector": [numbers]}');
  }
  batch.vectors ??= { ids: [], model: e.model, vectors: [] };
  if (e.model !== batch.vectors.model) {
    throw new ImportRefusal(lineNo, `embeddings of one table must share a model (${batch.vectors.model})`);
  }
  batch.vectors.ids.push(line.id);
  batch.vectors.vectors.push(e.vector);
}

/** The run's record, inside the import's transaction (so a refused import leaves no trace). */
async function insertRun(
  manager: EntityManager,
  id: string,
  h: CheckedHeader,
  startedAt: Date,
): Promise<void> {
  const request = h.resolved;
  await manager.query(
    `INSERT INTO generation_runs (id, kind, scenario_id, base_scenario_id, seed, as_of, status, input,
       generator_version, cost_estimate, request, started_at, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11::jsonb, $12, 1)`,
    [
      id,
      h.kind,
      'scenarioId' in request ? request.scenarioId : null,
      'baseScenarioId' in request ? request.baseScenarioId : null,
      request.seed,
      request.asOf.toISOString(),
      RunStatus.RUNNING,
      JSON.stringify(request.normalizedInput),
      h.generatorVersion,
      h.line.costEstimate ? JSON.stringify(h.line.costEstimate) : null,
      JSON.stringify(request),
      startedAt.toISOString(),
    ],
  );
}

/** The run's contract, computed again from the imported rows, against the request resolved from its input. */
function recheck(manager: EntityManager, runId: string, header: CheckedHeader): Promise<ContractCheck[]> {
  return header.kind === RunKind.SCENARIO
    ? checkScenario(manager, runId, header.resolved as ScenarioRequest)
    : checkDashboard(manager, runId, header.resolved as DashboardRequest);
}

/** Checks a stored value against its column: what the database would refuse, refused here with the line. */
type ColumnFit = (value: unknown) => string | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fitsByShape = new WeakMap<TableShape, Map<string, ColumnFit>>();

function columns(db: Database, shape: TableShape): Map<string, ColumnFit> {
  let fits = fitsByShape.get(shape);
  if (fits) return fits;
  fits = new Map();
  const metadata = db.dataSource.getMetadata(shape.table.entity);
  for (const column of metadata.columns) {
    const type = String(column.type);
    const length = Number(column.length) || null;
    fits.set(column.propertyName, (value) => {
      if (value === null || value === undefined) return null;
      if (type === 'uuid' && !UUID.test(String(value))) return 'must be a UUID';
      if (typeof value === 'string' && value.includes('\u0000')) return 'must not contain a NUL character';
      if (length && typeof value === 'string' && value.length > length)
        return `must be at most ${length} characters`;
      if ((type === 'jsonb' || type === 'json') && jsonDepth(value) > MAX_JSON_DEPTH) {
        return `must not nest deeper than ${MAX_JSON_DEPTH} levels`;
      }
      if (
        column.isArray &&
        Array.isArray(value) &&
        value.some((v) => typeof v === 'string' && v.includes('\u0000'))
      ) {
        return 'must not contain a NUL character';
      }
      return null;
    });
  }
  fitsByShape.set(shape, fits);
  return fits;
}
