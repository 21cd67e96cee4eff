/**
 * Product categories: the source document's seven (with its keywords) plus sixteen more. Each has
 * whole-word keywords for detecting a title's category, product nouns for titles, and brands for
 * the main brand's competitors. Order matters only for ties in detection (earlier wins).
 */
export interface Category {
  name: string;
  /** Lower-case words or phrases matched as whole words (a trailing "s"/"es" also matches). */
  keywords: string[];
  /** Nouns used to name generated products of the category. */
  nouns: string[];
  brands: string[];
  /** Typical price range in USD, for generated main products. */
  priceRange: [number, number];
  /** Aspects reviewers talk about. */
  aspects: string[];
}

export const GENERAL = 'general';

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
    nouns: [
      'Wireless Mouse',
      'Mechanical Keyboard',
      'Bluetooth Speaker',
      'Noise-Cancelling Headphones',
      'USB-C Charger',
      'Wireless Earbuds',
      'Portable Monitor',
    ],
    brands: ['Logitech', 'Anker', 'Sony', 'JBL', 'Razer', 'Corsair', 'Samsung', 'Belkin'],
    priceRange: [15, 400],
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
    nouns: [
      'Cotton T-Shirt',
      'Slim Fit Jeans',
      'Fleece Hoodie',
      'Rain Jacket',
      'Knit Sweater',
      'Chino Pants',
    ],
    brands: ["Levi's", 'Hanes', 'Champion', 'Columbia', 'Carhartt', 'Uniqlo', 'Gap'],
    priceRange: [12, 150],
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
    nouns: [
      'Throw Blanket',
      'LED Desk Lamp',
      'Storage Baskets',
      'Blackout Curtains',
      'Memory Foam Pillow',
      'Bath Towel Set',
    ],
    brands: ['Amazon Basics', 'Utopia', 'Mainstays', 'Bedsure', 'Umbra', 'IKEA'],
    priceRange: [10, 200],
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
    nouns: [
      'Soccer Ball',
      'Tennis Racket',
      'Cycling Gloves',
      'Basketball',
      'Golf Balls',
      'Sports Duffel Bag',
    ],
    brands: ['Nike', 'Adidas', 'Wilson', 'Spalding', 'Under Armour', 'Callaway'],
    priceRange: [15, 250],
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
    nouns: [
      'Hydrating Serum',
      'Daily Moisturizer',
      'Volumizing Mascara',
      'Matte Lipstick',
      'Repair Shampoo',
      'Eau de Parfum',
    ],
    brands: ["L'Oréal", 'Neutrogena', 'CeraVe', 'Maybelline', 'Olaplex', 'The Ordinary'],
    priceRange: [8, 120],
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
    nouns: ['Paperback Novel', 'Hardcover Biography', 'Illustrated Cookbook', 'Study Textbook', 'Memoir'],
    brands: ['Penguin', 'HarperCollins', 'Simon & Schuster', 'Macmillan', 'Scholastic'],
    priceRange: [8, 60],
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
    nouns: [
      'Building Blocks Set',
      'Jigsaw Puzzle',
      'Family Board Game',
      'Plush Toy',
      'Action Figure',
      'STEM Kit',
    ],
    brands: ['LEGO', 'Hasbro', 'Mattel', 'Melissa & Doug', 'Ravensburger', 'Fisher-Price'],
    priceRange: [10, 120],
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
    nouns: [
      'Cast Iron Skillet',
      'High-Speed Blender',
      "Chef's Knife",
      'Electric Kettle',
      'Air Fryer',
      'Pour-Over Coffee Maker',
    ],
    brands: ['Lodge', 'Ninja', 'Cuisinart', 'KitchenAid', 'OXO', 'Hamilton Beach', 'Instant Pot'],
    priceRange: [15, 300],
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
    nouns: ['Ergonomic Office Chair', 'Standing Desk', 'Bookshelf', 'Coffee Table', 'Nightstand'],
    brands: ['Flexispot', 'Sauder', 'Zinus', 'Herman Miller', 'Walker Edison'],
    priceRange: [40, 900],
    aspects: ['assembly', 'sturdiness', 'finish', 'comfort', 'dimensions'],
  },
  {
    name: 'garden',
    keywords: ['garden', 'gardening', 'planter', 'hose', 'seeds', 'lawn', 'mower', 'pruner', 'fertilizer'],
    nouns: [
      'Expandable Garden Hose',
      'Raised Planter',
      'Bypass Pruners',
      'Lawn Fertilizer',
      'Seed Starter Kit',
    ],
    brands: ['Fiskars', 'Miracle-Gro', 'Gardena', 'Scotts', 'Greenworks'],
    priceRange: [10, 350],
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
    nouns: ['Cordless Drill', 'Socket Set', 'Screwdriver Kit', 'Circular Saw', 'Tool Box'],
    brands: ['DeWalt', 'Milwaukee', 'Bosch', 'Makita', 'Craftsman', 'Stanley'],
    priceRange: [15, 400],
    aspects: ['power', 'battery', 'ergonomics', 'precision', 'build quality'],
  },
  {
    name: 'automotive',
    keywords: ['car', 'automotive', 'dash cam', 'tire', 'wiper', 'jump starter', 'motor oil', 'seat cover'],
    nouns: ['Dash Cam', 'Portable Jump Starter', 'Wiper Blades', 'Tire Inflator', 'Seat Covers'],
    brands: ['Garmin', 'NOCO', 'Bosch', 'Rain-X', 'Michelin', 'Armor All'],
    priceRange: [15, 250],
    aspects: ['installation', 'reliability', 'fit', 'performance'],
  },
  {
    name: 'pets',
    keywords: ['dog', 'cat', 'pet', 'leash', 'litter', 'aquarium', 'kibble', 'collar', 'chew'],
    nouns: ['Dog Harness', 'Cat Litter Box', 'Pet Bed', 'Chew Toy Set', 'Automatic Feeder'],
    brands: ['Kong', 'Purina', 'PetSafe', 'Frisco', 'Chewy', 'Blue Buffalo'],
    priceRange: [8, 150],
    aspects: ['durability', 'how my pet took to it', 'size', 'cleaning'],
  },
  {
    name: 'baby',
    keywords: ['baby', 'infant', 'stroller', 'diaper', 'crib', 'pacifier', 'onesie', 'toddler', 'car seat'],
    nouns: ['Lightweight Stroller', 'Baby Monitor', 'Diaper Bag', 'Convertible Car Seat', 'Swaddle Set'],
    brands: ['Graco', 'Pampers', 'Chicco', 'Munchkin', 'Evenflo', 'Owlet'],
    priceRange: [15, 400],
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
    nouns: ['Multivitamin', 'Protein Powder', 'Massage Gun', 'Digital Thermometer', 'First Aid Kit'],
    brands: ['Nature Made', 'Optimum Nutrition', 'Theragun', 'Braun', 'Omron'],
    priceRange: [10, 200],
    aspects: ['effectiveness', 'taste', 'accuracy', 'value'],
  },
  {
    name: 'grocery',
    keywords: ['snack', 'tea', 'chocolate', 'cereal', 'pasta', 'olive oil', 'spice', 'honey', 'granola'],
    nouns: ['Organic Green Tea', 'Dark Chocolate Bar', 'Granola', 'Extra Virgin Olive Oil', 'Raw Honey'],
    brands: ['Kirkland', "Trader Joe's", 'Nature Valley', 'Lindt', 'Twinings'],
    priceRange: [5, 60],
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
    nouns: ['Gel Pens', 'Hardcover Notebook', 'Label Maker', 'Desk Organizer', 'Weekly Planner'],
    brands: ['Pilot', 'Moleskine', 'Brother', 'Swingline', 'Post-it', 'Staples'],
    priceRange: [5, 200],
    aspects: ['quality', 'ease of use', 'value', 'design'],
  },
  {
    name: 'jewelry',
    keywords: ['necklace', 'bracelet', 'ring', 'earring', 'pendant', 'jewelry', 'watch'],
    nouns: ['Sterling Silver Necklace', 'Charm Bracelet', 'Stud Earrings', 'Analog Watch', 'Pendant'],
    brands: ['Pandora', 'Fossil', 'Swarovski', 'Timex', 'Kendra Scott'],
    priceRange: [20, 500],
    aspects: ['shine', 'clasp', 'finish', 'gift box', 'comfort'],
  },
  {
    name: 'shoes',
    keywords: ['shoe', 'shoes', 'sneaker', 'boot', 'sandal', 'slipper', 'loafer', 'running shoe'],
    nouns: ['Running Shoes', 'Leather Boots', 'Slip-On Sneakers', 'Sandals', 'House Slippers'],
    brands: ['Nike', 'New Balance', 'Skechers', 'Brooks', 'Timberland', 'Birkenstock'],
    priceRange: [25, 250],
    aspects: ['fit', 'cushioning', 'support', 'break-in time', 'sizing'],
  },
  {
    name: 'gaming',
    keywords: ['gaming', 'controller', 'console', 'video game', 'joystick', 'gamepad', 'headset'],
    nouns: ['Wireless Controller', 'Gaming Headset', 'Gaming Mouse Pad', 'Racing Wheel', 'Capture Card'],
    brands: ['Xbox', 'PlayStation', 'Nintendo', 'SteelSeries', 'HyperX', 'Turtle Beach'],
    priceRange: [20, 500],
    aspects: ['latency', 'comfort', 'build quality', 'compatibility'],
  },
  {
    name: 'music',
    keywords: ['guitar', 'piano', 'ukulele', 'drum', 'microphone', 'amplifier', 'violin', 'synthesizer'],
    nouns: ['Acoustic Guitar', 'Digital Piano', 'USB Microphone', 'Practice Amplifier', 'Ukulele'],
    brands: ['Yamaha', 'Fender', 'Shure', 'Roland', 'Casio', 'Gibson'],
    priceRange: [30, 900],
    aspects: ['tone', 'playability', 'build quality', 'tuning stability'],
  },
  {
    name: 'outdoors',
    keywords: ['camping', 'tent', 'hiking', 'backpack', 'sleeping bag', 'lantern', 'kayak', 'fishing'],
    nouns: ['Camping Tent', 'Hiking Backpack', 'Sleeping Bag', 'LED Lantern', 'Fishing Rod'],
    brands: ['Coleman', 'REI', 'The North Face', 'Osprey', 'Kelty', 'Patagonia'],
    priceRange: [20, 450],
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
    nouns: ['Yoga Mat', 'Adjustable Dumbbells', 'Resistance Bands', 'Kettlebell', 'Foam Roller'],
    brands: ['Bowflex', 'Gaiam', 'Manduka', 'CAP Barbell', 'TRX', 'Peloton'],
    priceRange: [15, 600],
    aspects: ['grip', 'durability', 'stability', 'value'],
  },
];

/** Category names, in order (the general fallback last). */
export const CATEGORY_NAMES = [...CATEGORIES.map((c) => c.name), GENERAL];

/** A catch-all for titles no keyword matches. */
export const GENERAL_CATEGORY: Category = {
  name: GENERAL,
  keywords: [],
  nouns: ['Everyday Essentials Kit', 'Multi-Purpose Organizer', 'Gift Set', 'Travel Pouch'],
  brands: ['Amazon Basics', 'Generic', 'HomeGoods', 'Everyday Co.'],
  priceRange: [10, 150],
  aspects: ['quality', 'value', 'usefulness', 'packaging'],
};

const BY_NAME = new Map([...CATEGORIES, GENERAL_CATEGORY].map((c) => [c.name, c]));

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
