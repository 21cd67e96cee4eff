import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { JSONObjectScalar } from './scalars';
import { AuditAction, sqlValues } from './enums';
import { Member } from './member.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** Something a dashboard member did. */
@ObjectType({ description: 'Something a dashboard member did.' })
@Entity('audit_logs')
@Index(['runId', 'memberId', 'occurredAt'])
@Check('ck_audit_logs_action', `action IN (${sqlValues(AuditAction)})`)
export class AuditLog extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  memberId!: string;

  @Field(() => AuditAction)
  @Column('text')
  action!: AuditAction;

  @Field({ description: 'Kind of object acted on, e.g. "agent", "policy", "session".' })
  @Column('text')
  targetType!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  targetId!: string | null;

  @Field(() => Date)
  @Column('timestamptz')
  occurredAt!: Date;

  @Field(() => JSONObjectScalar)
  @Column('jsonb', { default: () => "'{}'" })
  metadata!: Record<string, unknown>;

  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'member_id', referencedColumnName: 'id' },
  ])
  member?: Relation<Member>;
}
