import { NotFoundException } from '@nestjs/common';
import { UsersService } from './users.service';
import { USERS_SEED } from './users.seed';

describe('UsersService', () => {
  const service = new UsersService();

  it('serves at least three seed users with distinct ids', () => {
    const users = service.findAll();
    expect(users.length).toBeGreaterThanOrEqual(3);
    expect(new Set(users.map((user) => user.id)).size).toBe(users.length);
  });

  it('finds a user by id', () => {
    expect(service.findOne(USERS_SEED[0].id)).toEqual(USERS_SEED[0]);
  });

  it('throws NotFound for an unknown id', () => {
    expect(() => service.findOne(12345)).toThrow(NotFoundException);
  });
});
