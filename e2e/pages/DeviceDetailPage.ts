import type { Page } from '@playwright/test';
import { openWithLiveSocket, type LiveSocket } from './liveSocket.ts';

/** One device: state, actions, record, timeline. */
export class DeviceDetailPage {
  constructor(private readonly page: Page) {}

  async open(id: string): Promise<void> {
    await this.page.goto(`/devices/${encodeURIComponent(id)}`);
  }

  /** Opens the page; its live socket tells when it follows changes. */
  openLive(id: string): Promise<LiveSocket> {
    return openWithLiveSocket(this.page, () => this.open(id));
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

  /** The value of one record field, by its label (such as "Connectivity"). */
  field(label: string) {
    return this.record()
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }

  tags() {
    return this.record().getByRole('list', { name: 'Tags' });
  }
}
