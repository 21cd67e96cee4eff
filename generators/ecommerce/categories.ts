/**
 * Product categories: the source document's seven (with its keywords) plus sixteen more. Each has
 * whole-word keywords for detecting a title's category, its product types, and brands for the main
 * brand's competitors. Order matters only for ties in detection (earlier wins).
 */
import type { CategoryName } from '../../entities/enums';

/**
 * A kind of product ("Camping Tent"): what similar products share with the main one (a tent's
 * similar products are tents of other brands and models), the words that name it in a title, and
 * the price band every generated product of the type is priced in (wide enough that ±20–40 % of a
 * price in its middle stays inside).
 */
export interface ProductType {
  name: string;
  keywords: string[];
  price: [number, number];
}

export interface Category {
  name: CategoryName;
  /** Lower-case words or phrases matched as whole words (a trailing "s"/"es" also matches). */
  keywords: string[];
  types: ProductType[];
  brands: string[];
  /** Aspects reviewers talk about. */
  aspects: string[];
}

export const GENERAL: CategoryName = 'general';

export const CATEGORIES: Category[] = [
  {
    name: 'electronics',
    keywords: [
      'laptop',
      'phone',
      'tablet',
      'camera',
      'headphone',
      'speaker',
      'mouse',
      'keyboard',
      'monitor',
      'charger',
      'earbud',
      'router',
    ],
    types: [
      { name: 'Wireless Mouse', keywords: ['mouse'], price: [15, 90] },
      { name: 'Mechanical Keyboard', keywords: ['keyboard'], price: [40, 220] },
      { name: 'Bluetooth Speaker', keywords: ['speaker'], price: [25, 300] },
      { name: 'Noise-Cancelling Headphones', keywords: ['headphone', 'headphones'], price: [60, 400] },
      { name: 'USB-C Charger', keywords: ['charger'], price: [12, 80] },
      { name: 'Wireless Earbuds', keywords: ['earbud', 'earbuds'], price: [25, 280] },
      { name: 'Portable Monitor', keywords: ['monitor'], price: [110, 450] },
    ],
    brands: ['Logitech', 'Anker', 'Sony', 'JBL', 'Razer', 'Corsair', 'Samsung', 'Belkin'],
    aspects: ['battery life', 'build quality', 'connectivity', 'setup', 'sound', 'responsiveness'],
  },
  {
    name: 'clothing',
    keywords: [
      'shirt',
      'pants',
      'dress',
      'jacket',
      'sweater',
      'jeans',
      'hoodie',
      't-shirt',
      'shorts',
      'leggings',
    ],
    types: [
      { name: 'Cotton T-Shirt', keywords: ['t-shirt', 'tee', 'shirt'], price: [10, 45] },
      { name: 'Slim Fit Jeans', keywords: ['jeans'], price: [30, 130] },
      { name: 'Fleece Hoodie', keywords: ['hoodie'], price: [25, 95] },
      { name: 'Rain Jacket', keywords: ['jacket'], price: [45, 220] },
      { name: 'Knit Sweater', keywords: ['sweater'], price: [30, 140] },
      { name: 'Chino Pants', keywords: ['pants', 'chinos'], price: [28, 110] },
    ],
    brands: ["Levi's", 'Hanes', 'Champion', 'Columbia', 'Carhartt', 'Uniqlo', 'Gap'],
    aspects: ['fit', 'fabric', 'stitching', 'sizing', 'comfort', 'color after washing'],
  },
  {
    name: 'home',
    keywords: [
      'decor',
      'bedding',
      'lighting',
      'storage',
      'curtain',
      'pillow',
      'lamp',
      'rug',
      'blanket',
      'towel',
    ],
    types: [
      { name: 'Throw Blanket', keywords: ['blanket', 'throw'], price: [18, 90] },
      { name: 'LED Desk Lamp', keywords: ['lamp'], price: [20, 120] },
      { name: 'Storage Baskets', keywords: ['basket', 'storage'], price: [15, 70] },
      { name: 'Blackout Curtains', keywords: ['curtain', 'curtains'], price: [20, 110] },
      { name: 'Memory Foam Pillow', keywords: ['pillow'], price: [20, 100] },
      { name: 'Bath Towel Set', keywords: ['towel', 'towels'], price: [18, 90] },
    ],
    brands: ['Amazon Basics', 'Utopia', 'Mainstays', 'Bedsure', 'Umbra', 'IKEA'],
    aspects: ['look', 'size', 'material', 'value', 'durability'],
  },
  {
    name: 'sports',
    keywords: [
      'equipment',
      'apparel',
      'cycling',
      'basketball',
      'football',
      'soccer',
      'tennis',
      'golf',
      'baseball',
      'racket',
    ],
    types: [
      { name: 'Soccer Ball', keywords: ['soccer ball', 'soccer'], price: [15, 80] },
      { name: 'Tennis Racket', keywords: ['tennis racket', 'racket'], price: [40, 260] },
      { name: 'Cycling Gloves', keywords: ['cycling gloves', 'gloves'], price: [12, 60] },
      { name: 'Basketball', keywords: ['basketball'], price: [18, 90] },
      { name: 'Golf Balls', keywords: ['golf ball', 'golf balls'], price: [15, 70] },
      { name: 'Sports Duffel Bag', keywords: ['duffel', 'duffel bag'], price: [25, 120] },
    ],
    brands: ['Nike', 'Adidas', 'Wilson', 'Spalding', 'Under Armour', 'Callaway'],
    aspects: ['grip', 'durability', 'weight', 'performance', 'feel'],
  },
  {
    name: 'beauty',
    keywords: [
      'skincare',
      'makeup',
      'haircare',
      'fragrance',
      'serum',
      'moisturizer',
      'lipstick',
      'mascara',
      'shampoo',
      'perfume',
    ],
    types: [
      { name: 'Hydrating Serum', keywords: ['serum'], price: [10, 90] },
      { name: 'Daily Moisturizer', keywords: ['moisturizer'], price: [10, 80] },
      { name: 'Volumizing Mascara', keywords: ['mascara'], price: [8, 40] },
      { name: 'Matte Lipstick', keywords: ['lipstick'], price: [8, 45] },
      { name: 'Repair Shampoo', keywords: ['shampoo'], price: [8, 50] },
      { name: 'Eau de Parfum', keywords: ['perfume', 'parfum', 'fragrance'], price: [35, 180] },
    ],
    brands: ["L'Oréal", 'Neutrogena', 'CeraVe', 'Maybelline', 'Olaplex', 'The Ordinary'],
    aspects: ['scent', 'texture', 'results', 'packaging', 'how it feels on the skin'],
  },
  {
    name: 'books',
    keywords: [
      'fiction',
      'non-fiction',
      'textbook',
      'novel',
      'paperback',
      'hardcover',
      'cookbook',
      'biography',
      'memoir',
    ],
    types: [
      { name: 'Paperback Novel', keywords: ['novel', 'paperback'], price: [8, 28] },
      { name: 'Hardcover Biography', keywords: ['biography'], price: [15, 45] },
      { name: 'Illustrated Cookbook', keywords: ['cookbook'], price: [16, 55] },
      { name: 'Study Textbook', keywords: ['textbook'], price: [30, 150] },
      { name: 'Memoir', keywords: ['memoir'], price: [12, 40] },
    ],
    brands: ['Penguin', 'HarperCollins', 'Simon & Schuster', 'Macmillan', 'Scholastic'],
    aspects: ['writing', 'pacing', 'characters', 'print quality', 'ending'],
  },
  {
    name: 'toys',
    keywords: [
      'action figure',
      'puzzle',
      'board game',
      'doll',
      'educational',
      'lego',
      'toy',
      'plush',
      'building blocks',
    ],
    types: [
      { name: 'Building Blocks Set', keywords: ['building blocks', 'lego', 'blocks'], price: [20, 150] },
      { name: 'Jigsaw Puzzle', keywords: ['puzzle'], price: [10, 45] },
      { name: 'Family Board Game', keywords: ['board game'], price: [15, 70] },
      { name: 'Plush Toy', keywords: ['plush'], price: [10, 45] },
      { name: 'Action Figure', keywords: ['action figure'], price: [10, 60] },
      { name: 'STEM Kit', keywords: ['stem kit', 'educational'], price: [20, 100] },
    ],
    brands: ['LEGO', 'Hasbro', 'Mattel', 'Melissa & Doug', 'Ravensburger', 'Fisher-Price'],
    aspects: ['fun factor', 'instructions', 'durability', 'age fit', 'piece quality'],
  },
  {
    name: 'kitchen',
    keywords: [
      'kitchen',
      'cookware',
      'skillet',
      'blender',
      'knife',
      'coffee',
      'kettle',
      'toaster',
      'pan',
      'utensil',
      'air fryer',
    ],
    types: [
      { name: 'Cast Iron Skillet', keywords: ['skillet'], price: [20, 120] },
      { name: 'High-Speed Blender', keywords: ['blender'], price: [40, 300] },
      { name: "Chef's Knife", keywords: ['knife'], price: [25, 180] },
      { name: 'Electric Kettle', keywords: ['kettle'], price: [20, 110] },
      { name: 'Air Fryer', keywords: ['air fryer'], price: [50, 250] },
      { name: 'Pour-Over Coffee Maker', keywords: ['coffee maker', 'coffee'], price: [20, 150] },
    ],
    brands: ['Lodge', 'Ninja', 'Cuisinart', 'KitchenAid', 'OXO', 'Hamilton Beach', 'Instant Pot'],
    aspects: ['heat distribution', 'cleanup', 'sharpness', 'power', 'build quality'],
  },
  {
    name: 'furniture',
    keywords: [
      'furniture',
      'chair',
      'desk',
      'sofa',
      'bookshelf',
      'table',
      'dresser',
      'nightstand',
      'bed frame',
    ],
    types: [
      { name: 'Ergonomic Office Chair', keywords: ['office chair', 'chair'], price: [120, 900] },
      { name: 'Standing Desk', keywords: ['standing desk', 'desk'], price: [180, 900] },
      { name: 'Bookshelf', keywords: ['bookshelf'], price: [50, 300] },
      { name: 'Coffee Table', keywords: ['coffee table', 'table'], price: [60, 400] },
      { name: 'Nightstand', keywords: ['nightstand'], price: [40, 250] },
    ],
    brands: ['Flexispot', 'Sauder', 'Zinus', 'Herman Miller', 'Walker Edison'],
    aspects: ['assembly', 'sturdiness', 'finish', 'comfort', 'dimensions'],
  },
  {
    name: 'garden',
    keywords: ['garden', 'gardening', 'planter', 'hose', 'seeds', 'lawn', 'mower', 'pruner', 'fertilizer'],
    types: [
      { name: 'Expandable Garden Hose', keywords: ['hose'], price: [20, 90] },
      { name: 'Raised Planter', keywords: ['planter'], price: [30, 200] },
      { name: 'Bypass Pruners', keywords: ['pruner', 'pruners'], price: [12, 60] },
      { name: 'Lawn Fertilizer', keywords: ['fertilizer'], price: [15, 70] },
      { name: 'Seed Starter Kit', keywords: ['seed', 'seeds'], price: [12, 60] },
    ],
    brands: ['Fiskars', 'Miracle-Gro', 'Gardena', 'Scotts', 'Greenworks'],
    aspects: ['durability', 'ease of use', 'results', 'weather resistance'],
  },
  {
    name: 'tools',
    keywords: [
      'drill',
      'screwdriver',
      'wrench',
      'hammer',
      'toolbox',
      'saw',
      'tool set',
      'socket set',
      'pliers',
    ],
    types: [
      { name: 'Cordless Drill', keywords: ['drill'], price: [50, 300] },
      { name: 'Socket Set', keywords: ['socket set'], price: [25, 180] },
      { name: 'Screwdriver Kit', keywords: ['screwdriver'], price: [12, 80] },
      { name: 'Circular Saw', keywords: ['saw'], price: [60, 350] },
      { name: 'Tool Box', keywords: ['toolbox', 'tool box'], price: [20, 120] },
    ],
    brands: ['DeWalt', 'Milwaukee', 'Bosch', 'Makita', 'Craftsman', 'Stanley'],
    aspects: ['power', 'battery', 'ergonomics', 'precision', 'build quality'],
  },
  {
    name: 'automotive',
    keywords: ['car', 'automotive', 'dash cam', 'tire', 'wiper', 'jump starter', 'motor oil', 'seat cover'],
    types: [
      { name: 'Dash Cam', keywords: ['dash cam'], price: [40, 250] },
      { name: 'Portable Jump Starter', keywords: ['jump starter'], price: [45, 200] },
      { name: 'Wiper Blades', keywords: ['wiper', 'wipers'], price: [12, 60] },
      { name: 'Tire Inflator', keywords: ['tire inflator', 'tire'], price: [25, 120] },
      { name: 'Seat Covers', keywords: ['seat cover', 'seat covers'], price: [20, 110] },
    ],
    brands: ['Garmin', 'NOCO', 'Bosch', 'Rain-X', 'Michelin', 'Armor All'],
    aspects: ['installation', 'reliability', 'fit', 'performance'],
  },
  {
    name: 'pets',
    keywords: ['dog', 'cat', 'pet', 'leash', 'litter', 'aquarium', 'kibble', 'collar', 'chew'],
    types: [
      { name: 'Dog Harness', keywords: ['harness', 'leash'], price: [12, 60] },
      { name: 'Cat Litter Box', keywords: ['litter'], price: [20, 150] },
      { name: 'Pet Bed', keywords: ['pet bed'], price: [20, 120] },
      { name: 'Chew Toy Set', keywords: ['chew'], price: [8, 40] },
      { name: 'Automatic Feeder', keywords: ['feeder'], price: [35, 150] },
    ],
    brands: ['Kong', 'Purina', 'PetSafe', 'Frisco', 'Chewy', 'Blue Buffalo'],
    aspects: ['durability', 'how my pet took to it', 'size', 'cleaning'],
  },
  {
    name: 'baby',
    keywords: ['baby', 'infant', 'stroller', 'diaper', 'crib', 'pacifier', 'onesie', 'toddler', 'car seat'],
    types: [
      { name: 'Lightweight Stroller', keywords: ['stroller'], price: [80, 450] },
      { name: 'Baby Monitor', keywords: ['baby monitor'], price: [40, 300] },
      { name: 'Diaper Bag', keywords: ['diaper'], price: [25, 120] },
      { name: 'Convertible Car Seat', keywords: ['car seat'], price: [90, 450] },
      { name: 'Swaddle Set', keywords: ['swaddle', 'onesie'], price: [15, 60] },
    ],
    brands: ['Graco', 'Pampers', 'Chicco', 'Munchkin', 'Evenflo', 'Owlet'],
    aspects: ['safety', 'ease of use', 'comfort', 'cleaning', 'portability'],
  },
  {
    name: 'health',
    keywords: [
      'vitamin',
      'supplement',
      'thermometer',
      'massager',
      'first aid',
      'protein',
      'probiotic',
      'blood pressure',
    ],
    types: [
      { name: 'Multivitamin', keywords: ['vitamin', 'multivitamin', 'supplement'], price: [10, 50] },
      { name: 'Protein Powder', keywords: ['protein'], price: [25, 90] },
      { name: 'Massage Gun', keywords: ['massage gun', 'massager'], price: [50, 350] },
      { name: 'Digital Thermometer', keywords: ['thermometer'], price: [10, 60] },
      { name: 'First Aid Kit', keywords: ['first aid'], price: [15, 70] },
    ],
    brands: ['Nature Made', 'Optimum Nutrition', 'Theragun', 'Braun', 'Omron'],
    aspects: ['effectiveness', 'taste', 'accuracy', 'value'],
  },
  {
    name: 'grocery',
    keywords: ['snack', 'tea', 'chocolate', 'cereal', 'pasta', 'olive oil', 'spice', 'honey', 'granola'],
    types: [
      { name: 'Organic Green Tea', keywords: ['tea'], price: [5, 30] },
      { name: 'Dark Chocolate Bar', keywords: ['chocolate'], price: [4, 20] },
      { name: 'Granola', keywords: ['granola', 'cereal'], price: [5, 20] },
      { name: 'Extra Virgin Olive Oil', keywords: ['olive oil'], price: [10, 45] },
      { name: 'Raw Honey', keywords: ['honey'], price: [8, 35] },
    ],
    brands: ['Kirkland', "Trader Joe's", 'Nature Valley', 'Lindt', 'Twinings'],
    aspects: ['taste', 'freshness', 'packaging', 'value'],
  },
  {
    name: 'office',
    keywords: [
      'office',
      'notebook',
      'pen',
      'stapler',
      'printer',
      'paper',
      'planner',
      'binder',
      'label maker',
    ],
    types: [
      { name: 'Gel Pens', keywords: ['pen', 'pens'], price: [6, 30] },
      { name: 'Hardcover Notebook', keywords: ['notebook'], price: [8, 40] },
      { name: 'Label Maker', keywords: ['label maker'], price: [25, 120] },
      { name: 'Desk Organizer', keywords: ['organizer'], price: [15, 70] },
      { name: 'Weekly Planner', keywords: ['planner'], price: [10, 40] },
    ],
    brands: ['Pilot', 'Moleskine', 'Brother', 'Swingline', 'Post-it', 'Staples'],
    aspects: ['quality', 'ease of use', 'value', 'design'],
  },
  {
    name: 'jewelry',
    keywords: ['necklace', 'bracelet', 'ring', 'earring', 'pendant', 'jewelry', 'watch'],
    types: [
      { name: 'Sterling Silver Necklace', keywords: ['necklace'], price: [30, 250] },
      { name: 'Charm Bracelet', keywords: ['bracelet'], price: [25, 200] },
      { name: 'Stud Earrings', keywords: ['earring', 'earrings'], price: [20, 180] },
      { name: 'Analog Watch', keywords: ['watch'], price: [50, 500] },
      { name: 'Pendant', keywords: ['pendant'], price: [25, 220] },
    ],
    brands: ['Pandora', 'Fossil', 'Swarovski', 'Timex', 'Kendra Scott'],
    aspects: ['shine', 'clasp', 'finish', 'gift box', 'comfort'],
  },
  {
    name: 'shoes',
    keywords: ['shoe', 'shoes', 'sneaker', 'boot', 'sandal', 'slipper', 'loafer', 'running shoe'],
    types: [
      {
        name: 'Running Shoes',
        keywords: ['running shoe', 'running shoes', 'sneaker', 'sneakers'],
        price: [50, 200],
      },
      { name: 'Leather Boots', keywords: ['boot', 'boots'], price: [70, 260] },
      { name: 'Slip-On Sneakers', keywords: ['slip-on'], price: [35, 120] },
      { name: 'Sandals', keywords: ['sandal', 'sandals'], price: [20, 110] },
      { name: 'House Slippers', keywords: ['slipper', 'slippers'], price: [15, 60] },
    ],
    brands: ['Nike', 'New Balance', 'Skechers', 'Brooks', 'Timberland', 'Birkenstock'],
    aspects: ['fit', 'cushioning', 'support', 'break-in time', 'sizing'],
  },
  {
    name: 'gaming',
    keywords: ['gaming', 'controller', 'console', 'video game', 'joystick', 'gamepad', 'headset'],
    types: [
      { name: 'Wireless Controller', keywords: ['controller', 'gamepad'], price: [35, 180] },
      { name: 'Gaming Headset', keywords: ['headset'], price: [40, 250] },
      { name: 'Gaming Mouse Pad', keywords: ['mouse pad', 'mousepad'], price: [10, 50] },
      { name: 'Racing Wheel', keywords: ['racing wheel', 'wheel'], price: [120, 500] },
      { name: 'Capture Card', keywords: ['capture card'], price: [60, 260] },
    ],
    brands: ['Xbox', 'PlayStation', 'Nintendo', 'SteelSeries', 'HyperX', 'Turtle Beach'],
    aspects: ['latency', 'comfort', 'build quality', 'compatibility'],
  },
  {
    name: 'music',
    keywords: ['guitar', 'piano', 'ukulele', 'drum', 'microphone', 'amplifier', 'violin', 'synthesizer'],
    types: [
      { name: 'Acoustic Guitar', keywords: ['guitar'], price: [120, 900] },
      { name: 'Digital Piano', keywords: ['piano', 'keyboard piano'], price: [250, 900] },
      { name: 'USB Microphone', keywords: ['microphone', 'mic'], price: [40, 250] },
      { name: 'Practice Amplifier', keywords: ['amplifier', 'amp'], price: [60, 300] },
      { name: 'Ukulele', keywords: ['ukulele'], price: [30, 150] },
    ],
    brands: ['Yamaha', 'Fender', 'Shure', 'Roland', 'Casio', 'Gibson'],
    aspects: ['tone', 'playability', 'build quality', 'tuning stability'],
  },
  {
    name: 'outdoors',
    keywords: ['camping', 'tent', 'hiking', 'backpack', 'sleeping bag', 'lantern', 'kayak', 'fishing'],
    types: [
      { name: 'Camping Tent', keywords: ['tent'], price: [60, 450] },
      { name: 'Hiking Backpack', keywords: ['backpack'], price: [50, 300] },
      { name: 'Sleeping Bag', keywords: ['sleeping bag'], price: [35, 250] },
      { name: 'LED Lantern', keywords: ['lantern'], price: [15, 70] },
      { name: 'Fishing Rod', keywords: ['fishing rod', 'rod'], price: [30, 220] },
    ],
    brands: ['Coleman', 'REI', 'The North Face', 'Osprey', 'Kelty', 'Patagonia'],
    aspects: ['weather protection', 'weight', 'packability', 'durability'],
  },
  {
    name: 'fitness',
    keywords: [
      'fitness',
      'yoga',
      'dumbbell',
      'treadmill',
      'resistance band',
      'kettlebell',
      'workout',
      'exercise',
    ],
    types: [
      { name: 'Yoga Mat', keywords: ['yoga mat', 'mat'], price: [18, 110] },
      { name: 'Adjustable Dumbbells', keywords: ['dumbbell', 'dumbbells'], price: [80, 450] },
      { name: 'Resistance Bands', keywords: ['resistance band', 'resistance bands'], price: [12, 50] },
      { name: 'Kettlebell', keywords: ['kettlebell'], price: [25, 140] },
      { name: 'Foam Roller', keywords: ['foam roller'], price: [15, 60] },
    ],
    brands: ['Bowflex', 'Gaiam', 'Manduka', 'CAP Barbell', 'TRX', 'Peloton'],
    aspects: ['grip', 'durability', 'stability', 'value'],
  },
];

/** A catch-all for titles no keyword matches. */
export const GENERAL_CATEGORY: Category = {
  name: GENERAL,
  keywords: [],
  types: [
    { name: 'Everyday Essentials Kit', keywords: ['essentials kit'], price: [15, 80] },
    { name: 'Multi-Purpose Organizer', keywords: ['multi-purpose organizer'], price: [12, 60] },
    { name: 'Gift Set', keywords: ['gift set'], price: [20, 120] },
    { name: 'Travel Pouch', keywords: ['pouch'], price: [10, 45] },
  ],
  brands: ['Amazon Basics', 'Generic', 'HomeGoods', 'Everyday Co.'],
  aspects: ['quality', 'value', 'usefulness', 'packaging'],
};

const BY_NAME = new Map<string, Category>([...CATEGORIES, GENERAL_CATEGORY].map((c) => [c.name, c]));

/** The category called `name`, or the general one for anything unknown. */
export function categoryByName(name: string): Category {
  return BY_NAME.get(name.toLowerCase()) ?? GENERAL_CATEGORY;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MATCHERS = CATEGORIES.map((category) => ({
  name: category.name,
  keywords: category.keywords.map((k) => ({
    pattern: new RegExp(`(^|[^a-z0-9])${escapeRegExp(k)}(s|es)?(?![a-z0-9])`, 'i'),
    // A phrase is more specific than a word: "car seat" (baby) beats "car" (automotive).
    weight: k.split(/\s+/).length,
  })),
}));

/**
 * The category of a product title: the one whose whole-word keywords match best ("Wireless
 * Mouse" → electronics, but "Mousepad" matches nothing), phrases weighing more than single words
 * and earlier categories winning ties; `general` when nothing matches.
 */
export function detectCategory(title: string): string {
  let best = GENERAL;
  let bestHits = 0;
  for (const matcher of MATCHERS) {
    const hits = matcher.keywords.reduce((sum, k) => sum + (k.pattern.test(title) ? k.weight : 0), 0);
    if (hits > bestHits) {
      best = matcher.name;
      bestHits = hits;
    }
  }
  return best;
}

const TYPE_MATCHERS = [...CATEGORIES, GENERAL_CATEGORY].flatMap((category) =>
  category.types.map((type) => ({
    category,
    type,
    keywords: type.keywords.map((k) => ({
      pattern: new RegExp(`(^|[^a-z0-9])${escapeRegExp(k)}(s|es)?(?![a-z0-9])`, 'i'),
      weight: k.split(/\s+/).length,
    })),
  })),
);

/**
 * The product type a title names ("REI Half Dome Camping Tent" → Camping Tent), preferring types of
 * `category` and phrases over single words; a type of its own, named after the title's last two words
 * and priced in the category's band, when no type's words appear ("Acme Widget").
 */
export function detectType(title: string, category: Category): ProductType {
  let best: ProductType | null = null;
  let bestScore = 0;
  for (const m of TYPE_MATCHERS) {
    const hits = m.keywords.reduce((sum, k) => sum + (k.pattern.test(title) ? k.weight : 0), 0);
    // A hit in the title's own category outranks an equal one elsewhere.
    const score = hits * 2 + (hits && m.category === category ? 1 : 0);
    if (score > bestScore) {
      best = m.type;
      bestScore = score;
    }
  }
  if (best) return best;
  const words = title
    .trim()
    .split(/\s+/)
    .filter((w) => /[a-z]/i.test(w));
  const name = words.slice(-2).join(' ') || 'Product';
  const low = Math.min(...category.types.map((t) => t.price[0]));
  const high = Math.max(...category.types.map((t) => t.price[1]));
  return { name, keywords: [], price: [low, high] };
}
