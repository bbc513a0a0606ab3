import type { Locator } from '@playwright/test';
import { gql, registerDevice, uniqueSuffix } from '../fixtures/api.ts';
import { expect, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';

test.describe('devices view URL', () => {
  let tagA: string;
  let tagB: string;
  let idsA: string[];
  let idB: string;

  test.beforeAll(async () => {
    const suffix = uniqueSuffix();
    tagA = `e2e-url-${suffix}-a`;
    tagB = `e2e-url-${suffix}-b`;
    idsA = [1, 2].map((n) => `edge-e2e-url-${suffix}-a${n}`);
    idB = `edge-e2e-url-${suffix}-b1`;
    for (const id of idsA) await registerDevice({ id, tags: [tagA] });
    await registerDevice({ id: idB, tags: [tagB] });
  });

  /** The ?q= of the page's URL, decoded. */
  const urlQuery = (url: URL) => url.searchParams.get('q');

  /** The ids the table lists, in order. */
  const listedIds = (devices: DevicesPage) =>
    devices.rows().getByRole('link', { name: /^edge-/ });

  /** How many lines of text the query box is high. */
  const shownLines = (box: Locator) =>
    box.evaluate((textarea) => {
      const style = getComputedStyle(textarea);
      const padding =
        parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      return Math.round(
        (textarea.clientHeight - padding) / parseFloat(style.lineHeight),
      );
    });

  /**
   * The line and column (1-based) of the box's text where its error
   * underline is drawn, from the underline's place on screen.
   */
  const underlinePlace = (box: Locator) =>
    box.evaluate((textarea) => {
      const mark = document.querySelector('[data-testid="query-error-mark"]');
      if (!mark) return null;

      const style = getComputedStyle(textarea);
      const area = textarea.getBoundingClientRect();
      const marked = mark.getBoundingClientRect();
      const charWidth = marked.width / (mark.textContent ?? '').length;
      const left =
        area.left +
        parseFloat(style.borderLeftWidth) +
        parseFloat(style.paddingLeft);
      const top =
        area.top +
        parseFloat(style.borderTopWidth) +
        parseFloat(style.paddingTop);
      return {
        line: Math.floor((marked.top - top) / parseFloat(style.lineHeight)) + 1,
        column: Math.round((marked.left - left) / charWidth) + 1,
      };
    });

  /** Every device the registry holds now, as the pager shows the count. */
  async function allDevicesCount(): Promise<string> {
    const data = await gql<{ devices: { totalCount: number } }>(
      '{ devices(first: 0) { totalCount } }',
    );
    return data.devices.totalCount.toLocaleString('en-US');
  }

  test('reloading /devices?q= shows the matching devices with the query in the box', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open(`tag:${tagA}`);
    await expect(devices.queryBox()).toHaveValue(`tag:${tagA}`);
    await expect(listedIds(devices)).toHaveText(idsA);
    await expect(devices.matchCount()).toHaveText('2 matching');

    await page.reload();
    await expect(devices.queryBox()).toHaveValue(`tag:${tagA}`);
    await expect(listedIds(devices)).toHaveText(idsA);
    await expect(devices.pager()).toContainText('1–2 of 2');
  });

  test('keeps the applied query in the URL, not text still in error', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open(`tag:${tagA}`);
    await devices.typeQuery(`tag:${tagB}`);
    await expect(page).toHaveURL((url) => urlQuery(url) === `tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);

    await devices.typeQuery(`tag:${tagB} AND AND`);
    await expect(devices.queryBox()).toHaveAttribute('aria-invalid', 'true');
    expect(urlQuery(new URL(page.url()))).toBe(`tag:${tagB}`);

    await page.reload();
    await expect(devices.queryBox()).toHaveValue(`tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);
  });

  test('Back and Forward return to the queries applied before', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const both = `tag:${tagA} OR tag:${tagB}`;
    await devices.open(`tag:${tagA}`);
    await expect(listedIds(devices)).toHaveText(idsA);
    await devices.typeQuery(`tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);
    await devices.queryBox().press('Escape');
    await devices.queryBox().press('Enter');
    await devices.typeQuery(both);
    await expect(listedIds(devices)).toHaveText([...idsA, idB]);

    await page.goBack();
    await expect(devices.queryBox()).toHaveValue(`tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);
    await page.goBack();
    await expect(devices.queryBox()).toHaveValue(`tag:${tagA}`);
    await expect(listedIds(devices)).toHaveText(idsA);
    await page.goForward();
    await expect(devices.queryBox()).toHaveValue(`tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);
    await page.goForward();
    await expect(devices.queryBox()).toHaveValue(both);
    await expect(listedIds(devices)).toHaveText([...idsA, idB]);
  });

  test('a URL query that does not parse shows its error over every device', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const text = `tag:${tagA} AND AND`;
    const column = `tag:${tagA} AND `.length + 1;
    await devices.open(text);

    await expect(devices.queryBox()).toHaveValue(text);
    await expect(devices.queryBox()).toHaveAccessibleDescription(
      `Column ${column}: Expected an expression, found "AND".`,
    );
    await expect(devices.errorMark()).toHaveText('AND');
    await expect(devices.pager()).toContainText(
      ` of ${await allDevicesCount()}`,
    );
    await expect(devices.matchCount()).toHaveText(
      'Showing all devices until the query is fixed',
    );
    await expect(page.getByRole('alert')).toHaveCount(1);
  });

  test('a URL query the server refuses shows its error and suggestion over every device', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const text = `tag:${tagA} AND status:helthy`;
    const column = `tag:${tagA} AND status:`.length + 1;
    await devices.open(text);

    await expect(devices.queryBox()).toHaveAccessibleDescription(
      `Column ${column}: "helthy" is not a device state (provisioning, ` +
        'healthy, degraded, failed, offline, maintenance, decommissioned). ' +
        'Did you mean "healthy"?',
    );
    await expect(devices.errorMark()).toHaveText('helthy');
    await expect(devices.pager()).toContainText(
      ` of ${await allDevicesCount()}`,
    );
    await expect(page.getByRole('alert')).toHaveCount(1);
    expect(urlQuery(new URL(page.url()))).toBe(text);
  });

  test('a URL query with a line break shows the break in the box and applies that query', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const text = `tag:${tagA}\nOR tag:${tagB}`;
    await devices.open(text);

    await expect(devices.queryBox()).toHaveValue(text);
    await expect(listedIds(devices)).toHaveText([...idsA, idB]);
    await expect(devices.matchCount()).toHaveText('3 matching');
    expect(await shownLines(devices.queryBox())).toBe(2);
  });

  test('an error on the second line of a URL query is underlined where the box shows it', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const text = `tag:${tagA}\nAND state:healthy`;
    await devices.open(text);

    await expect(devices.queryBox()).toHaveValue(text);
    await expect(devices.queryBox()).toHaveAccessibleDescription(
      'Line 2, column 5: Unknown prefix "state"; expected tag, status, tier ' +
        'or group. Did you mean "status:"?',
    );
    await expect(devices.errorMark()).toHaveText('state');
    expect(await underlinePlace(devices.queryBox())).toEqual({
      line: 2,
      column: 'AND '.length + 1,
    });
  });

  test('a URL query with a malformed escape says so and shows every device', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    const everyDevice = ` of ${await allDevicesCount()}`;
    await page.goto('/devices?q=%E0%A4%A');

    // The only alert: the box is empty, not in error.
    await expect(page.getByRole('alert')).toHaveText(
      'The query in this link cannot be read: its ?q= holds a malformed ' +
        '%-escape (a truncated or hand-edited link). Showing every device; ' +
        'type the query again.',
    );
    await expect(devices.pager()).toContainText(everyDevice);
    expect({
      box: await devices.queryBox().inputValue(),
      replacementCharacters: await page.getByText('\uFFFD').count(),
    }).toEqual({ box: '', replacementCharacters: 0 });

    await devices.typeQuery(`tag:${tagB}`);
    await expect(listedIds(devices)).toHaveText([idB]);
    await expect(page.getByTestId('link-error')).toHaveCount(0);
  });
});
