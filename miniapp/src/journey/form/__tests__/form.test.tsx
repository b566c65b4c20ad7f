import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import { forgetDraft } from '../../../services/draft';
import { forgetPlatformFacts } from '../../../services/platform-facts';
import FormPage from '../index';

const ME = {
  name: '马建军',
  idNumber: '640104********0317',
  phone: '199****0001',
  sex: '男',
  birthDate: '1988-03-15',
  ethnicity: '回族',
  household: { regionCode: '640104', address: '宁夏银川市兴庆区胜利街道丽景社区12号楼3单元402室' },
  hasPhoto: true,
};

const VERDICT = {
  eligible: true,
  rules: [],
  matters: {
    employmentRegistration: 'apply',
    archiveTransfer: 'apply',
    pensionRegistration: 'apply',
    socialSecurityCard: 'apply',
    medicalRegistration: 'apply',
    premiumDeclaration: 'apply',
  },
  offline: [],
  medicalRegistrationKind: 'new',
  pending: [],
};

function serve(saved: unknown = null, ownPhone?: string) {
  const drafts: unknown[] = [];
  taroDouble.respondWith(({ method, url, data }) => {
    if (url === '/api/me') return { statusCode: 200, data: ME };
    if (url === '/api/me/phone' && ownPhone) return { statusCode: 200, data: { phone: ownPhone } };
    if (url === '/api/drafts/current' && method === 'GET')
      return { statusCode: 200, data: { draft: saved, savedAt: null } };
    if (url === '/api/drafts/current' && method === 'PUT') {
      drafts.push(data);
      return { statusCode: 200, data: { draft: data, savedAt: new Date().toISOString() } };
    }
    return { statusCode: 404, data: {} };
  });
  return drafts;
}

describe('the one form', () => {
  beforeEach(() => {
    forgetDraft();
    forgetPlatformFacts();
    taroDouble.store('flexins.verdict', VERDICT);
  });

  it('is prefilled from the platform: today, the home county, the name and registered phone as recipient', async () => {
    serve(null, '13995012345');
    taroDouble.setParams({ section: 'card' });
    render(<FormPage />);

    expect(await screen.findByLabelText('收件人姓名')).toHaveValue('马建军');
    expect(screen.getByLabelText('详细地址')).toHaveValue(ME.household.address);
    expect(screen.getByRole('radio', { name: '银川市兴庆区（已选）' })).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByLabelText('收件人手机号码')).toHaveValue('13995012345');
  });

  it('leaves the phone to be typed when the registered one cannot be had', async () => {
    serve();
    taroDouble.setParams({ section: 'card' });
    render(<FormPage />);
    expect(await screen.findByLabelText('收件人姓名')).toHaveValue('马建军');
    expect(screen.getByLabelText('收件人手机号码')).toHaveValue('');
  });

  it('asks the platform once, not again for the next section (each section is a page of its own)', async () => {
    serve(null, '13995012345');
    taroDouble.setParams({ section: 'archive' });
    const first = render(<FormPage />);
    await screen.findByRole('radiogroup', { name: /人事档案现在在哪里/ });
    first.unmount();
    taroDouble.setParams({ section: 'card' });
    render(<FormPage />);
    expect(await screen.findByLabelText('收件人手机号码')).toHaveValue('13995012345');
    const asked = taroDouble.sent.mock.calls.map(([options]) => options.url);
    expect(asked.filter((url) => url === '/api/me')).toHaveLength(1);
    expect(asked.filter((url) => url === '/api/me/phone')).toHaveLength(1);
  });

  it('checks with the same schema as the BFF and puts each message beside its field', async () => {
    serve();
    taroDouble.setParams({ section: 'card' });
    render(<FormPage />);
    fireEvent.change(await screen.findByLabelText('收件人手机号码'), { target: { value: '1380013' } });
    fireEvent.change(screen.getByLabelText('详细地址'), { target: { value: '12号' } });

    fireEvent.click(screen.getByTestId('next'));

    expect(screen.getByLabelText('收件人手机号码')).toHaveAccessibleDescription(
      '⚠ 收件人手机号码格式不正确，请填写 11 位手机号码 快递员送卡时打这个电话',
    );
    expect(screen.getByLabelText('详细地址')).toHaveAccessibleDescription(
      expect.stringContaining('详细地址至少 5 个字'),
    );
    expect(screen.getByRole('radiogroup', { name: '社保卡开户银行' })).toHaveAccessibleDescription(
      '⚠ 请选择社保卡开户银行',
    );
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('saves the draft as the citizen goes, leaving out what is not valid yet', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const saved = serve();
    taroDouble.setParams({ section: 'card' });
    render(<FormPage />);
    fireEvent.change(await screen.findByLabelText('收件人手机号码'), { target: { value: '1380013' } });
    fireEvent.click(screen.getByRole('radio', { name: '宁夏银行' }));

    await act(async () => {
      jest.advanceTimersByTime(1_000);
    });
    await waitFor(() => expect(saved.length).toBeGreaterThan(0));
    jest.useRealTimers();

    const last = saved[saved.length - 1] as { card: { issuingBank: string; mailingAddress: Record<string, string> } };
    expect(last.card.issuingBank).toBe('bankOfNingxia');
    expect(last.card.mailingAddress.phone).toBeUndefined();
    // this phone keeps the half-typed number
    expect(taroDouble.stored('flexins.draft')).toMatchObject({ card: { mailingAddress: { phone: '1380013' } } });
    expect(await screen.findByText(/已自动保存草稿/)).toBeInTheDocument();
  });

  it('shows what each pension grade costs a month, live', async () => {
    serve();
    taroDouble.setParams({ section: 'pension' });
    render(<FormPage />);

    fireEvent.click(await screen.findByRole('radio', { name: /全区平均工资的100%/ }));

    expect(screen.getByTestId('premium-calculator')).toHaveTextContent('每月合计1736.00 元');
    expect(screen.getByTestId('premium-calculator')).toHaveTextContent('养老保险（每月）1400.00 元');
  });
});
