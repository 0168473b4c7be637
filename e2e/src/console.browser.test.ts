import { mkdirSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import sharp from 'sharp';
import { chromium, Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { seedAccount, testConfig, TEST_ADMIN_TOKEN, TEST_REVIEWER_TOKEN } from '@relabel/platform/testing';
import { createLocalModelService } from '@relabel/local-adapters';
import { makeSyntheticImages } from '@relabel/ports/testing';
import { silentLogger } from '@relabel/ports';
import { buildApp as buildConfigWatcher } from '../../apps/config-watcher/src/app';
import { buildApp as buildDetector } from '../../apps/detector/src/app';
import { buildApp as buildLabeler } from '../../apps/labeler/src/app';
import { buildApp as buildTrainer } from '../../apps/trainer/src/app';
import { eventually } from './testing/e2e-helpers';

jest.setTimeout(300_000);

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const cacheDir = path.join(tmpdir(), 'relabel-model-cache');
const LABELS = ['circle', 'square', 'star'];


describe('the operator console in Chromium, on the whole local system', () => {
  const config = testConfig();
  const apps: FastifyInstance[] = [];
  const models: Array<{ close(): Promise<void> }> = [];
  let browser: Browser;
  let page: Page;
  let base: string;
  let detectorUrl: string;
  let labelerUrl: string;
  let trainingShot = false;
  let alice: { token: string };
  let olga: { name: string; password: string };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const modelService = (store: FastifyInstance['providers']['objectStore']) => {
      const service = createLocalModelService({ store, logger: silentLogger }, { cacheDir, heartbeatMs: 300 });
      models.push(service);
      return service;
    };
    const labeler = await buildLabeler({ config, logger: false });
    apps.push(labeler);
    // A reviewer account: the answer's reviewer is whoever the credentials say.
    alice = await seedAccount(labeler, { name: 'alice' });
    // the operator who steers from the console: trainings, deploys and parameter changes name her
    olga = await seedAccount(labeler, { name: 'olga', role: 'operator' });
    const store = labeler.providers.objectStore;
    const trainer = await buildTrainer({ config, logger: false, providers: { modelService: modelService(store) }, timing: { trainingPollMs: 300, startPollMs: 200 } });
    const detector = await buildDetector({ config, logger: false, providers: { modelService: modelService(store) } });
    apps.push(trainer, detector);
    labelerUrl = await labeler.listen({ host: '127.0.0.1', port: 0 });
    const trainerUrl = await trainer.listen({ host: '127.0.0.1', port: 0 });
    detectorUrl = await detector.listen({ host: '127.0.0.1', port: 0 });
    const configWatcher = await buildConfigWatcher({ config: { ...config, serviceUrls: { detector: detectorUrl, trainer: trainerUrl, labeler: labelerUrl } }, logger: false });
    apps.push(configWatcher);
    base = await configWatcher.listen({ host: '127.0.0.1', port: 0 });

    // A fresh seed each run, so the embeddings are not in the shared cache and training takes long
    // enough to be watched; small (3 labels × 20) so the test stays bounded.
    const seed = 1000 + Math.floor(Math.random() * 100_000);
    for (const image of await makeSyntheticImages({ labels: LABELS, perLabel: 20, seed })) {
      await store.put(`images_labeled_by_folder/${image.label}/${image.file}`, image.body);
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    for (const app of apps.reverse()) await app.close();
    for (const m of models) await m.close();
    await config.cleanup();
  });

  const shot = (name: string, fullPage = true) => page.screenshot({ path: path.join(ARTIFACTS, `console-${name}.png`), fullPage });
  /** Opens a page from the nav and waits until it has drawn data loaded after the click. */
  const open = async (name: string) => {
    const before = Date.now();
    await page.click(`#nav a[data-page="${name}"]`);
    await page.waitForSelector(`#page-${name}:not([hidden])`);
    await eventually(`page ${name} to load`, async () => Number(await page.$eval('#updated', (el) => el.getAttribute('data-at'))) > before, 10_000);
  };
  const confirm = async () => {
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-ok');
  };
  const progressOf = (selector: string) => page.$eval(selector, (el) => ({ value: Number(el.getAttribute('data-value')), max: Number(el.getAttribute('data-max')), text: el.textContent ?? '' })).catch(() => null);

  /** Forces a training from the Trainings page and follows its progress bar until the run is deployed. */
  async function trainFromThePage(): Promise<{ run: string; seen: Array<{ value: number; max: number; text: string }> }> {
    await open('trainings');
    const before = await page.$$eval('#trainings [data-run]', (els) => els.map((e) => e.getAttribute('data-run')));
    await page.click('#train-force');
    await confirm();
    const run = await eventually('the new run on the page', async () => {
      const ids = await page.$$eval('#trainings [data-run]', (els) => els.map((e) => e.getAttribute('data-run')));
      return ids.find((id) => id && !before.includes(id));
    }, 15_000);
    const seen: Array<{ value: number; max: number; text: string }> = [];
    await eventually('the run to be deployed', async () => {
      const status = await page.$eval(`[data-run="${run}"]`, (el) => el.getAttribute('data-status'));
      const p = await progressOf(`#progress-${run}`);
      if (p && (!seen.length || seen.at(-1)!.text !== p.text)) seen.push(p);
      if (p && /embedding/.test(p.text) && !trainingShot) {
        trainingShot = true;
        await shot('trainings');
      }
      if (status === 'rejected' || status === 'failed') throw new Error(`run ${run} ended ${status}`);
      return status === 'deployed';
    }, 200_000);
    return { run, seen };
  }

  /** Signs in from the login form: an account's name + password, or (no name) the admin token. */
  const signIn = async (name: string, secret: string) => {
    await page.fill('#login-name', name);
    await page.fill('#login-password', secret);
    await page.press('#login-password', 'Enter');
  };

  it('log in as an operator, steer, train and watch it deploy, roll back, see detections and reviews; an admin adds an account; log out', async () => {
    // log in: a wrong token is refused in the page, then the operator's account opens the overview
    await page.goto(`${base}/console`);
    await signIn('', 'not-the-admin-token');
    await page.waitForSelector('#login-error:has-text("not valid")');
    await shot('login', false);
    await signIn(olga.name, olga.password);
    await page.waitForSelector('#live-model:has-text("No model deployed yet")');
    await page.waitForSelector('#whoami:has-text("olga")');
    // the Accounts page is for admins only
    expect(await page.isHidden('#nav a[data-page="accounts"]')).toBe(true);
    expect(await page.textContent('#untrained-progress')).toContain('60 / 10');

    // parameters: a refused value shows the API's message; a valid one is in force and in the history
    await open('parameters');
    await page.waitForSelector('tr[data-name="Minimum-F1-Score"] .inforce:has-text("0.8")');
    await page.fill('#param-Minimum-F1-Score', '1,5');
    await page.press('#param-Minimum-F1-Score', 'Enter');
    await page.waitForSelector('#param-Minimum-F1-Score-error:has-text("number from 0 to 1")');
    expect(await page.textContent('#param-Minimum-F1-Score-error')).toContain('Minimum-F1-Score');
    await shot('parameters-refused', false);
    await page.fill('#param-Minimum-F1-Score', '0.3');
    await page.press('#param-Minimum-F1-Score', 'Enter');
    await page.waitForSelector('tr[data-name="Minimum-F1-Score"] .inforce:has-text("0.3")');
    await page.waitForSelector('#history-table td:has-text("api:olga")');
    await page.fill('#param-Automatic-Training-Poll-Frequency', '300');
    await page.click('tr[data-name="Automatic-Training-Poll-Frequency"] button[type=submit]');
    await page.waitForSelector('tr[data-name="Automatic-Training-Poll-Frequency"] .inforce:has-text("300")');
    await page.selectOption('#param-Enable-A2I-Workflow', 'true');
    await page.click('tr[data-name="Enable-A2I-Workflow"] button[type=submit]');
    await page.waitForSelector('text=Enable-A2I-Workflow unchanged');
    // every detection below 100 goes to review, so the reviews page has work
    await page.fill('#param-Minimum-Label-Detection-Confidence', '100');
    await page.press('#param-Minimum-Label-Detection-Confidence', 'Enter');
    await page.waitForSelector('tr[data-name="Minimum-Label-Detection-Confidence"] .inforce:has-text("100")');
    await shot('parameters');

    // train: the progress bar moves through the model service's stages, then the run is deployed
    const first = await trainFromThePage();
    const embedding = first.seen.filter((p) => /embedding/.test(p.text));
    expect(embedding.length).toBeGreaterThan(0);
    expect(embedding.every((p) => p.value <= p.max && p.max > 0)).toBe(true);
    expect(first.seen.at(-1)).toMatchObject({ value: 1, max: 1, text: 'deployed' });
    // the trainer recorded the operator (her session was forwarded), not the admin token
    await page.waitForSelector(`[data-run="${first.run}"] p:has-text("api by olga")`);
    await open('overview');
    const version1 = await eventually('the live model on the overview', async () => (await page.textContent('#live-version').catch(() => null))?.trim());
    expect(version1).toMatch(new RegExp(`^${first.run}`));
    expect(Number(await page.textContent('#live-f1'))).toBeGreaterThanOrEqual(0.3);
    // the trainer re-timed its poll to the new frequency: next one in about 5 hours
    await page.waitForSelector('#next-poll:has-text("every 300 min")');
    expect(await page.textContent('#next-poll')).toMatch(/next poll: in [45] h/);
    await shot('overview-first-model');

    // detections: images sent by a consumer show as thumbnails; one opens with its labels
    const probes = await makeSyntheticImages({ labels: LABELS, perLabel: 2, seed: 5 });
    const noise = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 90, b: 160 }, noise: { type: 'gaussian', mean: 120, sigma: 60 } } }).jpeg().toBuffer();
    for (const body of [...probes.map((p) => p.body), noise]) {
      const res = await fetch(`${detectorUrl}/detect`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body });
      expect(res.status).toBe(200);
    }
    await open('detections');
    await page.waitForSelector('#detections .thumb >> nth=6');
    await eventually('every thumbnail to load', () => page.$$eval('#detections .thumb img', (imgs) => imgs.every((i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth > 0)));
    expect(await page.$eval('#threshold-line', (el) => el.getAttribute('data-threshold'))).toBe('100');
    await page.check('#filter-review');
    await page.waitForSelector('#detections-count:has-text("of the latest 7")');
    await page.uncheck('#filter-review');
    await shot('detections');
    // reviews: the pending loops, and one answer today by a reviewer
    const pending = (await (await fetch(`${labelerUrl}/api/human-loops?status=pending`, { headers: { authorization: `Bearer ${TEST_REVIEWER_TOKEN}` } })).json()) as { items: Array<{ name: string }> };
    expect(pending.items.length).toBeGreaterThan(0);
    const answer = await fetch(`${labelerUrl}/api/human-loops/${pending.items[0]!.name}/answers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'star' }),
    });
    expect(answer.status).toBe(200);
    await open('reviews');
    await page.waitForSelector('#reviews-today:has-text("1")');
    await page.waitForSelector('#reviews td:has-text("alice")');
    expect(Number(await page.textContent('#reviews-pending'))).toBe(pending.items.length - 1);
    await shot('reviews');

    // the answered detection opens with its image and the reviewer's answer
    await open('detections');
    await page.click(`#detections .thumb[data-loop="${pending.items[0]!.name}"]`);
    await page.waitForSelector('#detection-dialog[open] #human-answer:has-text("human answer: star")');
    await eventually('the full image', () => page.$eval('#detection-detail img', (i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth > 0));
    await shot('detection-detail', false);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detection-dialog', { state: 'hidden' });

    // a second version on a larger dataset, then roll back to the first from the Models page
    const store = apps[0]!.providers.objectStore;
    for (const image of await makeSyntheticImages({ labels: LABELS, perLabel: 3, seed: 77 })) await store.put(`images_labeled_by_folder/${image.label}/more-${image.file}`, image.body);
    const second = await trainFromThePage();
    await open('models');
    await page.waitForSelector(`#models-table tr[data-version^="${second.run}"] .badge:has-text("live")`);
    await page.click(`#models-table tr[data-version="${version1}"] button.link`);
    await page.waitForSelector('#model-detail h2:has-text("' + version1 + '")');
    await page.waitForSelector('#deploy-button:has-text("Roll back"):not([disabled])');
    // from the keyboard: Enter on the button opens the confirmation, whose focused button confirms
    await page.focus('#deploy-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#confirm[open] #confirm-ok:focus');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#models-table tr[data-version="${version1}"] .badge:has-text("live")`, { timeout: 60_000 });
    await page.waitForSelector('#model-detail svg.heatmap');
    await shot('models');
    await open('trainings');
    await page.waitForSelector('#trainings article:has(p:has-text("deploy · api by olga · "))');
    await shot('trainings-done');
    await open('overview');
    await page.waitForSelector(`#live-version:has-text("${version1}")`);
    await shot('overview');

    // an admin (the bootstrap token) sees the Accounts page, creates a reviewer and issues her a token
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    await signIn('', TEST_ADMIN_TOKEN);
    await page.waitForSelector('#whoami:has-text("bootstrap-admin")');
    await open('accounts');
    await page.waitForSelector('#accounts-table tr[data-account="olga"]');
    await page.fill('#account-name', 'rita');
    await page.selectOption('#account-role', 'reviewer');
    await page.fill('#account-password', 'a-long-passphrase');
    await page.press('#account-password', 'Enter');
    await page.waitForSelector('#accounts-table tr[data-account="rita"] td:has-text("bootstrap-admin: created as reviewer")');
    await page.click('#accounts-table tr[data-account="rita"] button.issue');
    await page.waitForSelector('#issued-token:not([hidden])');
    expect(await page.inputValue('#issued-token-value')).toMatch(/^rlt_/);
    await page.waitForSelector('#accounts-table tr[data-account="rita"] li[data-token]');
    await shot('accounts');

    // phone layout of every page
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of ['overview', 'models', 'trainings', 'parameters', 'detections', 'reviews', 'accounts']) {
      await open(name);
      await shot(`${name}-phone`);
    }

    // log out: the login form is back and the data is closed again
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.evaluate(async () => (await fetch('/console/api/overview')).status)).toBe(401);
  });
});
