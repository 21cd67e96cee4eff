import { Sentiment } from '../../entities/enums';
import { categoryByName } from '../../generators/ecommerce/categories';
import { keyedRandom, pick } from '../../generators/random';
import { OFFLINE_EMBEDDING_MODEL, offlineVector } from './offline-vectors';
import type {
  PersonaBrief,
  PersonaCopy,
  ProductBrief,
  ProductCopy,
  ReviewBrief,
  ReviewCopy,
  TextWriter,
  WriterReport,
  EmbeddingItem,
} from './text-writer';

/**
 * Deterministic template text: every choice comes from a PRNG keyed by the item (its ASIN or
 * review id), so the same item always gets the same words, whatever batch it arrives in, and
 * offline runs are reproducible without any model. No lorem ipsum: every text names the product
 * and matches its stars.
 */

const TITLE_FLOURISHES = [
  '',
  ' – Everyday Edition',
  ' (2-Pack)',
  ' – Compact Design',
  ' with Carrying Case',
  ' – Upgraded Version',
  ', Premium Series',
  ' – Travel Friendly',
];

const DESCRIPTION_OPENERS = [
  'The {brand} {noun} {model} is built for everyday use.',
  'Meet the {noun} {model} from {brand}: simple, reliable and ready out of the box.',
  '{brand} designed the {model} {noun} for people who want quality without fuss.',
  'A dependable {noun} from {brand}, the {model} balances performance and price.',
];

const DESCRIPTION_MIDDLES = [
  'Customers point to its {aspect} and {aspect2}.',
  'It stands out for {aspect}, with careful attention to {aspect2}.',
  'Expect solid {aspect} and {aspect2} at this price point.',
  'Every detail, from {aspect} to {aspect2}, was tested for daily use.',
];

const DESCRIPTION_CLOSERS = [
  'Backed by a one-year limited warranty.',
  'Ships in recyclable packaging.',
  'A great pick for home, work or gifting.',
  'Easy to set up and easy to love.',
];

const REVIEW_TITLES: Record<number, string[]> = {
  5: [
    'Exactly what I needed',
    'Love it',
    'Five stars, no question',
    'Exceeded my expectations',
    'Best {noun} I have owned',
    'Worth every penny',
    'Love the {aspect}',
    'Great {aspect}, great {noun}',
    'This {noun} is a winner',
    'So glad I bought this',
    'Perfect {noun}',
    'Outstanding {aspect}',
    'Could not be happier',
    'A keeper',
  ],
  4: [
    'Really good {noun}',
    'Very happy with it',
    'Solid choice',
    'Great value',
    'Almost perfect',
    'Does the job well',
    'Good {aspect}, minor quibbles',
    'Nice {noun} overall',
    'Pleasantly surprised',
    'Happy with the {aspect}',
    'Would recommend',
    'Nearly five stars',
  ],
  3: [
    'It’s okay',
    'Decent but not great',
    'Mixed feelings',
    'Average {noun}',
    'Fine for the price',
    'Some good, some bad',
    'The {aspect} could be better',
    'Middle of the road',
    'Does the basics',
    'Not bad, not great',
    'Okay {noun}',
    'Works, with compromises',
  ],
  2: [
    'Disappointed',
    'Not what I hoped',
    'Expected better',
    'Mediocre {noun}',
    'Has issues',
    'Would not buy again',
    'Weak {aspect}',
    'Underwhelming {noun}',
    'Below my expectations',
    'The {aspect} let me down',
    'Not worth the price',
    'Meh',
  ],
  1: [
    'Do not buy',
    'Broke quickly',
    'Waste of money',
    'Terrible {noun}',
    'Very disappointed',
    'Regret this one',
    'Awful {aspect}',
    'Stay away',
    'Worst {noun} I have tried',
    'Complete letdown',
    'Poor quality',
    'Not fit for purpose',
  ],
};

/** Titles of reviews of a returned item (they lean low: never above three stars). */
const RETURN_TITLES: Record<number, string[]> = {
  1: ['Returned it', 'Sent it back', 'Returned for a refund', 'Back it went', 'Returned within a week'],
  2: ['Had to return it', 'Returned, sadly', 'Not a keeper: returned', 'Returned it for a refund'],
  3: [
    'Returned it in the end',
    'Okay, but I returned it',
    'Fine, still returned it',
    'Returned it, no hard feelings',
  ],
};

const OPENERS: Record<Sentiment, string[]> = {
  [Sentiment.POSITIVE]: [
    'I have been using this {noun} for a while now and it has been great.',
    'Bought the {product} after reading the reviews and I am glad I did.',
    'This {noun} replaced an older one and it is a clear upgrade.',
    'I was skeptical at first, but the {product} won me over.',
    'Picked this {noun} up as a treat for myself and I use it all the time.',
    'The {product} is one of the better purchases I have made this year.',
    'Really pleased with this {noun}.',
    'I did a lot of comparing before choosing the {product}, and it was the right call.',
    'This {noun} does everything I wanted it to.',
    'Honestly, the {product} is better than the pricier ones I looked at.',
    'My expectations for this {noun} were high and it met them.',
    'Very satisfied with the {product}.',
  ],
  [Sentiment.NEUTRAL]: [
    'The {product} is fine, though nothing special.',
    'I have mixed feelings about this {noun}.',
    'After some time with the {noun}, my verdict is: it works.',
    'This {noun} does what it says, mostly.',
    'I wanted to like the {product} more than I do.',
    'The {product} is an average {noun} at a fair price.',
    'Nothing wrong with this {noun}, nothing remarkable either.',
    'The {noun} is usable, with a few caveats.',
    'I am on the fence about the {product}.',
    'It is a decent {noun}, if a little plain.',
    'The {product} is about what I expected for the money.',
    'Some things about this {noun} I like, some I do not.',
  ],
  [Sentiment.NEGATIVE]: [
    'Unfortunately the {product} did not live up to the description.',
    'I regret buying this {noun}.',
    'The {noun} looked promising but the problems started right away.',
    'I had high hopes for the {product}, but it let me down.',
    'Not impressed with this {noun} at all.',
    'The {product} was a disappointment from day one.',
    'I would not pick this {noun} again.',
    'Sadly the {product} is not a good {noun}.',
    'This {noun} fell short in almost every way.',
    'I expected a lot more from the {product}.',
    'The {noun} is worse than the cheap one it was meant to replace.',
    'Frustrating {noun}, honestly.',
  ],
};

/** Sentences about how the buyer came to it and uses it: any sentiment, stars or product. */
const USES = [
  'on weekends',
  'almost every day',
  'for work',
  'around the house',
  'on trips',
  'most evenings',
  'a few times a week',
  'with my kids',
  'at the office',
  'outdoors',
  'in a small apartment',
  'for a side project',
  'in the mornings',
  'with my partner',
];
const REASONS = [
  'to replace one that wore out',
  'as a gift to myself',
  'after a friend recommended it',
  'when it was on sale',
  'after moving to a new place',
  'for a new hobby',
  'to upgrade from a cheaper one',
  'because my old {noun} stopped working',
  'after a long search',
  'on a whim',
  'for a family member who needed one',
  'to have a spare',
];
const DURATIONS = [
  'about a week',
  'two weeks',
  'a month',
  'a couple of months',
  'three weeks',
  'a few days',
  'six weeks',
  'most of a season',
  'ten days',
  'a little over a month',
];
const CONTEXTS = [
  'I mostly use it {use}.',
  'I bought it {reason}.',
  'I have had it for {duration}.',
  'I bought it {reason} and use it {use}.',
  'I have had it for {duration} and use it {use}.',
  'I bought it {reason}; that was {duration} ago.',
  'After {duration} of using it {use}, here is my take.',
];

const ASPECT_LINES: Record<Sentiment, string[]> = {
  [Sentiment.POSITIVE]: [
    'The {aspect} is excellent and the {aspect2} is better than I expected.',
    'What stands out is the {aspect}; the {aspect2} is great too.',
    'I am impressed by the {aspect}, and the {aspect2} holds up well.',
    'Great {aspect}, and no complaints about the {aspect2}.',
    'The {aspect} is the best part, with the {aspect2} a close second.',
    'Both the {aspect} and the {aspect2} are spot on.',
  ],
  [Sentiment.NEUTRAL]: [
    'The {aspect} is good, but the {aspect2} could be better.',
    'The {aspect} is average and the {aspect2} is just okay.',
    'I like the {aspect}; the {aspect2}, less so.',
    'Nothing wrong with the {aspect}, though the {aspect2} feels cheap.',
    'The {aspect} is fine; the {aspect2} is hit or miss.',
    'Decent {aspect}, so-so {aspect2}.',
  ],
  [Sentiment.NEGATIVE]: [
    'The {aspect} is poor and the {aspect2} is even worse.',
    'Problems with the {aspect} showed up within days, and the {aspect2} is disappointing.',
    'The {aspect} is nowhere near what was advertised.',
    'Bad {aspect}, and the {aspect2} did not help.',
    'The {aspect} is a real weak point, and the {aspect2} is not much better.',
    'I had trouble with the {aspect} almost immediately.',
  ],
};

/** An optional detail, by sentiment (an empty string leaves it out). */
const DETAILS: Record<Sentiment, string[]> = {
  [Sentiment.POSITIVE]: [
    '',
    'Setup took only a few minutes.',
    'It feels sturdy and well made.',
    'Cleaning it is easy.',
    'The instructions were clear.',
    'It arrived well packed.',
    'It looks even better in person.',
    'Everyone who has tried it likes it.',
  ],
  [Sentiment.NEUTRAL]: [
    '',
    'Setup took longer than it should have.',
    'It feels a bit lighter than I expected.',
    'The instructions could be clearer.',
    'It looks a little different from the photos.',
    'It is fine for occasional use.',
    'A slightly better finish would help.',
    'It takes some getting used to.',
  ],
  [Sentiment.NEGATIVE]: [
    '',
    'Setup was a hassle.',
    'It feels flimsy.',
    'The instructions were useless.',
    'It looks cheaper than in the photos.',
    'It started acting up almost at once.',
    'Customer support was no help.',
    'It is not built to last.',
  ],
};

const CLOSERS: Record<number, string[]> = {
  5: [
    'Highly recommend it.',
    'Would buy again in a heartbeat.',
    'Five stars from me.',
    'I already ordered a second one.',
    'Cannot fault it.',
    'Easily worth it.',
  ],
  4: [
    'Recommended, with a small reservation.',
    'Good value overall.',
    'I would buy it again.',
    'Happy with the purchase.',
    'Four stars, close to five.',
    'A good pick.',
  ],
  3: [
    'It is fine if you find it on sale.',
    'Okay for the price, nothing more.',
    'Three stars feels fair.',
    'Might work for you, depending on your needs.',
    'Average, all in all.',
    'Neither great nor bad.',
  ],
  2: [
    'I cannot really recommend it.',
    'Look at other options first.',
    'Two stars because it sort of works.',
    'Expected more for the money.',
    'Not one I would buy again.',
    'Hard to recommend.',
  ],
  1: [
    'Save your money.',
    'Avoid.',
    'One star, and that is generous.',
    'Going back to my old one.',
    'Skip this one.',
    'Very poor.',
  ],
};

const RETURN_NOTES = [
  ' I ended up returning it.',
  ' It went back within the return window.',
  ' Returned it for a refund.',
  ' I sent it back after a few days.',
  ' It has been returned.',
];

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

function twoAspects(random: () => number, aspects: readonly string[]): [string, string] {
  const first = Math.floor(random() * aspects.length);
  const second = (first + 1 + Math.floor(random() * (aspects.length - 1))) % aspects.length;
  return [aspects[first], aspects[second]];
}

/** Offline product copy for one brief. */
export function offlineProductCopy(brief: ProductBrief): ProductCopy {
  const random = keyedRandom(`product:${brief.key}`);
  const category = categoryByName(brief.category);
  const [aspect, aspect2] = twoAspects(random, category.aspects);
  const values = { brand: brief.brand, noun: brief.noun, model: brief.model, aspect, aspect2 };
  const title = `${brief.brand} ${brief.noun} ${brief.model}${pick(random, TITLE_FLOURISHES)}`;
  const description = [DESCRIPTION_OPENERS, DESCRIPTION_MIDDLES, DESCRIPTION_CLOSERS]
    .map((options) => fill(pick(random, options), values))
    .join(' ');
  return { title, description };
}

/**
 * Offline review copy for one brief: matches its stars and sentiment and names the product. An
 * opener, how the buyer came to it and uses it, two of its category's aspects, maybe a detail, a
 * closer (and the return, for a returned item): some 10⁸ texts per product and stars, so even a
 * product with tens of thousands of reviews has hardly a repeat.
 */
export function offlineReviewCopy(brief: ReviewBrief): ReviewCopy {
  const random = keyedRandom(`review:${brief.key}`);
  const category = categoryByName(brief.category);
  const [aspect, aspect2] = twoAspects(random, category.aspects);
  const noun = brief.productNoun.toLowerCase();
  const values = {
    noun,
    product: brief.productTitle,
    aspect,
    aspect2,
    use: pick(random, USES),
    reason: fill(pick(random, REASONS), { noun }),
    duration: pick(random, DURATIONS),
  };
  const titles = brief.returned ? RETURN_TITLES[Math.min(3, brief.stars)] : REVIEW_TITLES[brief.stars];
  const title = fill(pick(random, titles), values);
  const returned = brief.returned ? pick(random, RETURN_NOTES) : '';
  const text = [
    fill(pick(random, OPENERS[brief.sentiment]), values),
    fill(pick(random, CONTEXTS), values),
    fill(pick(random, ASPECT_LINES[brief.sentiment]), values),
    pick(random, DETAILS[brief.sentiment]),
    `${pick(random, CLOSERS[brief.stars])}${returned}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { title: title[0].toUpperCase() + title.slice(1), text };
}

/** Life stages by age band (the generators spread shoppers over these generations). */
const LIFE_STAGES: readonly [number, string[]][] = [
  [28, ['College student', 'Recent graduate', 'Young professional', 'First-time renter']],
  [44, ['Busy parent', 'Remote worker', 'Young homeowner', 'Working professional']],
  [60, ['Homeowner', 'Small-business owner', 'Parent of teenagers', 'Weekend DIYer']],
  [Infinity, ['Retiree', 'Grandparent', 'Semi-retired teacher', 'Empty nester']],
];

const HABITS = [
  'reads the reviews carefully before buying anything',
  'buys when a good deal shows up and rarely waits',
  'sticks to a few trusted brands',
  'compares prices across shops before ordering',
  'replaces things only when they break',
  'likes to try new products early',
];

const PRIORITIES = [
  'Values durability over a low price.',
  'Price matters most; happy to wait for a sale.',
  'Cares about design and build quality.',
  'Wants things that just work without fuss.',
  'Pays attention to warranty and customer service.',
  'Prefers well-reviewed, popular picks.',
];

const REVIEW_HABITS = [
  'Leaves a review when something stands out, good or bad.',
  'Rarely writes reviews unless something goes wrong.',
  'Writes detailed reviews to help other shoppers.',
  'Rates quickly and keeps reviews short.',
];

/** Offline persona for one shopper: fits their age and place, chosen from their id. */
export function offlinePersonaCopy(brief: PersonaBrief): PersonaCopy {
  const random = keyedRandom(`persona:${brief.key}`);
  const stages = LIFE_STAGES.find(([maxAge]) => brief.age <= maxAge)![1];
  const persona = [
    `${pick(random, stages)} in ${brief.location} who ${pick(random, HABITS)}.`,
    `Often browses the ${brief.category.toLowerCase()} section online.`,
    pick(random, PRIORITIES),
    pick(random, REVIEW_HABITS),
  ].join(' ');
  return { persona };
}

/** The default writer: template text, no network, zero cost. */
export class OfflineTextWriter implements TextWriter {
  readonly name = 'offline';
  readonly embeddingModel = OFFLINE_EMBEDDING_MODEL;
  private texts = 0;
  private embedded = false;

  async products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]> {
    this.texts += briefs.length;
    return briefs.map(offlineProductCopy);
  }

  async personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]> {
    this.texts += briefs.length;
    return briefs.map(offlinePersonaCopy);
  }

  async reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]> {
    this.texts += briefs.length;
    return briefs.map(offlineReviewCopy);
  }

  async embed(_phase: string, items: readonly EmbeddingItem[]): Promise<number[][]> {
    this.embedded ||= items.length > 0;
    return items.map((item) => offlineVector(item.meaning));
  }

  /** Counts texts written with these templates elsewhere (a generator thread). */
  counted(texts: number): void {
    this.texts += texts;
  }

  report(): WriterReport {
    return {
      provider: 'offline',
      model: null,
      llmTexts: 0,
      fallbackTexts: 0,
      offlineTexts: this.texts,
      failedCalls: 0,
      budgetUsd: null,
      skippedCalls: 0,
      breakerReason: null,
      breakerSkippedCalls: 0,
      refusedTexts: [],
      embeddings: this.embedded ? { model: this.embeddingModel, offlineReason: null } : null,
      calls: [],
    };
  }
}
