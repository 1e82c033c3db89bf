import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DEPENDENCY_INDICATORS, DependencyIndicator } from './dependency-indicator';
import { HealthController } from './health.controller';

export interface HealthModuleOptions {
  /** Modules the indicators need (a TypeORM connection, a cache, an HTTP client). */
  imports?: ModuleMetadata['imports'];
  /** One class per dependency; `/health/ready` runs them all. */
  indicators?: Type<DependencyIndicator>[];
}

@Module({})
export class HealthModule {
  static forRoot({ imports = [], indicators = [] }: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...imports],
      controllers: [HealthController],
      providers: [
        ...indicators,
        {
          provide: DEPENDENCY_INDICATORS,
          useFactory: (...instances: DependencyIndicator[]) => instances,
          inject: indicators,
        },
      ],
      exports: indicators,
    };
  }
}
