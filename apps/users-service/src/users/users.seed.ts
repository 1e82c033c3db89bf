import type { User } from '@desafios/users-contract';

/** The fixed list the service serves; typed by the contract the consumer validates against. */
export const USERS_SEED: readonly User[] = [
  { id: 1, nome: 'Ana Souza', ativo_desde: '2019-03-11' },
  { id: 2, nome: 'Bruno Lima', ativo_desde: '2020-07-01' },
  { id: 3, nome: 'Carla Mendes', ativo_desde: '2021-11-23' },
  { id: 4, nome: 'Diego Araújo', ativo_desde: '2023-02-14' },
];
