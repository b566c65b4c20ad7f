export default definePageConfig({ navigationBarTitleText: '办结凭证' });
