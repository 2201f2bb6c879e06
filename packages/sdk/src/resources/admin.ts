/** @module `/v1/admin/accounts` (admin key only): create accounts with a plan, change plans, add minutes. */
import type { HttpClient } from '../http-client.js';
import type { Account, CreateAccountBody, CreatedAccount, UpdateAccountBody } from '../types.js';

export class AdminResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Returns the account and its first API key (shown only now). */
  createAccount(body: CreateAccountBody = {}): Promise<CreatedAccount> {
    return this.#http.request({ method: 'POST', path: '/v1/admin/accounts', body });
  }

  async updateAccount(accountId: string, body: UpdateAccountBody): Promise<Account> {
    const reply = await this.#http.request<{ account: Account }>({
      method: 'PUT',
      path: `/v1/admin/accounts/${encodeURIComponent(accountId)}`,
      body,
    });
    return reply.account;
  }
}
