import { Injectable, NotFoundException } from '@nestjs/common';
import { User, usersSchema } from '@desafios/users-contract';
import { USERS_SEED } from './users.seed';

@Injectable()
export class UsersService {
  // Checked once at start: the type cannot tell a real date from "2021-02-30", the contract can.
  private readonly users: readonly User[] = usersSchema.parse(USERS_SEED);

  findAll(): readonly User[] {
    return this.users;
  }

  findOne(id: number): User {
    const user = this.users.find((candidate) => candidate.id === id);
    if (!user) throw new NotFoundException(`Usuário ${id} não encontrado`);
    return user;
  }
}
