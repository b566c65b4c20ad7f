// The completion certificate (办结凭证): every outcome of the case and a
// verification code anyone can check at a public address, which shows only
// a masked summary.
import { randomBytes } from 'node:crypto';
import { MATTERS, type VerificationView } from '@flexins/shared';
import type { CaseModel } from '../applications/application.model';
import type { ApplicationCase } from '../applications/application.model';
import type { CaseListener } from '../processing/engine';

// Crockford base32 without look-alikes, read aloud over the phone easily.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newVerificationCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

const OUTCOME_LABELS: Record<string, string> = {
  delivered: '已办结',
  notNeeded: '无需办理',
  rejected: '不予办理',
  decided: '已核定',
};

export class CertificateService implements CaseListener {
  constructor(private readonly cases: CaseModel) {}

  /** Issued in the very write that completes the case. */
  completing(): Partial<ApplicationCase> {
    return { certificate: { code: newVerificationCode(), issuedAt: new Date() } };
  }

  /** The public check: a masked summary, nothing that identifies the person fully. */
  async verify(code: string): Promise<VerificationView | undefined> {
    const normalised = code.trim().toUpperCase();
    if (!/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(normalised)) return undefined;
    const caseDoc = await this.cases.findOne({ 'certificate.code': normalised }).lean<ApplicationCase>();
    if (!caseDoc?.certificate) return undefined;
    return {
      valid: true,
      caseNo: caseDoc.caseNo,
      applicant: { name: caseDoc.nameMasked, idNumber: caseDoc.idNumberMasked },
      completedAt: (caseDoc.completedAt ?? caseDoc.certificate.issuedAt).toISOString(),
      matters: MATTERS.map((m) => ({ name: m.name, outcome: OUTCOME_LABELS[caseDoc.matters[m.id].state] ?? '办理中' })),
    };
  }
}
