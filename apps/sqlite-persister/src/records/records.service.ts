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

  /**
   * The `limit` newest rows, oldest first, and how many rows there are: read by primary key from
   * the end and counted, so a run costs the same with ten rows as with a million.
   */
  async latest(limit: number): Promise<{ rows: MessageRecord[]; total: number }> {
    const [newestFirst, total] = await Promise.all([this.records.find({ order: { id: 'DESC' }, take: limit }), this.records.count()]);
    return { rows: newestFirst.reverse(), total };
  }
}
