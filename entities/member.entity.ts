import { Field, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { MemberRole, sqlValues } from './enums';
import { GenerationRun } from './generation-run.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** A user of the agent-monitoring dashboard (not a shopper: see User for those). */
@ObjectType({ description: 'A user of the agent-monitoring dashboard.' })
@Entity('members')
@Unique(['runId', 'email'])
@Check('ck_members_role', `role IN (${sqlValues(MemberRole)})`)
export class Member extends RunScopedEntity {
  @Field()
  @Column('text')
  name!: string;

  @Field()
  @Column('text')
  email!: string;

  @Field()
  @Column('text')
  avatarUrl!: string;

  @Field(() => MemberRole)
  @Column('text')
  role!: MemberRole;

  @ManyToOne(() => GenerationRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<GenerationRun>;
}
