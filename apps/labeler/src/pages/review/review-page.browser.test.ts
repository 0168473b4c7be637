import { mkdirSync } from 'fs';
import { join } from 'path';
import { chromium, Browser, Page } from 'playwright-core';
import { NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { seedAccount, startLabelerTestApp, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN, waitFor } from '../../testing/labeler-test-app';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', '..', '..', '..', 'test-artifacts');

describe('review page in Chromium', () => {
  let t: Awaited<ReturnType<typeof startLabelerTestApp>>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let alicePassword: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startLabelerTestApp({ reviewImages: 6 });
    alicePassword = (await seedAccount(t.app, { name: 'alice' })).password;
    await t.app.inject({ method: 'PUT', url: '/api/labels/wholefoods_logo', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  // the page's CSP forbids eval, so wait with selectors and $eval rather than string predicates
  const shown = async (loop: string) => {
    await page.waitForSelector(`#task-image[data-name="${loop}"]:not([hidden])`);
    await waitFor(() => page.$eval('#task-image', (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0), 5000, `image of ${loop}`);
    // shown on the neutral grey the model flattens transparency onto
    expect(await page.$eval('#task-image', (img) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(img).backgroundColor)).toBe('rgb(128, 128, 128)');
  };
  const choose = async (key: string, expected: string) => {
    await page.keyboard.press(key);
    await page.waitForSelector(`#categories li[aria-selected="true"]:has-text("${expected}")`);
    await page.keyboard.press('Enter');
  };

  it('logs in with an account, labels with the keyboard, skips, answers None of the Above, and the bucket follows', async () => {
    await page.goto(`${base}/review`);
    await page.fill('#login-name', 'alice');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-error:has-text("the name or the password is wrong")');
    await page.screenshot({ path: join(ARTIFACTS, 'review-login.png') });
    await page.fill('#login-password', alicePassword);
    await page.click('#login-form button[type=submit]');

    await shown('loop-1');
    expect(await page.textContent('#who-name')).toBe('alice');
    // HttpOnly: the page's scripts never see the session
    expect(await page.$eval('body', (body) => (body as unknown as { ownerDocument: { cookie: string } }).ownerDocument.cookie)).toBe('');
    expect(await page.textContent('#pending-count')).toBe('6');
    expect(await page.isVisible('#hint')).toBe(true);
    const names = await page.$$eval('#categories li .name', (els) => els.map((e) => e.textContent));
    expect(names).toEqual(['cat', 'dog', 'wholefoods_logo', NONE_OF_THE_ABOVE]);

    await choose('1', 'cat');
    await shown('loop-2');
    await choose('2', 'dog');
    await shown('loop-3');
    await page.keyboard.press('s');
    await shown('loop-4');
    await choose('0', NONE_OF_THE_ABOVE);
    await shown('loop-5');
    await choose('3', 'wholefoods_logo');
    await shown('loop-6');
    await page.waitForSelector('#done-count:has-text("4")');
    await page.keyboard.press('2');
    await page.screenshot({ path: join(ARTIFACTS, 'review-page-laptop.png') });

    await page.keyboard.press('h');
    expect(await page.isVisible('#hint')).toBe(false);
    await page.keyboard.press('h');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'review-page-phone.png'), fullPage: true });

    const copies = await waitFor(async () => {
      const keys = await t.keys('images_labeled_by_folder/');
      return keys.filter((k) => k.includes('humanLoopName-')).length === 3 ? keys : null;
    }, 10_000, 'three labelled copies');
    const reviewed = copies.map((k) => /^images_labeled_by_folder\/([^/]+)\/humanLoopName-(loop-\d+)-/.exec(k)).filter((m) => m !== null).map((m) => `${m[1]} ${m[2]}`);
    expect(reviewed.sort()).toEqual(['cat loop-1', 'dog loop-2', 'wholefoods_logo loop-5']);
    const humanReview = t.app.providers.humanReview;
    expect((await humanReview.describeHumanLoop('loop-4'))?.answer?.label).toBe(NONE_OF_THE_ABOVE);
    expect((await t.app.providers.reviewWorkbench!.getTask('loop-1'))?.answers.map((a) => a.reviewerId)).toEqual(['alice']);
    expect((await humanReview.describeHumanLoop('loop-3'))?.status).toBe('pending');
    expect((await t.keys('a2i-human-loop-data/')).filter((k) => k.endsWith('/output.json'))).toHaveLength(4);

    // closing the page hands alice's leased task (loop-6) back at once
    await page.close();
    const workbench = t.app.providers.reviewWorkbench!;
    expect((await workbench.claimNext('bob'))?.task.loop.name).toBe('loop-3');
    const carol = await waitFor(() => workbench.claimNext('carol'), 5000, 'the released task');
    expect(carol.task.loop.name).toBe('loop-6');
  });

  it('signs in with a token when the name is empty, and signing out ends the session on the server', async () => {
    const context = await browser.newContext();
    const second = await context.newPage();
    await second.goto(`${base}/review`);
    await second.fill('#login-password', TEST_REVIEWER_TOKEN);
    await second.click('#login-form button[type=submit]');
    await second.waitForSelector('#who-name:has-text("bootstrap-reviewer")');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'relabel_session', httpOnly: true, sameSite: 'Strict' });
    const headers = { cookie: `${cookie!.name}=${cookie!.value}` };
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers })).statusCode).toBe(200);
    await second.click('#logout');
    await second.waitForSelector('#login:not([hidden])');
    expect((await t.app.inject({ method: 'GET', url: '/auth/session', headers })).statusCode).toBe(401);
    await context.close();
  });
});
