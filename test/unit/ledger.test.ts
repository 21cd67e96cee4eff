import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { Budget } from '../../src/llm/budget';
import { ResponseCache } from '../../src/llm/cache';
import { toMillionths } from '../../src/pipeline/scenario/pipeline-agents';
import { embeddingInput, EMBEDDING_INPUT_MAX_TOKENS } from '../../src/pricing/tokens';
import { nonEmpty } from '../helpers/non-empty';

describe('cost records in 6 decimals', () => {
  it('add up to the exact total rounded to 6 decimals, where rounding each would not', () => {
    // Three records of $0.0000014: each rounds to 0.000001 (sum 0.000003), the total to 0.000004.
    const amounts = ['0.0000014', '0.0000014', '0.0000014'].map((a) => new Decimal(a));
    const shown = toMillionths(amounts);
    expect(shown.reduce((sum, s) => sum.plus(s), new Decimal(0)).toFixed(6)).toBe('0.000004');
    expect(nonEmpty(shown).every((s) => /^\d+\.\d{6}$/.test(s))).toBe(true);
    // Each is within one millionth of what it was billed.
    shown.forEach((s, i) => expect(new Decimal(s).minus(amounts[i]).abs().lt('0.000001')).toBe(true));
  });

  it('leaves exact amounts as they are', () => {
    expect(toMillionths([new Decimal('0.012345'), new Decimal('1.5')])).toEqual(['0.012345', '1.500000']);
  });
});

describe('a budget’s set-aside', () => {
  it('holds back from other calls, is drawn on without a check and gives back what a draw did not need', async () => {
    const budget = new Budget('0.010');
    expect(budget.setAside(new Decimal('0.004'))).toBe(true);
    // 0.007 no longer fits next to the 0.004 set aside: skipped.
    expect(await budget.place().admit(() => new Decimal('0.007'))).toBeNull();
    const text = await budget.place().admit(() => new Decimal('0.006'));
    expect(text).not.toBeNull();
    text!.settle(new Decimal('0.005'));
    // A draw planned at 0.003 of the set-aside that needs at most 0.001: 0.002 goes back at once.
    const drawn = await budget.place().draw(new Decimal('0.003'), new Decimal('0.001'));
    drawn.settle(new Decimal('0.001'));
    // Spent 0.006, 0.001 still set aside: 0.003 is free.
    expect(await budget.place().admit(() => new Decimal('0.0031'))).toBeNull();
    const later = await budget.place().admit(() => new Decimal('0.0029'));
    expect(later).not.toBeNull();
    later!.settle(new Decimal('0.0029'));
    expect(budget.spentUsd.toFixed(6)).toBe('0.008900');
    // Drawing more than is left of the set-aside is a planning error, never a silent overspend.
    await expect(budget.place().draw(new Decimal('0.002'), new Decimal('0.001'))).rejects.toThrow(
      /set aside/,
    );
  });

  it('is refused when it does not fit', () => {
    expect(new Budget('0.001').setAside(new Decimal('0.002'))).toBe(false);
    expect(new Budget(null).setAside(new Decimal('1000'))).toBe(true);
  });
});

describe('an embedding input', () => {
  it('is cut at the cap a budget sets aside for, and only beyond it', () => {
    const short = 'title: A sturdy tent\nreview_text: It kept us dry all week.';
    expect(embeddingInput(short).text).toBe(short);
    const long = 'word '.repeat(3000);
    const cut = embeddingInput(long);
    expect(cut.tokens).toBe(EMBEDDING_INPUT_MAX_TOKENS);
    expect(long.startsWith(cut.text)).toBe(true);
    expect(embeddingInput(cut.text).tokens).toBe(EMBEDDING_INPUT_MAX_TOKENS);
  });
});

describe('the answer cache', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-cache-sweep-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const age = (key: string, hoursAgo: number) => {
    const at = new Date(Date.now() - hoursAgo * 3_600_000);
    fs.utimesSync(path.join(dir, `${key}.json`), at, at);
  };
  const keys = () =>
    fs
      .readdirSync(dir)
      .map((f) => f.replace(/\.json$/, ''))
      .sort();

  it('removes expired files on its first write', async () => {
    const old = new ResponseCache(dir, 24 * 3_600_000);
    await old.set('a', { text: 'old' });
    await old.set('b', { text: 'recent' });
    age('a', 30);
    age('b', 2);
    const cache = new ResponseCache(dir, 24 * 3_600_000);
    await cache.set('c', { text: 'new' });
    expect(keys()).toEqual(['b', 'c']);
    expect(await cache.get('b')).toEqual({ text: 'recent' });
  });

  it('keeps under its cap by removing the oldest answers first', async () => {
    const value = { text: 'x'.repeat(1000) };
    const cache = new ResponseCache(dir, 24 * 3_600_000, { maxBytes: 5_000 });
    for (const [i, key] of ['k1', 'k2', 'k3', 'k4'].entries()) {
      await cache.set(key, value);
      age(key, 10 - i);
    }
    await cache.set('k5', value);
    await cache.set('k6', value);
    const left = keys();
    const bytes = left.reduce((n, k) => n + fs.statSync(path.join(dir, `${k}.json`)).size, 0);
    expect(bytes).toBeLessThanOrEqual(5_000);
    // The newest stay; the oldest went first.
    expect(left).toContain('k6');
    expect(left).not.toContain('k1');
    expect(await cache.sweep()).toBe(0);
  });
});
