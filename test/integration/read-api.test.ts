import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { fixtureId, seedFixture, SMALL, type Fixture } from '../helpers/fixture';
import { nonEmpty } from '../helpers/non-empty';

let app: TestApp;
let fx: Fixture;

beforeAll(async () => {
  app = await startTestApp();
  fx = await seedFixture(app.db);
  // A second copy with the same row ids in other runs: ids repeat, runs keep them apart.
  await seedFixture(app.db, SMALL, 1);
});
afterAll(() => app?.close());
afterEach(() => expect(app.maskedErrors).toEqual([]));

describe('lists', () => {
  it('lists products of a run with filters, main product first', async () => {
    const res = await app.gql(
      `query($runId: ID!) {
        all: products(filter: { runId: $runId }) { totalCount nodes { id role asin price starRating photos isMock } }
        electronics: products(filter: { runId: $runId, category: ELECTRONICS }) { totalCount nodes { category } }
        similar: products(filter: { runId: $runId, role: SIMILAR }) { totalCount }
      }`,
      { runId: fx.scenarioRunId },
    );
    expectNoErrors(res);
    const all = res.data!.all;
    expect(all.totalCount).toBe(SMALL.products);
    expect(all.nodes[0]).toMatchObject({ role: 'MAIN', isMock: false, price: '10.99', starRating: 4.5 });
    expect(all.nodes[0].photos).toHaveLength(2);
    expect(nonEmpty(res.data!.electronics.nodes).every((p: any) => p.category === 'ELECTRONICS')).toBe(true);
    expect(res.data!.electronics.totalCount).toBe(2);
    expect(res.data!.similar.totalCount).toBe(SMALL.products - 1);
  });

  it('without a run filter, lists rows of every run', async () => {
    const res = await app.gql(`{ products { totalCount } runs { totalCount nodes { kind } } }`);
    expectNoErrors(res);
    expect(res.data!.products.totalCount).toBe(2 * SMALL.products);
    expect(res.data!.runs.totalCount).toBe(4);
  });

  it('walks every page with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await app.gql(
        `query($after: String, $runId: ID!) {
          reviews(first: 4, after: $after, filter: { runId: $runId }) {
            totalCount nodes { id reviewedAt } pageInfo { endCursor hasNextPage }
          }
        }`,
        { after, runId: fx.scenarioRunId },
      );
      expectNoErrors(res);
      const { nodes, pageInfo, totalCount } = res.data.reviews;
      expect(totalCount).toBe(SMALL.products * SMALL.reviewsPerProduct);
      seen.push(...nodes.map((n: any) => n.id));
      pages++;
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toHaveLength(SMALL.products * SMALL.reviewsPerProduct);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 4));
  });

  it('filters every list by its natural fields', async () => {
    const res = await app.gql(
      `query($s: ID!, $d: ID!, $agent: ID!, $member: ID!) {
        users(filter: { runId: $s, isMainUser: true }) { totalCount nodes { isMainUser } }
        returned: transactions(filter: { runId: $s, status: RETURNED }) { totalCount nodes { status returnDate } }
        dated: transactions(filter: { runId: $s, from: "2026-09-01T00:00:00Z", to: "2026-09-20T00:00:00Z" }) { nodes { orderDate } }
        fiveStars: reviews(filter: { runId: $s, stars: 5 }) { nodes { stars } }
        atLeastFour: reviews(filter: { runId: $s, minStars: 4 }) { nodes { stars } }
        reviewedLate: reviews(filter: { runId: $s, from: "2026-10-02T00:00:00Z", to: "2026-10-06T00:00:00Z" }) { nodes { reviewedAt } }
        agents(filter: { runId: $d, status: ERROR }) { totalCount nodes { status } }
        mini: agents(filter: { runId: $d, model: "gpt-4o-mini" }) { nodes { model } }
        conversations(filter: { agentId: $agent, sentiment: POSITIVE }) { nodes { sentiment agentId } }
        dailyMetrics(filter: { runId: $d, agentId: $agent, from: "2026-10-30", to: "2026-10-31" }) { nodes { date } }
        costRecords(filter: { runId: $d, from: "2026-10-31", to: "2026-10-31" }) { totalCount nodes { date totalCost } }
        auditLogs(filter: { runId: $d, action: AGENT_CREATED, memberId: $member }) { nodes { action targetType } }
        members(filter: { runId: $d, role: VIEWER }) { nodes { role } }
      }`,
      { s: fx.scenarioRunId, d: fx.dashboardRunId, agent: fixtureId(6, 1), member: fixtureId(5, 0) },
    );
    expectNoErrors(res);
    const d = res.data!;
    expect(d.users).toMatchObject({ totalCount: 1, nodes: [{ isMainUser: true }] });
    expect(d.returned.totalCount).toBeGreaterThan(0);
    expect(nonEmpty(d.returned.nodes).every((t: any) => t.status === 'RETURNED' && t.returnDate)).toBe(true);
    for (const t of d.dated.nodes) {
      expect(t.orderDate >= '2026-09-01T00:00:00.000Z' && t.orderDate < '2026-09-20T00:00:00.000Z').toBe(
        true,
      );
    }
    expect(d.dated.nodes.length).toBeGreaterThan(0);
    expect(nonEmpty(d.fiveStars.nodes).every((r: any) => r.stars === 5)).toBe(true);
    expect(nonEmpty(d.atLeastFour.nodes).every((r: any) => r.stars >= 4)).toBe(true);
    // Reviews n are dated 24 + n days before 2026-11-01: n = 3…6 fall in [Oct 2, Oct 6).
    expect(d.reviewedLate.nodes.map((r: any) => r.reviewedAt).sort()).toEqual([
      '2026-10-02T00:00:00.000Z',
      '2026-10-03T00:00:00.000Z',
      '2026-10-04T00:00:00.000Z',
      '2026-10-05T00:00:00.000Z',
    ]);
    expect(d.agents).toMatchObject({ totalCount: 1, nodes: [{ status: 'ERROR' }] });
    expect(nonEmpty(d.mini.nodes).every((a: any) => a.model === 'gpt-4o-mini')).toBe(true);
    expect(
      nonEmpty(d.conversations.nodes).every(
        (c: any) => c.sentiment === 'POSITIVE' && c.agentId === fixtureId(6, 1),
      ),
    ).toBe(true);
    expect(d.dailyMetrics.nodes.map((m: any) => m.date)).toEqual(['2026-10-30', '2026-10-31']);
    expect(d.costRecords.totalCount).toBe(SMALL.agents);
    expect(d.costRecords.nodes[0].totalCost).toBe('0.010500');
    expect(d.auditLogs.nodes).toEqual([{ action: 'AGENT_CREATED', targetType: 'agent' }]);
    expect(d.members.nodes).toEqual([{ role: 'VIEWER' }]);
  });
});

describe('by id', () => {
  it('finds each kind of row by run and id', async () => {
    const res = await app.gql(
      `query($s: ID!, $d: ID!, $p: ID!, $u: ID!, $t: ID!, $r: ID!, $m: ID!, $a: ID!, $c: ID!, $dm: ID!, $cr: ID!, $al: ID!) {
        run(id: $s) { id kind scenarioId rowCounts { products } }
        product(runId: $s, id: $p) { id runId }
        user(runId: $s, id: $u) { id }
        transaction(runId: $s, id: $t) { id }
        review(runId: $s, id: $r) { id }
        member(runId: $d, id: $m) { id }
        agent(runId: $d, id: $a) { id config { temperature maxTokens systemPrompt } }
        conversation(runId: $d, id: $c) { id }
        dailyMetric(runId: $d, id: $dm) { id successRate }
        costRecord(runId: $d, id: $cr) { id }
        auditLog(runId: $d, id: $al) { id metadata }
      }`,
      {
        s: fx.scenarioRunId,
        d: fx.dashboardRunId,
        p: fixtureId(1, 2),
        u: fixtureId(2, 1),
        t: fixtureId(3, 1),
        r: fixtureId(4, 1),
        m: fixtureId(5, 1),
        a: fixtureId(6, 1),
        c: fixtureId(7, 1),
        dm: fixtureId(8, 1),
        cr: fixtureId(9, 1),
        al: fixtureId(10, 1),
      },
    );
    expectNoErrors(res);
    const d = res.data!;
    expect(d.run).toMatchObject({
      id: fx.scenarioRunId,
      kind: 'SCENARIO',
      scenarioId: 'A1',
      rowCounts: { products: 0 },
    });
    expect(d.product).toEqual({ id: fixtureId(1, 2), runId: fx.scenarioRunId });
    expect(d.agent.config).toEqual({ temperature: 0.7, maxTokens: 2048, systemPrompt: 'You are helpful.' });
    expect(d.dailyMetric.successRate).toBe(0.95);
    expect(d.auditLog.metadata).toEqual({ ip: '10.0.0.1' });
    for (const key of ['user', 'transaction', 'review', 'member', 'conversation', 'costRecord']) {
      expect(d[key]).not.toBeNull();
    }
  });

  it('accepts ids in upper case', async () => {
    const res = await app.gql(`query($s: ID!, $p: ID!) { product(runId: $s, id: $p) { id } }`, {
      s: fx.scenarioRunId.toUpperCase(),
      p: fixtureId(1, 2).toUpperCase(),
    });
    expectNoErrors(res);
    expect(res.data!.product.id).toBe(fixtureId(1, 2));
  });
});

describe('relationships', () => {
  it('resolves every e-commerce relationship', async () => {
    const res = await app.gql(
      `query($s: ID!) {
        run(id: $s) {
          products(first: 2) { totalCount nodes { id run { id } reviews(first: 2) { totalCount nodes { id product { id } user { id } transaction { id review { id } } } }
            transactions { totalCount nodes { product { id } user { id } } } } }
          users { nodes { id transactions { totalCount } reviews { totalCount nodes { user { id } } } run { id } } }
          transactions(first: 1) { nodes { run { id } } }
          reviews(first: 1) { nodes { run { id } } }
        }
      }`,
      { s: fx.scenarioRunId },
    );
    expectNoErrors(res);
    const run = res.data!.run;
    expect(run.products.totalCount).toBe(SMALL.products);
    for (const product of run.products.nodes) {
      expect(product.run.id).toBe(fx.scenarioRunId);
      expect(product.reviews.totalCount).toBe(SMALL.reviewsPerProduct);
      expect(product.reviews.nodes).toHaveLength(2);
      for (const review of product.reviews.nodes) {
        expect(review.product.id).toBe(product.id);
        expect(review.transaction.review.id).toBe(review.id);
      }
      expect(product.transactions.totalCount).toBe(SMALL.reviewsPerProduct);
      expect(nonEmpty(product.transactions.nodes).every((t: any) => t.product.id === product.id)).toBe(true);
    }
    const totalUserReviews = run.users.nodes.reduce((sum: number, u: any) => sum + u.reviews.totalCount, 0);
    expect(totalUserReviews).toBe(SMALL.products * SMALL.reviewsPerProduct);
    for (const user of run.users.nodes) {
      expect(nonEmpty(user.reviews.nodes).every((r: any) => r.user.id === user.id)).toBe(true);
      expect(user.run.id).toBe(fx.scenarioRunId);
    }
    expect(run.transactions.nodes[0].run.id).toBe(fx.scenarioRunId);
  });

  it('resolves every dashboard relationship', async () => {
    const res = await app.gql(
      `query($d: ID!) {
        run(id: $d) {
          members { nodes { id role agents { totalCount nodes { createdBy { id } } } auditLogs { nodes { member { id } } } } }
          agents { nodes { id createdBy { id } run { id }
            conversations(first: 2) { totalCount nodes { agent { id } } }
            dailyMetrics { totalCount nodes { agent { id } } }
            costRecords { totalCount nodes { agent { id } pricedRun { id } } } } }
          conversations { totalCount } dailyMetrics { totalCount } costRecords { totalCount } auditLogs { totalCount }
        }
      }`,
      { d: fx.dashboardRunId },
    );
    expectNoErrors(res);
    const run = res.data!.run;
    // (a viewer creates no agent: each member's list may be empty, the totals below are not)
    for (const member of run.members.nodes) {
      expect(member.agents.nodes.every((a: any) => a.createdBy.id === member.id)).toBe(true);
      expect(member.auditLogs.nodes.every((l: any) => l.member.id === member.id)).toBe(true);
    }
    expect(run.members.nodes.flatMap((m: any) => m.auditLogs.nodes).length).toBeGreaterThan(0);
    const created = run.members.nodes.reduce((sum: number, m: any) => sum + m.agents.totalCount, 0);
    expect(created).toBe(SMALL.agents);
    for (const agent of run.agents.nodes) {
      expect(agent.conversations.totalCount).toBe(SMALL.conversationsPerAgent);
      expect(agent.conversations.nodes).toHaveLength(2);
      expect(nonEmpty(agent.conversations.nodes).every((c: any) => c.agent.id === agent.id)).toBe(true);
      expect(agent.dailyMetrics.totalCount).toBe(SMALL.days);
      expect(
        nonEmpty(agent.costRecords.nodes).every((c: any) => c.agent.id === agent.id && c.pricedRun === null),
      ).toBe(true);
    }
    expect(run.conversations.totalCount).toBe(SMALL.agents * SMALL.conversationsPerAgent);
    expect(run.dailyMetrics.totalCount).toBe(SMALL.agents * SMALL.days);
    expect(run.auditLogs.totalCount).toBe(3);
  });

  it('pages nested lists with their own cursors', async () => {
    const first = await app.gql(
      `query($s: ID!, $p: ID!) { product(runId: $s, id: $p) { reviews(first: 2) { nodes { id } pageInfo { endCursor hasNextPage } } } }`,
      { s: fx.scenarioRunId, p: fixtureId(1, 0) },
    );
    expectNoErrors(first);
    const page1 = first.data!.product.reviews;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await app.gql(
      `query($s: ID!, $p: ID!, $after: String) { product(runId: $s, id: $p) { reviews(first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage } } } }`,
      { s: fx.scenarioRunId, p: fixtureId(1, 0), after: page1.pageInfo.endCursor },
    );
    expectNoErrors(second);
    const page2 = second.data!.product.reviews;
    expect(page2.nodes).toHaveLength(SMALL.reviewsPerProduct - 2);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page2.totalCount).toBe(SMALL.reviewsPerProduct);
    expect(page2.nodes.map((n: any) => n.id)).not.toContain(page1.nodes[0].id);
  });

  it('reports the total of a nested list even past its last page', async () => {
    // Reviews are newest first: a position dated 2000 is past every review.
    const after = Buffer.from(
      JSON.stringify(['Review', '2000-01-01T00:00:00.000000Z', fx.scenarioRunId, fixtureId(9, 9)]),
    ).toString('base64url');
    const res = await app.gql(
      `query($s: ID!, $after: String) { run(id: $s) { products(first: 2) { nodes { reviews(first: 1, after: $after) { totalCount nodes { id } pageInfo { hasNextPage } } } } } }`,
      { s: fx.scenarioRunId, after },
    );
    expectNoErrors(res);
    for (const p of res.data!.run.products.nodes) {
      expect(p.reviews).toEqual({
        totalCount: SMALL.reviewsPerProduct,
        nodes: [],
        pageInfo: { hasNextPage: false },
      });
    }
  });
});

describe('keyset cursors', () => {
  const LISTS = [
    'runs',
    'products',
    'users',
    'transactions',
    'reviews',
    'members',
    'agents',
    'conversations',
    'dailyMetrics',
    'costRecords',
    'auditLogs',
  ];

  it.each(LISTS)('%s: small pages walk exactly the rows of one big page, in order', async (list) => {
    const all = await app.gql(`{ ${list}(first: 500) { nodes { id } } }`);
    expectNoErrors(all);
    const expected = all.data![list].nodes.map((n: any) => n.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const res: any = await app.gql(
        `query($after: String) { ${list}(first: 3, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
        { after },
      );
      expectNoErrors(res);
      seen.push(...res.data[list].nodes.map((n: any) => n.id));
      if (!res.data[list].pageInfo.hasNextPage) break;
      after = res.data[list].pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('runs inserted or deleted between two pages never make a page repeat or skip a run', async () => {
    // Fixture runs share one creation time; these are created later, one after the other.
    const created = async (offset: number, at: string) => {
      const f = await seedFixture(app.db, SMALL, offset);
      await app.db.dataSource.query(`UPDATE generation_runs SET created_at = $3 WHERE id IN ($1, $2)`, [
        f.scenarioRunId,
        f.dashboardRunId,
        at,
      ]);
      return [f.scenarioRunId, f.dashboardRunId];
    };
    const ours = [
      ...(await created(5, '2030-01-01T00:00:00Z')),
      ...(await created(6, '2030-01-02T00:00:00Z')),
    ];
    const page = (after: string | null) =>
      app.gql(
        `query($after: String) { runs(first: 1, after: $after) { nodes { id } pageInfo { endCursor } } }`,
        {
          after,
        },
      );
    const before = (await app.gql(`{ runs(first: 4) { nodes { id } } }`)).data!.runs.nodes.map(
      (n: any) => n.id,
    );
    expect(new Set(before)).toEqual(new Set(ours));

    const first = await page(null);
    expect(first.data!.runs.nodes[0].id).toBe(before[0]);
    // A newer run arrives: with offsets, the next page would repeat the first run.
    const newer = await created(7, '2031-01-01T00:00:00Z');
    const second = await page(first.data!.runs.pageInfo.endCursor);
    expect(second.data!.runs.nodes[0].id).toBe(before[1]);
    // The run just shown is deleted: with offsets, the next page would skip one.
    await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { id } }`, { id: before[1] });
    const third = await page(second.data!.runs.pageInfo.endCursor);
    expect(third.data!.runs.nodes[0].id).toBe(before[2]);

    for (const id of [...ours, ...newer])
      await app.db.dataSource.query(`DELETE FROM generation_runs WHERE id = $1`, [id]);
  });

  it('a cursor from another list, or a tampered one, is BAD_USER_INPUT on after', async () => {
    const products = await app.gql(`{ products(first: 1) { pageInfo { endCursor } } }`);
    const cursor = products.data!.products.pageInfo.endCursor;
    const wrongList = await app.gql(`query($a: String) { reviews(after: $a) { nodes { id } } }`, {
      a: cursor,
    });
    expect(wrongList.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const tampered = `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`;
    const res = await app.gql(`query($a: String) { products(after: $a) { nodes { id } } }`, { a: tampered });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('deleteRun', () => {
  it('removes a run and all its rows, leaving other runs alone', async () => {
    const copy = await seedFixture(app.db, SMALL, 2);
    const before = await app.gql(`{ products { totalCount } conversations { totalCount } }`);
    const res = await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { id kind } }`, {
      id: copy.scenarioRunId,
    });
    expectNoErrors(res);
    expect(res.data!.deleteRun).toEqual({ id: copy.scenarioRunId, kind: 'SCENARIO' });
    const res2 = await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { id } }`, {
      id: copy.dashboardRunId,
    });
    expectNoErrors(res2);
    const after = await app.gql(`{ products { totalCount } conversations { totalCount } }`);
    expect(after.data!.products.totalCount).toBe(before.data!.products.totalCount - SMALL.products);
    expect(after.data!.conversations.totalCount).toBe(
      before.data!.conversations.totalCount - SMALL.agents * SMALL.conversationsPerAgent,
    );
    for (const table of [
      'products',
      'users',
      'transactions',
      'reviews',
      'members',
      'agents',
      'conversations',
      'daily_metrics',
      'cost_records',
      'audit_logs',
    ]) {
      const [{ n }] = await app.db.dataSource.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE run_id IN ($1, $2)`,
        [copy.scenarioRunId, copy.dashboardRunId],
      );
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    const gone = await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { id } }`, {
      id: copy.scenarioRunId,
    });
    expect(gone.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
