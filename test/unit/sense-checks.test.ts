import { Sentiment } from '../../entities/enums';
import { sentimentOfStars } from '../../generators/ecommerce/sentiment';
import { offlineReviewCopy } from '../../src/llm/offline-writer';
import { REVIEW_TASK } from '../../src/llm/tasks';
import { agreesWithStars, finished, language, onTopic, Refusal } from '../../src/llm/sense-checks';

const brief = (stars: number, returned = false, key = 'k') => ({
  key,
  productTitle: 'Acme Trail Camping Tent T200',
  productName: 'Acme Camping Tent',
  productNoun: 'Camping Tent',
  category: 'sports',
  stars,
  sentiment: sentimentOfStars(stars),
  returned,
});

describe('text sense checks', () => {
  it('refuse other languages, cut texts, other topics and opposite moods', () => {
    expect(
      language('Das Zelt ist wirklich gut, ich bin damit sehr zufrieden und würde es wieder kaufen.'),
    ).toBe(Refusal.LANGUAGE);
    expect(language('这个帐篷非常好用，我很满意，推荐购买。')).toBe(Refusal.LANGUAGE);
    expect(language('The tent is roomy and it went up in ten minutes, even in the wind.')).toBeNull();
    expect(finished('The tent is roomy and the')).toBe(Refusal.UNFINISHED);
    expect(finished('The tent is roomy!')).toBeNull();
    expect(onTopic('Mash three ripe bananas and bake the loaf for an hour.', ['Camping Tent'])).toBe(
      Refusal.OFF_TOPIC,
    );
    expect(onTopic('These tents are roomy.', ['Camping Tent'])).toBeNull();
    expect(agreesWithStars('Terrible: it broke in a day, a total waste.', 5)).toBe(Refusal.SENTIMENT);
    expect(agreesWithStars('Excellent, I love it and recommend it.', 1)).toBe(Refusal.SENTIMENT);
    expect(agreesWithStars('Not great, not terrible.', 3)).toBeNull();
    expect(agreesWithStars('I do not love it and would not recommend it.', 1)).toBeNull();
  });

  it('let every offline review through: the checks are not stricter than honest text', () => {
    for (let i = 0; i < 2000; i++) {
      const b = brief(1 + (i % 5), i % 5 < 3 && i % 7 === 0, `review-${i}`);
      expect([b.sentiment, REVIEW_TASK.refuse(b, offlineReviewCopy(b))]).toEqual([b.sentiment, null]);
    }
    expect(Sentiment.POSITIVE).toBe('POSITIVE');
  });
});
