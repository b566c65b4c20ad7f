import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MATTERS, TRACKING_MESSAGES, type CaseTracking } from '@flexins/shared';
import { taroDouble } from '../../../../test/taro';
import { keepSession } from '../../services/session';
import StaffCasePage from '../index';

const CASE_NO = 'LJ20261129000001';
const TRACKING_URL = `/api/staff/cases/${CASE_NO}/tracking`;

const staffCase = {
  caseNo: CASE_NO,
  status: 'completed',
  statusLabel: '已办结',
  applicantName: '马*',
  idNumber: '640104********0317',
  phone: '199****0001',
  regionCode: '640104',
  regionName: '银川市兴庆区',
  channel: 'app',
  training: false,
  createdAt: '2026-11-29T02:00:00.000Z',
  attention: { manual: 0, rejected: 0 },
  employmentType: 'flexible',
  offlineNotes: [],
  matters: MATTERS.map((m) => ({
    id: m.id,
    name: m.name,
    department: '人力资源社会保障部门',
    state: 'delivered',
    stateLabel: '已办结',
    attempts: 1,
    refs:
      m.id === 'socialSecurityCard'
        ? { cardApplicationNo: 'SB20261129000001' }
        : m.id === 'archiveTransfer'
          ? { transferLetterNo: 'DA20261129000001' }
          : {},
    updatedAt: '2026-11-29T02:00:00.000Z',
    canRetry: false,
    canSettle: false,
  })),
  timeline: [],
  notes: [],
  revealable: [],
};

const posted: CaseTracking = {
  caseNo: CASE_NO,
  checkedAt: '2026-12-01T03:00:00.000Z',
  card: {
    available: true,
    number: 'SB20261129000001',
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
  archive: { available: false, number: 'DA20261129000001', message: TRACKING_MESSAGES.unavailable },
};

describe('the staff case page', () => {
  beforeEach(() => {
    keepSession({
      token: 'tok',
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      staff: {
        staffId: 'S0002',
        name: '王晓峰',
        role: 'agent',
        roleLabel: '客服人员',
        regionCode: '640104',
        regionName: '银川市兴庆区',
        training: false,
      },
    });
    taroDouble.setParams({ caseNo: CASE_NO });
  });

  it("shows the card's EMS number and steps, says 暂时查不到 for the archive, and asks again only on 再查一次", async () => {
    taroDouble.respondWith(({ url }) => ({
      statusCode: 200,
      data: url.startsWith(TRACKING_URL) ? posted : staffCase,
    }));
    render(<StaffCasePage />);

    const card = await screen.findByTestId('tracking-card');
    await within(card).findByText('EMS1234567890');
    expect(within(card).getByRole('listitem', { name: '已邮寄，已完成，2026-12-01 10:30' })).toBeVisible();
    const archive = screen.getByTestId('tracking-archive');
    expect(within(archive).getByRole('alert')).toHaveTextContent(TRACKING_MESSAGES.unavailable);

    // Each look is audited: the case's own refresh does not ask HRSS again.
    const calls = (prefix: string) => taroDouble.sent.mock.calls.filter(([o]) => o.url.startsWith(prefix)).length;
    fireEvent.click(screen.getByTestId('refresh'));
    await waitFor(() => expect(calls(`/api/staff/cases/${CASE_NO}`) - calls(TRACKING_URL)).toBe(2));
    await screen.findByTestId('tracking-card');
    expect(calls(TRACKING_URL)).toBe(1);

    fireEvent.click(within(archive).getByRole('button', { name: '再查一次档案进度' }));
    await within(screen.getByTestId('tracking-card')).findByText('EMS1234567890');
    expect(calls(TRACKING_URL)).toBe(2);
  });
});
