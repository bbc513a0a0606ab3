import { expect, test } from '../fixtures/test.ts';
import { FleetHealthPage } from '../pages/FleetHealthPage.ts';

test.describe('unknown routes', () => {
  test('shows "Page not found" with a link home', async ({
    signedInPage: page,
  }) => {
    await page.goto('/no-such-view');
    await expect(
      page.getByRole('heading', { name: 'Page not found', level: 1 }),
    ).toBeVisible();
    await expect(page.getByText('/no-such-view')).toBeVisible();
    await expect(
      page
        .getByRole('navigation', { name: 'Main' })
        .locator('[aria-current="page"]'),
    ).toHaveCount(0);

    await page.getByRole('link', { name: 'Go to Fleet health' }).click();
    await expect(new FleetHealthPage(page).heading()).toBeVisible();
  });
});
