import { silentLogger } from '@relabel/ports';
import { detectionIdFor } from '../domain/detection-id';
import { detectionFixture } from '../testing/detection-setup';
import { makeJpeg } from '../testing/image-fixtures';
import { getDetection } from './get-detection.use-case';
import { submitImage } from './submit-image.use-case';

describe('getDetection', () => {
  it('returns the record, then the human answer once reviewers gave one', async () => {
    const { deps } = detectionFixture();
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    const pending = await getDetection({ ...deps, logger: silentLogger }, view.id);
    expect(pending).toMatchObject({ id: view.id, status: 'ok', humanLoop: { name: view.humanLoop!.name, status: 'pending' } });
    expect(pending.humanLoop).not.toHaveProperty('answer');
    const loop = deps.humanReview.loops.get(view.humanLoop!.name)!;
    Object.assign(loop, { status: 'completed', answer: { label: 'cat', answerCount: 1, answeredAt: new Date().toISOString() } });
    const done = await getDetection(deps, view.id);
    expect(done.humanLoop).toMatchObject({ status: 'completed', answer: { label: 'cat' } });
  });

  it('still returns the record when the review service cannot answer', async () => {
    const { deps } = detectionFixture();
    const view = await submitImage(deps, await makeJpeg(), { maxResults: 5 });
    deps.humanReview.describeHumanLoop = async () => {
      throw new Error('down');
    };
    expect((await getDetection(deps, view.id)).humanLoop).toEqual({ name: view.humanLoop!.name });
  });

  it('answers DETECTION_NOT_FOUND for unknown and malformed ids', async () => {
    const { deps } = detectionFixture();
    await expect(getDetection(deps, detectionIdFor('images_for_detection/nope.jpg'))).rejects.toMatchObject({ code: 'DETECTION_NOT_FOUND', status: 404 });
    await expect(getDetection(deps, '..%2F..')).rejects.toMatchObject({ code: 'DETECTION_NOT_FOUND' });
  });
});
