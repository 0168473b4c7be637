import { DescribeProjectsCommand, type RekognitionClient } from '@aws-sdk/client-rekognition';
import type { Logger, ModelVersionInfo } from '@relabel/ports';
import { errorName } from '../common/sdk-error';
import { projectHasDatasetsError, rekognitionError } from './rekognition-errors';

interface Deps {
  client: RekognitionClient;
  logger: Logger;
  projectArn: string;
  describeVersions(versions: string[]): Promise<ModelVersionInfo[]>;
}

/**
 * What a failed CreateProjectVersion means. It has no "already exists" answer: a retried create
 * (after a crash) of a version that is training gets some other error (ResourceInUse,
 * InvalidParameter…). So any failed create first looks the version up — if it is there, that is the
 * first attempt's answer — and a refused request is checked against the project's state
 * (DescribeProjects) before the dataset is blamed.
 */
export function failedCreateAnswer(deps: Deps): (version: string, err: unknown) => Promise<ModelVersionInfo> {
  const { client, logger, projectArn } = deps;

  /** The project's datasets (their types), or null when that cannot be told. */
  async function projectDatasets(): Promise<string[] | null> {
    const name = /:project\/([^/]+)\//.exec(projectArn)?.[1];
    if (!name) return null;
    try {
      const out = await client.send(new DescribeProjectsCommand({ ProjectNames: [name] }));
      const project = out.ProjectDescriptions?.find((p) => p.ProjectArn === projectArn);
      return project ? (project.Datasets ?? []).map((d) => d.DatasetType ?? d.DatasetArn ?? 'dataset') : null;
    } catch (err) {
      logger.warn({ err: errorName(err) }, 'DescribeProjects failed; cannot tell whether the project has datasets');
      return null;
    }
  }

  return async (version, err) => {
    // without the lookup's answer the failure cannot be told apart from a retried create: fail as the
    // lookup did (transient, so the job retries) rather than as the create did (maybe permanent)
    const existing = await deps.describeVersions([version]).catch((describeErr: unknown) => {
      logger.warn({ version, err: (describeErr as Error).message, createError: errorName(err) }, 'could not look the version up after a failed create');
      throw describeErr;
    });
    if (existing[0]) {
      logger.info({ version, awsError: errorName(err) }, 'the version already exists (a retried create); answering it');
      return existing[0];
    }
    const failure = rekognitionError(err, 'create', version);
    if (failure.code === 'TRAINING_DATASET_INVALID') {
      const datasets = await projectDatasets();
      if (datasets && datasets.length > 0) throw projectHasDatasetsError(err, projectArn, datasets);
    }
    throw failure;
  };
}
