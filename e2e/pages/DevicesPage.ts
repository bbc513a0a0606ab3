import type { Page, Request } from '@playwright/test';
import { openWithLiveSocket, type LiveSocket } from './liveSocket.ts';

/** One request that counts the devices a query selects. */
export interface CountRequest {
  operation: 'ValidateQuery' | 'DevicesCount';
  query: string | null;
}

/** The counting operation a dashboard request runs, if any. */
function countRequest(request: Request): CountRequest | null {
  if (!request.url().endsWith('/graphql')) return null;

  const body = request.postDataJSON() as {
    query?: string;
    variables?: { query?: string; where?: string | null };
  } | null;
  const operation = /^\s*query (ValidateQuery|DevicesCount)\b/.exec(
    body?.query ?? '',
  )?.[1] as CountRequest['operation'] | undefined;
  if (!operation) return null;

  const variables = body?.variables ?? {};
  const query =
    operation === 'ValidateQuery'
      ? (variables.query ?? null)
      : (variables.where ?? null);
  return { operation, query };
}

/** Devices: the query box, match count, table and pager. */
export class DevicesPage {
  constructor(private readonly page: Page) {}

  /**
   * Records every request that counts devices from now on (validation
   * with its match count, or the table's own count), in request order.
   */
  recordCountRequests(): CountRequest[] {
    const requests: CountRequest[] = [];
    this.page.on('request', (request) => {
      const counted = countRequest(request);
      if (counted) requests.push(counted);
    });
    return requests;
  }

  async open(query = ''): Promise<void> {
    await this.page.goto(
      query ? `/devices?q=${encodeURIComponent(query)}` : '/devices',
    );
  }

  /** Opens the view; its live socket tells when it follows changes. */
  openLive(query = ''): Promise<LiveSocket> {
    return openWithLiveSocket(this.page, () => this.open(query));
  }

  /** The "Last heartbeat" cell of a device's row. */
  lastHeartbeat(id: string) {
    return this.rows()
      .filter({ has: this.page.getByRole('link', { name: id, exact: true }) })
      .getByRole('cell')
      .nth(4);
  }

  queryBox() {
    return this.page.getByRole('combobox', { name: 'Tag query' });
  }

  /** Types into the query box and waits for the server's validation of it. */
  async typeQuery(text: string): Promise<void> {
    const validated = this.page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.request().postData() ?? '').includes('ValidateQuery'),
    );
    await this.queryBox().fill(text);
    await validated;
  }

  suggestions() {
    return this.page.getByRole('listbox', { name: 'Suggestions' });
  }

  errorMark() {
    return this.page.getByTestId('query-error-mark');
  }

  errorMessage() {
    return this.page.locator('.query-message');
  }

  matchCount() {
    return this.page.getByTestId('match-count');
  }

  table() {
    return this.page.getByRole('table', { name: 'Devices' });
  }

  rows() {
    return this.table().locator('tbody tr');
  }

  pager() {
    return this.page.getByRole('navigation', { name: 'Pages' });
  }

  bulkTagging() {
    return this.page.getByRole('form', { name: 'Bulk tagging' });
  }

  bulkTagInput() {
    return this.page.getByLabel(/Tags for every device matching/);
  }

  bulkButton(name: 'Add tags' | 'Remove tags') {
    return this.bulkTagging().getByRole('button', { name });
  }

  /** Why the bulk buttons are disabled, while they are. */
  bulkReason() {
    return this.page.getByTestId('bulk-reason');
  }

  /** The confirmation bulk tagging asks for before it writes. */
  bulkConfirmation() {
    return this.page.getByRole('dialog');
  }

  /** Confirms the open bulk tagging dialog. */
  async confirmBulk(name: 'Add tags' | 'Remove tags'): Promise<void> {
    await this.bulkConfirmation().getByRole('button', { name }).click();
  }

  bulkResult() {
    return this.page.getByRole('status').filter({ hasText: 'Tags changed' });
  }
}
