import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import { BadUserInputError } from '../errors';
import type { ListOrder } from './list-order';

/**
 * Keyset pagination: a cursor is the sort key of the last row of a page (plus the list it belongs
 * to), and the next page is the rows ordered after it. Unlike offsets, pages never repeat or skip
 * a row when runs are added or deleted between two requests.
 *
 * Values travel as text the database produced (`to_char` for timestamps, so microseconds survive)
 * and are compared back with an explicit cast, so a cursor means exactly one position.
 */

type KeyKind = 'timestamp' | 'date' | 'uuid' | 'boolean' | 'integer' | 'text';

const KINDS: Record<string, KeyKind> = {
  timestamptz: 'timestamp',
  'timestamp with time zone': 'timestamp',
  date: 'date',
  uuid: 'uuid',
  boolean: 'boolean',
  bool: 'boolean',
  integer: 'integer',
  int: 'integer',
  text: 'text',
  varchar: 'text',
};

const CAST: Record<KeyKind, string> = {
  timestamp: 'timestamptz',
  date: 'date',
  uuid: 'uuid',
  boolean: 'boolean',
  integer: 'integer',
  text: 'text',
};

const FORMAT: Record<KeyKind, RegExp> = {
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  boolean: /^(true|false)$/,
  integer: /^-?\d{1,10}$/,
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must not pass
  text: /^[^\u0000]{0,2000}$/,
};

function valid(kind: KeyKind, value: string): boolean {
  if (!FORMAT[kind].test(value)) return false;
  if (kind === 'timestamp' || kind === 'date') {
    const day = value.slice(0, 10);
    return new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  }
  return true;
}

interface Key {
  column: string;
  descending: boolean;
  kind: KeyKind;
}

/** Selects, compares and encodes one list's sort key. */
export class Keyset {
  private readonly keys: Key[];

  constructor(
    meta: EntityMetadata,
    private readonly order: ListOrder,
  ) {
    this.keys = order.keys.map(({ column, descending }) => {
      const def = meta.findColumnWithDatabaseName(column);
      const kind = def ? KINDS[String(def.type)] : undefined;
      // A nullable sort column would need NULLS handling in every comparison; none is allowed.
      if (!def || !kind || def.isNullable) {
        throw new Error(
          `${meta.name}.${column} cannot be a sort key (missing, unsupported type or nullable)`,
        );
      }
      return { column, descending, kind };
    });
  }

  /** The ORDER BY clause. */
  get orderBy(): string {
    return this.order.sql;
  }

  /** Extra select-list items giving each sort value as text: `…, <expr> AS __k0, …`. */
  get selectKeys(): string {
    return this.keys
      .map(({ column, kind }, i) =>
        kind === 'timestamp'
          ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS __k${i}`
          : `${column}::text AS __k${i}`,
      )
      .join(', ');
  }

  /** The cursor of a row fetched with `selectKeys`. */
  cursorOf(row: ObjectLiteral): string {
    const values = this.keys.map((_, i) => String(row[`__k${i}`]));
    return Buffer.from(JSON.stringify([this.order.list, ...values])).toString('base64url');
  }

  /**
   * The sort values a cursor holds, or null without one. A cursor that is not one this list could
   * have issued (another list's, edited, truncated) is BAD_USER_INPUT on `after`.
   */
  decode(after: string | null): string[] | null {
    if (after === null) return null;
    const refuse = (why: string) => new BadUserInputError(`Invalid cursor in after: ${why}`, 'after');
    if (!/^[A-Za-z0-9_-]{1,4000}$/.test(after)) throw refuse('not a cursor this API issued');
    const text = Buffer.from(after, 'base64url').toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw refuse('not a cursor this API issued');
    }
    if (
      !Array.isArray(parsed) ||
      Buffer.from(text).toString('base64url') !== after ||
      !parsed.every((v) => typeof v === 'string')
    ) {
      throw refuse('not a cursor this API issued');
    }
    const [list, ...values] = parsed as string[];
    if (list !== this.order.list)
      throw refuse(`it belongs to another list (${list}), not ${this.order.list}`);
    if (values.length !== this.keys.length || !values.every((v, i) => valid(this.keys[i].kind, v))) {
      throw refuse('its position is malformed');
    }
    return values;
  }

  /**
   * Rows strictly after the position `values`, in this order: for keys (a, b, c) ascending,
   * `a > $a OR (a = $a AND (b > $b OR (b = $b AND c > $c)))`, with `<` for descending keys.
   */
  after(values: string[], add: (value: unknown) => string): string {
    const placeholders = this.keys.map((key, i) => `${add(values[i])}::${CAST[key.kind]}`);
    let condition = '';
    for (let i = this.keys.length - 1; i >= 0; i -= 1) {
      const { column, descending } = this.keys[i];
      const beyond = `${column} ${descending ? '<' : '>'} ${placeholders[i]}`;
      condition = condition ? `${beyond} OR (${column} = ${placeholders[i]} AND (${condition}))` : beyond;
    }
    return condition;
  }
}

const cache = new WeakMap<ListOrder, Keyset>();

/** The keyset of a list (built once per list). */
export function keysetOf(meta: EntityMetadata, order: ListOrder): Keyset {
  let keyset = cache.get(order);
  if (!keyset) {
    keyset = new Keyset(meta, order);
    cache.set(order, keyset);
  }
  return keyset;
}
