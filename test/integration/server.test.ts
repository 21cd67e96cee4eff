import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('server', () => {
  it('serves GraphiQL to browsers from local assets only (works offline)', async () => {
    const res = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('GraphiQL');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/')).toBe(true); // no CDN
      const asset = await fetch(new URL(source, app.url));
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('reports health and the detected database', async () => {
    const res = await fetch(new URL('/healthz', app.url));
    expect(await res.json()).toEqual({
      status: 'ok',
      database: app.db.mode,
      vectorStorage: app.db.vectorStorage,
      queue: app.config.queue.backend,
    });
    expect(['inline', 'postgres', 'redis']).toContain(app.config.queue.backend);
  });

  it('answers introspection so clients can generate code', async () => {
    const res = await app.gql(`{ __schema { queryType { name } mutationType { name } } }`);
    expect(res.data).toEqual({
      __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } },
    });
  });

  it('drains in-flight requests on stop', async () => {
    const other = await startTestApp();
    const received = new Promise((resolve) => other.server.httpServer.once('request', resolve));
    const inFlight = other.gql(`{ runs { totalCount } }`);
    await received; // the request is in the server's hands; now stop
    const closing = other.close();
    const res = await inFlight;
    await closing;
    expect(res.data).toEqual({ runs: { totalCount: 0 } });
    await expect(fetch(other.url, { method: 'POST' })).rejects.toThrow();
  });
});
