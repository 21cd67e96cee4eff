/** The order rules: what every generated purchase and review obeys (the contract checks the stored rows against them). */
/**
 * The rules a scenario's purchases follow, stated once: the generator applies them and the run's
 * contract checks the stored rows against them.
 */
export const ORDER_RULES = {
  /** Share of all purchases of a run, in percent: delivered / returned / pending. */
  statusSplit: { delivered: 85, returned: 10, pending: 5 },
  /** Expected delivery, in days after the order. */
  expectedDeliveryDays: [3, 5] as [number, number],
  /**
   * A pending order is still in transit: placed within this many days before asOf, so its
   * expected delivery is mostly still ahead (~8 % are overdue) and at most this many days past.
   */
  pendingMaxAgeDays: 4,
  pendingExpectedMaxPastDays: 1,
  /**
   * Late deliveries are the exception: exactly this share of the delivered purchases (returned
   * ones included, the survey trigger not), rounded, arrive 1 hour to `lateMaxDays` days after the
   * expected date; the others arrive up to 2 days early or on the day.
   */
  lateDeliveryShare: 0.08,
  lateMaxDays: 3,
  /** A returned purchase's review, if any, has at most this many stars. */
  returnedReviewMaxStars: 3,
  /** Most purchases of one product by one shopper. */
  maxPurchasesPerShopperAndProduct: 3,
  /**
   * Reviews of a generated product average within this of its star rating (from this many
   * reviews): whole stars over 20 reviews land within 1/40 of a one-decimal rating, so twice that.
   */
  ratingTolerance: 0.05,
  ratingMinReviews: 20,
  /** Order age windows in days before asOf. */
  mockOrderDays: [30, 730] as [number, number],
  mainUserHistoryDays: [60, 365] as [number, number],
  /**
   * The survey trigger: the main user's latest purchase of the main product, which every scenario
   * has (Survey Sensei adds it besides the history), ordered this many days before asOf and
   * delivered by asOf, not reviewed yet (the survey asks for that review).
   */
  currentPurchaseDays: [2, 7] as [number, number],
} as const;

/**
 * Words that mark a review as written about a returned item, and that must not appear in a review
 * of a kept one (as a regular-expression alternation: the contract matches it in SQL too).
 */
export const RETURN_WORDS = 'return(ed|ing)?|refund(ed)?|sent (it|them) back';
export const RETURN_LANGUAGE = new RegExp(`\\b(${RETURN_WORDS})\\b`, 'i');
