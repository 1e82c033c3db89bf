export { parseUsers, userSchema, usersSchema } from './lib/user.schema';
export type { ContractResult, User } from './lib/user.schema';
