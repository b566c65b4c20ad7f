export default defineAppConfig({
  // The main package stays small; the journey and staff pages will come as subPackages.
  pages: ['pages/index/index'],
  window: {
    navigationBarTitleText: '灵活就业参保“一件事”',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundTextStyle: 'light',
  },
});
