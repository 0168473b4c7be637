import type { ModelService, Notifier, ObjectStore } from '@relabel/ports';
import { lazyProviders, withProviderGetters, type ProviderFactories } from './providers';

function countingProviders() {
  const made: string[] = [];
  const make = (name: string) => () => {
    made.push(name);
    return { name } as never;
  };
  const factories: ProviderFactories = {
    objectStore: make('objectStore'),
    modelService: make('modelService'),
    humanReview: make('humanReview'),
    reviewWorkbench: () => null,
    parameterStore: make('parameterStore'),
    operationalState: make('operationalState'),
    accountStore: make('accountStore'),
    notifier: make('notifier'),
    createInbox: () => {
      throw new Error('no inbox in this test');
    },
  };
  return { made, providers: lazyProviders(factories) };
}

interface Deps {
  store: ObjectStore;
  models: ModelService;
  notifier: Notifier;
  maxResults: number;
}

describe('withProviderGetters', () => {
  it('builds no provider when binding, reads each one on first access, and keeps the base fields', () => {
    const { made, providers } = countingProviders();
    const deps: Deps = withProviderGetters(providers, { store: 'objectStore', models: 'modelService', notifier: 'notifier' }, { maxResults: 5 });
    expect(made).toEqual([]);
    expect(deps.store).toBe(providers.objectStore);
    expect(made).toEqual(['objectStore']);
    expect([deps.models, deps.notifier]).toEqual([{ name: 'modelService' }, { name: 'notifier' }]);
    expect(deps.maxResults).toBe(5);
    expect(made).toEqual(['objectStore', 'modelService', 'notifier']);
  });

  it('accepts only a port whose adapter fits the field (checked by the compiler)', () => {
    const { providers } = countingProviders();
    // @ts-expect-error the notifier is no ObjectStore
    const deps: Deps = withProviderGetters(providers, { store: 'notifier', models: 'modelService', notifier: 'notifier' }, { maxResults: 1 });
    expect(deps.store).toBe(providers.notifier);
  });
});
