import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../test/taro';
import { forgetToken, keepToken } from '../../services/session';
import { ReportProblem } from '../ReportProblem';

function tokenFor(sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub, aud: 'citizen', exp: 2_000_000_000 })}.signature`;
}

describe('reporting a problem from the help page', () => {
  afterEach(() => forgetToken());

  it('asks a signed-out citizen to sign in first', () => {
    render(<ReportProblem />);
    expect(screen.getByText(/登录后可以在这里反映问题/)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('report-sign-in'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/entry/index' });
  });

  it('names what is missing beside the fields, then sends the report and says by when it is answered', async () => {
    keepToken(tokenFor('A1'), new Date(Date.now() + 600_000).toISOString());
    taroDouble.respondWith(({ url, method }) =>
      url === '/api/problems' && method === 'POST'
        ? { statusCode: 201, data: { problemId: 'WT20261129ABCD1234', deadline: '2026-12-18', message: 'ok' } }
        : { statusCode: 404, data: {} },
    );
    render(<ReportProblem />);

    fireEvent.click(screen.getByTestId('send-report'));
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['⚠ 请选择问题类别', '⚠ 请把问题写清楚一些，至少 5 个字']);
    expect(taroDouble.sent).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('radio', { name: '社会保障卡' }));
    fireEvent.change(screen.getByLabelText('遇到了什么问题'), { target: { value: '社保卡一直没有寄到家里' } });
    fireEvent.click(screen.getByTestId('send-report'));

    await waitFor(() => expect(screen.getByTestId('report-receipt')).toHaveTextContent('2026-12-18 前处理并答复'));
    const sent = taroDouble.sent.mock.calls[0]![0];
    expect(sent.data).toEqual({ category: 'card', text: '社保卡一直没有寄到家里' });
  });
});
