import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MATTERS } from '@flexins/shared';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import ProgressPage from '../index';

function caseView(
  states: Record<
    string,
    {
      state: string;
      stateLabel: string;
      cause?: string;
      refs?: Record<string, string>;
      result?: Record<string, unknown>;
    }
  >,
  status = 'processing',
) {
  return {
    caseNo: 'LJ20261129000001',
    status,
    statusLabel: status === 'processing' ? '办理中' : '待缴纳首期社会保险费',
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
      ...(states[m.id] ?? { state: 'delivered', stateLabel: '已办结' }),
    })),
    timeline: [{ at: '2026-11-29T02:00:00.000Z', text: '申请已提交' }],
  };
}

describe('the progress page', () => {
  beforeEach(() => taroDouble.setParams({ caseNo: 'LJ20261129000001' }));

  it('says why a matter is with staff and what happens next, in words and a sign', async () => {
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: caseView({
        medicalRegistration: { state: 'manual', stateLabel: '人工处理中', cause: '医保信息系统没有及时应答' },
        premiumDeclaration: { state: 'waiting', stateLabel: '等待前序事项', cause: '前序事项正在人工处理' },
      }),
    }));
    render(<ProgressPage />);

    const medical = (await screen.findByText('基本医疗保险参保和变更登记')).closest('[data-matter]') as HTMLElement;

    expect(medical).toHaveTextContent('✋ 人工处理中');
    expect(medical).toHaveTextContent('原因：医保信息系统没有及时应答');
    expect(medical).toHaveTextContent('接下来：工作人员会接手办理');
  });

  it('shows every number with its name, and pays the assessed first premium', async () => {
    const assessed = caseView(
      {
        employmentRegistration: {
          state: 'delivered',
          stateLabel: '已办结',
          refs: { registrationNo: 'JY20261129000001' },
        },
        premiumDeclaration: {
          state: 'decided',
          stateLabel: '已办理，待您操作',
          refs: { declarationNo: 'SB2026' },
          result: { assessment: { totalFen: 173600, pensionFen: 140000, medicalFen: 33600 }, periodStart: '2026-11' },
        },
      },
      'awaitingPayment',
    );
    const paid = caseView(
      {
        premiumDeclaration: {
          state: 'delivered',
          stateLabel: '已办结',
          refs: { declarationNo: 'SB2026', receiptNo: 'PJ20261129000001' },
          result: { receipt: { paidFen: 173600, paidAt: '2026-11-29T02:01:00.000Z' } },
        },
      },
      'completed',
    );
    taroDouble.respondWith(({ method }) => ({ statusCode: 200, data: method === 'POST' ? paid : assessed }));
    render(<ProgressPage />);

    const employment = (await screen.findByText('灵活就业人员就业登记')).closest('[data-matter]') as HTMLElement;
    expect(within(employment).getByText('就业登记编号').nextSibling).toHaveTextContent('JY20261129000001');
    fireEvent.click(screen.getByRole('button', { name: '缴纳 1736.00 元' }));

    expect(await screen.findByTestId('receipt')).toHaveTextContent('PJ20261129000001');
    expect(jest.mocked(Taro.request).mock.calls.find(([o]) => o.method === 'POST')![0]).toMatchObject({
      url: '/api/applications/LJ20261129000001/premium-payment',
      data: { amountFen: 173600 },
    });
    expect(screen.getByRole('button', { name: '查看办结凭证（二维码）' })).toBeInTheDocument();
  });

  it('looks again soon while matters move, and less often while nothing changes', async () => {
    jest.useFakeTimers();
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: caseView({ medicalRegistration: { state: 'retrying', stateLabel: '正在重试' } }),
    }));
    const tick = (ms: number) => act(() => jest.advanceTimersByTimeAsync(ms));
    render(<ProgressPage />);
    await tick(0);
    expect(Taro.request).toHaveBeenCalledTimes(1);

    await tick(1_000);
    expect(Taro.request).toHaveBeenCalledTimes(2);
    // unchanged: 1.5 s, then 2.25 s
    await tick(1_400);
    expect(Taro.request).toHaveBeenCalledTimes(2);
    await tick(100);
    expect(Taro.request).toHaveBeenCalledTimes(3);
    await tick(2_250);
    expect(Taro.request).toHaveBeenCalledTimes(4);
    jest.useRealTimers();
  });
});
