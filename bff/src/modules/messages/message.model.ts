// In-app messages (站内消息): one on every state change of a citizen's case.
import { Schema, type Connection, type Model } from 'mongoose';

export interface Message {
  applicantId: string;
  caseNo: string;
  matter?: string;
  text: string;
  createdAt: Date;
  readAt?: Date;
}

const messageSchema = new Schema<Message>(
  {
    applicantId: { type: String, required: true },
    caseNo: { type: String, required: true },
    matter: String,
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readAt: Date,
  },
  { collection: 'messages', versionKey: false },
);
messageSchema.index({ applicantId: 1, createdAt: -1 });

export function messageModel(db: Connection): Model<Message> {
  return (db.models.Message as Model<Message> | undefined) ?? db.model<Message>('Message', messageSchema);
}
