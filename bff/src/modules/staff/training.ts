// Training mode (培训模式): a training account reads, serves and acts on
// training people (the identity platform's training roster) and training
// cases only; a real account on real ones only. This is the one check of it,
// made by every staff action on a person or a case; a refusal is audited
// before it is answered, like any other staff action.
import type { AuditAction } from '@flexins/shared';
import type { StaffPrincipal } from '../../platform/auth';
import { AppError } from '../../platform/errors';
import { AUDIT_ACTION_LABELS } from '../audit/audit.model';
import type { AuditService } from '../audit/audit.service';

/** A person or a case: training (true) or real (false or absent). */
export interface TrainingMark {
  training?: boolean;
}

export function sameMode(staff: Pick<StaffPrincipal, 'training'>, subject: TrainingMark): boolean {
  return Boolean(subject.training) === staff.training;
}

/** What was being attempted, for the audit entry of a refusal. */
export interface Attempt {
  action: AuditAction;
  caseNo?: string;
  /** Masked, as in any audit entry (`idNumber:640104********1234`). */
  target?: string;
}

/** Passes when the person or case is of the staff member's mode; otherwise audits the attempt and refuses it. */
export async function requireSameMode(
  audit: AuditService,
  staff: StaffPrincipal,
  subject: TrainingMark,
  attempt: Attempt,
): Promise<void> {
  if (sameMode(staff, subject)) return;
  await audit.append({
    staffId: staff.staffId,
    role: staff.role,
    regionCode: staff.regionCode,
    training: staff.training,
    action: 'trainingRefused',
    ...(attempt.caseNo ? { caseNo: attempt.caseNo } : {}),
    ...(attempt.target ? { target: attempt.target } : {}),
    detail: `${AUDIT_ACTION_LABELS[attempt.action]}：${
      staff.training ? '培训账号不能办理真实群众的业务' : '真实账号不能办理培训人员的业务'
    }`,
  });
  throw new AppError(staff.training ? 'TRAINING_ONLY' : 'TRAINING_PERSON');
}
