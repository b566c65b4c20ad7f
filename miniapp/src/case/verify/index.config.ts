export default definePageConfig({ navigationBarTitleText: '核验办结凭证' });
