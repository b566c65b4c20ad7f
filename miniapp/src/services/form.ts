// The one form in short sections, and its checks: the precompiled validator of
// the same schema the BFF checks with, its errors in the same Chinese words,
// each put beside its field.
import {
  APPLICATION_FORM_SCHEMA,
  describeSchemaErrors,
  type ApplicationDraft,
  type FieldErrors,
} from '@flexins/shared';
import { validateApplicationForm } from '../generated/validators';

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

/** The draft as a submission: a card when one is applied for (even half-filled, so its gaps show), else none. */
export function asForm(draft: ApplicationDraft, withCard: boolean): Record<string, unknown> {
  const { card, ...rest } = draft;
  if (!withCard) return { ...rest };
  return { ...rest, card: { ...card, mailingAddress: { ...card?.mailingAddress } } };
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
