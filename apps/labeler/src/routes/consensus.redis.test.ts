import { loginAs, seedAccount, startLabelerTestApp, TEST_REVIEWER_TOKEN, waitFor } from '../testing/labeler-test-app';

type TestApp = Awaited<ReturnType<typeof startLabelerTestApp>>;

jest.setTimeout(30_000);

/** Consensus counts accounts, not names: the forged-consensus scenario of issue 16. */
describe('a 3-answer loop (local profile, real Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startLabelerTestApp({ reviewImages: 2, env: { RELABEL_REVIEW_ANSWERS_PER_LOOP: '3' } });
  });
  afterAll(() => t.close());

  const answer = (loop: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/api/human-loops/${loop}/answers`, headers, payload: { label: 'cat' } });
  const copies = async (loop: string) => (await t.keys('images_labeled_by_folder/cat/')).filter((k) => k.includes(`humanLoopName-${loop}-`));

  it('never completes from three answers of one account, whatever names it claims', async () => {
    const mallory = await seedAccount(t.app, { name: 'mallory' });
    const session = await loginAs(t.app, 'mallory', mallory.password);
    const first = await answer('loop-1', { authorization: `Bearer ${mallory.token}`, 'x-reviewer': 'mallory' });
    expect(first.json()).toMatchObject({ outcome: 'awaiting-answers', task: { answers: [{ reviewerId: 'mallory' }] } });
    const attempts: Array<Record<string, string>> = [
      { authorization: `Bearer ${mallory.token}`, 'x-reviewer': 'mallory2' },
      { ...session.headers, 'x-reviewer': 'mallory3' },
    ];
    for (const headers of attempts) {
      const again = await answer('loop-1', headers);
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('REVIEW_LOOP_CLOSED');
    }
    // the shared env token is one account too
    expect((await answer('loop-1', { authorization: `Bearer ${TEST_REVIEWER_TOKEN}`, 'x-reviewer': 'x1' })).json().outcome).toBe('awaiting-answers');
    expect((await answer('loop-1', { authorization: `Bearer ${TEST_REVIEWER_TOKEN}`, 'x-reviewer': 'x2' })).statusCode).toBe(409);

    const loop = await t.app.providers.humanReview.describeHumanLoop('loop-1');
    expect(loop?.status).toBe('pending');
    const task = await t.app.providers.reviewWorkbench!.getTask('loop-1');
    expect(task?.answers.map((a) => a.reviewerId)).toEqual(['mallory', 'bootstrap-reviewer']);
    expect(await copies('loop-1')).toEqual([]);
  });

  it('completes with two real reviewer accounts plus a third, and the image joins the training set', async () => {
    const accounts = await Promise.all(['alice', 'bob', 'carol'].map((name) => seedAccount(t.app, { name })));
    const [alice, bob, carol] = await Promise.all(accounts.map((a) => loginAs(t.app, a.name, a.password)));
    expect((await answer('loop-2', alice!.headers)).json().outcome).toBe('awaiting-answers');
    expect((await answer('loop-2', { authorization: `Bearer ${accounts[1]!.token}` })).json().outcome).toBe('awaiting-answers');
    expect((await answer('loop-2', bob!.headers)).statusCode).toBe(409);
    const done = await answer('loop-2', carol!.headers);
    expect(done.json()).toMatchObject({ outcome: 'completed', task: { answers: [{ reviewerId: 'alice' }, { reviewerId: 'bob' }, { reviewerId: 'carol' }] } });
    expect((await t.app.providers.humanReview.describeHumanLoop('loop-2'))?.answer).toMatchObject({ label: 'cat', answerCount: 3 });
    expect(await waitFor(async () => ((await copies('loop-2')).length === 1 ? copies('loop-2') : null), 8000, 'the labelled copy')).toHaveLength(1);

    // the mallory loop completes the same way once two more accounts answer
    expect((await answer('loop-1', alice!.headers)).json().outcome).toBe('completed');
  });
});
