import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import { forgetDraft } from '../../../services/draft';
import ReviewPage from '../index';

const DRAFT = {
  employment: { type: 'flexible', startDate: '2026-11-01' },
  residenceRegionCode: '640104',
  archive: { location: 'previousEmployer', detail: '银川市某商贸有限公司' },
  pension: { baseGradePercent: 100 },
  card: {
    issuingBank: 'icbc',
    mailingAddress: { regionCode: '640104', detail: '解放西街 100 号', recipient: '马建军', phone: '13800138000' },
  },
  payment: { periodStart: '2026-12', months: 1 },
  consent: { noticeVersion: '2026.1', agreed: true },
  faceCheckId: 'RL20261129000001',
  postageOrderId: 'PO20261129000001',
};

const VERDICT = {
  eligible: true,
  matters: { socialSecurityCard: 'apply' },
  rules: [],
  offline: [],
  pending: [],
};

const CHECKS_READY = {
  ready: true,
  eligibility: { state: 'valid', validUntil: '2026-11-29T10:00:00.000Z' },
  faceCheck: { state: 'passed', validUntil: '2026-11-29T09:30:00.000Z', checkId: 'RL20261129000001' },
  blockers: [],
};

const FACE_LAPSED = {
  ready: false,
  eligibility: CHECKS_READY.eligibility,
  faceCheck: { state: 'expired', validUntil: '2026-11-29T09:30:00.000Z' },
  blockers: [
    {
      code: 'FACE_CHECK_REQUIRED',
      message: '人脸核验已超过 30 分钟，为保护您的账户安全，请重新核验（已付的邮寄费不受影响）',
      action: 'faceCheck',
    },
  ],
};

type Responder = Parameters<typeof taroDouble.respondWith>[0];

/** The BFF's answers, with the submission check standing unless `checks` says otherwise. */
function respond(handler: Responder, checks: () => unknown = () => CHECKS_READY) {
  taroDouble.respondWith((request) =>
    request.url === '/api/submission-check' ? { statusCode: 200, data: checks() } : handler(request),
  );
}

describe('check your answers', () => {
  beforeEach(() => {
    forgetDraft();
    taroDouble.store('flexins.verdict', VERDICT);
    taroDouble.store('flexins.draft', DRAFT);
  });

  it('lists every answer with a change link back to its section', async () => {
    respond(() => ({
      statusCode: 200,
      data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' },
    }));
    render(<ReviewPage />);
    const entries = window.history.length;

    fireEvent.click(await screen.findByRole('button', { name: '修改社保卡和邮寄地址' }));

    expect(screen.getByText('13800138000')).toBeInTheDocument();
    expect(screen.getByText('银川市某商贸有限公司')).toBeInTheDocument();
    expect(screen.getByTestId('postage')).toHaveTextContent('✓ 已支付');
    // H5: this page's entry kept for Back, then the form's section in its place
    expect(window.history.length).toBe(entries + 1);
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/journey/form/index?section=card&back=review' });
  });

  it('shows a prefilled household-register address once, not after the region again', async () => {
    respond(() => ({
      statusCode: 200,
      data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' },
    }));
    const household = '宁夏固原市原州区南关街道北塬社区5号楼2单元602室';
    taroDouble.store('flexins.draft', {
      ...DRAFT,
      card: {
        ...DRAFT.card,
        mailingAddress: { ...DRAFT.card.mailingAddress, regionCode: '640402', detail: household },
      },
    });
    render(<ReviewPage />);

    expect(await screen.findByText(household)).toBeInTheDocument();
    expect(screen.queryByText(/原州区宁夏/)).not.toBeInTheDocument();
  });

  it('submits once under a double tap, and a retry after a lost reply carries the same idempotency key', async () => {
    const submissions: Record<string, string>[] = [];
    respond(({ method, url, header }) => {
      if (url.startsWith('/api/postage-orders/')) {
        return { statusCode: 200, data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' } };
      }
      if (method === 'POST' && url === '/api/applications') {
        submissions.push(header);
        if (submissions.length === 1) throw Object.assign(new Error('request:fail'), { errMsg: 'request:fail' });
        return { statusCode: 201, data: { caseNo: 'LJ20261129000001' } };
      }
      return { statusCode: 404, data: {} };
    });
    render(<ReviewPage />);
    const submit = await screen.findByTestId('submit');
    await waitFor(() => expect(submit).toBeEnabled());

    fireEvent.click(submit);
    fireEvent.click(submit);
    await waitFor(() =>
      expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/case/progress/index?caseNo=LJ20261129000001' }),
    );

    // the client repeated the keyed request after the dropped connection, and the double tap did nothing
    expect(submissions).toHaveLength(2);
    expect(submissions[0]!['idempotency-key']).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(submissions[1]!['idempotency-key']).toBe(submissions[0]!['idempotency-key']);
    // the case exists: the next application gets a new key
    expect(taroDouble.stored('flexins.submitKey')).toBeUndefined();
  });

  it('keeps the key when the citizen has to tap 重试 themselves', async () => {
    const keys: string[] = [];
    let fail = true;
    respond(({ method, url, header }) => {
      if (url.startsWith('/api/postage-orders/')) {
        return { statusCode: 200, data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' } };
      }
      if (method === 'POST') {
        keys.push(header['idempotency-key']!);
        if (fail)
          return {
            statusCode: 503,
            data: { error: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后再试' } },
          };
        return { statusCode: 200, data: { caseNo: 'LJ20261129000002' } };
      }
      return { statusCode: 404, data: {} };
    });
    render(<ReviewPage />);
    const submit = await screen.findByTestId('submit');
    await waitFor(() => expect(submit).toBeEnabled());
    fireEvent.click(submit);
    const retry = await screen.findByRole('button', { name: '重试' }, { timeout: 5_000 });
    expect(screen.getByRole('alert')).toHaveTextContent('服务暂时不可用，请稍后再试');

    fail = false;
    fireEvent.click(retry);
    await waitFor(() =>
      expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/case/progress/index?caseNo=LJ20261129000002' }),
    );
    expect(new Set(keys).size).toBe(1);
  });

  it('says what is due after submitting, and that nothing is charged now', async () => {
    respond(() => ({ statusCode: 200, data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' } }));
    render(<ReviewPage />);

    const due = await screen.findByTestId('premium-due');
    // Grade 100 of the 7,000-yuan average wage, one month: 1,400.00 pension + 336.00 medical.
    expect(due).toHaveTextContent('约 1736.00 元');
    expect(due).toHaveTextContent('2026年12月，共 1 个月');
    expect(due).toHaveTextContent('养老保险每月 1400.00 元');
    expect(due).toHaveTextContent('医疗保险每月 336.00 元');
    expect(due).toHaveTextContent('现在不扣款');
  });

  it('shows a face check that lapsed after paying, redoes it in place and keeps the paid postage', async () => {
    let lapsed = true;
    const faceChecks: string[] = [];
    const submitted: unknown[] = [];
    respond(
      ({ method, url, data }) => {
        if (url.startsWith('/api/postage-orders/')) {
          return { statusCode: 200, data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' } };
        }
        if (method === 'POST' && url === '/api/face-checks') {
          faceChecks.push(url);
          lapsed = false;
          return { statusCode: 201, data: { checkId: 'RL20261129000009', passed: true } };
        }
        if (method === 'POST' && url === '/api/applications') {
          submitted.push(data);
          return { statusCode: 201, data: { caseNo: 'LJ20261129000003' } };
        }
        return { statusCode: 404, data: {} };
      },
      () =>
        lapsed
          ? FACE_LAPSED
          : { ...CHECKS_READY, faceCheck: { ...CHECKS_READY.faceCheck, checkId: 'RL20261129000009' } },
    );
    render(<ReviewPage />);

    const checks = await screen.findByTestId('submission-checks');
    expect(checks).toHaveTextContent('人脸核验已超过 30 分钟');
    expect(screen.getByTestId('postage')).toHaveTextContent('✓ 已支付');
    expect(screen.getByTestId('submit')).toBeDisabled();

    fireEvent.click(screen.getByTestId('redo-face-check'));
    await waitFor(() => expect(screen.getByTestId('submission-checks')).toHaveAttribute('data-ready', 'yes'));
    expect(faceChecks).toHaveLength(1);
    expect(screen.getByTestId('postage')).toHaveTextContent('✓ 已支付');
    const submit = screen.getByTestId('submit');
    await waitFor(() => expect(submit).toBeEnabled());
    fireEvent.click(submit);
    await waitFor(() =>
      expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/case/progress/index?caseNo=LJ20261129000003' }),
    );
    // the new check and the postage paid before it
    expect(submitted[0]).toMatchObject({ faceCheckId: 'RL20261129000009', postageOrderId: 'PO20261129000001' });
  });

  it('does not take the postage while a check would stop the submission', async () => {
    const ordered: string[] = [];
    taroDouble.store('flexins.draft', { ...DRAFT, postageOrderId: undefined });
    respond(
      ({ method, url }) => {
        if (method === 'POST' && url === '/api/postage-orders') ordered.push(url);
        return { statusCode: 404, data: {} };
      },
      () => FACE_LAPSED,
    );
    render(<ReviewPage />);

    const pay = await screen.findByTestId('pay-postage');
    expect(pay).toBeDisabled();
    expect(screen.getByTestId('postage')).toHaveTextContent('请先完成上面的核验再支付');
    fireEvent.click(pay);
    expect(ordered).toHaveLength(0);
  });

  it('says so when the citizen comes back from the cashier having cancelled', async () => {
    taroDouble.store('flexins.draft', { ...DRAFT, postageOrderId: undefined });
    taroDouble.setParams({ orderId: 'PO20261129000002', status: 'cancelled' });
    respond(() => ({ statusCode: 200, data: { orderId: 'PO20261129000002', amountFen: 580, status: 'created' } }));
    render(<ReviewPage />);

    expect(await screen.findByTestId('payment-return')).toHaveTextContent('您取消了支付，没有扣款');
    expect(screen.getByTestId('pay-postage')).toBeEnabled();
  });
});
