import { fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { taroDouble } from '../../../../test/taro';
import Index from '../index';

describe('home page', () => {
  it('lists the six matters in the order of the work plan, each with its department', () => {
    render(<Index />);

    const items = within(screen.getByRole('list')).getAllByRole('listitem');

    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('灵活就业人员就业登记'),
      expect.stringContaining('流动人员人事档案接收和转递'),
      expect.stringContaining('社会保险登记'),
      expect.stringContaining('社会保障卡（含电子社保卡）申领'),
      expect.stringContaining('基本医疗保险参保和变更登记'),
      expect.stringContaining('灵活就业人员社会保险费申报'),
    ]);
    expect(items[0]).toHaveTextContent('人力资源社会保障部门');
    expect(items[4]).toHaveTextContent('医疗保障部门');
    expect(items[5]).toHaveTextContent('税务部门');
  });

  it('says what the one thing saves: one form, no materials, instead of up to 82 working days', () => {
    render(<Index />);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('灵活就业参保“一件事”');
    expect(screen.getByText(/82 个工作日/)).toHaveTextContent(/填一张表.*不用交材料/);
  });

  it('shows the hotlines, each with a phone link on H5', () => {
    render(<Index />);

    expect(screen.getByText('咨询电话 12333 / 12345')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '拨打 12333（人社服务热线）' })).toHaveAttribute('href', 'tel:12333');
    expect(screen.getByRole('link', { name: '拨打 12345（政务服务便民热线）' })).toHaveAttribute('href', 'tel:12345');
  });

  it('tells a walk-in citizen back from paying at the window what happened and what next', () => {
    taroDouble.setParams({ from: 'window', orderId: 'YF0123456789', status: 'cancelled' });
    const { unmount } = render(<Index />);
    expect(screen.getByTestId('window-payment-return')).toHaveTextContent('您取消了支付，没有扣款');
    unmount();

    taroDouble.setParams({ from: 'window', orderId: 'YF0123456789', status: 'paid' });
    render(<Index />);
    expect(screen.getByTestId('window-payment-return')).toHaveTextContent('请把手机给窗口工作人员看一下');
  });

  it('says nothing of payments to someone who just opened the service', () => {
    render(<Index />);
    expect(screen.queryByTestId('window-payment-return')).not.toBeInTheDocument();
  });

  describe('in the mini-program', () => {
    const h5 = process.env.TARO_ENV;
    beforeEach(() => {
      process.env.TARO_ENV = 'weapp';
    });
    afterEach(() => {
      process.env.TARO_ENV = h5;
    });

    it('dials 12333 when its button is tapped', () => {
      render(<Index />);

      fireEvent.click(screen.getByLabelText('拨打 12333（人社服务热线）'));

      expect(Taro.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '12333' });
    });
  });
});
