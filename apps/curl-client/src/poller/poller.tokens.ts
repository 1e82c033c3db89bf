/** What main.ts hands the poller: where each attempt's line goes, and what to call once MAX_REQUESTS is reached. */
export const POLLER_OUTPUT = Symbol('POLLER_OUTPUT');
export const POLLER_DONE = Symbol('POLLER_DONE');
