import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { MessageRecord } from './message-record.entity';

@Injectable()
export class RecordsService {
  constructor(@InjectRepository(MessageRecord) private readonly records: Repository<MessageRecord>) {}

  /**
   * A single INSERT in autocommit mode: SQLite takes the write lock for just this statement (waiting
   * on the busy timeout if another run holds it), and the row is durable once this resolves.
   */
  async save(message: string, createdAt = new Date()): Promise<number> {
    const result = await this.records.insert({ message, createdAt });
    return Number(result.identifiers[0]?.id);
  }

  /** Every row, oldest first. */
  list(): Promise<MessageRecord[]> {
    return this.records.find({ order: { id: 'ASC' } });
  }
}
