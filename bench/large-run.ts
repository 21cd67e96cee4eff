/**
 * One large-run measurement, in its own process so its peak RSS is its own:
 *   ts-node bench/large-run.ts <generators|e2e|copy> <embedded|postgres> <approximate rows>
 *   ts-node bench/large-run.ts <dashboard-generators|dashboard-e2e> <embedded|postgres> <scale>
 * Prints one JSON line.
 */
import { loadConfig } from '../src/config';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
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
import type { Database } from '../src/db/data-source';
import { OfflineTextWriter } from '../src/llm/offline-writer';
import { entityInsert } from '../src/pipeline/bulk-writer';
import { closeGeneratorThreads, configureGeneratorThreads } from '../src/pipeline/scenario/chunk-source';
import { createRun } from '../src/runs/run-record';
import { DiscardSink, generateScenarioRows } from '../src/pipeline/scenario/scenario-pipeline';
import { runScenario } from '../src/runs/scenario-run';
import { createLlmServices } from '../src/llm';
import { resolveScenarioRequest, type ScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { RunKind } from '../entities/enums';
import { generateDashboardRows } from '../src/pipeline/dashboard/dashboard-pipeline';
import { runDashboard } from '../src/runs/dashboard-run';
import { resolveDashboardRequest, type DashboardRequest } from '../src/pipeline/dashboard/dashboard-request';
import { freshDatabase, type BenchTarget } from './databases';
import { buildAppSchema } from '../src/app/schema';
import { EXPORT_FORMATS, EXPORT_TABLES } from '../src/export/run-export';
import { writeExport } from '../src/http/export-route';

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

/** COPY … FROM STDIN in text format of whole tables at once: the fastest way into Postgres, as a yardstick. */
async function copyRows<T extends ObjectLiteral>(
  db: Database,
  target: BenchTarget,
  url: string | undefined,
  entity: EntityTarget<T>,
  rows: readonly T[],
) {
  const insert = entityInsert(db.dataSource.manager, entity);
  const pieces = function* () {
    for (let start = 0; start < rows.length; start += 1000)
      yield insert.copyText(rows.slice(start, start + 1000));
  };
  if (target === 'postgres') {
    const client = new Client({ connectionString: url });
    await client.connect();
    await pipeline(Readable.from(pieces()), client.query(copyFrom(insert.copySql)));
    await client.end();
  } else {
    const pglite = await getPGliteInstance();
    const text = Array.from(pieces()).join('');
    await pglite.query(insert.copySql.replace('FROM STDIN', "FROM '/dev/blob'"), [], {
      blob: new Blob([text]),
    });
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
  let extra: Record<string, unknown> = {};
  if (mode === 'generators') {
    const started = performance.now();
    const outcome = await generateScenarioRows(writer, request, randomUUID(), new DiscardSink());
    ms = performance.now() - started;
    rows = Object.values(outcome.rowCounts).reduce((a, b) => a + (b ?? 0), 0);
  } else {
    const { db, url, drop } = await freshDatabase(target);
    try {
      if (mode === 'e2e') {
        // As the service runs it: generator threads as configured (MOCKFORGE_GENERATOR_THREADS).
        configureGeneratorThreads(loadConfig({}).queue.generatorThreads);
        const started = performance.now();
        const run = await runScenario({ db, llm: createLlmServices(loadConfig({}).llm) }, request);
        ms = performance.now() - started;
        await closeGeneratorThreads();
        if (run.status !== 'SUCCEEDED') throw new Error(`run failed: ${run.error}`);
        rows = Object.values(run.rowCounts).reduce((a, b) => a + b, 0);
      } else if (mode === 'export-rss') {
        // Exporting a large run in every format: how much the process grows while streaming each.
        // The run is made as the service makes it (generator threads as configured).
        configureGeneratorThreads(loadConfig({}).queue.generatorThreads);
        const run = await runScenario({ db, llm: createLlmServices(loadConfig({}).llm) }, request);
        await closeGeneratorThreads();
        if (run.status !== 'SUCCEEDED') throw new Error(`run failed: ${run.error}`);
        const schema = await buildAppSchema();
        const formats: Record<string, { beforeMb: number; growthMb: number; exportMb: number; ms: number }> =
          {};
        for (const format of EXPORT_FORMATS) {
          const beforeMb = await settledRssMb();
          let peak = process.memoryUsage().rss;
          const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
          let bytes = 0;
          const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
              bytes += chunk.length;
              setImmediate(done);
            },
          });
          const started = performance.now();
          const req = {
            db,
            schema,
            run,
            tables: EXPORT_TABLES[run.kind],
            embeddings: false,
            runHasEmbeddings: false,
          };
          await writeExport(format, req, sink);
          const took = performance.now() - started;
          clearInterval(sampler);
          formats[format] = {
            beforeMb,
            growthMb: Math.round(peak / 1024 / 1024) - beforeMb,
            exportMb: Math.round(bytes / 1e6),
            ms: Math.round(took),
          };
          ms += took;
        }
        rows = Object.values(run.rowCounts).reduce((a, b) => a + b, 0);
        extra = { formats };
      } else if (mode === 'server-rss') {
        // A long-lived service: RSS when idle, then after runs of this size, once garbage is collected.
        configureGeneratorThreads(loadConfig({}).queue.generatorThreads);
        const llm = createLlmServices(loadConfig({}).llm);
        await runScenario({ db, llm }, defaultA1Request());
        const idleMb = await settledRssMb();
        const started = performance.now();
        for (let i = 0; i < 2; i++) {
          const run = await runScenario({ db, llm }, request);
          if (run.status !== 'SUCCEEDED') throw new Error(`run failed: ${run.error}`);
          rows += Object.values(run.rowCounts).reduce((a, b) => a + b, 0);
        }
        ms = performance.now() - started;
        const afterMb = await settledRssMb();
        await closeGeneratorThreads();
        extra = { idleMb, afterMb };
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
      ...extra,
    }),
  );
}

/** A default A1: warms the service up before its idle RSS is taken. */
function defaultA1Request(): ScenarioRequest {
  return resolveScenarioRequest(
    { scenario: 'A1', asOf: new Date('2026-11-01T00:00:00Z') } as unknown as GenerateScenarioInput,
    new Date('2026-11-01T00:00:00Z'),
  );
}

/** RSS in MB after full garbage collections and a pause (node --expose-gc), as an idle server sits. */
async function settledRssMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
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
