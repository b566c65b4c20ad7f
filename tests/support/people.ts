// Fresh eligible people for load, chaos and crash runs: valid ID numbers,
// added to every simulator's roster through its admin API at run time.
import { makeIdNumber } from '@flexins/shared';
import type { RosterPerson } from '../../bff/simulators/roster';
import { DEPARTMENTS } from '../../scripts/lib/simulators';
import type { Stack } from './stack';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '马', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高'];
const GIVEN = ['建国', '秀英', '海燕', '志强', '丽娟', '晓东', '文华', '春梅', '国庆', '玉兰', '永红', '德明'];
const COUNTIES = ['640104', '640105', '640106', '640121', '640202', '640302', '640402', '640502'];

/** `count` eligible flexible workers; `batch` (0–99) keeps runs in one database apart. */
export function makePeople(count: number, batch: number): RosterPerson[] {
  return Array.from({ length: count }, (_, i) => {
    const n = batch * 1000 + i;
    const county = COUNTIES[i % COUNTIES.length]!;
    const year = 1975 + (i % 20);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
    const sex = i % 2 === 0 ? 'male' : 'female';
    // The 17th digit's parity gives the sex (odd = male).
    const seq = String((Math.floor(n / 10) % 50) * 10 + (n % 10)).padStart(3, '0');
    let sequence = seq;
    const odd = Number(sequence[2]) % 2 === 1;
    if (odd !== (sex === 'male')) sequence = `${sequence.slice(0, 2)}${(Number(sequence[2]) + 1) % 10}`;
    return {
      key: `load-${batch}-${i}`,
      label: `压测人员 ${batch}-${i}`,
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 5) % GIVEN.length]}`,
      idNumber: makeIdNumber(county, `${year}-${month}-${day}`, sequence),
      sex,
      birthDate: `${year}-${month}-${day}`,
      ethnicity: '汉族',
      phone: `1990${String(200000 + n).padStart(7, '0')}`,
      household: { regionCode: county, address: `宁夏测试路 ${i + 1} 号` },
      faceCheck: 'pass',
      employmentType: 'flexible',
      archiveLocation: '原工作单位',
      enrollments: [],
      expected: {
        rule1: true,
        rule2: true,
        card: 'apply',
        backPaymentOffline: false,
        age: true,
        residence: true,
        rule5: true,
        faceCheck: true,
      },
    } as RosterPerson;
  });
}

/** Adds them to every simulator (each keeps its own records). */
export async function enroll(stack: Stack, people: readonly RosterPerson[]): Promise<void> {
  for (const person of people) {
    const { expected: _expected, ...body } = person;
    for (const department of DEPARTMENTS) {
      const added = await stack.admin(department, 'POST', '/admin/people', body);
      if (added.status !== 201)
        throw new Error(`adding ${person.key} to ${department}: ${added.status} ${JSON.stringify(added.body)}`);
    }
  }
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!, index);
      }
    }),
  );
  return results;
}
