import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Registro } from './registro.entity';

@Injectable()
export class RegistrosService {
  constructor(@InjectRepository(Registro) private readonly registros: Repository<Registro>) {}

  /**
   * A single INSERT in autocommit mode: SQLite takes the write lock for just this statement (waiting
   * on the busy timeout if another run holds it), and the row is durable once this resolves.
   */
  async gravar(mensagem: string, criadoEm = new Date()): Promise<number> {
    const result = await this.registros.insert({ mensagem, criadoEm });
    return Number(result.identifiers[0]?.id);
  }

  listar(): Promise<Registro[]> {
    return this.registros.find({ order: { id: 'ASC' } });
  }
}
