import { Injectable } from '@nestjs/common';
import { UpstreamError } from '@desafios/http-upstream';
import { UsersClient } from './users.client';
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

  /** The list (200), or the page of the UpstreamError: off-contract 502, unavailable 503. */
  async render(requestId: string): Promise<Page> {
    try {
      return { status: 200, html: renderUsersPage(await this.usersClient.listUsers(requestId), requestId) };
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const html = renderErrorPage(error.kind, requestId);
      if (error.kind === 'invalid-response') return { status: 502, html };
      return { status: 503, html, retryAfterSeconds: error.retryAfterMs > 0 ? Math.ceil(error.retryAfterMs / 1000) : undefined };
    }
  }
}
