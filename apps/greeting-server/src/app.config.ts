import { ConfigOf, defineConfig, httpServerVariables } from '@desafios/config';

export const greetingServerConfig = defineConfig({ ...httpServerVariables(8080) });

export type GreetingServerConfig = ConfigOf<typeof greetingServerConfig>;
