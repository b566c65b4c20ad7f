// What the HRSS tests share: a signed call that keeps the whole reply (the
// GatewayClient's outcome drops `error.details`, where a 409 carries the
// existing number), a clock the tests move, roster look-ups, and the steps
// that bring a person up to a given matter.
import { randomUUID } from 'node:crypto';
import { check } from '@flexins/shared/server';
import {
  HRSS_EMPLOYMENT_REGISTRATION_REPLY,
  HRSS_PENSION_REGISTRATION_REPLY,
  type HrssEmploymentRegistrationReply,
  type HrssPensionRegistrationReply,
} from '@flexins/shared';
import { findPerson, type RosterPerson } from '../../roster';
import { signedPost, type SignedReply, type TestSimulator } from '../../test-support';

export type Reply = SignedReply;

/** A signed POST; writes get a fresh Idempotency-Key unless one is given (`null`: none). */
export function post(sim: TestSimulator, path: string, body: unknown, key?: string | null): Promise<Reply> {
  return signedPost(sim, path, body, key === undefined ? randomUUID() : key);
}

/** Fails the test with the schema's complaints when `value` breaks it. */
export function expectValid(schema: object, value: unknown): void {
  const checked = check(schema, value);
  expect(checked.ok ? 'valid' : checked.fields).toBe('valid');
}

export function person(key: string): RosterPerson {
  const found = findPerson(key);
  if (!found) throw new Error(`no roster person ${key}`);
  return found;
}

/**
 * The simulator's clock, moved by the test: progress over time is then
 * shown step by step without sleeping.
 */
export function useClock(sim: TestSimulator, start = new Date('2026-11-29T02:00:00Z')) {
  let now = start.getTime();
  beforeAll(() => {
    sim.running.deps.now = () => new Date(now);
  });
  return {
    get now() {
      return new Date(now);
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

/** The county the person lives in: household in Ningxia, else the residence permit's. */
export function homeCounty(p: RosterPerson): string {
  const code = p.household.regionCode.startsWith('64') ? p.household.regionCode : p.residencePermit?.regionCode;
  if (!code) throw new Error(`${p.key} lives outside Ningxia`);
  return code;
}

export function employmentBody(p: RosterPerson, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: p.idNumber,
    name: p.name,
    employmentType: p.employmentType,
    startDate: '2026-11-01',
    residenceRegionCode: homeCounty(p),
    ...overrides,
  };
}

/** The person's employment registration number, registering first if there is none yet. */
export async function employmentNoOf(sim: TestSimulator, p: RosterPerson): Promise<string> {
  const [existing] = await sim.records('employment_registrations', p.idNumber);
  return existing ? (existing.registrationNo as string) : registerEmployment(sim, p);
}

/** A roster person turned into a new admin-added one (no `expected`), with changes. */
export function newPerson(from: string, changes: Partial<RosterPerson>): RosterPerson {
  const { expected, ...base } = person(from);
  return { ...base, ...changes, expected };
}

export async function registerEmployment(sim: TestSimulator, p: RosterPerson): Promise<string> {
  const reply = await post(sim, '/hrss/v1/employment-registrations', employmentBody(p));
  expect(reply.status).toBe(200);
  expectValid(HRSS_EMPLOYMENT_REGISTRATION_REPLY, reply.body);
  return (reply.body as HrssEmploymentRegistrationReply).registrationNo;
}

export function pensionBody(
  p: RosterPerson,
  employmentRegistrationNo: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    idNumber: p.idNumber,
    name: p.name,
    employmentRegistrationNo,
    baseGradePercent: 100,
    residenceRegionCode: homeCounty(p),
    ...overrides,
  };
}

/** Employment, then pension registration; returns the pension reply. */
export async function registerUpToPension(sim: TestSimulator, p: RosterPerson): Promise<HrssPensionRegistrationReply> {
  const employmentNo = await registerEmployment(sim, p);
  const reply = await post(sim, '/hrss/v1/pension-registrations', pensionBody(p, employmentNo));
  expect(reply.status).toBe(200);
  expectValid(HRSS_PENSION_REGISTRATION_REPLY, reply.body);
  return reply.body as HrssPensionRegistrationReply;
}
