import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageRecord } from './message-record.entity';
import { RecordsService } from './records.service';

@Module({
  imports: [TypeOrmModule.forFeature([MessageRecord])],
  providers: [RecordsService],
  exports: [RecordsService],
})
export class RecordsModule {}
