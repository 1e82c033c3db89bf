import { ConfigOf, defineConfig } from '../lib/config';
import { httpServerVariables } from './http-server.schema';

export const usersServiceConfig = defineConfig({ ...httpServerVariables(5000) });

export type UsersServiceConfig = ConfigOf<typeof usersServiceConfig>;
