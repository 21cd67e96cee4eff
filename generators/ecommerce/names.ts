/**
 * First and last names from many origins, so a crowd of mock shoppers looks like the US rather
 * than one locale's name list: common US first names next to Latin American, South and East Asian,
 * Middle Eastern, African, African American, European and Pacific ones, and the most common US
 * surnames (census) next to those of many origins. Large enough that a crowd of 25,000 shoppers
 * needs no repeat (see users.ts: each shopper's name is a distinct pair).
 * The lists are data: names.json.
 */
import NAMES from './names.json';

export const FEMALE_FIRST_NAMES: string[] = NAMES.femaleFirstNames;
export const MALE_FIRST_NAMES: string[] = NAMES.maleFirstNames;
export const LAST_NAMES: string[] = NAMES.lastNames;
export const EMAIL_DOMAINS: string[] = NAMES.emailDomains;
