// Moving between the journey's steps in the mini-program (a page stack of at most ten)
// and in H5 (the browser's history).
import Taro from '@tarojs/taro';
import { backTo, forward } from '../nav';

const pages = Taro.getCurrentPages as unknown as jest.Mock;

/** As the mini-program build (TARO_ENV is written into it at build time). */
function inTheMiniProgram(act: () => void): void {
  const before = process.env.TARO_ENV;
  process.env.TARO_ENV = 'weapp';
  try {
    act();
  } finally {
    process.env.TARO_ENV = before;
  }
}

describe('backTo in the mini-program', () => {
  it('goes back when the step asked for is the page below', () => {
    pages.mockReturnValue([
      { route: 'journey/form/index', options: { section: 'archive' } },
      { route: 'journey/form/index', options: { section: 'pension', from: 'archive' } },
    ]);
    inTheMiniProgram(() => backTo('/journey/form/index', { section: 'archive' }));
    expect(Taro.navigateBack).toHaveBeenCalledTimes(1);
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('opens the step in place of this page when the stack was full and the page below is another', () => {
    // ten pages: forward replaced the review with the form, so the page below is the last section
    pages.mockReturnValue([
      { route: 'journey/form/index', options: { section: 'payment' } },
      { route: 'journey/form/index', options: { section: 'card', back: 'review' } },
    ]);
    inTheMiniProgram(() => backTo('/journey/review/index'));
    expect(Taro.navigateBack).not.toHaveBeenCalled();
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/journey/review/index' });
  });

  it('moves forward onto the stack', () => {
    inTheMiniProgram(() => forward('/journey/identity/index'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/journey/identity/index' });
  });
});

describe('forward in H5', () => {
  it('keeps this page in the history for Back and replaces it with the next step', () => {
    const entries = window.history.length;
    forward('/journey/form/index', { section: 'archive', from: 'employment' });
    expect(window.history.length).toBe(entries + 1);
    expect(Taro.navigateTo).not.toHaveBeenCalled();
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/journey/form/index?section=archive&from=employment' });
  });
});
