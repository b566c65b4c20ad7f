// The one form in short sections, and its checks: the precompiled validator of
// the same schema the BFF checks with, its errors in the same Chinese words,
// each put beside its field.
import {
  APPLICATION_FORM_SCHEMA,
  describeSchemaErrors,
  type ApplicationDraft,
  type FieldErrors,
} from '@flexins/shared';
import { validateApplicationForm } from '../generated/validate-application-form';

export type SectionId = 'employment' | 'archive' | 'pension' | 'card' | 'payment';

export interface Section {
  id: SectionId;
  title: string;
  /** The form's top-level fields this section fills. */
  paths: readonly string[];
}

export const SECTIONS: readonly Section[] = [
  { id: 'employment', title: '就业情况和居住地', paths: ['employment', 'residenceRegionCode'] },
  { id: 'archive', title: '人事档案', paths: ['archive'] },
  { id: 'pension', title: '养老保险缴费档次', paths: ['pension'] },
  { id: 'card', title: '社保卡和邮寄地址', paths: ['card'] },
  { id: 'payment', title: '缴费月份', paths: ['payment'] },
];

export function sectionsFor(withCard: boolean): readonly Section[] {
  return withCard ? SECTIONS : SECTIONS.filter((s) => s.id !== 'card');
}

/**
 * The draft as a submission: every section present even when nothing in it is answered yet, so
 * each gap is said beside its own field (请选择人事档案现在在哪里), not as a whole section
 * missing; a card when one is applied for, else none.
 */
export function asForm(draft: ApplicationDraft, withCard: boolean): Record<string, unknown> {
  const { card, employment, archive, pension, payment, ...rest } = draft;
  const sections = {
    employment: { ...employment },
    archive: { ...archive },
    pension: { ...pension },
    payment: { ...payment },
  };
  if (!withCard) return { ...rest, ...sections };
  return { ...rest, ...sections, card: { ...card, mailingAddress: { ...card?.mailingAddress } } };
}

/** Every problem of the form, keyed by dotted path. */
export function checkForm(draft: ApplicationDraft, withCard: boolean): FieldErrors {
  if (validateApplicationForm(asForm(draft, withCard))) return {};
  return describeSchemaErrors(APPLICATION_FORM_SCHEMA, validateApplicationForm.errors ?? []);
}

export function inSection(errors: FieldErrors, section: Section): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => section.paths.some((p) => path === p || path.startsWith(`${p}.`))),
  );
}

/**
 * The messages already shown, after an answer changed: the answered field's goes, and so does any
 * the answer made moot (the rest are said anew); none is added while the citizen is still filling in.
 */
export function errorsAfterChange(shown: FieldErrors, path: string, now: () => FieldErrors): FieldErrors {
  if (Object.keys(shown).length === 0) return shown;
  const current = now();
  return Object.fromEntries(
    Object.keys(shown)
      .filter((key) => key !== path && key in current)
      .map((key) => [key, current[key]!]),
  );
}

/** A copy of `draft` with `value` at the dotted `path`. */
export function setIn(draft: ApplicationDraft, path: string, value: unknown): ApplicationDraft {
  const copy = JSON.parse(JSON.stringify(draft)) as Record<string, unknown>;
  const segments = path.split('.');
  let node = copy;
  for (const segment of segments.slice(0, -1)) {
    if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1]!;
  if (value === undefined || value === '') delete node[last];
  else node[last] = value;
  return copy as ApplicationDraft;
}

/** `2026-11` → `2026年11月`. */
export function chineseMonth(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** `2026-11` plus n months. */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
