// `npm run lint:docs`: every relative link, image and #anchor in the repository's Markdown must
// resolve (offline: remark-validate-links reads the files and headings, never the network). Links to
// lines of a file (`#L40-L57`, as on GitHub) are allowed; the docs suite checks where they point.
import remarkValidateLinks from 'remark-validate-links';

export default {
  plugins: [[remarkValidateLinks, { repository: false, urlConfig: { headingPrefix: '#', lines: true } }]],
};
