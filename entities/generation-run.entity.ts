import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { JSONObjectScalar } from './scalars';
import { RunKind, RunScenarioId, RunStatus, ScenarioId, sqlValues } from './enums';
import { ContractCheck } from './contract-check';
import { RowCounts, ZERO_COUNTS, type RowCountsShape } from './row-counts';
import { TextReport } from './text-report';
import { CostEstimateInfo } from './cost-estimate';
import { RunProgress } from './run-progress';

/** One row per generation: its input, outcome, row counts and the fingerprint of what it wrote. */
@ObjectType({ description: 'One generation of data: its input, outcome, counts and fingerprint.' })
@Entity('generation_runs')
@Check('ck_generation_runs_kind', `kind IN (${sqlValues(RunKind)})`)
@Check('ck_generation_runs_status', `status IN (${sqlValues(RunStatus)})`)
@Check('ck_generation_runs_scenario_id', `scenario_id IN (${sqlValues(RunScenarioId)})`)
@Check('ck_generation_runs_finished_after_started', 'finished_at >= started_at')
@Check('ck_generation_runs_duration', 'duration_ms >= 0')
@Check('ck_generation_runs_fingerprint', "fingerprint ~ '^[0-9a-f]{64}$'")
@Check(
  'ck_generation_runs_base_scenario_id',
  `base_scenario_id IN (${sqlValues(RunScenarioId)}) AND base_scenario_id <> 'CUSTOM'`,
)
@Check('ck_generation_runs_custom_has_base', "scenario_id <> 'CUSTOM' OR base_scenario_id IS NOT NULL")
@Check('ck_generation_runs_attempts', 'attempts >= 0')
@Index('ix_generation_runs_status', ['status'])
@Unique('uq_generation_runs_idempotency_key', ['idempotencyKey'])
export class GenerationRun {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id!: string;

  @Field(() => RunKind)
  @Column('text')
  kind!: RunKind;

  @Field(() => RunScenarioId, {
    nullable: true,
    description: 'Scenario of a SCENARIO run (CUSTOM when counts were overridden).',
  })
  @Column('text', { nullable: true })
  scenarioId!: RunScenarioId | null;

  @Field(() => ScenarioId, {
    nullable: true,
    description: 'The scenario whose table row a SCENARIO run follows (the base of a CUSTOM run).',
  })
  @Column('text', { nullable: true })
  baseScenarioId!: ScenarioId | null;

  @Field(() => Int, { description: 'Seed every generator of the run was derived from.' })
  @Column('integer')
  seed!: number;

  @Field(() => Date, { description: 'Reference date: every generated date is relative to it.' })
  @Column('timestamptz')
  asOf!: Date;

  @Field(() => RunStatus)
  @Column('text')
  status!: RunStatus;

  @Field(() => String, { nullable: true, description: 'Why the run failed, when it did.' })
  @Column('text', { nullable: true })
  error!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The validated input the run was started with.' })
  @Column('jsonb')
  input!: Record<string, unknown>;

  @Field(() => RowCounts)
  @Column('jsonb', {
    default: () => "'{}'",
    transformer: {
      to: (v: RowCountsShape | undefined) => v,
      from: (v: Partial<RowCountsShape> | null) => ({ ...ZERO_COUNTS, ...(v ?? {}) }),
    },
  })
  rowCounts!: RowCountsShape;

  @Field(() => [ContractCheck], {
    description:
      'The rules the run was checked against before its rows were committed (empty until checked).',
  })
  @Column('jsonb', { default: () => "'[]'" })
  contract!: ContractCheck[];

  @Field(() => TextReport, {
    nullable: true,
    description: 'How the run’s text was written, and every LLM call it made.',
  })
  @Column('jsonb', {
    nullable: true,
    // Reports stored before the circuit breaker existed lack its fields.
    transformer: {
      to: (value: TextReport | null) => value,
      from: (value: Partial<TextReport> | null) =>
        value && ({ breakerReason: null, breakerSkippedCalls: 0, ...value } as TextReport),
    },
  })
  textReport!: TextReport | null;

  @Field(() => CostEstimateInfo, {
    nullable: true,
    description:
      'What the run was expected to cost, estimated when it started (runs with the LLM on; null offline). ' +
      'Compare with actualCostUsd, or per phase with costByPhase.',
  })
  @Column('jsonb', { nullable: true })
  costEstimate!: CostEstimateInfo | null;

  @Field(() => String, { nullable: true, description: 'sha256 over the canonical rows the run wrote.' })
  @Column('text', { nullable: true })
  fingerprint!: string | null;

  @Field({ description: 'Version of the generators (and pinned libraries) that produced the rows.' })
  @Column('text')
  generatorVersion!: string;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  @Column('integer', { nullable: true })
  durationMs!: number | null;

  @Field(() => Date)
  @Column('timestamptz', { default: () => 'now()' })
  createdAt!: Date;

  @Field(() => RunProgress, {
    nullable: true,
    description: 'Phase and rows written so far (null before a worker picks the run up).',
  })
  @Column('jsonb', { nullable: true })
  progress!: RunProgress | null;

  /** What a worker runs: the resolved request (not exposed; `input` is its public form). */
  @Column('jsonb', { nullable: true })
  request!: Record<string, unknown> | null;

  /** Set by cancelRun/deleteRun; the worker running the run stops at its next chunk. */
  @Column('boolean', { default: false })
  cancelRequested!: boolean;

  @Field(() => String, { nullable: true, description: 'The idempotency key the run was started with.' })
  @Column('text', { nullable: true })
  idempotencyKey!: string | null;

  /** sha256 of the normalized input, to tell a repeated key with a different input. */
  @Column('text', { nullable: true })
  inputHash!: string | null;

  @Field(() => Int, { description: 'How many times a worker started the run (more than 1 after a crash).' })
  @Column('integer', { default: 0 })
  attempts!: number;

  /** Stamped every few seconds by the worker that has the run: a stale one means its owner is gone. */
  @Column('timestamptz', { nullable: true })
  heartbeatAt!: Date | null;

  /** The worker (host/pid) that last claimed the run. */
  @Column('text', { nullable: true })
  worker!: string | null;

  /** A failed or cancelled run whose partial rows are still to be removed (by the periodic sweep). */
  @Column('boolean', { default: false })
  rowsPending!: boolean;
}
