import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MANIFEST, NOTICE } from '@flexins/shared';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import { forgetDraft } from '../../../services/draft';
import NoticePage from '../index';

describe('the one notice', () => {
  beforeEach(() => {
    forgetDraft();
    taroDouble.respondWith(({ url, method, data }) => {
      if (url === '/api/notice') return { statusCode: 200, data: { notice: NOTICE, manifest: MANIFEST } };
      if (url === '/api/drafts/current' && method === 'GET')
        return { statusCode: 200, data: { draft: null, savedAt: null } };
      if (url === '/api/drafts/current')
        return { statusCode: 200, data: { draft: data, savedAt: new Date().toISOString() } };
      return { statusCode: 404, data: {} };
    });
  });
  afterEach(() => forgetDraft());

  it('tells the fee, what is prefilled and what each department receives', async () => {
    render(<NoticePage />);

    expect(await screen.findAllByText('邮寄费 5.80 元')).not.toHaveLength(0);
    // Matter 6 ends in paying the first premium: never shown as free.
    expect(screen.getByText(/^申报不收费；申报后按您选的缴费档次和月数缴纳社会保险费/)).toBeInTheDocument();
    expect(screen.getAllByText('不收费')).toHaveLength(4);
    expect(screen.getByText('姓名、身份证号码、性别、出生日期、民族').nextSibling).toHaveTextContent(
      '统一身份认证平台（公安人口库）',
    );
    for (const entry of Object.values(MANIFEST)) expect(screen.getByText(entry.name)).toBeInTheDocument();
  });

  it('goes on only once the consent is ticked, and keeps the notice version with it', async () => {
    render(<NoticePage />);
    fireEvent.click(await screen.findByTestId('agree'));

    expect(screen.getByRole('alert')).toHaveTextContent('请先勾选“我已阅读并同意”');
    expect(Taro.redirectTo).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('checkbox', { name: '我已阅读并同意以上告知和数据共享授权' }));
    fireEvent.click(screen.getByTestId('agree'));

    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/journey/eligibility/index' }));
    const saved = taroDouble.sent.mock.calls.find(([o]) => o.method === 'PUT')![0];
    expect(saved.data).toEqual({ consent: { noticeVersion: NOTICE.version, agreed: true } });
  });
});
