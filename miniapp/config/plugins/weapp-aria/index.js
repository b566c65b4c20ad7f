// Mini-program templates only pass the attributes Taro lists for each component, and
// its lists leave out aria-label: without this plugin, labels set in JSX reach H5 but
// are dropped from the mini-program. It patches the template at build time and the
// same list at run time, the way Taro's own platform plugins add attributes.
const path = require('node:path');
const components = require('./components');

module.exports = (ctx) => {
  ctx.registerMethod({
    name: 'onSetupClose',
    fn(platform) {
      if (!platform.template || typeof platform.template.mergeComponents !== 'function') return;
      platform.template.mergeComponents(ctx, components);
      platform.runtimePath = [].concat(platform.runtimePath, path.join(__dirname, 'runtime.js'));
    },
  });
};
