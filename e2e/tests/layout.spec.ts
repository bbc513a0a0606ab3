import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';
import { FleetHealthPage } from '../pages/FleetHealthPage.ts';

test.describe('layout', () => {
  test.use({ viewport: { width: 400, height: 800 } });

  test('fits a narrow window without sideways scrolling', async ({
    signedInPage: page,
  }) => {
    for (const open of [
      () => new FleetHealthPage(page).open(),
      () => new DevicesPage(page).open('status:healthy'),
    ]) {
      await open();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(
        () =>
          document.documentElement.scrollWidth -
          document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
    }
    await screenshotView(page, 'devices-narrow');
  });

  test('follows a dark system theme', async ({ signedInPage: page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const fleet = new FleetHealthPage(page);
    await fleet.open();
    await expect(fleet.heading()).toBeVisible();
    const background = await page.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    expect(background).toBe('rgb(15, 18, 22)');
    await screenshotView(page, 'fleet-health-dark');
  });
});
