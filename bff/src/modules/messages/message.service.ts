// Sends the citizen a message whenever one of their matters changes state,
// and lists them. Training cases (staff practice) send none.
import type { Connection, Model } from 'mongoose';
import type { ApplicationCase } from '../applications/application.model';
import type { CaseListener } from '../processing/engine';
import { messageModel, type Message } from './message.model';

export interface MessageView {
  id: string;
  caseNo: string;
  text: string;
  createdAt: string;
  read: boolean;
}

export class MessageService implements CaseListener {
  private readonly messages: Model<Message>;

  constructor(db: Connection) {
    this.messages = messageModel(db);
  }

  async matterChanged(caseDoc: ApplicationCase, matter: string, _state: string, text: string): Promise<void> {
    if (caseDoc.training) return;
    await this.messages.create({
      applicantId: caseDoc.applicantId,
      caseNo: caseDoc.caseNo,
      matter,
      text,
      createdAt: new Date(),
    });
  }

  async caseCompleted(caseDoc: ApplicationCase): Promise<void> {
    if (caseDoc.training) return;
    await this.messages.create({
      applicantId: caseDoc.applicantId,
      caseNo: caseDoc.caseNo,
      text: `您的灵活就业参保“一件事”（${caseDoc.caseNo}）已全部办结，可以查看办结凭证并评价服务。`,
      createdAt: new Date(),
    });
  }

  async send(applicantId: string, caseNo: string, text: string): Promise<void> {
    await this.messages.create({ applicantId, caseNo, text, createdAt: new Date() });
  }

  async list(applicantId: string, limit = 50): Promise<MessageView[]> {
    const found = await this.messages.find({ applicantId }).sort({ createdAt: -1 }).limit(limit).lean();
    return found.map((m) => ({
      id: String(m._id),
      caseNo: m.caseNo,
      text: m.text,
      createdAt: m.createdAt.toISOString(),
      read: Boolean(m.readAt),
    }));
  }

  async markAllRead(applicantId: string): Promise<number> {
    const result = await this.messages.updateMany(
      { applicantId, readAt: { $exists: false } },
      { $set: { readAt: new Date() } },
    );
    return result.modifiedCount;
  }
}
