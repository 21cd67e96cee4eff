import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  deleteRun,
  estimate,
  EXIT,
  exportRun,
  generate,
  importFile,
  listRuns,
  SCENARIO_NAMES,
  showRun,
  type GenerateOptions,
  type Io,
} from './commands';
import { EXPORT_FORMATS } from '../export/run-export';
import { ApiFailure, localOrRunning, remote, type Connection } from './connection';

/** Argument parsers: a bad value is bad usage, reported before anything runs. */
function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('not an integer.');
  return Number(value);
}

function jsonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`cannot read ${file}.`);
  }
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new InvalidArgumentError(`${file} is not a JSON object (${(error as Error).message}).`);
  }
}

function scenarioName(value: string): string {
  const name = value.toLowerCase() === 'dashboard' ? 'dashboard' : value.toUpperCase();
  if (!SCENARIO_NAMES.includes(name) && name !== 'dashboard') {
    throw new InvalidArgumentError(`one of ${SCENARIO_NAMES.join(', ')} or dashboard.`);
  }
  return name;
}

function existingFile(file: string): string {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new InvalidArgumentError(`no such file: ${file}.`);
  return file;
}

const formatOption = () =>
  new Option('--format <format>', 'export format').choices([...EXPORT_FORMATS]).default('ndjson');

/** The options any command may have (commander fills the ones it declares). */
interface CommandOptions {
  seed?: number;
  asOf?: string;
  overrides?: Record<string, unknown>;
  embeddings: boolean;
  maxCostUsd?: string;
  llm?: boolean;
  out?: string;
  format: string;
  tables?: string;
}

/** What a command runs with: the connection (opened lazily, closed after) and the output streams. */
interface Context {
  io: Io;
  env: NodeJS.ProcessEnv;
  connect(llm?: boolean): Promise<Connection>;
}

function buildProgram(ctx: Context, done: (run: () => Promise<number>) => void): Command {
  const program = new Command('mockforge')
    .description(
      'Realistic, reproducible mock data: Survey Sensei scenarios and agent-monitoring dashboards.',
    )
    .option(
      '--url <url>',
      'a running MockForge server (default: the service on this machine’s database, started here)',
    )
    .option('--key <key>', 'API key for --url (MOCKFORGE_KEY)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .showHelpAfterError(false);

  const scenarioOptions = (cmd: Command) =>
    cmd
      .option('--seed <n>', 'seed (same seed and as-of date → same rows)', integer)
      .option('--as-of <date>', 'reference date, ISO 8601 (default today 00:00 UTC)')
      .option('--overrides <file.json>', 'scenario overrides (a dashboard: its counts) as JSON', jsonFile)
      .option('--no-embeddings', 'skip the 1536-d embeddings');

  const generateOptions = (o: CommandOptions): GenerateOptions => ({
    seed: o.seed,
    asOf: o.asOf,
    overrides: o.overrides,
    embeddings: o.embeddings,
    maxCostUsd: o.maxCostUsd,
    out: o.out,
    format: o.format,
  });

  scenarioOptions(
    program
      .command('generate')
      .description(
        'generate a scenario (A1…C4) or a dashboard dataset; prints the run, its fingerprint, contract and cost',
      )
      .argument(
        '<scenario>',
        `${SCENARIO_NAMES[0]}…${SCENARIO_NAMES[SCENARIO_NAMES.length - 1]} or dashboard`,
        scenarioName,
      ),
  )
    .option('--llm', 'write text with the LLM (OPENAI_API_KEY; a server with --url decides for itself)')
    .option('--max-cost-usd <usd>', 'most the run’s LLM calls may cost')
    .option('--out <dir>', 'export the finished run into this directory (or file)')
    .addOption(formatOption())
    .action((scenario: string, o: CommandOptions) =>
      done(async () => {
        if (o.llm && !program.opts().url && !ctx.env.OPENAI_API_KEY) {
          throw new CommanderError(EXIT.usage, 'mockforge.usage', 'error: --llm needs OPENAI_API_KEY');
        }
        if (scenario === 'dashboard' && o.maxCostUsd) {
          throw new CommanderError(
            EXIT.usage,
            'mockforge.usage',
            'error: a dashboard makes no LLM calls (--max-cost-usd)',
          );
        }
        return generate(await ctx.connect(Boolean(o.llm)), ctx.io, scenario, generateOptions(o));
      }),
    );

  scenarioOptions(
    program
      .command('estimate')
      .description('what a scenario would cost with the LLM: per phase, and compared across models')
      .argument(
        '<scenario>',
        `${SCENARIO_NAMES[0]}…${SCENARIO_NAMES[SCENARIO_NAMES.length - 1]}`,
        scenarioName,
      ),
  )
    .option('--max-cost-usd <usd>', 'the budget to check the estimate against')
    .action((scenario: string, o: CommandOptions) =>
      done(async () => {
        if (scenario === 'dashboard') {
          throw new CommanderError(
            EXIT.usage,
            'mockforge.usage',
            'error: a dashboard makes no LLM calls to estimate',
          );
        }
        return estimate(await ctx.connect(), ctx.io, scenario, generateOptions(o));
      }),
    );

  program
    .command('runs')
    .description('list runs, newest first')
    .addOption(
      new Option('--status <status>').choices(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
    )
    .addOption(new Option('--kind <kind>').choices(['SCENARIO', 'DASHBOARD']))
    .action((o: { status?: string; kind?: string }) =>
      done(async () => listRuns(await ctx.connect(), ctx.io, o)),
    );

  program
    .command('show')
    .description('a run: status, fingerprint, rows, contract, cost')
    .argument('<runId>')
    .action((id: string) => done(async () => showRun(await ctx.connect(), ctx.io, id)));

  program
    .command('export')
    .description('stream a finished run to a file')
    .argument('<runId>')
    .addOption(formatOption())
    .requiredOption('--out <path>', 'a directory (the file keeps its export name) or a file path')
    .option('--tables <list>', 'comma-separated tables (default all)')
    .option('--no-embeddings', 'leave the vectors out')
    .action((id: string, o: CommandOptions) =>
      done(async () =>
        exportRun(await ctx.connect(), ctx.io, id, {
          format: o.format,
          // A required option: commander refused the command without it.
          out: o.out!,
          tables: o.tables,
          embeddings: o.embeddings,
        }),
      ),
    );

  program
    .command('import')
    .description('re-create a run from an NDJSON export (.ndjson or .ndjson.gz)')
    .argument('<file>', 'the export', existingFile)
    .action((file: string) => done(async () => importFile(await ctx.connect(), ctx.io, file)));

  program
    .command('delete')
    .description('delete a run and its rows')
    .argument('<runId>')
    .action((id: string) => done(async () => deleteRun(await ctx.connect(), ctx.io, id)));

  program
    .command('serve')
    .description('start the GraphQL server (as npm start)')
    .action(() =>
      done(async () => {
        await (await import('../app/main')).main();
        return new Promise<number>(() => undefined);
      }),
    );

  program
    .command('worker')
    .description('start a worker that takes runs from the queue (REDIS_URL or DATABASE_URL)')
    .action(() =>
      done(async () => {
        await (await import('../app/worker')).worker();
        return new Promise<number>(() => undefined);
      }),
    );
  return program;
}

/**
 * Runs the CLI on `argv` (without node and the script); resolves to the exit status. Bad usage
 * (unknown command or option, a bad value, an input the API refuses as BAD_USER_INPUT) prints the
 * message and the command's usage line and gives 2; a run that fails gives 1.
 */
export async function runCli(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let connection: Connection | null = null;
  let action: (() => Promise<number>) | null = null;
  const ctx: Context = {
    io,
    env,
    connect: async (llm = false) => {
      const { url, key } = program.opts<{ url?: string; key?: string }>();
      connection ??= url
        ? remote(url, key ?? env.MOCKFORGE_KEY)
        : await localOrRunning(env, llm, key ?? env.MOCKFORGE_KEY, (line) => io.stderr.write(`${line}\n`));
      return connection;
    },
  };
  const program = buildProgram(ctx, (run) => (action = run));
  const usage = () => {
    const names = program.commands.map((c) => c.name());
    const command = program.commands.find((c) => c.name() === argv.find((a) => names.includes(a)));
    return `Usage: mockforge ${command ? `${command.name()} ${command.usage()}` : program.usage()}\n`;
  };
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (!action) return EXIT.ok;
    return await (action as () => Promise<number>)();
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      ) {
        return EXIT.ok;
      }
      if (error.code === 'mockforge.usage') io.stderr.write(`${error.message}\n`);
      io.stderr.write(usage());
      return EXIT.usage;
    }
    if (error instanceof ApiFailure) {
      io.stderr.write(`error: ${error.message}\n`);
      if (error.code === 'BAD_USER_INPUT') {
        io.stderr.write(usage());
        return EXIT.usage;
      }
      return EXIT.failed;
    }
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  } finally {
    await (connection as Connection | null)?.close();
  }
}
