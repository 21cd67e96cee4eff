import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { nonEmpty } from '../helpers/non-empty';

/** generateScenarios and generateAllScenarios: many runs in one call, checked first, each on its own. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const RUN = `id status error scenarioId seed fingerprint`;
const BATCH = `mutation($inputs: [GenerateScenarioInput!]!) { generateScenarios(inputs: $inputs) { ${RUN} } }`;
const ALL = `mutation($input: GenerateAllScenariosInput!) { generateAllScenarios(input: $input) { ${RUN} } }`;

const runCount = async () =>
  (await app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs`))[0].n as number;

describe('batches of scenarios', () => {
  it('runs every input, answered in input order, each as a single call would make it', async () => {
    const inputs = [
      { scenario: 'C2', seed: 5, asOf: '2026-11-01' },
      { scenario: 'A3', seed: 6, asOf: '2026-11-01' },
      { scenario: 'B1', seed: 7, asOf: '2026-11-01' },
    ];
    const res = await app.gql(BATCH, { inputs });
    expectNoErrors(res);
    const runs = res.data!.generateScenarios;
    expect(runs.map((r: any) => [r.scenarioId, r.seed, r.status])).toEqual([
      ['C2', 5, 'SUCCEEDED'],
      ['A3', 6, 'SUCCEEDED'],
      ['B1', 7, 'SUCCEEDED'],
    ]);
    const single = await app.gql(
      `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) { ${RUN} } }`,
      {
        input: inputs[1],
      },
    );
    expectNoErrors(single);
    expect(single.data!.generateScenario.fingerprint).toBe(runs[1].fingerprint);
  });

  it.each([
    [
      'a field of one input',
      [{ scenario: 'A1' }, { scenario: 'B2', mainUser: { age: 200 } }],
      'inputs[1].mainUser.age',
    ],
    [
      'a scenario that contradicts its flags',
      [{ scenario: 'A1' }, { scenario: 'A2' }, { scenario: 'C1', productWarmth: 'WARM' }],
      'inputs[2]',
    ],
    ['an empty batch', [], 'inputs'],
    ['more than 100 inputs', Array.from({ length: 101 }, () => ({ scenario: 'A1' })), 'inputs'],
  ])('refuses %s before anything runs, naming it', async (_name, inputs, field) => {
    const before = await runCount();
    const res = await app.gql(BATCH, { inputs });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(String(res.errors![0].extensions!.field)).toMatch(
      new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}`),
    );
    expect(await runCount()).toBe(before);
  });

  it('one run failing leaves the others', async () => {
    // Refuses one shopper name only: the second input's run fails when it writes its users.
    await app.db.dataSource.query(
      `ALTER TABLE users ADD CONSTRAINT batch_test_refuses CHECK (name <> 'Refused Shopper') NOT VALID`,
    );
    try {
      const res = await app.gql(BATCH, {
        inputs: [
          { scenario: 'C3', seed: 1 },
          { scenario: 'C3', seed: 2, mainUser: { name: 'Refused Shopper' } },
          { scenario: 'C3', seed: 3 },
        ],
      });
      expectNoErrors(res);
      const runs = res.data!.generateScenarios;
      expect(runs.map((r: any) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
      expect(runs[1].error).toMatch(/batch_test_refuses/);
      const [{ n }] = await app.db.dataSource.query(
        `SELECT count(*)::int AS n FROM users WHERE run_id = $1`,
        [runs[1].id],
      );
      expect(n).toBe(0);
    } finally {
      await app.db.dataSource.query(`ALTER TABLE users DROP CONSTRAINT batch_test_refuses`);
    }
  });

  it('generateAllScenarios: the 12 scenarios in order, for one main user and product', async () => {
    const res = await app.gql(ALL, {
      input: {
        seed: 77,
        asOf: '2026-11-01',
        embeddings: false,
        mainUser: { name: 'Dana Evaluator' },
        mainProduct: { title: 'Evaluation Kettle 1.7 L', price: '39.99' },
      },
    });
    expectNoErrors(res);
    const runs = res.data!.generateAllScenarios;
    expect(runs.map((r: any) => r.scenarioId)).toEqual([
      'A1',
      'A2',
      'A3',
      'A4',
      'B1',
      'B2',
      'B3',
      'B4',
      'C1',
      'C2',
      'C3',
      'C4',
    ]);
    expect(nonEmpty(runs).every((r: any) => r.status === 'SUCCEEDED' && r.seed === 77)).toBe(true);
    const mains = await app.db.dataSource.query(
      `SELECT DISTINCT u.name, p.title FROM users u JOIN products p ON p.run_id = u.run_id
        WHERE u.run_id = ANY($1) AND u.is_main_user AND p.role = 'MAIN'`,
      [runs.map((r: any) => r.id)],
    );
    expect(mains).toEqual([{ name: 'Dana Evaluator', title: 'Evaluation Kettle 1.7 L' }]);

    const bad = await app.gql(ALL, { input: { mainUser: { age: 0 } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.mainUser.age',
    });
  });
});
