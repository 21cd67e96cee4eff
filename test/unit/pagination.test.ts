import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, pageRequest } from '../../src/pagination';
import { toPgArrayLiteral } from '../../src/pipeline/bulk-writer';

describe('cursors', () => {
  it('round-trip: the cursor of row i resumes at row i + 1', () => {
    for (const i of [0, 1, 49, 12345]) expect(decodeCursor(encodeCursor(i))).toBe(i + 1);
  });

  it('defaults to the first page of 50', () => {
    expect(pageRequest(undefined, undefined)).toEqual({ first: 50, offset: 0 });
  });

  it.each([
    '',
    'garbage',
    Buffer.from('arrayconnection:-4').toString('base64'),
    Buffer.from('other:3').toString('base64'),
    `${encodeCursor(3)}x`,
  ])('rejects %p as BAD_USER_INPUT on `after`', (cursor) => {
    try {
      decodeCursor(cursor);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
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
