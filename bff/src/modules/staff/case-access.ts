// How the staff side reads and changes a case: by its number, which is the
// case's `_id` (the one key FerretDB finds without reading every case), in
// one place.
import type { ApplicationCase, CaseModel } from '../applications/application.model';

export function findCase(cases: CaseModel, caseNo: string): Promise<ApplicationCase | null> {
  return cases.findOne({ _id: caseNo }).lean<ApplicationCase>().exec();
}

/** The filter that picks one case by number (plus conditions). */
export function caseFilter(caseNo: string, conditions: Record<string, unknown> = {}): Record<string, unknown> {
  return { _id: caseNo, ...conditions };
}

/** Applies an update to one case only if `conditions` hold; returns the case as written, or null. */
export function updateCase(
  cases: CaseModel,
  caseNo: string,
  conditions: Record<string, unknown>,
  update: Record<string, unknown>,
): Promise<ApplicationCase | null> {
  return cases.findOneAndUpdate(caseFilter(caseNo, conditions), update, { new: true }).lean<ApplicationCase>().exec();
}
