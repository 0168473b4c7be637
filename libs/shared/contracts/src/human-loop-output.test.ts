import { answerLabel, isValidHumanLoopName, majorityLabel, outputImageKey, outputMajority, parseHumanLoopOutput } from './human-loop-output';
import { isErrorCode } from './errors';

const answer = (label: unknown) => ({
  answerContent: { 'crowd-image-classifier': { label } },
  submissionTime: '2026-01-01T00:00:00.000Z',
  workerId: 'w1',
});

const output = {
  flowDefinitionArn: 'arn:aws:sagemaker:eu-west-1:1:flow-definition/relabel',
  humanLoopName: 'loop-1',
  inputContent: { taskObject: 's3://bucket/images_for_detection/a b.jpg' },
  humanAnswers: [answer('cat')],
};

describe('majorityLabel', () => {
  it('returns the single answer', () => {
    expect(majorityLabel(['cat'])).toEqual({ kind: 'winner', label: 'cat', votes: 1, total: 1 });
  });
  it('picks the label with strictly most votes, whatever the order', () => {
    expect(majorityLabel(['dog', 'cat', 'dog'])).toMatchObject({ kind: 'winner', label: 'dog', votes: 2 });
    expect(majorityLabel(['cat', 'dog', 'cat', 'bird'])).toMatchObject({ kind: 'winner', label: 'cat' });
  });
  it('reports a tie between equal top counts', () => {
    expect(majorityLabel(['dog', 'cat'])).toEqual({ kind: 'tie', labels: ['cat', 'dog'], votes: 1, total: 2 });
  });
  it('reports no answers as empty', () => {
    expect(majorityLabel([])).toEqual({ kind: 'empty' });
  });
});

describe('parseHumanLoopOutput', () => {
  it('accepts the A2I shape with extra fields', () => {
    const parsed = parseHumanLoopOutput(JSON.stringify({ ...output, awsManagedHumanLoopRequestSource: 'x' }));
    expect(parsed.humanLoopName).toBe('loop-1');
    expect(answerLabel(parsed.humanAnswers[0]!)).toBe('cat');
  });
  it.each([
    ['not JSON', '{"flowDef'],
    ['missing answers', JSON.stringify({ ...output, humanAnswers: undefined })],
    ['bad loop name', JSON.stringify({ ...output, humanLoopName: '../etc' })],
    ['answers not an array', JSON.stringify({ ...output, humanAnswers: 'cat' })],
  ])('refuses %s with REVIEW_OUTPUT_INVALID', (_what, body) => {
    let caught: unknown;
    try {
      parseHumanLoopOutput(body);
    } catch (err) {
      caught = err;
    }
    expect(isErrorCode(caught, 'REVIEW_OUTPUT_INVALID')).toBe(true);
  });
});

describe('outputMajority', () => {
  it('takes the majority of the answers that carry a label', () => {
    expect(outputMajority({ humanAnswers: [answer('cat'), answer(''), answer('cat'), answer('dog')] })).toEqual({ kind: 'winner', label: 'cat', votes: 2, total: 3 });
    expect(outputMajority({ humanAnswers: [answer('cat'), answer('dog')] })).toMatchObject({ kind: 'tie', labels: ['cat', 'dog'] });
    expect(outputMajority({ humanAnswers: [answer(42)] })).toEqual({ kind: 'empty' });
  });
});

describe('answerLabel / outputImageKey', () => {
  it('answers null for a missing or empty label', () => {
    expect(answerLabel(answer(''))).toBeNull();
    expect(answerLabel(answer(42))).toBeNull();
    expect(answerLabel({ answerContent: {} })).toBeNull();
  });
  it('reads the image key from an s3 uri, a plain key or a JSON string', () => {
    expect(outputImageKey(output)).toBe('images_for_detection/a b.jpg');
    expect(outputImageKey({ inputContent: { taskObject: 'images_for_detection/x.png' } })).toBe('images_for_detection/x.png');
    expect(outputImageKey({ inputContent: JSON.stringify({ taskObject: 's3://b/k.jpg' }) })).toBe('k.jpg');
    expect(outputImageKey({ inputContent: '{' })).toBeNull();
    expect(outputImageKey({ inputContent: {} })).toBeNull();
  });
  it('validates A2I loop names', () => {
    expect(isValidHumanLoopName('abc-1--2')).toBe(true);
    expect(isValidHumanLoopName('-abc')).toBe(false);
    expect(isValidHumanLoopName('Abc')).toBe(false);
    expect(isValidHumanLoopName('a'.repeat(64))).toBe(false);
  });
});
