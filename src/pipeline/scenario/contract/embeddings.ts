import { facts, type Contract } from './contract';

/** Embeddings: a vector for every product, user and review. */
export async function checkEmbeddings(contract: Contract): Promise<void> {
  const { request, checks } = contract;
  const check = checks.check.bind(checks);
  if (request.embeddings) {
    const e = await facts<Record<string, number>>(contract, EMBEDDING_COVERAGE);
    check(
      'embeddings.coverage',
      `${e.products}/${e.users}/${e.reviews}`,
      `${e.product_vectors}/${e.user_vectors}/${e.review_vectors}`,
    );
  }
}

const EMBEDDING_COVERAGE = `SELECT (SELECT count(*) FROM products WHERE run_id = $1)::int AS products,
              (SELECT count(*) FROM product_embeddings WHERE run_id = $1)::int AS product_vectors,
              (SELECT count(*) FROM users WHERE run_id = $1)::int AS users,
              (SELECT count(*) FROM user_embeddings WHERE run_id = $1)::int AS user_vectors,
              (SELECT count(*) FROM reviews WHERE run_id = $1)::int AS reviews,
              (SELECT count(*) FROM review_embeddings WHERE run_id = $1)::int AS review_vectors`;
