/**
 * `npm run bench`: prints performance figures; asserts nothing. Runs on the embedded database and,
 * when one is reachable (BENCH_DATABASE_URL, DATABASE_URL or postgres://postgres@127.0.0.1:5432),
 * on a real Postgres, side by side. BENCH_ROWS sets the large run's size (default 250 000) and
 * BENCH_MEMORY_ROWS the size used to show that memory does not grow with rows (default 1 000 000).
 */
import { loadConfig } from '../src/config';
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GenerateScenarioInput } from '../resolvers/types/generate-scenario.input';
import { SCENARIOS } from '../generators/ecommerce/scenarios';
import { createLlmServices } from '../src/llm';
import { runScenario } from '../src/runs/scenario-run';
import { resolveScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { freshDatabase, postgresReachable, type BenchTarget } from './databases';
import { llmFigures, llmTiming, type LlmRow } from './llm';
import type { PhaseCost } from '../src/pipeline/cost-comparison';

const LARGE_ROWS = Number(process.env.BENCH_ROWS ?? 250_000);
/** BENCH_ONLY=dashboard runs section 4 alone. */
const ONLY = process.env.BENCH_ONLY;
const MEMORY_ROWS = Number(process.env.BENCH_MEMORY_ROWS ?? 1_000_000);
/** The old-space cap that shows how much a large run really keeps alive (chunks in flight included). */
const CAP_MB = 256;

interface Measure {
  mode: string;
  target: string;
  rows: number;
  ms: number;
  rowsPerSec: number;
  peakRssMb: number;
}

function table(headers: string[], rows: (string | number)[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const fmt = (n: number) => n.toLocaleString('en-US');
const round = (n: number) => Math.round(n * 100) / 100;

/** The headline figures, printed last as one JSON line so runs can be compared over time. */
const headline: Record<string, number | string> = {};

/** All 12 scenarios with default input, one after the other, on a fresh database. */
async function scenarios(target: BenchTarget): Promise<{ id: string; rows: number; ms: number }[]> {
  const { db, drop } = await freshDatabase(target);
  const llm = createLlmServices(loadConfig({}).llm);
  const out: { id: string; rows: number; ms: number }[] = [];
  try {
    for (const s of SCENARIOS) {
      const request = resolveScenarioRequest(
        { scenario: s.id, asOf: new Date('2026-11-01T00:00:00Z') } as GenerateScenarioInput,
        new Date(),
      );
      const started = performance.now();
      const run = await runScenario({ db, llm }, request);
      const ms = performance.now() - started;
      if (run.status !== 'SUCCEEDED') throw new Error(`${s.id} failed: ${run.error}`);
      out.push({ id: s.id, rows: Object.values(run.rowCounts).reduce((a, b) => a + b, 0), ms });
    }
  } finally {
    await drop();
  }
  return out;
}

/**
 * The bench's children run the project compiled to JavaScript (as `npm start` does), so their
 * peak RSS is the service's own and not ts-node's and TypeScript's (also in every generator thread).
 */
const BUILD = path.join(__dirname, '..', '.bench-build');

function compile(): void {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', BUILD, '--sourceMap', 'false'],
    { cwd: path.join(__dirname, '..'), stdio: 'inherit' },
  );
}

/** One large-run measurement in a child process, so each peak RSS is its own. */
function measure(mode: string, target: BenchTarget, rows: number, nodeFlags: string[] = []): Measure {
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, path.join(BUILD, 'bench', 'large-run.js'), mode, target, String(rows)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() as string) as Measure;
}

async function main(): Promise<void> {
  const targets: BenchTarget[] = ['embedded'];
  if (await postgresReachable()) targets.push('postgres');
  else console.log('(no Postgres reachable: embedded figures only)\n');
  console.log(`MockForge bench — node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  compile();

  if (ONLY === 'llm' || ONLY === undefined) await llmSection();
  if (ONLY === 'llm') return printHeadline();
  if (ONLY === 'jobs') {
    jobsSection(targets);
    return printHeadline();
  }
  if (ONLY === 'memory') {
    memorySection(targets);
    return printHeadline();
  }
  if (ONLY !== 'dashboard') await scenarioSections(targets);

  console.log(
    '\n4. Agent-monitoring dataset (generateDashboard): default and 100× (2,000 agents, 50,000 conversations, …)',
  );
  const dashRows: (string | number)[][] = [];
  for (const scale of [1, 100]) {
    const g = measure('dashboard-generators', 'embedded', scale);
    dashRows.push([
      `${scale}×`,
      'generators alone',
      fmt(g.rows),
      fmt(g.ms),
      fmt(g.rowsPerSec),
      '1.00',
      g.peakRssMb,
    ]);
    for (const target of targets) {
      const e = measure('dashboard-e2e', target, scale);
      const ratio = (e.rowsPerSec / g.rowsPerSec).toFixed(2);
      if (scale === 100) headline[`dashboard100xVsGenerators_${target}`] = Number(ratio);
      dashRows.push([
        `${scale}×`,
        `end to end, ${target}`,
        fmt(e.rows),
        fmt(e.ms),
        fmt(e.rowsPerSec),
        ratio,
        e.peakRssMb,
      ]);
    }
  }
  table(['scale', 'path', 'rows', 'ms', 'rows/s', '× generators', 'peak RSS MB'], dashRows);

  if (ONLY === undefined || ONLY === 'jobs') jobsSection(targets);

  console.log(
    '\n(large runs are measured in child processes running the compiled JavaScript; the embedded database lives in-process)',
  );
  printHeadline();
}

function printHeadline(): void {
  console.log(`\nheadline ${JSON.stringify({ date: new Date().toISOString().slice(0, 10), ...headline })}`);
}

/** One jobs measurement (bench/jobs.ts) in a child process. */
function jobsMeasure(args: string[]): Record<string, number | string> {
  const output = execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'jobs.ts'), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() as string);
}

/** Section 5: runs as jobs — reads answered during a large run, and what the queue costs. */
function jobsSection(targets: BenchTarget[]): void {
  console.log(`\n5. Runs as jobs: simple reads over HTTP while a ${fmt(LARGE_ROWS)}-row run generates`);
  table(
    ['database', 'reads', 'p50 ms', 'p99 ms', 'max ms', 'run ms'],
    targets.map((target) => {
      const r = jobsMeasure(['read-latency', target, String(LARGE_ROWS)]);
      return [target, r.reads, r.p50, r.p99, r.max, fmt(Number(r.runMs))];
    }),
  );
  console.log('\nThe 12 default scenarios, direct vs through the queue (wait: true)');
  const queues: [BenchTarget, string][] = [['embedded', 'inline']];
  if (targets.includes('postgres')) queues.push(['postgres', 'postgres'], ['postgres', 'redis']);
  table(
    ['database', 'queue', 'direct ms', 'queued ms', 'overhead'],
    queues.map(([target, queue]) => {
      const r = jobsMeasure(['queue-overhead', target, queue]);
      const overhead = Number(r.queuedMs) - Number(r.directMs);
      return [
        target,
        queue,
        fmt(Number(r.directMs)),
        fmt(Number(r.queuedMs)),
        `${overhead >= 0 ? '+' : ''}${fmt(overhead)} ms`,
      ];
    }),
  );
  if (!targets.includes('postgres')) return;
  console.log(
    `\nA ${fmt(MEMORY_ROWS)}-row run on Postgres fanned out over 1 and 2 worker processes (same machine, ${os.cpus().length} cores)`,
  );
  const fanOut: (string | number)[][] = [];
  for (const queue of ['postgres', 'redis']) {
    const one = jobsMeasure(['fan-out', queue, '1', String(MEMORY_ROWS)]);
    const two = jobsMeasure(['fan-out', queue, '2', String(MEMORY_ROWS)]);
    for (const r of [one, two]) {
      fanOut.push([
        queue,
        r.workers,
        fmt(Number(r.rows)),
        r.shards,
        fmt(Number(r.ms)),
        `${(Number(one.ms) / Number(r.ms)).toFixed(2)}×`,
        r.fingerprint === one.fingerprint ? 'same' : 'DIFFERENT',
      ]);
    }
  }
  table(['queue', 'workers', 'rows', 'shards', 'wall ms', 'speed-up', 'fingerprint'], fanOut);
}

/** costEstimate beside the ledger, per phase, summed over the scenarios; worst input-token error of any one scenario. */
function phaseTable(list: LlmRow[]): void {
  const phases = [...new Set(list.flatMap((r) => r.phases.map((p) => p.phase)))];
  const pct = (actual: number, expected: number) =>
    expected ? `${(((actual - expected) / expected) * 100).toFixed(1)} %` : '–';
  console.log('\ncostEstimate vs actual, all 12 summed (input error: all 12 / worst scenario)');
  table(
    [
      'phase',
      'est. calls',
      'calls',
      'est. input',
      'input',
      'input error',
      'est. output',
      'output',
      'est. USD',
      'USD',
    ],
    phases.map((phase) => {
      const rows = list.flatMap((r) => r.phases.filter((p) => p.phase === phase));
      const total = (f: (p: PhaseCost) => number | string | null) =>
        rows.reduce((n, p) => n + Number(f(p) ?? 0), 0);
      const worst = rows.reduce(
        (w, p) =>
          Math.max(
            w,
            Math.abs(p.inputTokens - (p.estimatedInputTokens ?? 0)) / (p.estimatedInputTokens || 1),
          ),
        0,
      );
      return [
        phase,
        total((p) => p.estimatedCalls),
        total((p) => p.calls),
        fmt(total((p) => p.estimatedInputTokens)),
        fmt(total((p) => p.inputTokens)),
        `${pct(
          total((p) => p.inputTokens),
          total((p) => p.estimatedInputTokens),
        )} / ±${(worst * 100).toFixed(1)} %`,
        `${fmt(total((p) => p.estimatedOutputTokensLow))}–${fmt(total((p) => p.estimatedOutputTokensHigh))}`,
        fmt(total((p) => p.outputTokens)),
        `${total((p) => p.estimatedCostLowUsd).toFixed(4)}–${total((p) => p.estimatedCostHighUsd).toFixed(4)}`,
        total((p) => p.costUsd).toFixed(4),
      ];
    }),
  );
}

/** Section 0: the LLM path against the fake OpenAI server, beside the source document's claims. */
async function llmSection(): Promise<void> {
  const { db, drop } = await freshDatabase('embedded');
  try {
    const { plain, budget, cachedCalls } = await llmFigures(db);
    console.log(
      '0. LLM path (gpt-4o-mini prices) against the fake OpenAI server; source claims $0.0015 and 3–5 calls per scenario, $0.018 for all 12',
    );
    const rows = (list: LlmRow[]) => [
      ...list.map((r) => [
        r.scenario,
        r.calls,
        r.embeddingCalls,
        fmt(r.inputTokens),
        fmt(r.outputTokens),
        r.costUsd,
        r.fallbackTexts,
      ]),
      [
        'all 12',
        list.reduce((n, r) => n + r.calls, 0),
        list.reduce((n, r) => n + r.embeddingCalls, 0),
        fmt(list.reduce((n, r) => n + r.inputTokens, 0)),
        fmt(list.reduce((n, r) => n + r.outputTokens, 0)),
        list.reduce((n, r) => n + Number(r.costUsd), 0).toFixed(6),
        list.reduce((n, r) => n + r.fallbackTexts, 0),
      ],
    ];
    const headers = [
      'scenario',
      'chat calls',
      'embedding calls',
      'input tokens',
      'output tokens',
      'cost USD',
      'offline fallbacks',
    ];
    table(headers, rows(plain));
    phaseTable(plain);
    console.log(
      `CostRecords of the pipeline agents = the server's billed tokens: ${plain.filter((r) => r.recordsMatchServer).length}/${plain.length} scenarios`,
    );
    console.log('\nwith maxCostUsd: "0.0015"');
    table(headers, rows(budget));
    console.log(`\ncached re-run of all 12: ${cachedCalls} calls`);
    const t = await llmTiming(db, BUILD);
    console.log(
      '\nA1 wall time: offline text, LLM against an instant fake server, LLM against one that never answers',
    );
    table(
      ['path', 'ms', '× offline'],
      [
        ['offline', Math.round(t.offlineMs), '1.00'],
        ['LLM, instant server', Math.round(t.instantMs), (t.instantMs / t.offlineMs).toFixed(2)],
        [
          `LLM, server never answers (timeout ${t.timeoutMs} ms)`,
          Math.round(t.failingMs),
          (t.failingMs / t.offlineMs).toFixed(2),
        ],
      ],
    );
    console.log(
      `never-answering server: ${Math.round(t.failingMs)} ms vs 2 × timeout + offline = ${Math.round(2 * t.timeoutMs + t.offlineMs)} ms; ${t.breakerReason ?? 'circuit did not open'}\n`,
    );
    headline.a1LlmInstantVsOffline = round(t.instantMs / t.offlineMs);
    headline.a1LlmFailingMs = Math.round(t.failingMs);
    headline.a1LlmFailingBoundMs = Math.round(2 * t.timeoutMs + t.offlineMs);
  } finally {
    await drop();
  }
}

/** Sections 1–3: the Survey Sensei scenarios. */
async function scenarioSections(targets: BenchTarget[]): Promise<void> {
  console.log('1. All 12 scenarios, default input (offline text), one fresh database each');
  const results = new Map<BenchTarget, { id: string; rows: number; ms: number }[]>();
  for (const target of targets) results.set(target, await scenarios(target));
  const first = results.get('embedded')!;
  table(
    ['scenario', 'rows', ...targets.flatMap((t) => [`${t} ms`, `${t} rows/s`])],
    [
      ...first.map((r, i) => [
        r.id,
        r.rows,
        ...targets.flatMap((t) => {
          const x = results.get(t)![i];
          return [Math.round(x.ms), fmt(Math.round(x.rows / (x.ms / 1000)))];
        }),
      ]),
      [
        'all 12',
        first.reduce((a, r) => a + r.rows, 0),
        ...targets.flatMap((t) => {
          const all = results.get(t)!;
          const ms = all.reduce((a, r) => a + r.ms, 0);
          const rows = all.reduce((a, r) => a + r.rows, 0);
          headline[`all12Ms_${t}`] = Math.round(ms);
          return [Math.round(ms), fmt(Math.round(rows / (ms / 1000)))];
        }),
      ],
    ],
  );

  console.log(`\n2. A large custom run (about ${fmt(LARGE_ROWS)} rows via overrides of A1)`);
  const generators = measure('generators', 'embedded', LARGE_ROWS);
  const rows: (string | number)[][] = [
    [
      'generators alone (no database)',
      fmt(generators.rows),
      fmt(generators.ms),
      fmt(generators.rowsPerSec),
      '1.00',
      '',
      generators.peakRssMb,
    ],
  ];
  for (const target of targets) {
    const e2e = measure('e2e', target, LARGE_ROWS);
    const copy = measure('copy', target, LARGE_ROWS);
    rows.push([
      `raw COPY of the same rows, ${target}`,
      fmt(copy.rows),
      fmt(copy.ms),
      fmt(copy.rowsPerSec),
      (copy.rowsPerSec / generators.rowsPerSec).toFixed(2),
      '1.00',
      copy.peakRssMb,
    ]);
    headline[`large250kVsGenerators_${target}`] = round(e2e.rowsPerSec / generators.rowsPerSec);
    headline[`large250kVsCopy_${target}`] = round(e2e.rowsPerSec / copy.rowsPerSec);
    rows.push([
      `end to end (generateScenario), ${target}`,
      fmt(e2e.rows),
      fmt(e2e.ms),
      fmt(e2e.rowsPerSec),
      (e2e.rowsPerSec / generators.rowsPerSec).toFixed(2),
      (e2e.rowsPerSec / copy.rowsPerSec).toFixed(2),
      e2e.peakRssMb,
    ]);
  }
  table(['path', 'rows', 'ms', 'rows/s', '× generators', '× COPY', 'peak RSS MB'], rows);

  memorySection(targets);
}

/** Section 3: memory against run size, and a long-lived service's RSS. */
function memorySection(targets: BenchTarget[]): void {
  console.log(
    `\n3. Peak RSS against run size (end to end; the process, database excluded where it is a server)`,
  );
  const memRows: (string | number)[][] = [];
  for (const size of [LARGE_ROWS / 5, LARGE_ROWS, MEMORY_ROWS]) {
    for (const target of targets) {
      const m = measure('e2e', target, size);
      if (size === MEMORY_ROWS) headline[`peakRssMb1M_${target}`] = m.peakRssMb;
      memRows.push([target, fmt(m.rows), fmt(m.ms), m.peakRssMb]);
    }
    const g = measure('generators', 'embedded', size);
    memRows.push(['generators alone', fmt(g.rows), fmt(g.ms), g.peakRssMb]);
  }
  // V8 grows its heap lazily, so RSS rises with run length even when little is live; capping the
  // old space shows how much the generation really keeps.
  const capped = (mode: string, target: BenchTarget, label: string) => {
    try {
      const m = measure(mode, target, MEMORY_ROWS, [`--max-old-space-size=${CAP_MB}`]);
      memRows.push([label, fmt(m.rows), fmt(m.ms), m.peakRssMb]);
    } catch {
      memRows.push([label, fmt(MEMORY_ROWS), 'ran out of memory', '']);
    }
  };
  for (const target of targets.filter((t) => t === 'postgres')) {
    capped('e2e', target, `${target}, old space capped at ${CAP_MB} MB`);
  }
  capped('generators', 'embedded', `generators, old space capped at ${CAP_MB} MB`);
  table(['target', 'rows', 'ms', 'peak RSS MB'], memRows);

  console.log('\nA long-lived service: RSS idle, then after two 200,000-row runs and a garbage collection');
  const rssRows: (string | number)[][] = [];
  for (const target of targets) {
    const m = measure('server-rss', target, 200_000, ['--expose-gc']) as Measure & {
      idleMb: number;
      afterMb: number;
    };
    headline[`serverRssAboveIdleMb_${target}`] = m.afterMb - m.idleMb;
    rssRows.push([target, m.idleMb, m.peakRssMb, m.afterMb, m.afterMb - m.idleMb]);
  }
  table(['target', 'idle RSS MB', 'peak RSS MB', 'after GC MB', 'above idle MB'], rssRows);

  console.log(
    `\nExporting a ${fmt(MEMORY_ROWS)}-row run in each format (GET /runs/{id}/export's writers): RSS growth`,
  );
  const exportRows: (string | number)[][] = [];
  // Uncapped, then (Postgres) with the old space capped: V8 grows its heap lazily while garbage
  // streams through, so the capped figure is what an export really keeps.
  const runs: [BenchTarget, string, string[]][] = targets.map((t) => [t, t, ['--expose-gc']]);
  if (targets.includes('postgres')) {
    // 384, not CAP_MB: the same process first generates the 1M-row run, which 256 MB does not always fit.
    runs.push(['postgres', 'postgres, old space 384 MB', ['--expose-gc', '--max-old-space-size=384']]);
  }
  for (const [target, label, flags] of runs) {
    const m = measure('export-rss', target, MEMORY_ROWS, flags) as Measure & {
      formats: Record<string, { beforeMb: number; growthMb: number; exportMb: number; ms: number }>;
    };
    for (const [format, f] of Object.entries(m.formats)) {
      headline[`exportRssGrowthMb_${format}_${label.replace(/[^a-z0-9]+/gi, '_')}`] = f.growthMb;
      exportRows.push([
        target,
        format,
        fmt(m.rows),
        fmt(f.ms),
        fmt(Math.round(m.rows / (f.ms / 1000))),
        f.exportMb,
        f.beforeMb,
        f.growthMb,
      ]);
    }
  }
  table(
    ['target', 'format', 'rows', 'export ms', 'rows/s', 'output MB', 'RSS before MB', 'growth MB'],
    exportRows,
  );
}

main().then(
  () => {
    fs.rmSync(BUILD, { recursive: true, force: true });
    process.exit(0);
  },
  (error) => {
    console.error(error);
    fs.rmSync(BUILD, { recursive: true, force: true });
    process.exit(1);
  },
);
