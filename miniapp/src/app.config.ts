export default defineAppConfig({
  // The main package holds only the way in and help; the journey and the case
  // (progress, results, certificate, rating, messages) are sub-packages.
  pages: ['pages/index/index', 'pages/entry/index', 'pages/help/index'],
  subPackages: [
    {
      root: 'journey',
      pages: ['notice/index', 'eligibility/index', 'identity/index', 'form/index', 'review/index'],
    },
    {
      root: 'case',
      pages: ['progress/index', 'certificate/index', 'rating/index', 'messages/index', 'verify/index'],
    },
    {
      // The staff pages (window, customer service, supervision); also used in a desktop browser.
      root: 'staff',
      pages: [
        'signin/index',
        'home/index',
        'window/index',
        'cases/index',
        'case/index',
        'audit/index',
        'dashboard/index',
        'problems/index',
      ],
    },
  ],
  window: {
    navigationBarTitleText: '灵活就业参保“一件事”',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundTextStyle: 'light',
  },
});
