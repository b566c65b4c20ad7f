// Which HRSS steps a check tells the citizen of, and in what words.
import { announcementText, stepsToAnnounce, type ItemProgress } from '../announcements';

const progress = (status: string, reached: string[], extra: Partial<ItemProgress> = {}): ItemProgress => ({
  status,
  history: reached.map((s) => ({ status: s })),
  ...extra,
});

describe('the steps told of', () => {
  it('tells nothing of acceptance or the transfer letter, which the engine told already', () => {
    expect(stepsToAnnounce('card', progress('accepted', ['accepted']), undefined)).toEqual([]);
    expect(stepsToAnnounce('archive', progress('letterIssued', ['accepted', 'letterIssued']), undefined)).toEqual([]);
  });

  it('tells every step reached since the last told, in order, including one passed between two checks', () => {
    const signed = progress('delivered', ['accepted', 'producing', 'posted', 'delivered']);
    expect(stepsToAnnounce('card', signed, undefined)).toEqual(['producing', 'posted', 'delivered']);
    expect(stepsToAnnounce('card', signed, 'producing')).toEqual(['posted', 'delivered']);
    expect(stepsToAnnounce('card', signed, 'delivered')).toEqual([]);
  });

  it('never tells of a step HRSS went back from, nor one a new archive never passes', () => {
    expect(stepsToAnnounce('card', progress('producing', ['accepted', 'producing']), 'posted')).toEqual([]);
    expect(stepsToAnnounce('archive', progress('received', ['accepted', 'received']), undefined)).toEqual(['received']);
  });
});

describe('the words', () => {
  it('names the carrier and the very mail number of a posted card', () => {
    const posted = progress('posted', [], { trackingNo: 'EMS1234567890', carrier: '中国邮政 EMS' });
    expect(announcementText('card', 'posted', posted, {})).toBe(
      '社保卡已寄出（中国邮政 EMS，邮件号 EMS1234567890），请留意查收',
    );
  });

  it('says nothing of a posted card until HRSS gives its mail number', () => {
    expect(announcementText('card', 'posted', progress('posted', []), {})).toBeUndefined();
  });

  it('names the receiving centre when the case knows it', () => {
    const received = progress('received', []);
    expect(announcementText('archive', 'received', received, { receivingCentre: '银川市人才交流服务中心' })).toBe(
      '人事档案已由银川市人才交流服务中心接收',
    );
    expect(announcementText('archive', 'received', received, {})).toBe('人事档案已由接收地接收');
  });

  it('is plain Chinese for every step told', () => {
    const texts = [
      announcementText('card', 'producing', progress('producing', []), {}),
      announcementText('card', 'delivered', progress('delivered', []), {}),
      announcementText('archive', 'inTransit', progress('inTransit', []), {}),
    ];
    for (const text of texts) expect(text).toMatch(/^[\u4e00-\u9fff]/);
  });
});
