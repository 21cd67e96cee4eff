import { CATEGORY_NAMES } from '../../entities/enums';
import { CATEGORIES, detectCategory, GENERAL } from '../../generators/ecommerce/categories';

describe('category detection', () => {
  it('knows at least 20 categories, including the source document’s seven', () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(20);
    for (const name of ['electronics', 'clothing', 'home', 'sports', 'beauty', 'books', 'toys']) {
      expect(CATEGORY_NAMES).toContain(name);
    }
    expect(new Set(CATEGORY_NAMES).size).toBe(CATEGORY_NAMES.length);
  });

  it('describes every stored category, in the order GraphQL lists them, and no other', () => {
    expect([...CATEGORIES.map((c) => c.name), GENERAL]).toEqual([...CATEGORY_NAMES]);
  });

  it.each([
    ['Logitech M720 Triathlon Wireless Mouse', 'electronics'],
    ['Noise Cancelling Headphones', 'electronics'],
    ["Levi's 501 Original Jeans", 'clothing'],
    ['Lodge Cast Iron Skillet 12 inch', 'kitchen'],
    ['Graco Convertible Car Seat', 'baby'],
    ['Michelin Wiper Blades for any car', 'automotive'],
    ['Ravensburger 1000 Piece Puzzle', 'toys'],
    ['Hiking Backpack 40L', 'outdoors'],
    ['Yoga Mat Extra Thick', 'fitness'],
    ['PetSafe Cat Litter Box', 'pets'],
    ['Fender Acoustic Guitar', 'music'],
  ])('%s → %s', (title, category) => {
    expect(detectCategory(title)).toBe(category);
  });

  it('matches whole words only, and falls back to general', () => {
    expect(detectCategory('Mousepad XXL')).toBe('general');
    expect(detectCategory('Phoneix Rising Candle Holder')).toBe('general');
    expect(detectCategory('Mystery Box')).toBe('general');
  });
});
