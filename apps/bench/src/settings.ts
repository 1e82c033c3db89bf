/**
 * The bench's knobs, read from the environment in this one place:
 * - BENCH_ONLY=greeting,users,metrics,web-gateway,startup,sqlite,images,compose runs a subset and
 *   prints it without rewriting docs/;
 * - BENCH_ROUND_DURATION (5s) and BENCH_CURVE_DURATION (4s), wrk's -d for a round and a curve point.
 */
export const ONLY = process.env.BENCH_ONLY?.split(',');
export const ROUND_DURATION = process.env.BENCH_ROUND_DURATION ?? '5s';
export const CURVE_DURATION = process.env.BENCH_CURVE_DURATION ?? '4s';
