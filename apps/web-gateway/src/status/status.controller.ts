import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { renderStatusPage } from './status.page';
import { StatusReport } from './status.report';
import { StatusService } from './status.service';

@Controller()
export class StatusController {
  constructor(private readonly statusService: StatusService) {}

  /** The page counts a visit; it is still rendered (with 503) when a dependency is down. */
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async page(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const report = await this.statusService.collect({ countVisit: true });
    void reply.status(statusCodeOf(report));
    return renderStatusPage(report);
  }

  @Get('status')
  @Header('cache-control', 'no-store')
  async status(@Res({ passthrough: true }) reply: FastifyReply): Promise<StatusReport> {
    const report = await this.statusService.collect({ countVisit: false });
    void reply.status(statusCodeOf(report));
    return report;
  }
}

function statusCodeOf(report: StatusReport): number {
  return report.ok ? 200 : 503;
}
