import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { ChoiceGroup, ErrorNotice, TextField } from '../controls';
import { Page } from '../Page';
import { QrCode } from '../QrCode';

function Months() {
  const [value, setValue] = useState<number>();
  return (
    <ChoiceGroup
      id="months"
      label="一次缴几个月"
      options={[
        { value: 1, label: '1个月' },
        { value: 3, label: '3个月' },
      ]}
      value={value}
      onChange={setValue}
    />
  );
}

describe('the controls', () => {
  it('offer a choice as a named radio group whose picked answer says so in words, not only in colour', () => {
    render(<Months />);

    const group = screen.getByRole('radiogroup', { name: '一次缴几个月' });
    fireEvent.click(screen.getByRole('radio', { name: '3个月' }));

    expect(group).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: '3个月（已选）' })).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByRole('radio', { name: '1个月' })).toHaveAttribute('aria-checked', 'false');
  });

  it('label a text box and put its message right after it, linked for screen readers', () => {
    render(<TextField id="phone" label="收件人手机号码" value="123" onChange={() => undefined} error="手机号码不对" />);

    const input = screen.getByLabelText('收件人手机号码');
    const message = screen.getByRole('alert');

    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'phone-error');
    expect(message).toHaveAttribute('id', 'phone-error');
    expect(message).toHaveTextContent('⚠ 手机号码不对');
    expect(input.nextElementSibling).toBe(message);
  });

  it('show a failure in plain words with a 重试 button that tries again', () => {
    const retry = jest.fn();
    render(<ErrorNotice message="网络好像断了" onRetry={retry} />);

    fireEvent.click(screen.getByRole('button', { name: '重试' }));

    expect(screen.getByRole('alert')).toHaveTextContent('网络好像断了');
    expect(retry).toHaveBeenCalledTimes(1);
  });
});

describe('every page', () => {
  it('has its title as the first heading and a 长辈版 switch that enlarges the page and says it is on', () => {
    const { container } = render(<Page title="核对身份">内容</Page>);

    fireEvent.click(screen.getByRole('button', { name: '开启长辈版（大字体）' }));

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('核对身份');
    expect(container.querySelector('.page')).toHaveClass('page--elderly');
    expect(screen.getByRole('button', { name: '长辈版已开启，点按关闭' })).toHaveTextContent('✓ 长辈版');
  });
});

describe('the QR code', () => {
  it('is drawn here as an image with a name, from the text it carries', () => {
    render(<QrCode text="http://127.0.0.1:3000/case/verify/index?code=ABCD-EFGH-JKMN" label="核验二维码" />);

    const image = screen.getByRole('img', { name: '核验二维码' });

    expect(image.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    expect(Number(image.getAttribute('data-modules'))).toBeGreaterThanOrEqual(25);
  });
});
