import { Injectable } from '@nestjs/common';
import { UsersClient, UsersUpstreamError } from './users.client';
import { renderErrorPage, renderUsersPage } from './users.page';

export interface Page {
  status: number;
  html: string;
  /** Seconds a client should wait before asking again (only while the circuit is open). */
  retryAfterSeconds?: number;
}

@Injectable()
export class UsersPageService {
  constructor(private readonly usersClient: UsersClient) {}

  async render(requestId: string): Promise<Page> {
    try {
      const users = await this.usersClient.listUsers(requestId);
      return { status: 200, html: renderUsersPage(users, requestId) };
    } catch (error) {
      if (!(error instanceof UsersUpstreamError)) throw error;
      if (error.kind === 'invalid-response') return { status: 502, html: renderErrorPage(error.kind, requestId) };
      const retryAfterSeconds = error.retryAfterMs > 0 ? Math.ceil(error.retryAfterMs / 1000) : undefined;
      return { status: 503, html: renderErrorPage(error.kind, requestId), retryAfterSeconds };
    }
  }
}
