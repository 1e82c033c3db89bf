import { Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway.metrics';

/** One GatewayMetrics for the database and cache modules alike (a metric is registered once). */
@Module({ providers: [GatewayMetrics], exports: [GatewayMetrics] })
export class GatewayMetricsModule {}
