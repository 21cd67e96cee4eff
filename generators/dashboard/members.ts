import type { Faker } from '@faker-js/faker';
import { MemberRole } from '../../entities/enums';
import type { Member } from '../../entities/member.entity';
import { allocate } from '../allocate';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from '../ecommerce/names';

export type MemberRow = Omit<Member, 'run'>;

/** The email domain of the demo organisation the dashboard belongs to. */
export const ORG_DOMAIN = 'acme-ai.example';

/** Admins / operators / viewers for `count` members: 20/40/40 by largest remainder, at least one admin. */
export function roleCounts(count: number): [number, number, number] {
  const [admins, operators] = allocate(count, [2, 4, 4]);
  const a = Math.max(1, admins);
  const o = Math.min(operators, count - a);
  return [a, o, count - a - o];
}

/**
 * Dashboard members: 2 admins, 4 operators and 4 viewers at the default 10, the same 20/40/40
 * proportions (exactly, by largest remainder, at least one admin) when scaled; realistic names,
 * unique work emails and avatar URLs.
 */
export function generateMembers(faker: Faker, runId: string, count: number): MemberRow[] {
  const [admins, operators, viewers] = roleCounts(count);
  const roles = [
    ...Array<MemberRole>(admins).fill(MemberRole.ADMIN),
    ...Array<MemberRole>(operators).fill(MemberRole.OPERATOR),
    ...Array<MemberRole>(viewers).fill(MemberRole.VIEWER),
  ];
  const taken = new Set<string>();
  return roles.map((role) => {
    const first = faker.helpers.arrayElement(
      faker.datatype.boolean() ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES,
    );
    const last = faker.helpers.arrayElement(LAST_NAMES);
    const local = `${first}.${last}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '');
    let email = `${local}@${ORG_DOMAIN}`;
    for (let n = 2; taken.has(email); n++) email = `${local}${n}@${ORG_DOMAIN}`;
    taken.add(email);
    const id = faker.string.uuid();
    return {
      runId,
      id,
      name: `${first} ${last}`,
      email,
      avatarUrl: `https://api.dicebear.com/9.x/personas/svg?seed=${id}`,
      role,
    };
  });
}
