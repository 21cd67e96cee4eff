import { graphql } from './gql';

/**
 * The operations this client sends. `npm run codegen` turns each into a typed document: its result
 * and variables are checked by the compiler against schema.graphql.
 */

export const EstimateScenario = graphql(`
  query EstimateScenario($input: GenerateScenarioInput!) {
    costEstimate(input: $input) {
      provider
      model
      phases {
        phase
        kind
        calls
        inputTokens
        costHighUsd
      }
      totals {
        calls
        costLowUsd
        costHighUsd
      }
    }
  }
`);

export const GenerateScenario = graphql(`
  mutation GenerateScenario($input: GenerateScenarioInput!) {
    generateScenario(input: $input) {
      id
      status
      scenarioId
      asOf
      fingerprint
      error
      rowCounts {
        products
        users
        transactions
        reviews
      }
    }
  }
`);

export const RunWorld = graphql(`
  query RunWorld($id: ID!) {
    run(id: $id) {
      id
      products(first: 3) {
        nodes {
          title
          role
          category
          price
          reviews(first: 2) {
            totalCount
            nodes {
              stars
              title
              reviewedAt
              user {
                name
                location
              }
            }
          }
        }
      }
    }
  }
`);

export const ReviewPage = graphql(`
  query ReviewPage($runId: ID!, $after: String) {
    reviews(first: 40, after: $after, filter: { runId: $runId }) {
      totalCount
      nodes {
        id
        stars
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const GenerateDashboard = graphql(`
  mutation GenerateDashboard($input: GenerateDashboardInput) {
    generateDashboard(input: $input) {
      id
      status
    }
  }
`);

export const DashboardSummary = graphql(`
  query DashboardSummary($runId: ID!, $from: LocalDate, $to: LocalDate) {
    overview(runId: $runId) {
      agentCount
      conversationCount
      successRate
      totalCost
      from
      to
    }
    costSummary(runId: $runId, groupBy: MODEL, from: $from, to: $to) {
      groups {
        label
        records
        totalCost
      }
      totals {
        records
        totalCost
      }
    }
  }
`);
