export default definePageConfig({ navigationBarTitleText: '灵活就业参保“一件事”' });
