import type { Page } from '@playwright/test';

/** What the static group form is filled with. */
export interface StaticGroupFields {
  name: string;
  description?: string;
  /** Typed into the member list as given (spaces, commas, new lines). */
  members: string;
}

/**
 * Groups: the list, the dynamic editor with its preview, the static group
 * form, static members.
 */
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

  /** Types a group query and waits for the server's preview of it. */
  async typeGroupQuery(text: string): Promise<void> {
    const previewed = this.page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.request().postData() ?? '').includes('PreviewGroup'),
    );
    await this.groupQuery().fill(text);
    await previewed;
  }

  /** The part of the group query the box underlines as its error. */
  queryErrorMark() {
    return this.page.getByTestId('query-error-mark');
  }

  previewCount() {
    return this.page.getByTestId('preview-count');
  }

  preview() {
    return this.page.getByRole('region', { name: 'Membership preview' });
  }

  staticGroupForm() {
    return this.page.getByRole('form', { name: 'New static group' });
  }

  /** Opens the static group form, fills it and submits it. */
  async createStaticGroup(fields: StaticGroupFields): Promise<void> {
    await this.page.getByRole('button', { name: 'New static group' }).click();
    const form = this.staticGroupForm();
    await form.getByLabel('Name').fill(fields.name);
    await form.getByLabel('Description').fill(fields.description ?? '');
    await form.getByLabel('Member device ids').fill(fields.members);
    await form.getByRole('button', { name: 'Create group' }).click();
  }

  /** The member list of the static group being edited. */
  members() {
    return this.page.getByRole('list', { name: 'Members' });
  }
}
