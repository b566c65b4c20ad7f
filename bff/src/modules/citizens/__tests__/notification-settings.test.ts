// The citizen's switches for the messages outside the app, against the real database.
import { useTestDatabase } from '../../../../test/database';
import { applicantModel } from '../applicant.model';
import { changeNotificationSettings, channelsOn, notificationSettings } from '../notification-settings';

const db = useTestDatabase();

it('has both channels on until switched off, and keeps each switch apart', async () => {
  const applicants = applicantModel(db.connection);
  await applicants.collection.insertOne({ _id: 'A-settings-1', applicantId: 'A-settings-1' } as never);
  expect(await notificationSettings(applicants, 'A-settings-1')).toEqual({ sms: true, subscription: true });
  expect(await changeNotificationSettings(applicants, 'A-settings-1', { sms: false })).toEqual({
    sms: false,
    subscription: true,
  });
  expect(await changeNotificationSettings(applicants, 'A-settings-1', { subscription: false })).toEqual({
    sms: false,
    subscription: false,
  });
  expect(await changeNotificationSettings(applicants, 'A-settings-1', {})).toEqual({ sms: false, subscription: false });
  expect(await changeNotificationSettings(applicants, 'A-settings-1', { sms: true })).toEqual({
    sms: true,
    subscription: false,
  });
  expect(channelsOn(undefined)).toEqual({ sms: true, subscription: true });
});

it('refuses someone who is not an applicant', async () => {
  await expect(notificationSettings(applicantModel(db.connection), 'A-nobody')).rejects.toMatchObject({
    code: 'UNAUTHENTICATED',
  });
});
