export { runCommand, type RunOptions } from './run';
export { WORKSPACE_ROOT } from './workspace';
export { ComposeProject, docker, inspect } from './compose';
export { stackPerSuite, upHealthy } from './stack';
export { get, sleep, untilStatus, waitFor } from './wait';
export { AppProcess, freePort, spawnApp, startApp, startScript, stopAllApps, untilServing, type StartOptions } from './processes';
export * from './load';
export * from './generated-report';
