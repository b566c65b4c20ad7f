import { evaluateEligibility, type EligibilityFacts } from '@flexins/shared';
import mongoose from 'mongoose';
import { storedVerdict, verdictOf } from '../stored-verdict';

const { BSON } = mongoose.mongo;

const base: EligibilityFacts = {
  answers: { employmentType: 'flexible', wantsBackPayment: false, wantsSpecialPayment: false },
  person: { birthDate: '1990-05-01', sex: 'male', household: { regionCode: '640104' } },
  enrollments: [],
  holdsNingxiaCard: false,
  businesses: [],
  faceCheckPassed: true,
};

describe('the verdict as kept with the applicant', () => {
  it.each([
    ['all passed', base],
    ['face check still to come (pending)', { ...base, faceCheckPassed: undefined }],
    [
      'a Ningxia card held (not needed) and back payment wanted (offline)',
      {
        ...base,
        holdsNingxiaCard: true,
        answers: { ...base.answers, wantsBackPayment: true },
      },
    ],
    [
      'an employer with employees (refused)',
      { ...base, answers: { ...base.answers, employmentType: 'employerWithEmployees' } },
    ],
  ] as [string, EligibilityFacts][])('%s: reads back as the verdict made, at a fraction of its size', (_, facts) => {
    const verdict = evaluateEligibility(facts, '2026-12-01');
    const stored = storedVerdict(verdict);
    expect(verdictOf(JSON.parse(JSON.stringify(stored)))).toEqual(verdict);
    expect(BSON.calculateObjectSize(stored)).toBeLessThan(BSON.calculateObjectSize(verdict) / 2);
  });

  it('a verdict stored whole (before the compact shape) reads as it is', () => {
    const verdict = evaluateEligibility(base, '2026-12-01');
    expect(verdictOf(JSON.parse(JSON.stringify(verdict)))).toEqual(verdict);
  });

  it('the earlier compact shape (a passed rule as an object without its texts) reads too', () => {
    const verdict = evaluateEligibility(base, '2026-12-01');
    const earlier = { ...verdict, rules: verdict.rules.map(({ id, status }) => ({ id, status })) };
    expect(verdictOf(earlier)).toEqual(verdict);
  });
});
