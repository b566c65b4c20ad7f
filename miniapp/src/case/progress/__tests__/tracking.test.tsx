import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MATTERS, TRACKING_MESSAGES, type CaseTracking } from '@flexins/shared';
import { taroDouble } from '../../../../test/taro';
import { KEYS } from '../../../services/storage';
import ProgressPage from '../index';

const CASE_NO = 'LJ20261129000001';
const CARD_NO = 'SB20261129000001';
const LETTER_NO = 'DA20261129000001';
const TRACKING_URL = `/api/applications/${CASE_NO}/tracking`;

type MatterStates = Record<string, { state: string; stateLabel: string; refs?: Record<string, string> }>;

/** The case as the BFF shows it; the card and the archive done with their numbers unless said otherwise. */
function caseView(states: MatterStates = {}, status = 'awaitingPayment') {
  const done: MatterStates = {
    archiveTransfer: { state: 'delivered', stateLabel: '已办结', refs: { transferLetterNo: LETTER_NO } },
    socialSecurityCard: {
      state: 'delivered',
      stateLabel: '已办结',
      refs: { cardApplicationNo: CARD_NO, eCardNo: 'DZ20261129000001' },
    },
  };
  return {
    caseNo: CASE_NO,
    status,
    statusLabel: '办理中',
    applicantName: '马**',
    createdAt: '2026-11-29T02:00:00.000Z',
    offlineNotes: [],
    matters: MATTERS.map((m) => ({
      id: m.id,
      name: m.name,
      department: '人力资源社会保障部门',
      explanation: '说明',
      stage: null,
      refs: {},
      attempts: 1,
      updatedAt: '2026-11-29T02:00:00.000Z',
      ...({ ...done, ...states }[m.id] ?? { state: 'delivered', stateLabel: '已办结' }),
    })),
    timeline: [{ at: '2026-11-29T02:00:00.000Z', text: '申请已提交' }],
  };
}

const POSTED: CaseTracking = {
  caseNo: CASE_NO,
  checkedAt: '2026-12-01T03:00:00.000Z',
  card: {
    available: true,
    number: CARD_NO,
    status: 'posted',
    statusText: '已邮寄',
    history: [
      { status: 'accepted', statusText: '已受理', at: '2026-11-29T02:00:00.000Z' },
      { status: 'producing', statusText: '制卡中', at: '2026-11-30T02:00:00.000Z' },
      { status: 'posted', statusText: '已邮寄', at: '2026-12-01T02:30:00.000Z' },
    ],
    trackingNo: 'EMS1234567890',
    carrier: '中国邮政 EMS',
  },
  archive: {
    available: true,
    number: LETTER_NO,
    status: 'inTransit',
    statusText: '档案转递中',
    history: [
      { status: 'accepted', statusText: '已受理', at: '2026-11-29T02:00:00.000Z' },
      { status: 'letterIssued', statusText: '已开具调档函', at: '2026-11-29T06:00:00.000Z' },
      { status: 'inTransit', statusText: '档案转递中', at: '2026-11-30T01:00:00.000Z' },
    ],
  },
};

const HRSS_DOWN: CaseTracking = {
  caseNo: CASE_NO,
  checkedAt: '2026-12-01T03:00:00.000Z',
  card: { available: false, number: CARD_NO, message: TRACKING_MESSAGES.unavailable },
  archive: { available: false, number: LETTER_NO, message: TRACKING_MESSAGES.unavailable },
};

const trackingCalls = () => taroDouble.sent.mock.calls.filter(([o]) => o.url === TRACKING_URL).length;
/** The card's panel once HRSS's answer is in (it shows "loading" until then). */
const trackedCard = async () => {
  await waitFor(() => expect(screen.getByTestId('tracking-card')).not.toHaveAttribute('data-kind', 'loading'));
  return screen.getByTestId('tracking-card');
};
const matterCard = (id: string) => document.querySelector(`[data-matter="${id}"]`) as HTMLElement;

describe('the progress page tracks the card and the archive', () => {
  beforeEach(() => taroDouble.setParams({ caseNo: CASE_NO }));

  it("shows the card's status, EMS number and carrier, and every step with its date; the archive's too", async () => {
    taroDouble.respondWith(({ url }) => ({ statusCode: 200, data: url === TRACKING_URL ? POSTED : caseView() }));
    render(<ProgressPage />);

    const card = await trackedCard();
    expect(within(card).getByText('邮件号').nextSibling).toHaveTextContent('EMS1234567890');
    expect(within(card).getByText('承运方').nextSibling).toHaveTextContent('中国邮政 EMS');
    expect(within(card).getByText('当前状态').nextSibling).toHaveTextContent('已邮寄');
    // Each step in words and a sign, with its Beijing date; the one to come says so.
    expect(within(card).getByRole('listitem', { name: '已邮寄，已完成，2026-12-01 10:30' })).toHaveTextContent(
      '✓已邮寄2026-12-01 10:30',
    );
    expect(within(card).getByRole('listitem', { name: '已签收，还没到' })).toHaveTextContent('○已签收还没到');
    // What was true at acceptance is not shown beside it any more.
    expect(matterCard('socialSecurityCard')).not.toHaveTextContent('寄出后显示');
    expect(matterCard('socialSecurityCard')).toContainElement(card);

    const archive = screen.getByTestId('tracking-archive');
    expect(matterCard('archiveTransfer')).toContainElement(archive);
    expect(within(archive).getByText('当前状态').nextSibling).toHaveTextContent('档案转递中');
    expect(within(archive).getByRole('listitem', { name: '已开具调档函，已完成，2026-11-29 14:00' })).toBeVisible();
    expect(within(archive).getByRole('listitem', { name: '档案已接收，还没到' })).toBeVisible();
    expect(within(archive).queryByText('邮件号')).toBeNull();
  });

  it('says "寄出后显示" while the card is being made', async () => {
    const producing: CaseTracking = {
      ...POSTED,
      card: {
        available: true,
        number: CARD_NO,
        status: 'producing',
        statusText: '制卡中',
        history: POSTED.card!.available ? POSTED.card!.history.slice(0, 2) : [],
      },
    };
    taroDouble.respondWith(({ url }) => ({ statusCode: 200, data: url === TRACKING_URL ? producing : caseView() }));
    render(<ProgressPage />);

    const card = await trackedCard();
    expect(within(card).getByText('邮件号').nextSibling).toHaveTextContent('寄出后显示');
    expect(within(card).queryByText('承运方')).toBeNull();
    expect(within(card).getByRole('listitem', { name: '已邮寄，还没到' })).toBeVisible();
  });

  it('says "暂时查不到" with a 再查一次 button when HRSS does not answer, and shows the answer after it', async () => {
    let hrssUp = false;
    taroDouble.respondWith(({ url }) => ({
      statusCode: 200,
      data: url === TRACKING_URL ? (hrssUp ? POSTED : HRSS_DOWN) : caseView(),
    }));
    render(<ProgressPage />);

    const card = await screen.findByTestId('tracking-card');
    await within(card).findByText(`⚠ ${TRACKING_MESSAGES.unavailable}`);
    expect(within(screen.getByTestId('tracking-archive')).getByRole('alert')).toHaveTextContent(
      TRACKING_MESSAGES.unavailable,
    );

    hrssUp = true;
    fireEvent.click(within(card).getByRole('button', { name: '再查一次社保卡进度' }));

    expect(await within(card).findByText('EMS1234567890')).toBeVisible();
    expect(trackingCalls()).toBe(2);
  });

  it('says "暂时查不到" when the request itself fails, and 再查一次 asks again', async () => {
    let failing = true;
    taroDouble.respondWith(({ url }) => {
      if (url !== TRACKING_URL) return { statusCode: 200, data: caseView() };
      return failing
        ? { statusCode: 503, data: { error: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用' } } }
        : { statusCode: 200, data: POSTED };
    });
    render(<ProgressPage />);

    const archive = await screen.findByTestId('tracking-archive');
    await within(archive).findByText(`⚠ ${TRACKING_MESSAGES.unavailable}`, undefined, { timeout: 3_000 });
    failing = false;
    fireEvent.click(within(archive).getByRole('button', { name: '再查一次档案进度' }));

    expect(await within(archive).findByText('档案转递中', { selector: '.pairs__value' })).toBeVisible();
  });

  it('asks HRSS once when a matter turns delivered, not on every poll of the case', async () => {
    jest.useFakeTimers();
    try {
      // The medical registration keeps retrying, so the page keeps polling; the card turns delivered on the 3rd look.
      let looks = 0;
      taroDouble.respondWith(({ url }) => {
        if (url === TRACKING_URL) return { statusCode: 200, data: POSTED };
        looks += 1;
        return {
          statusCode: 200,
          data: caseView(
            {
              medicalRegistration: { state: 'retrying', stateLabel: '正在重试' },
              ...(looks < 3 ? { socialSecurityCard: { state: 'accepted', stateLabel: '已受理' } } : {}),
            },
            'processing',
          ),
        };
      });
      const tick = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));
      render(<ProgressPage />);
      await tick(0);
      // The archive is done from the start: asked once.
      expect(trackingCalls()).toBe(1);
      await tick(1_000);
      expect(trackingCalls()).toBe(1);
      // Nothing moved: the 3rd look comes 1.5 s later; the card turns delivered and is asked about, once.
      await tick(1_500);
      expect(looks).toBe(3);
      expect(trackingCalls()).toBe(2);
      await tick(20_000);
      expect(looks).toBeGreaterThan(5);
      expect(trackingCalls()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks nothing while neither matter is done', async () => {
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: caseView({
        archiveTransfer: { state: 'accepted', stateLabel: '已受理' },
        socialSecurityCard: { state: 'waiting', stateLabel: '等待前序事项' },
      }),
    }));
    render(<ProgressPage />);

    await screen.findByText('社会保障卡（含电子社保卡）申领');
    expect(trackingCalls()).toBe(0);
    expect(screen.queryByTestId('tracking-card')).toBeNull();
  });

  it('keeps 长辈版: big type classes on the page, a 60 px button class and a named button for each item', async () => {
    taroDouble.store(KEYS.elderly, true);
    taroDouble.respondWith(({ url }) => ({ statusCode: 200, data: url === TRACKING_URL ? HRSS_DOWN : caseView() }));
    const { container } = render(<ProgressPage />);

    await screen.findByRole('button', { name: '再查一次档案进度' });
    expect(container.querySelector('.page')).toHaveClass('page--elderly');
    for (const name of ['再查一次社保卡进度', '再查一次档案进度']) {
      const button = screen.getByRole('button', { name });
      // Not the small button: 长辈版 makes .btn at least 64 px tall (ui.css).
      expect(button).toHaveClass('btn');
      expect(button).not.toHaveClass('btn--small');
      expect(button).toHaveTextContent('再查一次');
    }
  });
});
