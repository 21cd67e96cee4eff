import { deserialize } from 'node:v8';
import {
  generateOrderChunk,
  planOrders,
  type OrderChunk,
  type OrderParams,
  type OrderPlan,
} from '../../../generators/ecommerce/orders';
import { offlineReviewCopy } from '../../llm/offline-writer';

/** What a generator thread is sent to generate any chunk of a run's orders. */
export interface ThreadWorld {
  params: OrderParams;
  nouns: string[];
}

/** A world as a thread keeps it: the plan (which holds functions, so it is not sent) made again. */
interface PlannedWorld extends ThreadWorld {
  plan: OrderPlan;
}

export interface ChunkTask {
  /** Identifies the world (one run's, or one shard's build of it). */
  worldKey: string;
  /** The world, v8-serialized into shared memory: every thread reads it without a copy per task. */
  world: SharedArrayBuffer;
  k: number;
  /** Write the reviews' offline text here (else the main thread writes it). */
  offlineText: boolean;
}

export interface ChunkResult {
  chunk: OrderChunk;
  /** Whether the reviews' text is written (false: the main thread writes it). */
  written: boolean;
  /** Texts written here (the run's offline writer counts them). */
  texts: number;
}

/** The last worlds this thread decoded: a run's chunks arrive one after another. */
const worlds = new Map<string, PlannedWorld>();

/**
 * Generates chunk k of a run's orders in a worker thread (piscina). The very same functions as
 * on the main thread, each chunk seeded on its own, so the rows are identical.
 */
export default function generateChunk(task: ChunkTask): ChunkResult {
  let world = worlds.get(task.worldKey);
  if (!world) {
    const sent = deserialize(Buffer.from(task.world)) as ThreadWorld;
    // The plan is a pure function of the params (seeded): the very plan the main thread made.
    world = { ...sent, plan: planOrders(sent.params) };
    worlds.set(task.worldKey, world);
    if (worlds.size > 2) worlds.delete(worlds.keys().next().value!);
  }
  const chunk = generateOrderChunk(world.params, world.plan, task.k, world.nouns);
  if (!task.offlineText) return { chunk, written: false, texts: 0 };
  let texts = 0;
  chunk.briefs.forEach((brief, i) => {
    if (!brief) return;
    const copy = offlineReviewCopy(brief);
    chunk.reviews[i].title = copy.title;
    chunk.reviews[i].text = copy.text;
    texts++;
  });
  // The briefs were for the text, which is written: not worth copying back.
  chunk.briefs = [];
  return { chunk, written: true, texts };
}
