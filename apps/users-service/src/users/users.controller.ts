import { BadRequestException, Controller, Get, Header, Param, ParseIntPipe } from '@nestjs/common';
import { hostname } from 'node:os';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { User } from '@desafios/users-contract';
import { ErrorDto, UserDto } from './user.dto';
import { UsersService } from './users.service';

/**
 * Which replica answered: the container's host name (in Docker, its short id). With several
 * replicas behind one name (docker service scale), clients and tests see the load spread.
 */
export const SERVED_BY_HEADER = 'x-served-by';
const SERVED_BY = hostname();

/** Rejects a non-numeric id with a 400 that says so in Portuguese. */
function parseId(): ParseIntPipe {
  return new ParseIntPipe({ exceptionFactory: () => new BadRequestException('O id do usuário deve ser um número inteiro') });
}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Get()
  @Header(SERVED_BY_HEADER, SERVED_BY)
  @ApiOkResponse({ type: [UserDto], description: 'Todos os usuários' })
  findAll(): readonly User[] {
    return this.usersService.findAll();
  }

  @Get(':id')
  @Header(SERVED_BY_HEADER, SERVED_BY)
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'id não numérico' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Usuário inexistente' })
  findOne(@Param('id', parseId()) id: number): User {
    return this.usersService.findOne(id);
  }
}
