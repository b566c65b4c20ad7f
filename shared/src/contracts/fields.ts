// Schema pieces more than one contract (and the one form) uses, so a rule
// for a field lives in one place.
import { NINGXIA_CITIES } from '../regions';

const COUNTIES = NINGXIA_CITIES.flatMap((city) =>
  city.counties.map((county) => ({ code: county.code, label: `${city.name}${county.name}` })),
);

/** A current Ningxia county (县、市、区), as the picker offers them, under the given title. */
export function countyField(title: string) {
  return {
    type: 'string',
    title,
    enum: COUNTIES.map((c) => c.code),
    'x-enum-labels': Object.fromEntries(COUNTIES.map((c) => [c.code, c.label])),
  } as const;
}

/** A resident ID number as the departments take it (the check digit is each system's own check). */
export const ID_NUMBER_FIELD = {
  type: 'string',
  title: '身份证号',
  pattern: '^\\d{17}[\\dX]$',
  'x-format-hint': '应为 18 位公民身份号码，最后一位可为 X',
} as const;
