import { MATTERS, STATUTORY_TOTAL_DAYS, matterById } from '../matters';

describe('the six matters', () => {
  it('are six, and add up to the 82 working days of the work plan', () => {
    expect(MATTERS).toHaveLength(6);
    expect(STATUTORY_TOTAL_DAYS).toBe(82);
  });

  it('depend only on matters that exist, with employment registration first', () => {
    const ids = new Set(MATTERS.map((m) => m.id));
    for (const matter of MATTERS) for (const dep of matter.dependsOn) expect(ids.has(dep)).toBe(true);
    expect(matterById('employmentRegistration').dependsOn).toEqual([]);
    expect(matterById('premiumDeclaration').dependsOn.sort()).toEqual(['medicalRegistration', 'pensionRegistration']);
    expect(matterById('socialSecurityCard').dependsOn).toEqual(['pensionRegistration']);
  });
});
