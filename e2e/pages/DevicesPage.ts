import type { Page } from '@playwright/test';

/** Devices: the query box, match count, table and pager. */
export class DevicesPage {
  constructor(private readonly page: Page) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(
      query ? `/devices?q=${encodeURIComponent(query)}` : '/devices',
    );
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
}
