import { ProductRole, Sentiment } from '../../entities/enums';
import { plannedRows } from '../../generators/ecommerce/orders';
import { pythonRound, surveySenseiFigures } from '../../src/survey-sensei/rules';
import { SCENARIOS } from '../../generators/ecommerce/scenarios';
import {
  CATEGORIES,
  categoryByName,
  detectType,
  GENERAL_CATEGORY,
} from '../../generators/ecommerce/categories';
import { buildWorld, DiscardSink, generateScenarioRows } from '../../src/pipeline/scenario/scenario-pipeline';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import { generateProducts, toCents } from '../../generators/ecommerce/products';
import { spreadCounts, sentimentOfStars } from '../../generators/ecommerce/sentiment';
import { generateUsers } from '../../generators/ecommerce/users';
import { US_CITIES } from '../../generators/ecommerce/us-places';
import { seededFaker } from '../../generators/random';
import { OfflineTextWriter, offlineReviewCopy } from '../../src/llm/offline-writer';
import { canonicalJson } from '../../src/canonical-json';

const RUN = '00000000-0000-4000-8000-000000000001';

describe('sentiment spread', () => {
  it.each([
    [100, { good: 60, neutral: 25, bad: 15 }, [60, 25, 15]],
    [7, { good: 60, neutral: 25, bad: 15 }, [4, 2, 1]],
    [3, { good: 34, neutral: 33, bad: 33 }, [1, 1, 1]],
    [10, { good: 100, neutral: 0, bad: 0 }, [10, 0, 0]],
    [0, { good: 60, neutral: 25, bad: 15 }, [0, 0, 0]],
  ])('%i reviews at %o → %o', (total, spread, expected) => {
    const counts = spreadCounts(total, spread);
    expect([counts.POSITIVE, counts.NEUTRAL, counts.NEGATIVE]).toEqual(expected);
  });

  it('reads sentiment from stars', () => {
    expect([1, 2, 3, 4, 5].map(sentimentOfStars)).toEqual([
      Sentiment.NEGATIVE,
      Sentiment.NEGATIVE,
      Sentiment.NEUTRAL,
      Sentiment.POSITIVE,
      Sentiment.POSITIVE,
    ]);
  });
});

describe('products', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`follow the rules (seed ${seed})`, () => {
      const generated = generateProducts(seededFaker(seed, 'products'), {
        runId: RUN,
        main: { title: 'Anker PowerCore USB-C Charger', price: '49.99' },
        similarCount: 10,
        diverseCount: 6,
      });
      const products = generated.map((p) => p.row);
      // Similar products are the main product's type (a charger's are chargers); every generated
      // product is priced in its type's band.
      expect(generated[0].noun).toBe('USB-C Charger');
      for (const g of generated.slice(1)) {
        if (g.row.role === ProductRole.SIMILAR) expect(g.noun).toBe('USB-C Charger');
        else expect(g.noun).not.toBe('USB-C Charger');
        const type = [...CATEGORIES, GENERAL_CATEGORY]
          .flatMap((c) => c.types)
          .find((t) => t.name === g.noun)!;
        if (g.row.role === ProductRole.DIVERSE) {
          expect(Number(g.row.price)).toBeGreaterThanOrEqual(type.price[0]);
          expect(Number(g.row.price)).toBeLessThanOrEqual(type.price[1]);
        }
      }
      const [main, ...rest] = products;
      expect(main).toMatchObject({
        role: ProductRole.MAIN,
        category: 'electronics',
        price: '49.99',
        isMock: false,
      });
      const similar = rest.filter((p) => p.role === ProductRole.SIMILAR);
      const diverse = rest.filter((p) => p.role === ProductRole.DIVERSE);
      expect(similar).toHaveLength(10);
      expect(diverse).toHaveLength(6);
      for (const p of similar) {
        const deviation = Math.abs(toCents(p.price) / toCents(main.price) - 1);
        expect(deviation).toBeGreaterThanOrEqual(0.2 - 0.0002);
        expect(deviation).toBeLessThanOrEqual(0.4 + 0.0002);
        expect(p.category).toBe('electronics');
        expect(p.starRating).toBeGreaterThanOrEqual(3);
        expect(p.starRating).toBeLessThanOrEqual(5);
        expect(p.numRatings).toBeGreaterThanOrEqual(50);
        expect(p.numRatings).toBeLessThanOrEqual(5000);
      }
      expect(similar.filter((p) => p.brand === main.brand).length).toBeGreaterThanOrEqual(4);
      const competitors = new Set(similar.map((p) => p.brand).filter((b) => b !== main.brand));
      expect(competitors.size).toBeGreaterThanOrEqual(2);
      expect(competitors.size).toBeLessThanOrEqual(3);
      for (const p of diverse) expect(p.category).not.toBe('electronics');
      const asins = products.map((p) => p.asin);
      expect(new Set(asins).size).toBe(asins.length);
      for (const p of products) {
        expect(p.asin).toMatch(/^B[0-9A-Z]{9}$/);
        expect(p.photos.length).toBeGreaterThanOrEqual(2);
        expect(p.photos.length).toBeLessThanOrEqual(5);
        expect(p.productUrl).toBe(`https://www.amazon.com/dp/${p.asin}`);
      }
    });
  }

  it('without a given price, the main product and its similar ones stay in their type’s band', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const generated = generateProducts(seededFaker(seed, 'products'), {
        runId: RUN,
        main: {},
        similarCount: 8,
        diverseCount: 2,
      });
      const type = CATEGORIES.flatMap((c) => c.types).find((t) => t.name === generated[0].noun)!;
      for (const g of generated.filter((p) => p.row.role !== ProductRole.DIVERSE)) {
        expect(g.noun).toBe(type.name);
        expect([seed, Number(g.row.price) >= type.price[0] && Number(g.row.price) <= type.price[1]]).toEqual([
          seed,
          true,
        ]);
      }
    }
  });

  it('a title names its type, in its category first', () => {
    expect(detectType('REI Half Dome Camping Tent', categoryByName('outdoors')).name).toBe('Camping Tent');
    expect(detectType('Logitech MX Master 3S Mouse', categoryByName('electronics')).name).toBe(
      'Wireless Mouse',
    );
    expect(detectType('Acme Widget', categoryByName('general'))).toMatchObject({
      name: 'Acme Widget',
      keywords: [],
    });
  });

  it('are the same for the same seed and differ for another', () => {
    const make = (seed: number) =>
      generateProducts(seededFaker(seed, 'products'), {
        runId: RUN,
        main: {},
        similarCount: 5,
        diverseCount: 2,
      }).map((p) => p.row);
    expect(make(9)).toEqual(make(9));
    expect(make(9)[0].id).not.toBe(make(10)[0].id);
  });
});

describe('users', () => {
  const users = generateUsers(
    seededFaker(3, 'users'),
    RUN,
    { email: 'olivia.smith@gmail.com', name: 'Olivia Smith' },
    400,
  );
  const mock = users.slice(1);

  it('keep the main user as given and make every email unique', () => {
    expect(users[0]).toMatchObject({
      isMainUser: true,
      email: 'olivia.smith@gmail.com',
      name: 'Olivia Smith',
    });
    const emails = users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const e of emails) expect(e).toMatch(/^[a-z0-9.]+@[a-z.]+$/);
  });

  it('spread ages 18–75 evenly over four generations, with a balanced gender split', () => {
    const bands = [0, 0, 0, 0];
    for (const u of mock) {
      expect(u.age).toBeGreaterThanOrEqual(18);
      expect(u.age).toBeLessThanOrEqual(75);
      bands[u.age <= 28 ? 0 : u.age <= 44 ? 1 : u.age <= 60 ? 2 : 3]++;
    }
    expect(bands).toEqual([100, 100, 100, 100]);
    expect(mock.filter((u) => u.gender === 'Female')).toHaveLength(200);
    expect(mock.filter((u) => u.gender === 'Male')).toHaveLength(200);
  });

  it('live in real city/state/ZIP combinations and have diverse names', () => {
    const places = new Set(US_CITIES.flatMap((c) => c.zips.map((zip) => `${c.city}, ${c.state} ${zip}`)));
    for (const u of mock) expect(places.has(`${u.location} ${u.zip}`)).toBe(true);
    expect(new Set(mock.map((u) => u.name.split(' ')[1])).size).toBeGreaterThan(40);
    expect(new Set(mock.map((u) => u.location)).size).toBeGreaterThan(30);
  });

  it('stay believable at 25,000 shoppers: distinct names, cities by population, several ZIPs each', () => {
    const crowd = generateUsers(seededFaker(8, 'users'), RUN, {}, 25_000).slice(1);
    const names = new Set(crowd.map((u) => u.name));
    expect(names.size / crowd.length).toBeGreaterThanOrEqual(0.95);
    const count = (location: string) => crowd.filter((u) => u.location === location).length;
    // New York has ~67 times Fargo's people (8.3 million vs 125,000).
    expect(count('New York, NY') / count('Fargo, ND')).toBeGreaterThan(20);
    expect(count('New York, NY') / crowd.length).toBeGreaterThan(0.08);
    const zips = new Set(crowd.filter((u) => u.location === 'Chicago, IL').map((u) => u.zip));
    expect(zips.size).toBeGreaterThanOrEqual(5);
  });
});

describe('offline review text', () => {
  const brief = (stars: number, key = 'k1') => ({
    key,
    productTitle: 'Acme Wireless Mouse M100',
    productName: 'Acme Wireless Mouse',
    productNoun: 'Wireless Mouse',
    category: 'electronics',
    stars,
    sentiment: sentimentOfStars(stars),
    returned: false,
  });

  it('is deterministic per item and varies between items', () => {
    expect(offlineReviewCopy(brief(5))).toEqual(offlineReviewCopy(brief(5)));
    const texts = new Set(Array.from({ length: 50 }, (_, i) => offlineReviewCopy(brief(4, `k${i}`)).text));
    expect(texts.size).toBeGreaterThan(30);
  });

  it('stays varied at 40,000 reviews of one product: ≥ 95 % distinct texts, many titles', () => {
    const stars = (i: number) => [5, 5, 5, 4, 4, 3, 2, 1, 5, 4][i % 10];
    const copies = Array.from({ length: 40_000 }, (_, i) =>
      offlineReviewCopy(brief(stars(i), `review-${i}`)),
    );
    expect(new Set(copies.map((c) => c.text)).size / copies.length).toBeGreaterThanOrEqual(0.95);
    expect(new Set(copies.map((c) => c.title)).size).toBeGreaterThan(60);
    for (const c of copies.slice(0, 500)) expect(c.text).not.toMatch(/\b(return(ed|ing)?|refund(ed)?)\b/i);
  });

  it('names the product, fits the stars and never uses lorem ipsum', () => {
    for (let i = 0; i < 40; i++) {
      const good = offlineReviewCopy(brief(5, `g${i}`));
      const bad = offlineReviewCopy(brief(1, `b${i}`));
      for (const copy of [good, bad]) {
        expect(copy.text).toMatch(/wireless mouse|Acme Wireless Mouse M100/);
        expect(`${copy.title} ${copy.text}`).not.toMatch(/lorem|ipsum/i);
      }
      expect(bad.text).not.toMatch(/Highly recommend|Five stars/);
      expect(good.text).not.toMatch(/Save your money|Avoid\./);
    }
  });
});

describe('canonical JSON', () => {
  it('is one text per value: key order does not matter, values and dates do', () => {
    expect(canonicalJson({ b: 1, a: [new Date(0), { d: null, c: 'x' }] })).toBe(
      '{"a":["1970-01-01T00:00:00.000Z",{"c":"x","d":null}],"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});

describe('the order plan', () => {
  it.each(SCENARIOS.map((s) => s.id))(
    '%s: the rows it announces (progress totals) are the rows generated',
    async (scenario) => {
      const request = resolveScenarioRequest(
        { scenario, seed: 7, asOf: new Date('2026-11-01T00:00:00Z'), embeddings: false } as never,
        new Date(),
      );
      const world = await buildWorld(
        new OfflineTextWriter(),
        request,
        '00000000-0000-4000-8000-000000000000',
      );
      const generated = await generateScenarioRows(
        new OfflineTextWriter(),
        request,
        '00000000-0000-4000-8000-000000000000',
        new DiscardSink(),
      );
      const { products, users, transactions, reviews } = generated.rowCounts;
      expect(world.expectedRows).toBe(products! + users! + transactions! + reviews!);
      expect(plannedRows(world.plan)).toEqual({ transactions, reviews });
    },
  );
});

describe('Survey Sensei’s rules', () => {
  it('round as Python’s round does (the exact binary value, halves to even)', () => {
    // Values Python 3 gives: round(2.675, 2) == 2.67, round(0.0625, 3) == 0.062, round(4.125, 2) == 4.12.
    const cases: [number, number, string][] = [
      [2.675, 2, '2.67'],
      [0.0625, 3, '0.062'],
      [0.125, 2, '0.12'],
      [0.375, 2, '0.38'],
      [4.125, 2, '4.12'],
      [2 / 3, 3, '0.667'],
      [0.7, 3, '0.700'],
      [0, 2, '0.00'],
      [5, 2, '5.00'],
    ];
    for (const [x, digits, python] of cases) expect([x, pythonRound(x, digits)]).toEqual([x, python]);
  });

  it('label users in the original order', () => {
    const label = (purchases: number, stars: number[]) => {
      const f = surveySenseiFigures({ purchases, stars });
      return `${f.sentimentTendency}/${f.engagementLevel}`;
    };
    expect(label(0, [])).toBe('neutral/new_user');
    expect(label(3, [])).toBe('neutral/passive_buyer');
    expect(label(5, [5, 5, 4, 5, 5])).toBe('positive/highly_engaged');
    expect(label(4, [1, 2])).toBe('critical/moderately_engaged');
    expect(label(6, [1, 5, 1, 5])).toBe('polarized/moderately_engaged');
    expect(label(10, [3, 4, 3])).toBe('balanced/passive_buyer');
    expect(label(2, [4, 3])).toBe('neutral/moderately_engaged');
    expect(surveySenseiFigures({ purchases: 16, stars: [5] })).toMatchObject({
      reviewEngagementRate: '0.062',
      avgReviewRating: '5.00',
    });
  });
});
