import type { Page } from '@playwright/test';
import { openWithLiveSocket, type LiveSocket } from './liveSocket.ts';

/** Offline escalation: one section per tier. */
export class EscalationPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/escalation');
  }

  tierTable(tier: string) {
    return this.page.getByRole('table', { name: `Devices in ${tier}` });
  }

  /** The section headings, each "tier — N devices" once counted. */
  sectionHeadings() {
    return this.page.getByRole('heading', { level: 2 });
  }

  /** The devices of every section added up, once each has been counted. */
  async countedTotal(): Promise<number | null> {
    const headings = await this.sectionHeadings().allTextContents();
    const counts = headings.map((text) => /— ([\d,]+) devices?$/.exec(text));
    if (counts.some((count) => count === null)) return null;

    return counts.reduce(
      (sum, count) => sum + Number(count?.[1]?.replace(/,/g, '')),
      0,
    );
  }
}

/** Catch-up queue with filters and the investigation queue. */
export class CatchUpPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/catch-up');
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Catch-up queue', level: 1 });
  }

  investigationHeading() {
    return this.page.getByRole('heading', { name: 'Investigation queue' });
  }
}

/** Deployments: plan preview and progress. */
export class DeploymentsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/deployments');
  }

  /** The card of one deployment in the list. */
  card(id: string) {
    return this.page.getByRole('listitem', { name: `Deployment ${id}` });
  }

  /** Opens the view; its live socket tells when it follows changes. */
  openLive(): Promise<LiveSocket> {
    return openWithLiveSocket(this.page, () => this.open());
  }

  manifest() {
    return this.page.getByLabel('Manifest (YAML)');
  }

  preview() {
    return this.page.getByRole('region', { name: 'Plan preview' });
  }
}
