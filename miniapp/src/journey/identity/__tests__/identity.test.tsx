import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import IdentityPage from '../index';

const ME = {
  name: '刘小红',
  idNumber: '640104********0027',
  phone: '199****0012',
  sex: '女',
  birthDate: '1990-05-01',
  ethnicity: '汉族',
  household: { regionCode: '640104', address: '宁夏银川市兴庆区某街 1 号' },
  hasPhoto: true,
};

describe('the identity check', () => {
  it('shows the real-name data masked, and a failed face check says why and where to go instead', async () => {
    taroDouble.respondWith(({ url, header }) => {
      if (url === '/api/me') return { statusCode: 200, data: ME };
      if (url === '/api/face-checks') {
        expect(header['idempotency-key']).toMatch(/^[A-Za-z0-9]{32}$/);
        return {
          statusCode: 201,
          data: { checkId: 'RL20261129000009', passed: false, reason: '与证件照片比对不一致' },
        };
      }
      return { statusCode: 404, data: {} };
    });
    render(<IdentityPage />);

    expect(await screen.findByText('640104********0027')).toBeInTheDocument();
    expect(screen.getByText('199****0012')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '开始人脸核验' }));

    const failed = await screen.findByText('✗ 人脸核验没有通过');
    expect(failed.parentElement).toHaveTextContent('与证件照片比对不一致');
    expect(failed.parentElement).toHaveTextContent(/人社窗口.*12333/);
    expect(screen.queryByTestId('next')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '再试一次' })).toBeInTheDocument();
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('does not call a face check passed once it has lapsed (30 minutes), and asks for it again', async () => {
    const lastCheck = { passed: true, checkId: 'RL20261129000001', checkedAt: '2026-11-29T08:00:00.000Z' };
    taroDouble.respondWith(({ url }) =>
      url === '/api/me'
        ? { statusCode: 200, data: { ...ME, faceCheck: { ...lastCheck, current: false } } }
        : { statusCode: 404, data: {} },
    );
    render(<IdentityPage />);

    expect(await screen.findByTestId('face-check-lapsed')).toHaveTextContent('已超过 30 分钟');
    expect(screen.queryByText('✓ 人脸核验已通过')).not.toBeInTheDocument();
    expect(screen.queryByTestId('next')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '开始人脸核验' })).toBeInTheDocument();
  });

  it('shows a standing face check as passed, with the way on', async () => {
    const lastCheck = { passed: true, checkId: 'RL20261129000001', checkedAt: '2026-11-29T08:00:00.000Z' };
    taroDouble.respondWith(({ url }) =>
      url === '/api/me'
        ? { statusCode: 200, data: { ...ME, faceCheck: { ...lastCheck, current: true } } }
        : { statusCode: 404, data: {} },
    );
    render(<IdentityPage />);

    expect(await screen.findByText('✓ 人脸核验已通过')).toBeInTheDocument();
    expect(screen.getByTestId('next')).toBeInTheDocument();
  });
});
