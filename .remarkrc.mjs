// `npm run lint:docs`: every relative link, image and #anchor in the repository's Markdown must
// resolve (offline: remark-validate-links reads the files and headings, never the network).
import remarkValidateLinks from 'remark-validate-links';

export default {
  plugins: [[remarkValidateLinks, { repository: false }]],
};
