import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dimension of every stored embedding (OpenAI text-embedding-3-small). */
const EMBEDDING_DIMENSIONS = 1536;

/**
 * Both data models: generation runs, the e-commerce world (products, users, transactions, reviews)
 * and the agent dashboard (members, agents, conversations, daily metrics, cost records, audit logs).
 *
 * Every generated table is keyed by (run_id, id) and references its parents through composite keys
 * that include run_id, so a row can only point inside its own run and deleting a run cascades.
 * Only the top of each tree (products, users, members) references generation_runs directly: a
 * child reaches its run through its parent, and a redundant foreign key would cost a trigger per
 * bulk-inserted row for nothing.
 * Embeddings live in side tables whose column type depends on what the server offers: pgvector's
 * `vector(1536)` when `CREATE EXTENSION vector` succeeds, a checked `real[]` otherwise.
 */
export class Initial1795305600000 implements MigrationInterface {
  name = 'Initial1795305600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE generation_runs (
        id uuid NOT NULL,
        kind text NOT NULL,
        scenario_id text,
        seed integer NOT NULL,
        as_of timestamptz NOT NULL,
        status text NOT NULL,
        error text,
        input jsonb NOT NULL,
        row_counts jsonb NOT NULL DEFAULT '{}',
        fingerprint text,
        generator_version text NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_generation_runs PRIMARY KEY (id),
        CONSTRAINT ck_generation_runs_kind CHECK (kind IN ('SCENARIO', 'DASHBOARD')),
        CONSTRAINT ck_generation_runs_status CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
        CONSTRAINT ck_generation_runs_scenario_id CHECK (scenario_id IN
          ('A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4', 'CUSTOM')),
        CONSTRAINT ck_generation_runs_finished_after_started CHECK (finished_at >= started_at),
        CONSTRAINT ck_generation_runs_duration CHECK (duration_ms >= 0),
        CONSTRAINT ck_generation_runs_fingerprint CHECK (fingerprint ~ '^[0-9a-f]{64}$')
      )`);

    // ---- e-commerce world ----
    await q.query(`
      CREATE TABLE products (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        asin text NOT NULL,
        role text NOT NULL,
        title text NOT NULL,
        brand text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        price numeric(12,2) NOT NULL,
        star_rating numeric(2,1) NOT NULL,
        num_ratings integer NOT NULL,
        review_count integer NOT NULL,
        photos text[] NOT NULL,
        product_url text NOT NULL,
        is_mock boolean NOT NULL,
        CONSTRAINT pk_products PRIMARY KEY (run_id, id),
        CONSTRAINT uq_products_run_id_asin UNIQUE (run_id, asin),
        CONSTRAINT fk_products_run_id FOREIGN KEY (run_id) REFERENCES generation_runs (id) ON DELETE CASCADE,
        CONSTRAINT ck_products_asin CHECK (asin ~ '^B[0-9A-Z]{9}$'),
        CONSTRAINT ck_products_role CHECK (role IN ('MAIN', 'SIMILAR', 'DIVERSE')),
        CONSTRAINT ck_products_price CHECK (price >= 0),
        CONSTRAINT ck_products_star_rating CHECK (star_rating BETWEEN 0 AND 5),
        CONSTRAINT ck_products_num_ratings CHECK (num_ratings >= 0),
        CONSTRAINT ck_products_review_count CHECK (review_count >= 0)
      )`);
    await q.query(`
      CREATE TABLE users (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        age integer NOT NULL,
        location text NOT NULL,
        zip text NOT NULL,
        gender text NOT NULL,
        is_main_user boolean NOT NULL,
        total_purchases integer NOT NULL,
        total_reviews integer NOT NULL,
        reviews_without_purchase integer NOT NULL DEFAULT 0,
        review_engagement_rate numeric(5,4) NOT NULL,
        avg_review_rating numeric(3,2),
        sentiment_tendency text NOT NULL,
        engagement_level text NOT NULL,
        CONSTRAINT pk_users PRIMARY KEY (run_id, id),
        CONSTRAINT uq_users_run_id_email UNIQUE (run_id, email),
        CONSTRAINT fk_users_run_id FOREIGN KEY (run_id) REFERENCES generation_runs (id) ON DELETE CASCADE,
        CONSTRAINT ck_users_age CHECK (age BETWEEN 1 AND 149),
        CONSTRAINT ck_users_location CHECK (location ~ '^[^,]+, [A-Z]{2}$'),
        CONSTRAINT ck_users_zip CHECK (zip ~ '^[0-9]{5}$'),
        CONSTRAINT ck_users_totals CHECK (total_purchases >= 0 AND reviews_without_purchase >= 0),
        CONSTRAINT ck_users_reviews_need_purchases
          CHECK (total_reviews BETWEEN 0 AND total_purchases + reviews_without_purchase),
        CONSTRAINT ck_users_engagement_rate CHECK (review_engagement_rate BETWEEN 0 AND 1),
        CONSTRAINT ck_users_avg_review_rating CHECK (avg_review_rating BETWEEN 0 AND 5),
        CONSTRAINT ck_users_sentiment_tendency CHECK (sentiment_tendency IN ('POSITIVE', 'NEUTRAL', 'NEGATIVE')),
        CONSTRAINT ck_users_engagement_level CHECK (engagement_level IN ('LOW', 'MEDIUM', 'HIGH'))
      )`);
    await q.query(`
      CREATE TABLE transactions (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        product_id uuid NOT NULL,
        user_id uuid NOT NULL,
        order_date timestamptz NOT NULL,
        expected_delivery_date timestamptz NOT NULL,
        delivery_date timestamptz,
        return_date timestamptz,
        original_price numeric(12,2) NOT NULL,
        retail_price numeric(12,2) NOT NULL,
        status text NOT NULL,
        is_mock boolean NOT NULL,
        CONSTRAINT pk_transactions PRIMARY KEY (run_id, id),
        CONSTRAINT fk_transactions_run_id_product_id FOREIGN KEY (run_id, product_id)
          REFERENCES products (run_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_transactions_run_id_user_id FOREIGN KEY (run_id, user_id)
          REFERENCES users (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_transactions_status CHECK (status IN ('DELIVERED', 'RETURNED', 'PENDING')),
        CONSTRAINT ck_transactions_expected_after_order CHECK (expected_delivery_date >= order_date),
        CONSTRAINT ck_transactions_delivery_after_order CHECK (delivery_date >= order_date),
        CONSTRAINT ck_transactions_pending_undelivered CHECK ((status = 'PENDING') = (delivery_date IS NULL)),
        CONSTRAINT ck_transactions_return CHECK ((status = 'RETURNED') = (return_date IS NOT NULL)),
        CONSTRAINT ck_transactions_return_after_delivery CHECK (return_date >= delivery_date),
        CONSTRAINT ck_transactions_prices CHECK (retail_price > 0 AND retail_price <= original_price)
      )`);
    await q.query(`CREATE INDEX ix_transactions_run_id_product_id ON transactions (run_id, product_id)`);
    await q.query(`CREATE INDEX ix_transactions_run_id_user_id ON transactions (run_id, user_id)`);
    await q.query(`
      CREATE TABLE reviews (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        product_id uuid NOT NULL,
        user_id uuid NOT NULL,
        transaction_id uuid,
        title text NOT NULL,
        text text NOT NULL,
        stars integer NOT NULL,
        source text NOT NULL,
        reviewed_at timestamptz NOT NULL,
        CONSTRAINT pk_reviews PRIMARY KEY (run_id, id),
        CONSTRAINT uq_reviews_run_id_transaction_id UNIQUE (run_id, transaction_id),
        CONSTRAINT fk_reviews_run_id_product_id FOREIGN KEY (run_id, product_id)
          REFERENCES products (run_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_reviews_run_id_user_id FOREIGN KEY (run_id, user_id)
          REFERENCES users (run_id, id) ON DELETE CASCADE,
        CONSTRAINT fk_reviews_run_id_transaction_id FOREIGN KEY (run_id, transaction_id)
          REFERENCES transactions (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_reviews_stars CHECK (stars BETWEEN 1 AND 5),
        CONSTRAINT ck_reviews_source CHECK (source IN ('RAPIDAPI', 'AGENT_GENERATED', 'USER_SUBMITTED')),
        CONSTRAINT ck_reviews_text CHECK (length(btrim(text)) > 0 AND length(btrim(title)) > 0)
      )`);
    await q.query(`CREATE INDEX ix_reviews_run_id_product_id ON reviews (run_id, product_id)`);
    await q.query(`CREATE INDEX ix_reviews_run_id_user_id ON reviews (run_id, user_id)`);

    // ---- agent dashboard ----
    await q.query(`
      CREATE TABLE members (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        avatar_url text NOT NULL,
        role text NOT NULL,
        CONSTRAINT pk_members PRIMARY KEY (run_id, id),
        CONSTRAINT uq_members_run_id_email UNIQUE (run_id, email),
        CONSTRAINT fk_members_run_id FOREIGN KEY (run_id) REFERENCES generation_runs (id) ON DELETE CASCADE,
        CONSTRAINT ck_members_role CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER'))
      )`);
    await q.query(`
      CREATE TABLE agents (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        model text NOT NULL,
        status text NOT NULL,
        config_temperature numeric(3,2) NOT NULL,
        config_max_tokens integer NOT NULL,
        config_system_prompt text NOT NULL,
        created_by_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        last_active_at timestamptz,
        CONSTRAINT pk_agents PRIMARY KEY (run_id, id),
        CONSTRAINT fk_agents_run_id_created_by_id FOREIGN KEY (run_id, created_by_id)
          REFERENCES members (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_agents_status CHECK (status IN ('ACTIVE', 'INACTIVE', 'ERROR')),
        CONSTRAINT ck_agents_temperature CHECK (config_temperature BETWEEN 0 AND 2),
        CONSTRAINT ck_agents_max_tokens CHECK (config_max_tokens > 0),
        CONSTRAINT ck_agents_active_after_created CHECK (last_active_at >= created_at)
      )`);
    await q.query(`CREATE INDEX ix_agents_run_id_created_by_id ON agents (run_id, created_by_id)`);
    await q.query(`
      CREATE TABLE conversations (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        message_count integer NOT NULL,
        sentiment text NOT NULL,
        resolved boolean NOT NULL,
        response_time_ms integer NOT NULL,
        input_tokens integer NOT NULL,
        output_tokens integer NOT NULL,
        CONSTRAINT pk_conversations PRIMARY KEY (run_id, id),
        CONSTRAINT fk_conversations_run_id_agent_id FOREIGN KEY (run_id, agent_id)
          REFERENCES agents (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_conversations_ended_after_started CHECK (ended_at >= started_at),
        CONSTRAINT ck_conversations_message_count CHECK (message_count > 0),
        CONSTRAINT ck_conversations_sentiment CHECK (sentiment IN ('POSITIVE', 'NEUTRAL', 'NEGATIVE')),
        CONSTRAINT ck_conversations_counters
          CHECK (response_time_ms >= 0 AND input_tokens >= 0 AND output_tokens >= 0)
      )`);
    await q.query(
      `CREATE INDEX ix_conversations_run_id_agent_id_started_at ON conversations (run_id, agent_id, started_at)`,
    );
    await q.query(`
      CREATE TABLE daily_metrics (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        date date NOT NULL,
        conversations integer NOT NULL,
        avg_response_time_ms integer NOT NULL,
        success_rate numeric(5,4) NOT NULL,
        total_tokens_input integer NOT NULL,
        total_tokens_output integer NOT NULL,
        CONSTRAINT pk_daily_metrics PRIMARY KEY (run_id, id),
        CONSTRAINT uq_daily_metrics_run_id_agent_id_date UNIQUE (run_id, agent_id, date),
        CONSTRAINT fk_daily_metrics_run_id_agent_id FOREIGN KEY (run_id, agent_id)
          REFERENCES agents (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_daily_metrics_success_rate CHECK (success_rate BETWEEN 0 AND 1),
        CONSTRAINT ck_daily_metrics_counters CHECK (conversations >= 0 AND avg_response_time_ms >= 0
          AND total_tokens_input >= 0 AND total_tokens_output >= 0)
      )`);
    await q.query(`
      CREATE TABLE cost_records (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        agent_id uuid NOT NULL,
        date date NOT NULL,
        model text NOT NULL,
        input_tokens integer NOT NULL,
        output_tokens integer NOT NULL,
        total_cost numeric(14,6) NOT NULL,
        priced_run_id uuid,
        CONSTRAINT pk_cost_records PRIMARY KEY (run_id, id),
        CONSTRAINT fk_cost_records_priced_run_id FOREIGN KEY (priced_run_id)
          REFERENCES generation_runs (id) ON DELETE CASCADE,
        CONSTRAINT fk_cost_records_run_id_agent_id FOREIGN KEY (run_id, agent_id)
          REFERENCES agents (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_cost_records_counters CHECK (input_tokens >= 0 AND output_tokens >= 0 AND total_cost >= 0)
      )`);
    await q.query(
      `CREATE INDEX ix_cost_records_run_id_agent_id_date ON cost_records (run_id, agent_id, date)`,
    );
    await q.query(`CREATE INDEX ix_cost_records_priced_run_id ON cost_records (priced_run_id)`);
    await q.query(`
      CREATE TABLE audit_logs (
        run_id uuid NOT NULL,
        id uuid NOT NULL,
        member_id uuid NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        occurred_at timestamptz NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT pk_audit_logs PRIMARY KEY (run_id, id),
        CONSTRAINT fk_audit_logs_run_id_member_id FOREIGN KEY (run_id, member_id)
          REFERENCES members (run_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_audit_logs_action CHECK (action IN ('agent.created', 'agent.updated', 'agent.deleted',
          'agent.started', 'agent.stopped', 'config.changed', 'user.login', 'user.logout', 'policy.updated',
          'export.requested'))
      )`);
    await q.query(
      `CREATE INDEX ix_audit_logs_run_id_member_id_occurred_at ON audit_logs (run_id, member_id, occurred_at)`,
    );

    // ---- embeddings: pgvector where the server has it, a checked real[] where it does not ----
    await q.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS vector;
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pgvector is not available (%); embeddings are stored as real[]', SQLERRM;
      END
      $$`);
    const [{ present }] = await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS present`,
    );
    const column = present
      ? `embedding vector(${EMBEDDING_DIMENSIONS}) NOT NULL`
      : `embedding real[] NOT NULL CHECK (array_ndims(embedding) = 1 AND cardinality(embedding) = ${EMBEDDING_DIMENSIONS})`;
    for (const owner of ['product', 'user', 'review']) {
      const table = `${owner}s`;
      await q.query(`
        CREATE TABLE ${owner}_embeddings (
          run_id uuid NOT NULL,
          ${owner}_id uuid NOT NULL,
          model text NOT NULL,
          ${column},
          CONSTRAINT pk_${owner}_embeddings PRIMARY KEY (run_id, ${owner}_id),
          CONSTRAINT fk_${owner}_embeddings_owner FOREIGN KEY (run_id, ${owner}_id)
            REFERENCES ${table} (run_id, id) ON DELETE CASCADE
        )`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'review_embeddings',
      'user_embeddings',
      'product_embeddings',
      'audit_logs',
      'cost_records',
      'daily_metrics',
      'conversations',
      'agents',
      'members',
      'reviews',
      'transactions',
      'users',
      'products',
      'generation_runs',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
