import fs from 'node:fs';
import path from 'node:path';
import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import {
  generateOrderChunk,
  type OrderChunk,
  type OrderParams,
  type OrderPlan,
} from '../../../generators/ecommerce/orders';
import { OfflineTextWriter } from '../../llm/offline-writer';
import type { TextWriter } from '../../llm/text-writer';
import type { ChunkResult, ChunkTask, ThreadWorld } from './chunk-worker';

/** What writing the orders needs: the products, the shoppers' ids and the plan (no shopper rows). */
export interface OrdersWorld {
  params: OrderParams;
  plan: OrderPlan;
  /** Each product's noun, for review text. */
  nouns: string[];
  asinOf: Map<string, string>;
}

/** A finished chunk: rows with their text. */
export interface ReadyChunk {
  chunk: OrderChunk;
}

/** Hands out a run's order chunks in order; may generate the next ones meanwhile. */
export interface ChunkSource {
  get(k: number): Promise<ReadyChunk>;
  /** Drops chunks generated ahead (a cancelled or failed run). */
  close(): void;
}

/** Runs with fewer chunks generate on the main thread: a thread's start would cost more. */
export const THREADED_MIN_CHUNKS = 4;

let pool: Piscina | null = null;
/** Main thread until the service configures it (MOCKFORGE_GENERATOR_THREADS, when jobs open). */
let configuredThreads = 0;
let worldSerial = 0;
let threadChunks = 0;

/** Chunks this process generated in threads so far (how a test sees the threads were used). */
export function chunksGeneratedInThreads(): number {
  return threadChunks;
}

/** Users of the threads in this process (each open RunJobs): the last to close stops them. */
let users = 0;

/** Sets how many generator threads large runs use (0 = generate on the main thread). */
export function configureGeneratorThreads(threads: number): void {
  configuredThreads = threads;
  users++;
}

/** The process's generator threads, started on first use; idle threads exit (their memory with them). */
function generatorPool(threads: number): Piscina {
  if (pool) return pool;
  const compiled = path.join(__dirname, 'chunk-worker.js');
  const fromSources = !fs.existsSync(compiled);
  pool = new Piscina({
    filename: fromSources ? path.join(__dirname, 'chunk-worker.ts') : compiled,
    // Running from the TypeScript sources (ts-node, jest): the thread compiles them the same way.
    execArgv: fromSources ? ['--require', require.resolve('ts-node/register/transpile-only')] : [],
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 10_000,
    // A thread's own heap limit, not the process's (--max-old-space-size): a thread that runs out
    // fails its task (and the run, cleanly) instead of aborting the process.
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  return pool;
}

/** Stops the generator threads once their last user closes (shutdown, tests). */
export async function closeGeneratorThreads(): Promise<void> {
  users = Math.max(0, users - 1);
  if (users > 0) return;
  const current = pool;
  pool = null;
  await current?.destroy();
}

/** Writes a chunk's reviews through the writer (client reviews keep theirs). */
async function finish(writer: TextWriter, chunk: OrderChunk): Promise<ReadyChunk> {
  const wanted = chunk.briefs.flatMap((b, i) => (b ? [{ brief: b, i }] : []));
  if (wanted.length) {
    const copies = await writer.reviews(wanted.map((w) => w.brief));
    wanted.forEach(({ i }, n) => {
      chunk.reviews[i].title = copies[n].title;
      chunk.reviews[i].text = copies[n].text;
    });
  }
  return { chunk };
}

/** Generates each chunk when asked, on the main thread. */
class InlineChunks implements ChunkSource {
  constructor(
    private readonly writer: TextWriter,
    private readonly world: OrdersWorld,
  ) {}
  get(k: number): Promise<ReadyChunk> {
    return finish(this.writer, generateOrderChunk(this.world.params, this.world.plan, k, this.world.nouns));
  }
  close(): void {}
}

/**
 * Generates chunks in worker threads, up to `ahead` of them beyond the one asked for (a bounded
 * queue: memory stays flat while the database writes). Offline text is written in the thread
 * too; LLM text on the main thread, where the run's writer (budget, ledger) lives.
 */
class ThreadedChunks implements ChunkSource {
  private readonly pending = new Map<number, Promise<ChunkResult>>();
  private readonly world: SharedArrayBuffer;
  private readonly offline: boolean;
  private next: number;

  constructor(
    private readonly threads: Piscina,
    private readonly writer: TextWriter,
    private readonly worldKey: string,
    world: OrdersWorld,
    from: number,
    private readonly to: number,
    private readonly ahead: number,
  ) {
    const bytes = serialize({ params: world.params, nouns: world.nouns } satisfies ThreadWorld);
    this.world = new SharedArrayBuffer(bytes.length);
    new Uint8Array(this.world).set(bytes);
    this.offline = writer instanceof OfflineTextWriter;
    this.next = from;
  }

  async get(k: number): Promise<ReadyChunk> {
    while (this.next < this.to && this.next <= k + this.ahead) this.start(this.next++);
    const result = await (this.pending.get(k) ?? this.run(k));
    this.pending.delete(k);
    threadChunks++;
    if (!result.written) return finish(this.writer, result.chunk);
    if (this.writer instanceof OfflineTextWriter) this.writer.counted(result.texts);
    return { chunk: result.chunk };
  }

  close(): void {
    this.next = this.to;
    this.pending.clear();
  }

  private start(k: number): void {
    const task = this.run(k);
    // Seen by get(); a chunk nobody asks for any more (cancel) must not be an unhandled rejection.
    task.catch(() => undefined);
    this.pending.set(k, task);
  }

  private run(k: number): Promise<ChunkResult> {
    const task: ChunkTask = { worldKey: this.worldKey, world: this.world, k, offlineText: this.offline };
    return this.threads.run(task) as Promise<ChunkResult>;
  }
}

/**
 * Where a run's chunks [from, to) come from: generator threads when there are enough chunks to
 * pay for them and threads are configured, else the main thread. Either way the same rows.
 */
export function chunkSource(writer: TextWriter, world: OrdersWorld, from: number, to: number): ChunkSource {
  const threads = configuredThreads;
  if (threads <= 0 || to - from < THREADED_MIN_CHUNKS) return new InlineChunks(writer, world);
  const worldKey = `${process.pid}:${++worldSerial}`;
  return new ThreadedChunks(generatorPool(threads), writer, worldKey, world, from, to, threads + 1);
}
