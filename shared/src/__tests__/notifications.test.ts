import { MATTERS } from '../matters';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_TEMPLATES,
  quietHoursEnd,
  renderNotification,
  type NotificationFacts,
} from '../notifications';
import { maskName } from '../mask';

const FULL_NAME = '张建国';
const ID_NUMBER = '640104198803150317';
const PHONE = '13900001111';

/** Every fact a template may use, filled. */
const FACTS: NotificationFacts = {
  nameMasked: maskName(FULL_NAME),
  caseNo: 'LJ20261205000001',
  matter: 'socialSecurityCard',
  reason: '您已持有其他省份的社会保障卡，请先注销',
  carrier: '中国邮政 EMS',
  trackingNo: 'EA123456789CN',
  amountFen: 173_600,
  months: 2,
  payBy: '2027-01-31',
  receiptNo: 'PJ20261205000001',
};

describe('the message templates', () => {
  it('has a template, a title and an urgency for every kind', () => {
    expect(Object.keys(NOTIFICATION_TEMPLATES).sort()).toEqual([...NOTIFICATION_KINDS].sort());
    for (const kind of NOTIFICATION_KINDS) {
      expect(NOTIFICATION_TEMPLATES[kind].title).toMatch(/[\u4e00-\u9fff]/);
      expect(typeof NOTIFICATION_TEMPLATES[kind].urgent).toBe('boolean');
    }
  });

  it.each(NOTIFICATION_KINDS)(
    '%s: plain Chinese with the masked name, never the full name, ID number or phone',
    (kind) => {
      const text = renderNotification(kind, FACTS);
      expect(text).toMatch(/^张\*\*您好，/);
      expect(text).not.toContain(FULL_NAME);
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(PHONE);
      expect(text).not.toMatch(/\d{17}[\dX]/);
      expect(text).not.toMatch(/undefined|null|NaN/);
      // A message fits a few SMS parts.
      expect([...text].length).toBeLessThanOrEqual(200);
    },
  );

  it('says what was refused, why and what to do, with the department of the matter', () => {
    const text = renderNotification('matterRefused', {
      ...FACTS,
      matter: 'medicalRegistration',
      reason: '已在外省参保。',
    });
    expect(text).toBe(
      '张**您好，“基本医疗保险参保和变更登记”未能办理：已在外省参保。如有疑问请拨打 12393，或带身份证到就近的医疗保障部门窗口咨询办理。',
    );
    for (const matter of MATTERS) {
      expect(renderNotification('matterRefused', { ...FACTS, matter: matter.id })).toContain(matter.name);
    }
  });

  it('gives the mail number, the amount and how to pay, the receipt', () => {
    expect(renderNotification('cardPosted', FACTS)).toContain('中国邮政 EMS寄出，邮件号 EA123456789CN');
    expect(renderNotification('premiumDue', FACTS)).toContain('1736.00 元（2个月）');
    expect(renderNotification('premiumDue', FACTS)).toContain('点“去缴费”在收银台支付，截止 2027-01-31');
    expect(renderNotification('premiumPaid', FACTS)).toContain('1736.00 元已缴纳成功，电子票据号 PJ20261205000001');
    expect(renderNotification('ratingInvite', FACTS)).toContain('评价');
  });

  it('makes only the premium due urgent: a refusal waits for the morning', () => {
    expect(NOTIFICATION_KINDS.filter((k) => NOTIFICATION_TEMPLATES[k].urgent)).toEqual(['premiumDue']);
  });
});

describe('quiet hours', () => {
  const at = (iso: string) => quietHoursEnd(new Date(iso));

  it('ends at 08:00 China time (00:00 UTC) for any moment from 22:00 to 08:00', () => {
    expect(at('2026-12-05T14:00:00Z')).toEqual(new Date('2026-12-06T00:00:00Z')); // 22:00
    expect(at('2026-12-05T15:30:00Z')).toEqual(new Date('2026-12-06T00:00:00Z')); // 23:30
    expect(at('2026-12-05T16:00:00Z')).toEqual(new Date('2026-12-06T00:00:00Z')); // 00:00
    expect(at('2026-12-05T23:59:59Z')).toEqual(new Date('2026-12-06T00:00:00Z')); // 07:59:59
  });

  it('is not quiet from 08:00 to 22:00, or with quiet hours off', () => {
    expect(at('2026-12-06T00:00:00Z')).toBeNull(); // 08:00
    expect(at('2026-12-06T13:59:59Z')).toBeNull(); // 21:59:59
    expect(quietHoursEnd(new Date('2026-12-05T15:00:00Z'), null)).toBeNull();
  });

  it('takes other hours, also within one day', () => {
    expect(quietHoursEnd(new Date('2026-12-05T05:00:00Z'), { fromHour: 12, untilHour: 14 })).toEqual(
      new Date('2026-12-05T06:00:00Z'),
    );
  });
});
