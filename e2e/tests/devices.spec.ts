import { gql, registerDevice, uniqueSuffix } from '../fixtures/api.ts';
import { expect, screenshotView, test } from '../fixtures/test.ts';
import { DevicesPage } from '../pages/DevicesPage.ts';

test.describe('devices view', () => {
  let tag: string;
  let ids: string[];

  test.beforeAll(async () => {
    const suffix = uniqueSuffix();
    tag = `e2e-devices-${suffix}`;
    ids = [1, 2, 3].map((n) => `edge-e2e-${suffix}-${n}`);
    for (const id of ids) await registerDevice({ id, tags: [tag] });
  });

  test('shows the match count and the matching devices, and keeps the query in the URL', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    await devices.typeQuery(`tag:${tag}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await expect(devices.rows()).toHaveCount(3);
    await expect(devices.table()).toContainText(ids[0] ?? '');
    await expect(page.getByRole('navigation', { name: 'Pages' })).toContainText(
      '1–3 of 3',
    );
    await expect(page).toHaveURL(new RegExp(`\\?q=tag%3A${tag}`));
    await screenshotView(page, 'devices');

    await page.reload();
    await expect(devices.queryBox()).toHaveValue(`tag:${tag}`);
    await expect(devices.rows()).toHaveCount(3);
  });

  test('counts a typed and applied query once, for the match count and the table alike', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    await expect(devices.pager()).toContainText(/ of \d/);
    const counted = devices.recordCountRequests();

    await devices.typeQuery(`tag:${tag}`);
    await expect(devices.pager()).toContainText('1–3 of 3');
    await expect(devices.matchCount()).toHaveText('3 matching');

    expect(counted).toEqual([
      { operation: 'ValidateQuery', query: `tag:${tag}` },
    ]);
  });

  test('underlines a syntax error at its position with the message beside it', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    const text = `tag:${tag} AND AND status:healthy`;
    await devices.queryBox().fill(text);
    await expect(devices.queryBox()).toHaveAttribute('aria-invalid', 'true');
    await expect(devices.errorMark()).toHaveText('AND');
    const before = await devices
      .errorMark()
      .evaluate((mark) => mark.previousSibling?.textContent ?? '');
    expect(before).toBe(`tag:${tag} AND `);
    await expect(devices.errorMessage()).toContainText(
      `Column ${before.length + 1}`,
    );
    await screenshotView(page, 'devices-syntax-error');
  });

  test('underlines an error on a wrapped line under the word the box shows', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    const text =
      `tag:${tag} AND NOT tag:maintenance AND tag:site-factory-a ` +
      'AND tag:gpu-capable AND tag:memory-8gb AND status:healthy AND AND';
    await devices.queryBox().fill(text);
    await expect(devices.errorMark()).toHaveText('AND');
    await expect(devices.errorMessage()).toContainText(
      `Column ${text.length - 2}:`,
    );

    // Where the textarea itself lays the marked word out: a copy of its
    // text in a block styled as it is, the word in a span.
    const place = await devices.queryBox().evaluate((textarea) => {
      const style = getComputedStyle(textarea);
      const copy = document.createElement('div');
      for (const name of [
        'font',
        'letterSpacing',
        'padding',
        'border',
        'boxSizing',
        'width',
        'whiteSpace',
        'overflowWrap',
        'wordBreak',
        'tabSize',
      ] as const) {
        copy.style[name] = style[name];
      }
      copy.style.borderColor = 'transparent';
      copy.style.position = 'absolute';
      const area = textarea.getBoundingClientRect();
      copy.style.left = `${area.left + window.scrollX}px`;
      copy.style.top = `${area.top + window.scrollY}px`;
      const { value } = textarea as HTMLTextAreaElement;
      const word = document.createElement('span');
      word.textContent = value.slice(-3);
      copy.append(value.slice(0, -3), word);
      document.body.append(copy);
      const expected = word.getBoundingClientRect();
      copy.remove();
      const mark = document.querySelector('[data-testid="query-error-mark"]');
      const marked = mark?.getBoundingClientRect();
      const lineHeight = parseFloat(style.lineHeight);
      return {
        lines: Math.round(
          (textarea.clientHeight -
            parseFloat(style.paddingTop) -
            parseFloat(style.paddingBottom)) /
            lineHeight,
        ),
        isWordOnLastLine:
          Math.round((expected.bottom - area.bottom) / lineHeight) === 0,
        leftOffBy: Math.round(Math.abs((marked?.left ?? 0) - expected.left)),
        topOffBy: Math.round(Math.abs((marked?.top ?? 0) - expected.top)),
      };
    });
    expect(place).toEqual({
      lines: 2,
      isWordOnLastLine: true,
      leftOffBy: 0,
      topOffBy: 0,
    });
  });

  test('completes states from the keyboard', async ({ signedInPage: page }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    await devices.queryBox().fill('status:he');
    await expect(
      devices.suggestions().getByRole('option', { name: /healthy/ }),
    ).toBeVisible();
    await devices.queryBox().press('ArrowDown');
    await devices.queryBox().press('ArrowUp');
    await devices.queryBox().press('Enter');
    await expect(devices.queryBox()).toHaveValue('status:healthy ');
    await expect(devices.suggestions()).toBeHidden();
  });

  test('Shift+Enter starts a new line even while suggestions are shown', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open();
    await devices.queryBox().pressSequentially(`tag:${tag} AND stat`);
    await expect(
      devices.suggestions().getByRole('option', { name: /status:/ }),
    ).toBeVisible();

    await devices.queryBox().press('Shift+Enter');
    await devices.queryBox().pressSequentially('us:healthy');

    await expect(devices.queryBox()).toHaveValue(
      `tag:${tag} AND stat\nus:healthy`,
    );
  });

  test('adds a tag to every matching device', async ({
    signedInPage: page,
  }) => {
    const devices = new DevicesPage(page);
    await devices.open(`tag:${tag}`);
    await expect(devices.matchCount()).toHaveText('3 matching');
    await devices.bulkTagInput().fill(`${tag}-bulk`);
    await devices.bulkButton('Add tags').click();
    await devices.confirmBulk('Add tags');
    await expect(devices.bulkResult()).toHaveText(
      'Tags changed on 3 of 3 devices.',
    );

    const data = await gql<{ devices: { totalCount: number } }>(
      `query ($where: String) { devices(where: $where) { totalCount } }`,
      { where: `tag:${tag}-bulk` },
    );
    expect(data.devices.totalCount).toBe(3);
  });
});
