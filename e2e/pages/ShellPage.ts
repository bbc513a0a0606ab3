import type { Page } from '@playwright/test';

/** The shell around every view: navigation and the live indicator. */
export class ShellPage {
  constructor(private readonly page: Page) {}

  async goTo(section: string): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: section })
      .click();
  }

  liveIndicator() {
    return this.page.getByRole('status', { name: /Live updates/ });
  }
}
