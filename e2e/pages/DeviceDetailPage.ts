import type { Page } from '@playwright/test';

/** One device: state, actions, record, timeline. */
export class DeviceDetailPage {
  constructor(private readonly page: Page) {}

  async open(id: string): Promise<void> {
    await this.page.goto(`/devices/${encodeURIComponent(id)}`);
  }

  heading(id: string) {
    return this.page.getByRole('heading', { name: id, level: 1 });
  }

  state() {
    return this.page.getByTestId('device-state');
  }

  actions() {
    return this.page.getByRole('group', { name: 'Device actions' });
  }

  action(label: string) {
    return this.actions().getByRole('button', { name: label });
  }

  timeline() {
    return this.page.getByRole('list', { name: 'State changes' });
  }

  record() {
    return this.page.getByLabel('Device record');
  }
}
