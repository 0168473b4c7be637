import { GetParameterHistoryCommand, GetParametersByPathCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { RelabelError } from '@relabel/contracts';
import type { Logger, ParameterChange, ParameterStore, StoredParameter } from '@relabel/ports';
import { isSsmNotFound, ssmError } from './ssm-errors';
import { sourceDescription, sourceOf } from './ssm-source-marker';
import { watchParameterChanges } from './ssm-parameter-watch';

export interface SsmParameterStoreOptions {
  /** e.g. `/relabel/` */
  pathPrefix: string;
  /** the SQS queue receiving EventBridge "Parameter Store Change" events; without it only the full read runs */
  eventsQueueUrl?: string;
  /** the full read that catches anything the events missed (default 60 s) */
  fullReadIntervalMs?: number;
  /** SQS long-poll wait (default 20 s) */
  waitTimeSeconds?: number;
}

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The aws-profile ParameterStore over SSM Parameter Store (String parameters directly under the
 * path). The history is SSM's own parameter history, so edits made in the console or CLI are listed
 * too; which writes came through the admin API is told by a marker in each version's Description.
 */
export function createSsmParameterStore(
  deps: { ssm: SSMClient; sqs?: SQSClient; logger: Logger },
  opts: SsmParameterStoreOptions,
): ParameterStore & { close(): Promise<void> } {
  const { ssm, logger } = deps;
  const prefix = opts.pathPrefix.endsWith('/') ? opts.pathPrefix : `${opts.pathPrefix}/`;
  // GetParametersByPath takes the hierarchy without its trailing slash (except the root)
  const path = prefix === '/' ? '/' : prefix.slice(0, -1);
  const stops = new Set<() => Promise<void>>();

  const shortName = (full: string | undefined) => {
    if (!full?.startsWith(prefix)) return null;
    const rest = full.slice(prefix.length);
    return rest && !rest.includes('/') ? rest : null;
  };

  async function getAll(): Promise<StoredParameter[]> {
    const out: StoredParameter[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: false, WithDecryption: false, MaxResults: 10, NextToken }));
        for (const p of page.Parameters ?? []) {
          const name = shortName(p.Name);
          if (name && p.Value !== undefined) {
            out.push({ name, value: p.Value, version: p.Version ?? 0, lastModified: (p.LastModifiedDate ?? new Date(0)).toISOString() });
          }
        }
        NextToken = page.NextToken;
      } while (NextToken);
    } catch (err) {
      throw ssmError(err, 'GetParametersByPath', path);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One parameter's versions, oldest first, as changes (SSM keeps the last 100). */
  async function historyOf(name: string): Promise<ParameterChange[]> {
    const versions: Array<{ Value?: string; Version?: number; LastModifiedDate?: Date; LastModifiedUser?: string; Description?: string }> = [];
    let NextToken: string | undefined;
    try {
      do {
        const page = await ssm.send(new GetParameterHistoryCommand({ Name: prefix + name, WithDecryption: false, MaxResults: 50, NextToken }));
        versions.push(...(page.Parameters ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
    } catch (err) {
      if (isSsmNotFound(err)) return [];
      throw ssmError(err, 'GetParameterHistory', prefix + name);
    }
    versions.sort((a, b) => (a.Version ?? 0) - (b.Version ?? 0));
    return versions.map((v, i) => ({
      name,
      oldValue: i > 0 ? (versions[i - 1]!.Value ?? null) : null,
      newValue: v.Value ?? null,
      version: v.Version ?? 0,
      source: sourceOf(v.Description, v.Value ?? '', v.LastModifiedUser),
      at: (v.LastModifiedDate ?? new Date(0)).toISOString(),
    }));
  }

  const store: ParameterStore & { close(): Promise<void> } = {
    getAll,

    async put(name, value, options = {}) {
      if (!NAME.test(name)) throw new RelabelError('PARAM_UNKNOWN', `parameter name ${JSON.stringify(name).slice(0, 140)} is not allowed`);
      const source = options.source ?? 'api';
      try {
        const out = await ssm.send(
          // the tier is always named: without it the account default (Standard) applies, refused for a
          // parameter someone once made Advanced (in the console), which can never go back
          new PutParameterCommand({ Name: prefix + name, Value: value, Type: 'String', Overwrite: true, Tier: 'Intelligent-Tiering', Description: sourceDescription(source, value) }),
        );
        return { name, value, version: out.Version ?? 0, lastModified: new Date().toISOString() };
      } catch (err) {
        throw ssmError(err, 'PutParameter', prefix + name);
      }
    },

    async history(options = {}) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
      const names = options.name !== undefined ? [options.name] : (await getAll()).map((p) => p.name);
      const all = (await Promise.all(names.map(historyOf))).flat();
      all.sort((a, b) => b.at.localeCompare(a.at) || a.name.localeCompare(b.name) || b.version - a.version);
      // an offset into the merged, newest-first list; SSM history is short (100 versions per parameter)
      const start = options.cursor !== undefined && /^\d+$/.test(options.cursor) ? Number(options.cursor) : 0;
      const items = all.slice(start, start + limit);
      return { items, nextCursor: start + limit < all.length ? String(start + limit) : undefined };
    },

    async watch(onChange) {
      const stop = watchParameterChanges({ sqs: deps.sqs, logger, getAll, shortName }, {
        queueUrl: opts.eventsQueueUrl,
        fullReadIntervalMs: opts.fullReadIntervalMs ?? 60_000,
        waitTimeSeconds: opts.waitTimeSeconds ?? 20,
        onChange,
      });
      const wrapped = async () => {
        stops.delete(wrapped);
        await stop();
      };
      stops.add(wrapped);
      return wrapped;
    },

    async close() {
      await Promise.all([...stops].map((s) => s()));
    },
  };
  return store;
}
