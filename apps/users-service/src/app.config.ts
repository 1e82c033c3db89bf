import { ConfigOf, defineConfig, httpServerVariables } from '@desafios/config';

export const usersServiceConfig = defineConfig({ ...httpServerVariables(5000) });

export type UsersServiceConfig = ConfigOf<typeof usersServiceConfig>;
