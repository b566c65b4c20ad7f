// The citizen's switches for the messages outside the app (短信, “我的宁夏”
// 订阅消息), kept on the applicant record. Both are on until switched off; the
// in-app messages (the timeline) cannot be switched off. The notifier reads
// them before each send, so a switch takes effect for the next message.
import { NOTIFY_CHANNELS, type NotificationSettingsView, type NotifyChannel } from '@flexins/shared';
import { AppError } from '../../platform/errors';
import type { ApplicantModel, ApplicantRecord } from './applicant.model';

/** The channels on for a record: absent means on. */
export function channelsOn(
  record: Pick<ApplicantRecord, 'notificationChannels'> | undefined,
): NotificationSettingsView {
  const stored = record?.notificationChannels ?? {};
  return Object.fromEntries(NOTIFY_CHANNELS.map((c) => [c, stored[c] !== false])) as Record<NotifyChannel, boolean>;
}

export async function notificationSettings(
  applicants: ApplicantModel,
  applicantId: string,
): Promise<NotificationSettingsView> {
  const record = await applicants.findById(applicantId, { notificationChannels: 1 }).lean<ApplicantRecord>();
  if (!record) throw new AppError('UNAUTHENTICATED');
  return channelsOn(record);
}

/** Sets the channels given (the others stay as they are); answers all of them. */
export async function changeNotificationSettings(
  applicants: ApplicantModel,
  applicantId: string,
  change: Partial<NotificationSettingsView>,
): Promise<NotificationSettingsView> {
  const set = Object.fromEntries(
    Object.entries(change).map(([channel, on]) => [`notificationChannels.${channel}`, on]),
  );
  if (Object.keys(set).length === 0) return notificationSettings(applicants, applicantId);
  // No projection on the update: FerretDB's findAndModify does not take one.
  const record = await applicants
    .findOneAndUpdate({ _id: applicantId }, { $set: set }, { new: true })
    .lean<ApplicantRecord>();
  if (!record) throw new AppError('UNAUTHENTICATED');
  return channelsOn(record);
}
