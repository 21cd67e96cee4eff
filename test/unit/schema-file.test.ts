import fs from 'node:fs';
import { printAppSchema, schemaFile } from '../../src/app/schema';

describe('schema.graphql', () => {
  it('is up to date with the resolvers (run `npm run schema` after changing them)', async () => {
    const committed = fs.readFileSync(schemaFile(), 'utf8');
    expect(committed).toBe(await printAppSchema());
  });

  it('exposes every list, by-id and relationship field of the read API', async () => {
    const sdl = await printAppSchema();
    for (const field of [
      'runs(',
      'run(id: ID!)',
      'products(',
      'product(',
      'users(',
      'user(',
      'transactions(',
      'transaction(',
      'reviews(',
      'review(',
      'members(',
      'member(',
      'agents(',
      'agent(',
      'conversations(',
      'conversation(',
      'dailyMetrics(',
      'dailyMetric(',
      'costRecords(',
      'costRecord(',
      'auditLogs(',
      'auditLog(',
      'deleteRun(id: ID!)',
    ]) {
      expect(sdl).toContain(`  ${field}`);
    }
  });
});
