export default definePageConfig({ navigationBarTitleText: '申报条件核验' });
