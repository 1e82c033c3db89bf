// Entry point bundled next to every HTTP app as healthcheck.js (see tools/webpack): HEALTHCHECK runs it.
import { loadConfig } from '@desafios/config';
import { probeConfig } from './lib/probe.config';
import { probe } from './lib/probe';

const { PORT, PROBE_TIMEOUT_MS } = loadConfig(probeConfig);
void probe(`http://127.0.0.1:${PORT}/health/ready`, PROBE_TIMEOUT_MS).then((healthy) =>
  process.exit(healthy ? 0 : 1),
);
