// In-app messages (站内消息): every state change of a citizen's case is a
// timeline entry of the case, and the messages are those entries — one
// record of what happened, read two ways, and no extra write per change.
// Training cases (staff practice) are not the citizen's and send none.
import type { MessageView } from '@flexins/shared';
import { eventText, type ApplicationCase, type CaseModel } from '../applications/application.model';
import type { ApplicantModel } from '../citizens/applicant.model';

/** How many of the person's newest cases the messages come from. */
const CASES_SHOWN = 3;

export class MessageService {
  constructor(
    private readonly applicants: ApplicantModel,
    private readonly cases: CaseModel,
  ) {}

  async list(applicantId: string, limit = 50): Promise<MessageView[]> {
    const record = await this.applicants.findById(applicantId).lean();
    if (!record) return [];
    const readAt = record.messagesReadAt ? new Date(record.messagesReadAt).getTime() : 0;
    const views: MessageView[] = [];
    for (const caseDoc of await this.casesOf(record.caseNos ?? [])) {
      caseDoc.events.forEach((event, index) => {
        views.push({
          id: `${caseDoc.caseNo}-${index}`,
          caseNo: caseDoc.caseNo,
          text: eventText(event),
          createdAt: new Date(event.at).toISOString(),
          read: new Date(event.at).getTime() <= readAt,
        });
      });
    }
    return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, limit);
  }

  async markAllRead(applicantId: string): Promise<number> {
    const unread = (await this.list(applicantId, Number.MAX_SAFE_INTEGER)).filter((m) => !m.read).length;
    await this.applicants.updateOne({ _id: applicantId }, { $set: { messagesReadAt: new Date() } });
    return unread;
  }

  private async casesOf(caseNos: string[]): Promise<ApplicationCase[]> {
    const found = await Promise.all(
      caseNos.slice(-CASES_SHOWN).map((caseNo) => this.cases.findById(caseNo).lean<ApplicationCase>()),
    );
    return found.filter((c): c is ApplicationCase => c !== null && !c.training);
  }
}
