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

  const ASSESSED_PREMIUM = {
    state: 'decided',
    stateLabel: '已办理，待您操作',
    refs: { declarationNo: 'SBF2026' },
    result: {
      assessment: { totalFen: 520800, pensionFen: 140000, medicalFen: 33600, monthlyTotalFen: 173600 },
      periodStart: '2026-12',
      periodEnd: '2027-02',
      paymentDeadline: '2026-12-31',
    },
  };
  const PAID_PREMIUM = {
    state: 'delivered',
    stateLabel: '已办结',
    refs: { declarationNo: 'SBF2026', receiptNo: 'PJ20261129000001' },
    result: { receipt: { paidFen: 520800, paidAt: '2026-11-29T02:01:00.000Z' } },
  };
  const PREMIUM_ORDER = {
    orderId: 'SFLJ20261129000001',
    amountFen: 520800,
    status: 'created',
    cashierUrl: 'http://127.0.0.1:4005/cashier/ZF20261129000002',
    payParams: {
      timeStamp: '1796000000',
      nonceStr: '0123456789abcdef0123456789abcdef',
      package: `prepay_id=wx${'ab'.repeat(16)}`,
      signType: 'HMAC-SHA256',
      paySign: 'A'.repeat(64),
    },
  };

  it('shows every number with its name, and what the premium covers before the cashier takes it', async () => {
    const h5 = process.env.TARO_ENV;
    try {
      const assessed = caseView(
        {
          employmentRegistration: {
            state: 'delivered',
            stateLabel: '已办结',
            refs: { registrationNo: 'JY20261129000001' },
          },
          premiumDeclaration: ASSESSED_PREMIUM,
        },
        'awaitingPayment',
      );
      const paid = caseView({ premiumDeclaration: PAID_PREMIUM }, 'completed');
      taroDouble.respondWith(({ method, url }) => {
        if (method === 'POST' && url.endsWith('/premium-order')) return { statusCode: 201, data: PREMIUM_ORDER };
        if (method === 'POST' && url.endsWith('/premium-payment')) return { statusCode: 200, data: paid };
        return { statusCode: 200, data: assessed };
      });
      render(<ProgressPage />);

      const employment = (await screen.findByText('灵活就业人员就业登记')).closest('[data-matter]') as HTMLElement;
      expect(within(employment).getByText('就业登记编号').nextSibling).toHaveTextContent('JY20261129000001');
      // the case in one line first
      expect(screen.getByTestId('case-summary')).toHaveTextContent('已办结 5/6，待缴费 1');
      // the amount, the months and what they cover, before anything is paid
      const premium = screen.getByTestId('premium');
      expect(premium).toHaveTextContent('2026年12月至2027年2月，共 3 个月');
      expect(premium).toHaveTextContent('养老保险每月 1400.00 元');
      expect(premium).toHaveTextContent('医疗保险每月 336.00 元');
      expect(premium).toHaveTextContent('合计5208.00 元');
      expect(premium).toHaveTextContent('请在 2026年12月31日 前缴纳');
      expect(Taro.requestPayment).not.toHaveBeenCalled();

      const pay = screen.getByTestId('pay-premium');
      expect(pay).toHaveTextContent('确认金额，去支付 5208.00 元');
      // paid in the mini-program's sheet (the H5 cashier page is the browser journey's)
      process.env.TARO_ENV = 'weapp';
      fireEvent.click(pay);

      expect(await screen.findByTestId('receipt')).toHaveTextContent('PJ20261129000001');
      // the host's sheet took the payment, with the order's own parameters; the BFF then entered it
      expect(Taro.requestPayment).toHaveBeenCalledWith(expect.objectContaining({ paySign: 'A'.repeat(64) }));
      const posts = taroDouble.sent.mock.calls.filter(([o]) => o.method === 'POST');
      expect(posts.map(([o]) => o.url)).toEqual([
        '/api/applications/LJ20261129000001/premium-order',
        '/api/applications/LJ20261129000001/premium-payment',
      ]);
      expect(screen.getByText('查看办结凭证（二维码）')).toBeInTheDocument();
    } finally {
      process.env.TARO_ENV = h5;
    }
  });

  it('enters a premium paid at the cashier page on coming back, and says so', async () => {
    taroDouble.setParams({ caseNo: 'LJ20261129000001', orderId: 'SFLJ20261129000001', status: 'paid' });
    const paid = caseView({ premiumDeclaration: PAID_PREMIUM }, 'completed');
    taroDouble.respondWith(({ method }) => ({
      statusCode: 200,
      data: method === 'POST' ? paid : caseView({ premiumDeclaration: ASSESSED_PREMIUM }, 'awaitingPayment'),
    }));
    render(<ProgressPage />);

    expect(await screen.findByTestId('payment-return')).toHaveTextContent('✓ 支付成功');
    expect(screen.getByTestId('receipt')).toHaveTextContent('PJ20261129000001');
  });

  it('says a premium paid at the cashier worked when its notification entered it before the page came back', async () => {
    taroDouble.setParams({ caseNo: 'LJ20261129000001', orderId: 'SFLJ20261129000001', status: 'paid' });
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: caseView({ premiumDeclaration: PAID_PREMIUM }, 'completed'),
    }));
    render(<ProgressPage />);

    expect(await screen.findByTestId('payment-return')).toHaveTextContent('✓ 支付成功');
    expect(screen.getByTestId('receipt')).toHaveTextContent('PJ20261129000001');
    expect(taroDouble.sent.mock.calls.filter(([o]) => o.method === 'POST')).toHaveLength(0);
  });

  it('says a cancelled payment took nothing, and still offers to pay', async () => {
    taroDouble.setParams({ caseNo: 'LJ20261129000001', orderId: 'SFLJ20261129000001', status: 'cancelled' });
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: caseView({ premiumDeclaration: ASSESSED_PREMIUM }, 'awaitingPayment'),
    }));
    render(<ProgressPage />);

    expect(await screen.findByTestId('payment-return')).toHaveTextContent('您取消了支付，没有扣款');
    expect(screen.getByTestId('pay-premium')).toBeInTheDocument();
    expect(taroDouble.sent.mock.calls.filter(([o]) => o.method === 'POST')).toHaveLength(0);
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
    expect(taroDouble.sent).toHaveBeenCalledTimes(1);

    await tick(1_000);
    expect(taroDouble.sent).toHaveBeenCalledTimes(2);
    // unchanged: 1.5 s, then 2.25 s
    await tick(1_400);
    expect(taroDouble.sent).toHaveBeenCalledTimes(2);
    await tick(100);
    expect(taroDouble.sent).toHaveBeenCalledTimes(3);
    await tick(2_250);
    expect(taroDouble.sent).toHaveBeenCalledTimes(4);
    jest.useRealTimers();
  });
});
