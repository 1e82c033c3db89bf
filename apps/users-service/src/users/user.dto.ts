import { ApiProperty } from '@nestjs/swagger';
import type { User } from '@desafios/users-contract';

/** The OpenAPI view of the contract's User (the zod schema in @desafios/users-contract is the source). */
export class UserDto implements User {
  @ApiProperty({ example: 1, minimum: 1 })
  id!: number;

  @ApiProperty({ example: 'Ana Souza' })
  nome!: string;

  @ApiProperty({ example: '2019-03-11', format: 'date', description: 'Data no formato AAAA-MM-DD' })
  ativo_desde!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found' })
  error!: string;

  @ApiProperty({ example: 'Usuário 99 não encontrado' })
  message!: string;

  @ApiProperty({ example: '3f0c5d7e-6a0b-4d7e-9a53-2a4b0f3d1c22' })
  requestId!: string;
}
