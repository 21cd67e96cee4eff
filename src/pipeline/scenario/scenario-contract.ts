import type { EntityManager } from 'typeorm';
import type { ContractCheck } from '../../../entities/contract-check';
import { ContractChecks } from '../contract-checks';
import type { Contract } from './contract/contract';
import { checkEmbeddings } from './contract/embeddings';
import { checkProducts } from './contract/products';
import { checkPurchases } from './contract/purchases';
import { checkReviews } from './contract/reviews';
import { checkUsers } from './contract/users';
import type { ScenarioRequest } from './scenario-request';

/**
 * The proof that a scenario run is what its scenario promises, computed with SQL from the rows as
 * stored — inside the run's transaction, after every row is written and before it commits — and
 * compared with what the scenario table and the order rules (ORDER_RULES, ENGAGEMENT_RULES) say,
 * never with numbers the generator reported. A run that fails any check is rolled back. Each part
 * (products, users, purchases, reviews, embeddings) is a function with its SQL in contract/.
 */
export async function checkScenario(
  manager: EntityManager,
  runId: string,
  request: ScenarioRequest,
): Promise<ContractCheck[]> {
  const contract: Contract = { manager, runId, request, checks: new ContractChecks() };
  const products = await checkProducts(contract);
  if (products) {
    await checkUsers(contract);
    await checkPurchases(contract);
    await checkReviews(contract, products);
    if (request.embeddings) await checkEmbeddings(contract);
  }
  return contract.checks.list;
}
