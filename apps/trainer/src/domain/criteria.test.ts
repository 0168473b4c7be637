import { CriteriaInput, decideTraining } from './criteria';

const base: CriteriaInput = { force: false, validImages: 30, lastDeployedDatasetImages: 20, minimumUntrainedImages: 10, previous: null, trainableLabels: 2 };

describe('decideTraining', () => {
  it('trains when enough untrained images arrived', () => {
    expect(decideTraining(base)).toEqual({ train: true, untrained: 10 });
  });

  it('skips below the untrained minimum unless forced', () => {
    const d = decideTraining({ ...base, validImages: 29 });
    expect(d).toEqual({ train: false, untrained: 9, reason: expect.stringContaining('Minimum-Untrained-Images (10)') });
    expect(decideTraining({ ...base, validImages: 20, force: true })).toEqual({ train: true, untrained: 0 });
  });

  it('never retrains a dataset that failed or was rejected, even forced', () => {
    for (const outcome of ['failed', 'rejected'] as const) {
      const d = decideTraining({ ...base, force: true, previous: { outcome, runId: 'r1' } });
      expect(d).toMatchObject({ train: false, reason: expect.stringContaining(`already ${outcome} in run r1`) });
    }
  });

  it('retrains the data of a deployed version only when forced', () => {
    const previous = { outcome: 'deployed' as const, runId: 'r1', version: 'v1' };
    expect(decideTraining({ ...base, previous })).toMatchObject({ train: false, reason: expect.stringContaining('v1') });
    expect(decideTraining({ ...base, previous, force: true })).toMatchObject({ train: true });
  });

  it('needs two trainable labels', () => {
    expect(decideTraining({ ...base, force: true, trainableLabels: 1 })).toMatchObject({ train: false, reason: expect.stringContaining('two labels') });
  });
});
