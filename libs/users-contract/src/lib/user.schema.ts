import { z } from 'zod';

/**
 * One user as users-service serves it and users-consumer expects it (issue "Desafio 4").
 * Both sides import this schema, so a change that breaks one of them fails the other's build and
 * the contract test. Unknown extra fields are accepted and dropped (tolerant reader): adding a
 * field to the service must not break consumers that do not use it yet.
 */
export const userSchema = z.object({
  id: z.number().int().positive(),
  nome: z.string().trim().min(1).max(200),
  // A real calendar date written as YYYY-MM-DD (2024-02-30 is rejected).
  ativo_desde: z.iso.date(),
});

export const usersSchema = z.array(userSchema).max(10_000);

export type User = z.infer<typeof userSchema>;

export type ContractResult = { ok: true; users: User[] } | { ok: false; problem: string };

/** Validates a decoded `GET /users` body; on failure says where, in one line, without echoing values. */
export function parseUsers(body: unknown): ContractResult {
  const result = usersSchema.safeParse(body);
  if (result.success) return { ok: true, users: result.data };
  const problem = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(raiz)'}: ${issue.message}`)
    .join(' | ');
  return { ok: false, problem };
}
