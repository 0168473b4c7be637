import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { isValid, RelabelError } from '@relabel/contracts';
import { ACCOUNT_NAME_PATTERN, AccountSchema, type Account, type AccountStore } from '@relabel/ports';
import { errorName } from '../common/sdk-error';

export interface SsmAccountStoreOptions {
  /** the parameter path prefix, e.g. `/relabel/`; accounts live under `<prefix>accounts/<name>` */
  pathPrefix: string;
}

const NAME = new RegExp(ACCOUNT_NAME_PATTERN);
/** Standard parameters hold 4 KB; an account with many tokens and events needs the advanced tier. */
const STANDARD_LIMIT = 4096;

/**
 * Accounts in SSM Parameter Store, beside the operational state: one String parameter per account
 * (`<prefix>accounts/<name>`) holding its JSON. It holds only scrypt and sha256 digests, never a
 * password or a token. PutParameter replaces a value atomically; config-watcher is the only writer.
 * The folder sits one level below the operator parameters, so their non-recursive read never sees it.
 */
export function createSsmAccountStore(deps: { client: SSMClient }, opts: SsmAccountStoreOptions): AccountStore {
  const { client } = deps;
  const prefix = opts.pathPrefix.endsWith('/') ? opts.pathPrefix : `${opts.pathPrefix}/`;
  const folder = `${prefix}accounts`;
  const nameOf = (name: string) => `${folder}/${name}`;
  const unavailable = (op: string, err: unknown) =>
    new RelabelError('DEPENDENCY_UNAVAILABLE', `SSM ${op} for accounts failed: ${errorName(err)}`, undefined, { cause: err });

  function decode(parameter: string, text: string | undefined): Account {
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isValid(AccountSchema, parsed) || nameOf((parsed as Account).name) !== parameter) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `SSM parameter ${parameter} does not hold a valid account`);
    }
    return parsed as Account;
  }

  return {
    async list() {
      const accounts: Account[] = [];
      let NextToken: string | undefined;
      try {
        do {
          const out = await client.send(new GetParametersByPathCommand({ Path: folder, Recursive: false, MaxResults: 10, NextToken }));
          for (const p of out.Parameters ?? []) accounts.push(decode(p.Name ?? '', p.Value));
          NextToken = out.NextToken;
        } while (NextToken);
      } catch (err) {
        if (err instanceof RelabelError) throw err;
        throw unavailable('GetParametersByPath', err);
      }
      return accounts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async get(name) {
      if (!NAME.test(name)) return null;
      try {
        const out = await client.send(new GetParameterCommand({ Name: nameOf(name) }));
        return decode(nameOf(name), out.Parameter?.Value);
      } catch (err) {
        if (err instanceof RelabelError) throw err;
        if (errorName(err) === 'ParameterNotFound') return null;
        throw unavailable('GetParameter', err);
      }
    },

    async put(account) {
      if (!isValid(AccountSchema, account)) throw new RelabelError('CONTRACT_INVALID_PAYLOAD', 'invalid account record');
      const text = JSON.stringify(account);
      try {
        await client.send(
          new PutParameterCommand({
            Name: nameOf(account.name),
            Value: text,
            Type: 'String',
            Overwrite: true,
            Tier: Buffer.byteLength(text) > STANDARD_LIMIT ? 'Intelligent-Tiering' : undefined,
            Description: 'relabel account (written by config-watcher only)',
          }),
        );
      } catch (err) {
        throw unavailable('PutParameter', err);
      }
    },
  };
}
