import Decimal from 'decimal.js';

/** An admitted call: holds its worst case until it settles with what it really cost. */
export interface Reservation {
  /** Gives back the unused part; `actualUsd` null = nothing billed (the call failed). */
  settle(actualUsd: Decimal | null): void;
}

/** A call's place in line: decided only after every earlier place. */
export interface Place {
  /** The order calls were planned in (their ledger order). */
  readonly index: number;
  /**
   * Admits the call if its worst case (`worst()`, evaluated at this place's turn; null = do not
   * call) fits the budget; resolves null when it is skipped. `onSkip` runs at the decision itself,
   * before any later place is decided.
   */
  admit(worst: () => Decimal | null, onSkip?: () => void): Promise<Reservation | null>;
  /** Gives up the place without a call (a repair that was not needed). */
  pass(): void;
  /**
   * Admits the call at this place's turn, never skipping it: `share` (what was set aside for it,
   * setAside) leaves the set-aside, the call holds its `worst` and the rest of the share goes back
   * to the budget for later calls. Throws if the set-aside cannot cover it (a planning bug).
   */
  draw(share: Decimal, worst: Decimal): Promise<Reservation>;
}

/**
 * `maxCostUsd` under concurrent calls. Every call reserves its worst case before it is sent and
 * gives back the unused part once its usage is known, so concurrent calls never overspend.
 *
 * Decisions stay those of a strictly sequential run whatever order answers arrive in: places are
 * taken synchronously in the order calls are planned and decided one after another; a call that
 * does not fit waits for earlier calls still in flight to settle, and is skipped only when none
 * is left. What earlier calls hold only shrinks as they settle, so "fits at some point" is the
 * same as "fits once every earlier call has settled" — the sequential answer.
 */
export class Budget {
  private spent = new Decimal(0);
  private held = new Decimal(0);
  /** The part of `held` set aside for calls that draw on it (a run's embeddings). */
  private aside = new Decimal(0);
  private inFlight = 0;
  private places = 0;
  private line: Promise<void> = Promise.resolve();
  private waiting: (() => void)[] = [];

  /** `limitUsd` null: no budget, every call is admitted at once. */
  constructor(private readonly limitUsd: string | null) {}

  /** What admitted calls cost so far (list price), settled ones only. */
  get spentUsd(): Decimal {
    return this.spent;
  }

  /**
   * Holds `amountUsd` back from every other call, before any call is made, for calls that will
   * draw on it; false (and nothing held) if it does not fit. Without a limit, always true.
   */
  setAside(amountUsd: Decimal): boolean {
    if (this.limitUsd === null) return true;
    if (this.spent.plus(this.held).plus(amountUsd).gt(this.limitUsd)) return false;
    this.held = this.held.plus(amountUsd);
    this.aside = this.aside.plus(amountUsd);
    return true;
  }

  place(): Place {
    const index = this.places++;
    if (this.limitUsd === null) {
      return {
        index,
        admit: async () => this.reserve(new Decimal(0)),
        pass: () => undefined,
        draw: async () => this.reserve(new Decimal(0)),
      };
    }
    const limit = new Decimal(this.limitUsd);
    const previous = this.line;
    let done!: () => void;
    this.line = new Promise((resolve) => (done = resolve));
    return {
      index,
      admit: async (worst, onSkip) => {
        await previous;
        try {
          for (;;) {
            const cost = worst();
            if (cost !== null && this.spent.plus(this.held).plus(cost).lte(limit)) return this.reserve(cost);
            if (cost === null || this.inFlight === 0) {
              onSkip?.();
              return null;
            }
            await new Promise<void>((resolve) => this.waiting.push(resolve));
          }
        } finally {
          done();
        }
      },
      pass: () => void previous.then(done),
      draw: async (share, worst) => {
        await previous;
        try {
          if (share.gt(this.aside) || worst.gt(share)) {
            throw new Error(`A call of $${worst} (share $${share}) drew on $${this.aside} set aside`);
          }
          // Already held: the share leaves the set-aside, the call holds its worst case like any other.
          this.aside = this.aside.minus(share);
          this.held = this.held.minus(share);
          return this.reserve(worst);
        } finally {
          done();
        }
      },
    };
  }

  private reserve(worst: Decimal): Reservation {
    this.held = this.held.plus(worst);
    this.inFlight++;
    let settled = false;
    return {
      settle: (actualUsd) => {
        if (settled) return;
        settled = true;
        this.held = this.held.minus(worst);
        this.spent = this.spent.plus(actualUsd ?? 0);
        this.inFlight--;
        const waiting = this.waiting;
        this.waiting = [];
        for (const wake of waiting) wake();
      },
    };
  }
}
