// Test helpers, apart from the production barrel: `@desafios/http-upstream/testing`.
export { refusedUrl, StubUpstream } from './testing/stub-upstream';
export type { StubHandler } from './testing/stub-upstream';
