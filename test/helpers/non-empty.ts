/**
 * The list itself, after checking it has something in it: `nonEmpty(rows).every(…)` cannot pass
 * on an empty list the way `rows.every(…)` does.
 */
export function nonEmpty<L extends readonly unknown[]>(list: L): L {
  if (list.length === 0) throw new Error('expected a non-empty list, got []');
  return list;
}
