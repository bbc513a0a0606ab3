import type { Page } from '@playwright/test';

/** Groups: the list, the dynamic editor with its preview, static members. */
export class GroupsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/groups');
  }

  table() {
    return this.page.getByRole('table', { name: 'Groups' });
  }

  row(name: string) {
    return this.table().getByRole('row', { name: new RegExp(name) });
  }

  groupQuery() {
    return this.page.getByRole('combobox', { name: 'Group query' });
  }

  previewCount() {
    return this.page.getByTestId('preview-count');
  }

  preview() {
    return this.page.getByRole('region', { name: 'Membership preview' });
  }
}
