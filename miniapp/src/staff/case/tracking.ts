// The staff twin of the citizen's tracking call: the card's post and the
// archive's transfer asked of HRSS live, within the agent's region; each
// call is an audited view of the case, so the page asks once per change.
import type { CaseTracking } from '@flexins/shared';
import { staffRequest } from '../services/http';

export const staffTracking = (caseNo: string) =>
  staffRequest<CaseTracking>('GET', `/api/staff/cases/${encodeURIComponent(caseNo)}/tracking`);
