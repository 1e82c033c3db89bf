import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Registro } from './registro.entity';
import { RegistrosService } from './registros.service';

@Module({
  imports: [TypeOrmModule.forFeature([Registro])],
  providers: [RegistrosService],
  exports: [RegistrosService],
})
export class RegistrosModule {}
