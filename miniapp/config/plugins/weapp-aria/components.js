// Components whose aria-label should reach the mini-program. The build-time template
// and the runtime must list the same attributes: Taro numbers them in both places.
module.exports = {
  View: { 'aria-label': '' },
  Text: { 'aria-label': '' },
  Button: { 'aria-label': '' },
  Input: { 'aria-label': '' },
  Textarea: { 'aria-label': '' },
  Image: { 'aria-label': '' },
};
