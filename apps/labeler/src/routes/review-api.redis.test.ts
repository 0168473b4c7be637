import { NONE_OF_THE_ABOVE } from '@relabel/contracts';
import { loginAs, seedAccount, startLabelerTestApp, TEST_ADMIN_TOKEN, waitFor } from '../testing/labeler-test-app';

type TestApp = Awaited<ReturnType<typeof startLabelerTestApp>>;

describe('labeler review API (local profile, real Redis)', () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof loginAs>>;
  let botToken: string;
  beforeAll(async () => {
    t = await startLabelerTestApp({ reviewImages: 4 });
    const account = await seedAccount(t.app, { name: 'alice' });
    botToken = (await seedAccount(t.app, { name: 'bot-7' })).token;
    alice = await loginAs(t.app, account.name, account.password);
  });
  afterAll(() => t.close());

  const asAlice = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: alice.headers });
  const asAdmin = (method: 'PUT' | 'DELETE', url: string) => t.app.inject({ method, url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

  it('serves the review page and its assets without a CDN', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/review' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/review/assets/review.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await t.app.inject({ method: 'GET', url: '/review/assets/review.js' })).statusCode).toBe(200);
    expect(page.body).toContain('/review/assets/page-base.css');
    expect((await t.app.inject({ method: 'GET', url: '/review/assets/page-base.css' })).headers['content-type']).toContain('text/css');
    expect((await t.app.inject({ method: 'GET', url: '/review/assets/..%2Fapp.ts' })).statusCode).toBe(404);
  });

  it('requires a reviewer login or token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/labels' })).json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const bad = await t.app.inject({ method: 'POST', url: '/auth/session', payload: { name: 'alice', password: 'wrong-password' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('AUTH_INVALID');
    const forged = await t.app.inject({ method: 'POST', url: '/api/review/next', headers: { cookie: 'relabel_session=alice', 'x-csrf-token': alice.csrf } });
    expect(forged.statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/review/next', headers: { cookie: alice.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('AUTH_CSRF');
    expect((await t.app.inject({ method: 'GET', url: '/api/human-loops/loop-1/image' })).statusCode).toBe(401);
  });

  it('leases a task with its image, refuses unsafe or unknown labels, and ingests an answer', async () => {
    const next = await asAlice('POST', '/api/review/next');
    expect(next.statusCode).toBe(200);
    const { task, progress } = next.json();
    expect(progress).toEqual({ pending: 4, doneToday: 0, doneTodayByReviewer: 0 });
    expect(task).toMatchObject({ name: 'loop-1', guess: { confidence: 40 }, answersRequired: 1 });
    const image = await asAlice('GET', task.imageUrl);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    for (const label of ['../x', 'a/b', 'horse']) {
      const refused = await asAlice('POST', `/api/human-loops/${task.name}/answers`, { label });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('REVIEW_INVALID_LABEL');
    }
    const answered = await asAlice('POST', `/api/human-loops/${task.name}/answers`, { label: 'cat' });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ outcome: 'completed', progress: { pending: 3, doneToday: 1, doneTodayByReviewer: 1 } });
    const file = task.imageKey.split('/').pop();
    await waitFor(async () => (await t.store.head(`images_labeled_by_folder/cat/humanLoopName-${task.name}-${file}`)) !== null, 8000, 'the labelled copy');

    const described = await asAlice('GET', `/api/human-loops/${task.name}`);
    expect(described.json()).toMatchObject({ loop: { status: 'completed', answer: { label: 'cat', answerCount: 1 } }, ingestion: { outcome: 'copied' } });
    const again = await asAlice('POST', `/api/human-loops/${task.name}/answers`, { label: 'dog' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REVIEW_LOOP_CLOSED');
  });

  it('records None of the Above without copying, and takes an account token answer under that account (never a header)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/human-loops/loop-2/answers',
      payload: { label: NONE_OF_THE_ABOVE },
      headers: { authorization: `Bearer ${botToken}`, 'x-reviewer': 'mallory' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().task.answers).toEqual([expect.objectContaining({ reviewerId: 'bot-7', label: NONE_OF_THE_ABOVE })]);
    const ingestion = await waitFor(async () => (await asAlice('GET', '/api/human-loops/loop-2')).json().ingestion, 8000, 'ingestion record');
    expect(ingestion).toMatchObject({ outcome: 'none-of-the-above' });
    expect((await t.keys('images_labeled_by_folder/')).filter((k) => k.includes('loop-2'))).toEqual([]);
  });

  it('lets the operator declare a label that reviewers can use before any image exists', async () => {
    expect((await asAlice('PUT', '/api/labels/wholefoods_logo')).json().code).toBe('AUTH_FORBIDDEN');
    expect((await asAdmin('PUT', '/api/labels/..%2Fx')).json().code).toBe('REVIEW_INVALID_LABEL');
    expect((await asAdmin('PUT', '/api/labels/wholefoods_logo')).statusCode).toBe(201);
    expect((await asAdmin('PUT', '/api/labels/wholefoods_logo')).statusCode).toBe(200);
    const labels = (await asAlice('GET', '/api/labels')).json();
    expect(labels.labels.map((l: { name: string }) => l.name)).toEqual(['cat', 'dog', 'wholefoods_logo']);
    expect(labels.labels[2]).toMatchObject({ images: 0, declared: true, waiting: true });
    expect(labels.noneOfTheAbove).toBe(NONE_OF_THE_ABOVE);

    const answered = await asAlice('POST', '/api/human-loops/loop-3/answers', { label: 'wholefoods_logo' });
    expect(answered.json().outcome).toBe('completed');
    const copies = await waitFor(async () => {
      const keys = await t.keys('images_labeled_by_folder/wholefoods_logo/');
      return keys.length ? keys : null;
    }, 8000, 'the declared-label copy');
    expect(copies).toHaveLength(1);

    expect((await asAdmin('DELETE', '/api/labels/wholefoods_logo')).json()).toEqual({ name: 'wholefoods_logo', removed: true });
    expect((await asAdmin('DELETE', '/api/labels/wholefoods_logo')).statusCode).toBe(404);
  });

  it('lists loops by status and skips a task to the back of the queue', async () => {
    const completed = (await asAlice('GET', '/api/human-loops?status=completed')).json();
    expect(completed.items.map((l: { name: string }) => l.name)).toEqual(['loop-1', 'loop-2', 'loop-3']);
    expect((await asAlice('GET', '/api/human-loops?status=bogus')).statusCode).toBe(400);
    const first = (await asAlice('POST', '/api/review/next')).json().task;
    expect(first.name).toBe('loop-4');
    expect((await asAlice('POST', `/api/review/${first.name}/skip`)).statusCode).toBe(204);
    const after = (await asAlice('POST', '/api/review/next')).json().task;
    expect(after).toMatchObject({ name: 'loop-4', skippedBefore: true });
  });
});

