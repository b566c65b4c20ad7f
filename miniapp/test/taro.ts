// Test double for @tarojs/taro: only the APIs the mini-app calls, as jest mocks.
const Taro = {
  makePhoneCall: jest.fn((_options: { phoneNumber: string }) => Promise.resolve({ errMsg: 'makePhoneCall:ok' })),
};

export default Taro;
