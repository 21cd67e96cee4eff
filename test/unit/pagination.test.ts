import { GraphQLError } from 'graphql';
import type { EntityMetadata } from 'typeorm';
import { GenerationRun } from '../../entities';
import { Keyset } from '../../src/read/keyset';
import { orderOf } from '../../src/read/list-order';
import { pageRequest } from '../../src/read/pagination';
import { toPgArrayLiteral } from '../../src/pipeline/bulk-writer';

/** Just enough of TypeORM's metadata for a list ordered by (created_at DESC, id DESC). */
function metadata(columns: Record<string, string>): EntityMetadata {
  return {
    name: 'GenerationRun',
    findColumnWithDatabaseName: (name: string) =>
      columns[name] ? ({ databaseName: name, type: columns[name], isNullable: false } as unknown) : undefined,
  } as EntityMetadata;
}

const runs = new Keyset(metadata({ created_at: 'timestamptz', id: 'uuid' }), orderOf(GenerationRun));
const row = { __k0: '2026-11-01T10:00:00.123456Z', __k1: '0b7c6d1e-4c55-4a53-9f0e-6f1d2a3b4c5d' };

describe('keyset cursors', () => {
  it('round-trip: a cursor gives back the sort values of its row', () => {
    expect(runs.decode(runs.cursorOf(row))).toEqual([row.__k0, row.__k1]);
    expect(runs.decode(null)).toBeNull();
  });

  it('compares in the order direction, the key breaking ties', () => {
    const params: unknown[] = [];
    const sql = runs.after([row.__k0, row.__k1], (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    expect(sql).toBe('created_at < $1::timestamptz OR (created_at = $1::timestamptz AND (id < $2::uuid))');
    expect(params).toEqual([row.__k0, row.__k1]);
  });

  it('defaults to the first page of 50', () => {
    expect(pageRequest(undefined, undefined)).toEqual({ first: 50, after: null });
  });

  const cursor = runs.cursorOf(row);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['empty', ''],
    ['garbage', 'garbage!'],
    ['an old offset cursor', Buffer.from('arrayconnection:3').toString('base64')],
    ['a truncated cursor', cursor.slice(0, -3)],
    ['an edited cursor', `${cursor}x`],
    ['another list', encode(['Product', row.__k0, row.__k1])],
    ['a wrong number of values', encode(['GenerationRun', row.__k0])],
    ['an impossible date', encode(['GenerationRun', '2026-02-30T10:00:00.000000Z', row.__k1])],
    ['a value that is not a uuid', encode(['GenerationRun', row.__k0, "x' OR 1=1 --"])],
  ])('rejects %s as BAD_USER_INPUT on `after`', (_name, after) => {
    try {
      runs.decode(after);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });

  it('refuses nullable or unknown sort columns up front', () => {
    expect(() => new Keyset(metadata({ created_at: 'timestamptz' }), orderOf(GenerationRun))).toThrow(/id/);
  });
});

describe('bulk writer array literals', () => {
  it('quotes elements so commas, quotes, braces and backslashes survive', () => {
    expect(toPgArrayLiteral(['a', 'b c', 'd,e', 'f"g', 'h\\i', '{j}'])).toBe(
      '{"a","b c","d,e","f\\"g","h\\\\i","{j}"}',
    );
    expect(toPgArrayLiteral([])).toBe('{}');
    expect(toPgArrayLiteral([null])).toBe('{NULL}');
  });
});
