import type { Page } from '@playwright/test';

/** Fleet health: stats, state and tier tiles, the 24 h chart. */
export class FleetHealthPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Fleet health', level: 1 });
  }

  activeFleet() {
    return this.page.getByLabel(/^Active fleet: /);
  }

  stateTile(state: string) {
    return this.page
      .getByRole('list', { name: 'Devices by state' })
      .getByRole('link', { name: new RegExp(`^${state}`) });
  }

  chart() {
    return this.page.getByRole('img', { name: /last 24 hours/ });
  }
}
