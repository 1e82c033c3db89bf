export { parseUsers, userSchema, usersSchema } from './lib/user.schema';
export type { User } from './lib/user.schema';
