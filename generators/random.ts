import { createHash } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';

/**
 * A 31-bit seed derived from the run seed and a scope (phase name, chunk index…). Each phase and
 * chunk gets its own stream, so a change in one phase never shifts the values of another.
 */
export function seedFor(seed: number, ...scope: (string | number)[]): number {
  const digest = createHash('sha256')
    .update(JSON.stringify([seed, ...scope]))
    .digest();
  return digest.readUInt32BE(0) & 0x7fffffff;
}

/** A faker instance seeded for one phase (or one chunk of a phase) of a run. */
export function seededFaker(seed: number, ...scope: (string | number)[]): Faker {
  return new Faker({ locale: [en, base], seed: seedFor(seed, ...scope) });
}

/**
 * Small deterministic PRNG (mulberry32) keyed by a string, for per-item choices where creating a
 * faker would cost more than the item itself (offline text templates).
 */
export function keyedRandom(key: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an element with a PRNG returning [0, 1). */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Rounds a timestamp down to the minute: generated times look like real event times. */
export function toMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
