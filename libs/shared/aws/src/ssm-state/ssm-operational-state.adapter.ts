import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { isValid, RelabelError } from '@relabel/contracts';
import { INITIAL_OPERATIONAL_STATE, OPERATIONAL_STATE_ITEM_SCHEMAS, OPERATIONAL_STATE_ITEMS, type OperationalState, type OperationalStateItem, type OperationalStateStore } from '@relabel/ports';
import { errorName } from '../common/sdk-error';

export interface SsmOperationalStateOptions {
  /** the parameter path prefix, e.g. `/relabel/`; items live under `<prefix>state/<item>` */
  pathPrefix: string;
}

const ITEM_SCHEMAS = OPERATIONAL_STATE_ITEM_SCHEMAS;
const ITEMS = OPERATIONAL_STATE_ITEMS;

/**
 * Standard parameters hold 4 KB; a longer value (many declared labels) needs the advanced tier, and
 * an advanced parameter can never go back to standard — a PutParameter without a Tier (the account
 * default, Standard) would then be refused. Intelligent-Tiering picks standard while a value fits and
 * keeps an advanced one advanced, so it is sent on every write.
 */
const TIER = 'Intelligent-Tiering';

/**
 * Operational state in SSM Parameter Store: one String parameter per item (`<prefix>state/<item>`)
 * holding the JSON of its value. PutParameter replaces a value atomically, so a reader sees the old or
 * the new value, never a mix; each item has exactly one writer (the port says which service), so
 * no compare-and-set is needed. A missing parameter is the initial value; a parameter that does not
 * hold a valid value is an error, never silently reset (forgetting which model is live is worse than
 * refusing to answer). `getAll` is one GetParametersByPath of the state folder. The items sit one
 * level below the operator parameters, so the parameter store's non-recursive read never mistakes
 * them for parameters.
 */
export function createSsmOperationalStateStore(deps: { client: SSMClient }, opts: SsmOperationalStateOptions): OperationalStateStore {
  const { client } = deps;
  const prefix = opts.pathPrefix.endsWith('/') ? opts.pathPrefix : `${opts.pathPrefix}/`;
  const nameOf = (item: OperationalStateItem) => `${prefix}state/${item}`;

  const unavailable = (op: string, item: string, err: unknown) =>
    new RelabelError('DEPENDENCY_UNAVAILABLE', `SSM ${op} for operational state ${item} failed: ${errorName(err)}`, { item }, { cause: err });

  function decode<K extends OperationalStateItem>(item: K, text: string | undefined): OperationalState[K] {
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isValid(ITEM_SCHEMAS[item], parsed)) {
      throw new RelabelError('DEPENDENCY_UNAVAILABLE', `SSM parameter ${nameOf(item)} does not hold a valid ${item}`, { item });
    }
    return parsed as OperationalState[K];
  }

  async function get<K extends OperationalStateItem>(item: K): Promise<OperationalState[K]> {
    assertItem(item);
    try {
      const out = await client.send(new GetParameterCommand({ Name: nameOf(item) }));
      return decode(item, out.Parameter?.Value);
    } catch (err) {
      if (err instanceof RelabelError) throw err;
      if (errorName(err) === 'ParameterNotFound') return structuredClone(INITIAL_OPERATIONAL_STATE[item]);
      throw unavailable('GetParameter', item, err);
    }
  }

  return {
    get,

    async getAll() {
      // one read of the state folder (the permission the task role already has for parameters)
      const found = new Map<string, string | undefined>();
      let NextToken: string | undefined;
      try {
        do {
          const out = await client.send(new GetParametersByPathCommand({ Path: `${prefix}state`, Recursive: false, MaxResults: 10, NextToken }));
          for (const p of out.Parameters ?? []) found.set(p.Name ?? '', p.Value);
          NextToken = out.NextToken;
        } while (NextToken);
      } catch (err) {
        throw unavailable('GetParametersByPath', 'all', err);
      }
      const state: Record<string, unknown> = {};
      for (const item of ITEMS) {
        state[item] = found.has(nameOf(item)) ? decode(item, found.get(nameOf(item))) : structuredClone(INITIAL_OPERATIONAL_STATE[item]);
      }
      return state as unknown as OperationalState;
    },

    async set(item, value) {
      assertItem(item);
      if (!isValid(ITEM_SCHEMAS[item], value)) {
        throw new RelabelError('CONTRACT_INVALID_PAYLOAD', `invalid value for operational state ${item}`, { item });
      }
      const text = JSON.stringify(value);
      try {
        await client.send(
          new PutParameterCommand({
            Name: nameOf(item),
            Value: text,
            Type: 'String',
            Overwrite: true,
            Tier: TIER,
            Description: 'relabel operational state (written by one service only)',
          }),
        );
      } catch (err) {
        throw unavailable('PutParameter', item, err);
      }
    },
  };
}

function assertItem(item: string): asserts item is OperationalStateItem {
  if (!(item in ITEM_SCHEMAS)) throw new RelabelError('CONTRACT_INVALID_PAYLOAD', `unknown operational state item ${JSON.stringify(item).slice(0, 60)}`);
}
