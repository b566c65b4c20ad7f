export default definePageConfig({ navigationBarTitleText: '帮助和咨询' });
