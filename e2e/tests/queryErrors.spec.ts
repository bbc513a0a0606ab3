import type { Locator, Page } from '@playwright/test';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';
import { GroupsPage } from '../pages/GroupsPage.ts';

/** Where a query box shows its error: the underline and the message. */
interface QueryErrorView {
  box: Locator;
  mark: Locator;
}

async function devicesQueryError(page: Page, text: string) {
  const devices = new DevicesPage(page);
  await devices.open();
  await devices.typeQuery(text);
  return { box: devices.queryBox(), mark: devices.errorMark() };
}

async function groupQueryError(page: Page, text: string) {
  const groups = new GroupsPage(page);
  await groups.open();
  await page.getByRole('button', { name: 'New dynamic group' }).click();
  await groups.typeGroupQuery(text);
  return { box: groups.groupQuery(), mark: groups.queryErrorMark() };
}

/** The underlined text, the text before it, and the message. */
async function shownError(view: QueryErrorView) {
  await expect(view.box).toHaveAttribute('aria-invalid', 'true');
  return {
    before: await view.mark.evaluate(
      (mark) => mark.previousSibling?.textContent ?? '',
    ),
    marked: await view.mark.textContent(),
    message: await view.box.evaluate((box) => {
      const id = box.getAttribute('aria-describedby') ?? '';
      return document.getElementById(id)?.textContent ?? null;
    }),
  };
}

const SYNTAX_ERROR = 'tag:production AND state:healthy';
const VALIDATION_ERROR = 'tag:production AND status:helthy';

test.describe('query errors', () => {
  test('a syntax error shows its column and suggestion in the devices view', async ({
    signedInPage: page,
  }) => {
    const view = await devicesQueryError(page, SYNTAX_ERROR);
    await expect(view.mark).toHaveText('state');

    expect(await shownError(view)).toEqual({
      before: 'tag:production AND ',
      marked: 'state',
      message:
        'Column 20: Unknown prefix "state"; expected tag, status, tier or ' +
        'group. Did you mean "status:"?',
    });
  });

  test('a syntax error shows the same in a dynamic group, once', async ({
    signedInPage: page,
  }) => {
    const view = await groupQueryError(page, SYNTAX_ERROR);
    await expect(view.mark).toHaveText('state');
    // The preview fails with the same error: once it has settled.
    await expect(page.getByText('Previewing…')).toHaveCount(0);

    expect(await shownError(view)).toEqual({
      before: 'tag:production AND ',
      marked: 'state',
      message:
        'Column 20: Unknown prefix "state"; expected tag, status, tier or ' +
        'group. Did you mean "status:"?',
    });
    await expect(
      page.getByRole('form', { name: 'New dynamic group' }).getByRole('alert'),
    ).toHaveCount(1);
    await screenshotView(page, 'groups-query-syntax-error');
  });

  test('the group preview shows a validation error at its position, as the devices view does', async ({
    signedInPage: page,
  }) => {
    const expected = {
      before: 'tag:production AND status:',
      marked: 'helthy',
      message:
        'Column 27: "helthy" is not a device state (provisioning, healthy, ' +
        'degraded, failed, offline, maintenance, decommissioned). ' +
        'Did you mean "healthy"?',
    };

    const group = await groupQueryError(page, VALIDATION_ERROR);
    await expect(group.mark).toHaveText('helthy');
    expect(await shownError(group)).toEqual(expected);
    await screenshotView(page, 'groups-query-validation-error');

    const devices = await devicesQueryError(page, VALIDATION_ERROR);
    await expect(devices.mark).toHaveText('helthy');
    expect(await shownError(devices)).toEqual(expected);
  });
});
