import { expect, type Page } from '@playwright/test';

/** The sign-in form. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByLabel('Operator key')).toBeVisible();
  }

  /** Signs in and waits for the main navigation. */
  async signIn(key: string): Promise<void> {
    await this.submit(key);
    await expect(
      this.page.getByRole('navigation', { name: 'Main' }),
    ).toBeVisible();
  }

  async submit(key: string): Promise<void> {
    await this.page.getByLabel('Operator key').fill(key);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  error() {
    return this.page.getByRole('alert');
  }
}
