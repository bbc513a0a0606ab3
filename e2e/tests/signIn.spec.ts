import { e2eServer } from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { FleetHealthPage } from '../pages/FleetHealthPage.ts';
import { ShellPage } from '../pages/ShellPage.ts';
import { SignInPage } from '../pages/SignInPage.ts';

test.describe('sign-in', () => {
  test('refuses an unknown key with a message', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.open();
    await screenshotView(page, 'sign-in');
    await signIn.submit('rc_key_not_a_real_key');
    await expect(signIn.error()).toContainText('unknown or revoked');
  });

  test('signs in with the admin key, shows the shell and goes live', async ({
    page,
  }) => {
    const signIn = new SignInPage(page);
    await signIn.open();
    await signIn.signIn(e2eServer().adminKey);
    await expect(new FleetHealthPage(page).heading()).toBeVisible();
    await expect(new ShellPage(page).liveIndicator()).toHaveText('Live');
  });

  test('keeps the session across a reload and ends it on sign-out', async ({
    signedInPage: page,
  }) => {
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByLabel('Operator key')).toBeVisible();
  });
});
