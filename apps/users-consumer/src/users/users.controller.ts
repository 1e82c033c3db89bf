import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UsersPageService } from './users-page.service';

@Controller()
export class UsersController {
  constructor(private readonly usersPage: UsersPageService) {}

  /** The HTML list; 502/503 pages (also HTML) when users-service is off-contract or down. */
  @Get()
  async page(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const page = await this.usersPage.render(request.id);
    void reply.status(page.status).type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (page.retryAfterSeconds !== undefined) void reply.header('retry-after', String(page.retryAfterSeconds));
    return page.html;
  }
}
