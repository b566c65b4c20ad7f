import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { taroDouble } from '../../../test/taro';
import { BarChart } from '../components/BarChart';
import { ReasonDialog } from '../components/ReasonDialog';
import { checkAuditFilter, normalizeLookup, signInFailure } from '../services/checks';
import { ApiError, staffRequest, whenSignedOut } from '../services/http';
import { currentSession, expiryOf, keepSession, takeSignedOutReason } from '../services/session';
import { duration } from '../text';

// test/taro.ts stands in for Taro: storage in memory (emptied before each test), request a mock.

const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const STAFF = {
  staffId: 'S0002',
  name: '王晓峰',
  role: 'agent' as const,
  roleLabel: '客服人员',
  regionCode: '640104',
  regionName: '银川市兴庆区',
  training: false,
};

describe('the bar chart', () => {
  it('prints every figure beside its bar and names each row with it, so the chart reads without seeing it', () => {
    render(
      <BarChart
        id="chart"
        title="办理渠道（件）"
        bars={[
          { label: '窗口受理', value: 1, text: '1 件' },
          { label: '网上办', value: 4, text: '4 件' },
        ]}
      />,
    );

    expect(screen.getByRole('figure', { name: '办理渠道（件）' })).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: '窗口受理：1 件' })).toHaveTextContent('1 件');
    const bars = document.querySelectorAll<HTMLElement>('.chart__bar');
    expect([...bars].map((b) => b.style.width)).toEqual(['25%', '100%']);
  });
});

describe('the reason dialog', () => {
  it('asks for a reason of at least 4 characters before acting, then acts with it trimmed', async () => {
    const onConfirm = jest.fn(() => Promise.resolve());
    render(
      <ReasonDialog
        id="reveal"
        title="查看完整手机号"
        confirmLabel="确认查看"
        onConfirm={onConfirm}
        onCancel={() => undefined}
      />,
    );

    fireEvent.click(screen.getByText('确认查看'));
    expect(await screen.findByText(/请写明理由，至少 4 个字/)).toBeInTheDocument();
    expect(onConfirm).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText(/理由/), { target: { value: '  群众来电核对  ' } });
    fireEvent.click(screen.getByText('确认查看'));
    await waitFor(() => expect(onConfirm).toHaveBeenCalledWith('群众来电核对'));
    expect(screen.getByRole('dialog', { name: '查看完整手机号' })).toBeInTheDocument();
  });

  it('shows why the action failed and stays open', async () => {
    const onConfirm = () => Promise.reject(new Error('该事项已不在人工处理中'));
    render(
      <ReasonDialog id="retry" title="重新提交" confirmLabel="确认" onConfirm={onConfirm} onCancel={() => undefined} />,
    );

    fireEvent.change(screen.getByLabelText(/理由/), { target: { value: '系统已恢复' } });
    fireEvent.click(screen.getByText('确认'));

    expect(await screen.findByText(/该事项已不在人工处理中/)).toBeInTheDocument();
  });
});

describe('the checks before asking the BFF', () => {
  it('accepts a look-up only in the form the BFF matches exactly', () => {
    expect(normalizeLookup('caseNo', ' lj20261130000001 ')).toEqual({ value: 'LJ20261130000001' });
    expect(normalizeLookup('caseNo', 'LJ123')).toEqual({ error: expect.stringMatching(/LJ 加 14 位/) });
    expect(normalizeLookup('idNumber', '11010519491231002x')).toEqual({ value: '11010519491231002X' });
    expect(normalizeLookup('idNumber', '110105194912310021')).toEqual({ error: expect.stringMatching(/校验位/) });
    expect(normalizeLookup('phone', '138 0013 8000')).toEqual({ value: '13800138000' });
    expect(normalizeLookup('phone', '1234')).toEqual({ error: expect.stringMatching(/11 位/) });
  });

  it('names each audit filter field that is malformed', () => {
    const problems = checkAuditFilter({ staffId: 'S 1', action: '', caseNo: 'X', from: '2026/11/30', to: '' });
    expect(Object.keys(problems).sort()).toEqual(['caseNo', 'from', 'staffId']);
  });

  it('says when a locked account may try again, in Beijing time', () => {
    const locked = new ApiError('refused', '锁定', 423, 'STAFF_LOCKED', undefined, {
      lockedUntil: '2026-11-30T02:15:00.000Z',
    });
    expect(signInFailure(locked)).toMatch(/已被锁定.*2026-11-30 10:15 以后再试/);
    expect(signInFailure(new ApiError('refused', 'x', 401, 'STAFF_CREDENTIALS_INVALID'))).toMatch(/用户名或密码不对/);
  });

  it('writes durations the way people say them', () => {
    expect([duration(8), duration(65), duration(3 * 3600 + 60), duration(null)]).toEqual([
      '8 秒',
      '1 分 5 秒',
      '3 小时 1 分',
      '暂无',
    ]);
  });
});

describe('the staff session', () => {
  it('takes a renewed token from a reply and moves the idle limit on', async () => {
    keepSession({ token: 'old', expiresAt: new Date(Date.now() + 60_000).toISOString(), staff: STAFF });
    const exp = Math.floor(Date.now() / 1000) + 900;
    taroDouble.respondWith(() => ({
      statusCode: 200,
      data: { ok: true },
      header: { 'X-Renewed-Token': jwt({ exp }) },
    }));

    await staffRequest('GET', '/api/staff/me');

    expect(taroDouble.sent.mock.calls[0]![0]).toMatchObject({ header: { authorization: 'Bearer old' } });
    expect(currentSession()).toMatchObject({ token: jwt({ exp }), expiresAt: new Date(exp * 1000).toISOString() });
    expect(expiryOf('not a token')).toBeUndefined();
  });

  it('ends the session on a 401 and tells the page to go back to sign-in, with the reason kept for it', async () => {
    keepSession({ token: 'tok', expiresAt: new Date(Date.now() + 60_000).toISOString(), staff: STAFF });
    const signedOut = jest.fn();
    whenSignedOut(signedOut);
    taroDouble.respondWith(() => ({ statusCode: 401, data: {}, header: {} }));

    await expect(staffRequest('GET', '/api/staff/cases')).rejects.toMatchObject({ kind: 'signedOut' });

    expect(currentSession()).toBeUndefined();
    expect(signedOut).toHaveBeenCalledWith(expect.stringMatching(/登录已超时/));
    expect(takeSignedOutReason()).toMatch(/登录已超时/);
  });
});
