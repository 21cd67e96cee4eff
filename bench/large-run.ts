/**
 * One large-run measurement, in its own process so its peak RSS is its own:
 *   ts-node bench/large-run.ts <generators|e2e|copy> <embedded|postgres> <approximate rows>
 *   ts-node bench/large-run.ts <dashboard-generators|dashboard-e2e> <embedded|postgres> <scale>
 * Prints one JSON line.
 */
import { loadConfig } from '../src/config';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { getPGliteInstance } from 'typeorm-pglite';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Product, Review, Transaction, User } from '../entities';
import type { OrderChunk } from '../generators/ecommerce/orders';
import type { ProductRow } from '../generators/ecommerce/products';
import type { UserRow } from '../generators/ecommerce/users';
import type { GenerateScenarioInput } from '../resolvers/types/generate-scenario.input';
import type { Database } from '../src/data-source';
import { OfflineTextWriter } from '../src/llm/offline-writer';
import { toPgArrayLiteral } from '../src/pipeline/bulk-writer';
import { createRun } from '../src/pipeline/run-record';
import { DiscardSink, generateScenarioRows } from '../src/pipeline/scenario-pipeline';
import { runScenario } from '../src/pipeline/scenario-run';
import { createLlmServices } from '../src/llm';
import { resolveScenarioRequest, type ScenarioRequest } from '../src/pipeline/scenario-request';
import { RunKind } from '../entities/enums';
import { generateDashboardRows, runDashboard } from '../src/pipeline/dashboard-pipeline';
import { resolveDashboardRequest, type DashboardRequest } from '../src/pipeline/dashboard-request';
import { freshDatabase, type BenchTarget } from './databases';

/** A custom A1 whose rows add up to about `rows` (reviews ≈ 46 %, transactions ≈ 50 %). */
export function largeRequest(rows: number): ScenarioRequest {
  const input = {
    scenario: 'A1',
    seed: 7,
    // The bench measures row generation and writing; embeddings are measured per scenario.
    embeddings: false,
    asOf: new Date('2026-11-01T00:00:00Z'),
    overrides: {
      similarProducts: 10,
      mockUsers: Math.round(rows / 25),
      mainProductReviews: Math.round(rows * 0.16),
      reviewsPerSimilarProduct: Math.round(rows * 0.03),
      mainProductSilentPurchases: { min: Math.round(rows / 100), max: Math.round(rows / 100) },
      similarSilentPurchases: { min: Math.round(rows / 33), max: Math.round(rows / 33) },
    },
  } as unknown as GenerateScenarioInput;
  return resolveScenarioRequest(input, new Date('2026-11-01T00:00:00Z'));
}

function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (Array.isArray(value)) text = toPgArrayLiteral(value);
  else if (typeof value === 'boolean') text = value ? 't' : 'f';
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** COPY … FROM STDIN in text format: the fastest way into Postgres, as a yardstick. */
async function copyRows<T extends ObjectLiteral>(
  db: Database,
  target: BenchTarget,
  url: string | undefined,
  entity: EntityTarget<T>,
  rows: readonly T[],
) {
  const meta = db.dataSource.getMetadata(entity);
  const columns = meta.columns;
  const sql = `COPY "${meta.tableName}" (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) FROM STDIN`;
  const lines = function* () {
    for (const row of rows) yield `${columns.map((c) => copyText(c.getEntityValue(row))).join('\t')}\n`;
  };
  if (target === 'postgres') {
    const client = new Client({ connectionString: url });
    await client.connect();
    await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
    await client.end();
  } else {
    const pglite = await getPGliteInstance();
    const text = Array.from(lines()).join('');
    await pglite.query(sql.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob: new Blob([text]) });
  }
}

/** The default dashboard dataset times `scale` (agents, members, conversations, audit logs). */
export function dashboardRequest(scale: number): DashboardRequest {
  return resolveDashboardRequest(
    {
      asOf: new Date('2026-11-01T00:00:00Z'),
      members: 10 * scale,
      agents: 20 * scale,
      conversations: 500 * scale,
      auditLogs: 200 * scale,
    },
    new Date(),
  );
}

async function dashboard(mode: string, target: BenchTarget, scale: number) {
  const request = dashboardRequest(scale);
  if (mode === 'dashboard-generators') {
    const started = performance.now();
    const rows = generateDashboardRows(request, randomUUID());
    return {
      rows: Object.values(rows).reduce((a, list) => a + list.length, 0),
      ms: performance.now() - started,
    };
  }
  const { db, drop } = await freshDatabase(target);
  try {
    const started = performance.now();
    const run = await runDashboard(db, request);
    const ms = performance.now() - started;
    if (run.status !== 'SUCCEEDED') throw new Error(`run failed: ${run.error}`);
    return { rows: Object.values(run.rowCounts).reduce((a, b) => a + b, 0), ms };
  } finally {
    await drop();
  }
}

async function main() {
  const [mode, target, size] = process.argv.slice(2) as [string, BenchTarget, string];
  if (mode.startsWith('dashboard')) {
    const { rows, ms } = await dashboard(mode, target, Number(size));
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      JSON.stringify({
        mode,
        target,
        rows,
        ms: Math.round(ms),
        rowsPerSec: Math.round(rows / (ms / 1000)),
        peakRssMb,
      }),
    );
    return;
  }
  const request = largeRequest(Number(size));
  const writer = new OfflineTextWriter();
  let rows = 0;
  let ms = 0;
  if (mode === 'generators') {
    const started = performance.now();
    const outcome = await generateScenarioRows(writer, request, randomUUID(), new DiscardSink());
    ms = performance.now() - started;
    rows = Object.values(outcome.rowCounts).reduce((a, b) => a + (b ?? 0), 0);
  } else {
    const { db, url, drop } = await freshDatabase(target);
    try {
      if (mode === 'e2e') {
        const started = performance.now();
        const run = await runScenario({ db, llm: createLlmServices(loadConfig({}).llm) }, request);
        ms = performance.now() - started;
        if (run.status !== 'SUCCEEDED') throw new Error(`run failed: ${run.error}`);
        rows = Object.values(run.rowCounts).reduce((a, b) => a + b, 0);
      } else {
        const run = await createRun(db, {
          kind: RunKind.SCENARIO,
          scenarioId: request.scenarioId,
          baseScenarioId: request.baseScenarioId,
          seed: request.seed,
          asOf: request.asOf,
          input: {},
          generatorVersion: 'bench',
        });
        // The same rows, kept in memory (untimed) so COPY can be timed on its own.
        const collected = {
          products: [] as ProductRow[],
          users: [] as UserRow[],
          transactions: [] as OrderChunk['transactions'],
          reviews: [] as OrderChunk['reviews'],
        };
        const sink = new DiscardSink();
        await generateScenarioRows(writer, request, run.id, {
          products: async (r) => void collected.products.push(...r),
          users: async () => undefined,
          orders: async (chunk) => {
            await sink.orders(chunk);
            for (const t of chunk.transactions) collected.transactions.push(t);
            for (const r of chunk.reviews) collected.reviews.push(r);
          },
          activity: (users) => sink.activity(users),
          userTotals: async (r) => void collected.users.push(...r),
          embeddings: async () => undefined,
          flush: async () => undefined,
        });
        const started = performance.now();
        await copyRows(db, target, url, Product, collected.products as Product[]);
        await copyRows(db, target, url, User, collected.users as User[]);
        await copyRows(db, target, url, Transaction, collected.transactions as Transaction[]);
        await copyRows(db, target, url, Review, collected.reviews as Review[]);
        ms = performance.now() - started;
        rows =
          collected.products.length +
          collected.users.length +
          collected.transactions.length +
          collected.reviews.length;
      }
    } finally {
      await drop();
    }
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    JSON.stringify({
      mode,
      target,
      rows,
      ms: Math.round(ms),
      rowsPerSec: Math.round(rows / (ms / 1000)),
      peakRssMb,
    }),
  );
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
