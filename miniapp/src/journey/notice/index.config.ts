export default definePageConfig({ navigationBarTitleText: '一次告知' });
