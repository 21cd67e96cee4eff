import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiFailure, download, gql, upload, type Connection } from './connection';
import { ProgressView, type Progress } from './progress';

/** Where a command writes: results on stdout, progress and messages on stderr. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Exit statuses: 0 success, 1 a run (or a call) failed, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const SCENARIO_NAMES = ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4'];

const RUN_FIELDS = `id kind scenarioId status seed asOf fingerprint error durationMs actualCostUsd generatorVersion
  rowCounts { products users transactions reviews members agents dailyMetrics conversations costRecords auditLogs }
  contract { name passed expected actual }
  textReport { provider llmTexts offlineTexts fallbackTexts }
  progress { phase rowsDone rowsTotal percent etaMs }`;

export interface RunView {
  id: string;
  kind: string;
  scenarioId: string | null;
  status: string;
  seed: number;
  asOf: string;
  fingerprint: string | null;
  error: string | null;
  durationMs: number | null;
  actualCostUsd: string | null;
  generatorVersion: string;
  rowCounts: Record<string, number>;
  contract: { name: string; passed: boolean; expected: string; actual: string }[];
  textReport: { provider: string; llmTexts: number; offlineTexts: number; fallbackTexts: number } | null;
  progress: Progress | null;
}

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Aligned columns. */
export function table(rows: (string | number | null)[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return (
    rows
      .map((r) =>
        r
          .map((v, i) => String(v ?? '').padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** What a finished run says: id, status, fingerprint, rows, contract, text and cost. */
export function runSummary(run: RunView): string {
  const rows = Object.entries(run.rowCounts)
    .filter(([, n]) => n)
    .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
    .join(', ');
  const passed = run.contract.filter((c) => c.passed).length;
  const failed = run.contract.filter((c) => !c.passed);
  const lines = [
    `run          ${run.id}`,
    `status       ${run.status}${run.error ? ` — ${run.error}` : ''}`,
    `kind         ${run.kind}${run.scenarioId ? ` ${run.scenarioId}` : ''}, seed ${run.seed}, as of ${run.asOf.slice(0, 10)}`,
    `fingerprint  ${run.fingerprint ?? '—'}`,
    `rows         ${rows || '—'}`,
    `contract     ${passed}/${run.contract.length} checks passed${failed.length ? ` (failed: ${failed.map((c) => c.name).join(', ')})` : ''}`,
  ];
  if (run.textReport) {
    const t = run.textReport;
    lines.push(
      `text         ${t.provider}: ${t.llmTexts} from the LLM, ${t.offlineTexts} offline, ${t.fallbackTexts} fallbacks`,
    );
  }
  lines.push(
    `cost         ${run.actualCostUsd === null ? '$0 (no LLM calls priced)' : `$${run.actualCostUsd}`}`,
  );
  if (run.durationMs !== null) lines.push(`took         ${(run.durationMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

export interface GenerateOptions {
  seed?: number;
  asOf?: string;
  overrides?: Record<string, unknown>;
  embeddings: boolean;
  maxCostUsd?: string;
  out?: string;
  format: string;
}

/** The mutation and input for `generate`: a scenario (overrides as its `overrides`) or a dashboard (overrides merged in). */
export function generateCall(
  scenario: string,
  o: GenerateOptions,
): { mutation: string; input: Record<string, unknown> } {
  const common = { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.asOf ? { asOf: o.asOf } : {}) };
  if (scenario === 'dashboard') {
    return {
      mutation: `mutation($input: GenerateDashboardInput) { run: generateDashboard(input: $input, wait: false) { id } }`,
      input: { ...common, ...(o.overrides ?? {}) },
    };
  }
  return {
    mutation: `mutation($input: GenerateScenarioInput!) { run: generateScenario(input: $input, wait: false) { id } }`,
    input: {
      scenario,
      ...common,
      embeddings: o.embeddings,
      ...(o.overrides ? { overrides: o.overrides } : {}),
      ...(o.maxCostUsd ? { maxCostUsd: o.maxCostUsd } : {}),
    },
  };
}

export async function loadRun(c: Connection, id: string): Promise<RunView | null> {
  const data = await gql<{ run: RunView | null }>(c, `query($id: ID!) { run(id: $id) { ${RUN_FIELDS} } }`, {
    id,
  });
  return data.run;
}

/** Starts a run, follows its progress until it ends, prints its summary (and exports it with --out). */
export async function generate(c: Connection, io: Io, scenario: string, o: GenerateOptions): Promise<number> {
  const { mutation, input } = generateCall(scenario, o);
  const { run: started } = await gql<{ run: { id: string } }>(c, mutation, { input });
  io.stderr.write(`run ${started.id} started\n`);
  const view = new ProgressView(io.stderr);
  let run: RunView | null;
  for (;;) {
    run = await loadRun(c, started.id);
    if (!run) throw new ApiFailure(`run ${started.id} disappeared (deleted?)`, 'NOT_FOUND');
    if (run.progress) view.update(run.progress);
    if (FINISHED.includes(run.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  view.stop();
  io.stdout.write(runSummary(run));
  if (run.status !== 'SUCCEEDED') return EXIT.failed;
  if (o.out) await exportRun(c, io, run.id, { format: o.format, out: o.out, embeddings: o.embeddings });
  return EXIT.ok;
}

export interface ExportOptions {
  format: string;
  out: string;
  tables?: string;
  embeddings: boolean;
}

/** Streams an export to a file: `out` is a directory (the server's file name is kept) or a file path. */
export async function exportRun(c: Connection, io: Io, runId: string, o: ExportOptions): Promise<number> {
  const query = new URLSearchParams({ format: o.format });
  if (o.tables) query.set('tables', o.tables);
  if (!o.embeddings) query.set('embeddings', 'false');
  const res = await download(c, `/runs/${encodeURIComponent(runId)}/export?${query}`);
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${runId}.${o.format}`;
  const isDir = o.out.endsWith('/') || (fs.existsSync(o.out) && fs.statSync(o.out).isDirectory());
  if (isDir) fs.mkdirSync(o.out, { recursive: true });
  const file = isDir ? path.join(o.out, name) : o.out;
  await pipeline(Readable.fromWeb(res.body as never), fs.createWriteStream(file));
  io.stdout.write(
    `exported ${o.format} to ${file} (${fs.statSync(file).size.toLocaleString('en-US')} bytes)\n`,
  );
  return EXIT.ok;
}

export async function importFile(c: Connection, io: Io, file: string): Promise<number> {
  const answer = await upload<{
    run: { id: string; fingerprint: string; rowCounts: Record<string, number> };
  }>(c, '/runs/import', fs.createReadStream(file), file.endsWith('.gz'));
  io.stdout.write(`imported run ${answer.run.id}\nfingerprint  ${answer.run.fingerprint}\n`);
  return EXIT.ok;
}

type Usd = string | null;
interface PhaseEstimate {
  phase: string;
  kind: string;
  model: string;
  items: number;
  calls: number;
  inputTokens: number;
  outputTokensLow: number;
  outputTokensHigh: number;
  costLowUsd: Usd;
  costHighUsd: Usd;
}
interface Estimate {
  model: string;
  provider: string;
  warnings: string[];
  totals: Omit<PhaseEstimate, 'phase' | 'kind' | 'model' | 'items'>;
  phases: PhaseEstimate[];
  comparison: { model: string; inputTokens: number; costLowUsd: Usd; costHighUsd: Usd }[];
}

export async function estimate(c: Connection, io: Io, scenario: string, o: GenerateOptions): Promise<number> {
  const { input } = generateCall(scenario, o);
  const data = await gql<{ costEstimate: Estimate }>(
    c,
    `query($input: GenerateScenarioInput!) { costEstimate(input: $input) {
      model provider warnings
      totals { calls inputTokens outputTokensLow outputTokensHigh costLowUsd costHighUsd }
      phases { phase kind model items calls inputTokens outputTokensLow outputTokensHigh costLowUsd costHighUsd }
      comparison { model inputTokens costLowUsd costHighUsd } } }`,
    { input },
  );
  const e = data.costEstimate;
  const usd = (lo: Usd, hi: Usd) => (lo === null ? 'no price' : `$${lo} – $${hi}`);
  io.stdout.write(`Estimate for ${scenario} with ${e.model} (text now: ${e.provider})\n\n`);
  io.stdout.write(
    table([
      ['phase', 'kind', 'model', 'items', 'calls', 'input tokens', 'output tokens', 'cost'],
      ...e.phases.map((p) => [
        p.phase.toLowerCase(),
        p.kind.toLowerCase(),
        p.model,
        p.items,
        p.calls,
        p.inputTokens,
        `${p.outputTokensLow}–${p.outputTokensHigh}`,
        usd(p.costLowUsd, p.costHighUsd),
      ]),
      [
        'total',
        '',
        '',
        '',
        e.totals.calls,
        e.totals.inputTokens,
        `${e.totals.outputTokensLow}–${e.totals.outputTokensHigh}`,
        usd(e.totals.costLowUsd, e.totals.costHighUsd),
      ],
    ]),
  );
  io.stdout.write(`\nThe same calls with other chat models:\n\n`);
  io.stdout.write(
    table([
      ['model', 'input tokens', 'cost'],
      ...e.comparison.map((m) => [m.model, m.inputTokens, usd(m.costLowUsd, m.costHighUsd)]),
    ]),
  );
  for (const w of e.warnings) io.stdout.write(`warning: ${w}\n`);
  return EXIT.ok;
}

export async function listRuns(
  c: Connection,
  io: Io,
  filter: { status?: string; kind?: string },
): Promise<number> {
  const data = await gql<{ runs: { totalCount: number; nodes: RunView[] } }>(
    c,
    `query($filter: RunFilter) { runs(filter: $filter, first: 100) { totalCount nodes { id kind scenarioId status seed asOf fingerprint durationMs } } }`,
    { filter },
  );
  const { nodes, totalCount } = data.runs;
  if (!nodes.length) {
    io.stdout.write('no runs\n');
    return EXIT.ok;
  }
  io.stdout.write(
    table([
      ['id', 'kind', 'scenario', 'status', 'seed', 'as of', 'took', 'fingerprint'],
      ...nodes.map((r) => [
        r.id,
        r.kind,
        r.scenarioId ?? '',
        r.status,
        r.seed,
        r.asOf.slice(0, 10),
        r.durationMs === null ? '' : `${(r.durationMs / 1000).toFixed(1)} s`,
        r.fingerprint?.slice(0, 12) ?? '',
      ]),
    ]),
  );
  if (totalCount > nodes.length) io.stdout.write(`(${nodes.length} of ${totalCount} shown)\n`);
  return EXIT.ok;
}

export async function showRun(c: Connection, io: Io, id: string): Promise<number> {
  const run = await loadRun(c, id);
  if (!run) throw new ApiFailure(`Run ${id} not found`, 'NOT_FOUND');
  io.stdout.write(runSummary(run));
  return EXIT.ok;
}

export async function deleteRun(c: Connection, io: Io, id: string): Promise<number> {
  await gql(c, `mutation($id: ID!) { deleteRun(id: $id) { id } }`, { id });
  io.stdout.write(`deleted run ${id}\n`);
  return EXIT.ok;
}
