import { ConfigOf, defineConfig } from '../lib/config';
import { httpServerVariables } from './http-server.schema';

export const greetingServerConfig = defineConfig({ ...httpServerVariables(8080) });

export type GreetingServerConfig = ConfigOf<typeof greetingServerConfig>;
