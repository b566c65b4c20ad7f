import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import { forgetDraft } from '../../../services/draft';
import ReviewPage from '../index';

const DRAFT = {
  employment: { type: 'flexible', startDate: '2026-11-01' },
  residenceRegionCode: '640104',
  archive: { location: 'previousEmployer' },
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

describe('check your answers', () => {
  beforeEach(() => {
    forgetDraft();
    taroDouble.store('flexins.verdict', VERDICT);
    taroDouble.store('flexins.draft', DRAFT);
  });

  it('lists every answer with a change link back to its section', async () => {
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: { orderId: 'PO20261129000001', amountFen: 580, status: 'paid' },
    }));
    render(<ReviewPage />);

    fireEvent.click(await screen.findByRole('button', { name: '修改社保卡和邮寄地址' }));

    expect(screen.getByText('13800138000')).toBeInTheDocument();
    expect(screen.getByTestId('postage')).toHaveTextContent('✓ 已支付');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/journey/form/index?section=card&back=review' });
  });

  it('submits once under a double tap, and a retry after a lost reply carries the same idempotency key', async () => {
    const submissions: Record<string, string>[] = [];
    taroDouble.respondWith(({ method, url, header }) => {
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
    taroDouble.respondWith(({ method, url, header }) => {
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
});
