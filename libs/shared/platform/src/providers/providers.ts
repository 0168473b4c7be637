import type {
  AccountStore,
  EventInbox,
  HumanReview,
  Logger,
  ModelService,
  Notifier,
  ObjectStore,
  OperationalStateStore,
  ParameterStore,
  ReviewWorkbench,
} from '@relabel/ports';

/** Everything a service may talk to outside itself, by port. Built lazily: a service pays only for what it uses. */
export interface Providers {
  readonly objectStore: ObjectStore;
  readonly modelService: ModelService;
  readonly humanReview: HumanReview;
  /** the local review UI's task operations; null where reviews happen elsewhere (A2I portal) */
  readonly reviewWorkbench: ReviewWorkbench | null;
  readonly parameterStore: ParameterStore;
  readonly operationalState: OperationalStateStore;
  /** reviewer, operator and admin accounts, beside the operational state */
  readonly accountStore: AccountStore;
  readonly notifier: Notifier;
  /** an inbox delivering ObjectCreated events for keys under `prefixes`; `name` keeps its bookkeeping apart */
  createInbox(prefixes: string[], name: string): EventInbox;
  close(): Promise<void>;
}

export type ProviderOverrides = Partial<Omit<Providers, 'close' | 'createInbox'>> & {
  createInbox?: Providers['createInbox'];
};

export interface ProviderDeps {
  logger: Logger;
}

type Closable = { close?: () => Promise<void> };

/** How each port is made; a profile module offers one per capability and the composition picks. */
export type ProviderFactories = { [K in keyof Omit<Providers, 'close' | 'createInbox'>]: () => Providers[K] } & { createInbox: Providers['createInbox'] };

/**
 * Memoises each provider on first use and closes, in reverse order of creation, those that hold
 * resources. Overrides (tests, tools) win over the profile's adapters.
 */
export function lazyProviders(factories: ProviderFactories, overrides: ProviderOverrides = {}): Providers {
  const made = new Map<string, unknown>();
  const order: Closable[] = [];
  const get = <K extends keyof typeof factories>(key: K): Providers[K & keyof Providers] => {
    if (key in overrides && (overrides as Record<string, unknown>)[key] !== undefined) {
      return (overrides as Record<string, unknown>)[key] as Providers[K & keyof Providers];
    }
    if (!made.has(key)) {
      const value = (factories[key] as () => unknown)();
      made.set(key, value);
      if (value && typeof (value as Closable).close === 'function') order.push(value as Closable);
    }
    return made.get(key) as Providers[K & keyof Providers];
  };
  return {
    get objectStore() { return get('objectStore'); },
    get modelService() { return get('modelService'); },
    get humanReview() { return get('humanReview'); },
    get reviewWorkbench() { return get('reviewWorkbench'); },
    get parameterStore() { return get('parameterStore'); },
    get operationalState() { return get('operationalState'); },
    get accountStore() { return get('accountStore'); },
    get notifier() { return get('notifier'); },
    createInbox: (prefixes, name) => (overrides.createInbox ?? factories.createInbox)(prefixes, name),
    async close() {
      for (const item of order.reverse()) await item.close?.();
    },
  };
}

/** A port the providers make (everything but the lifecycle members). */
export type PortName = Exclude<keyof Providers, 'close' | 'createInbox'>;
/** The ports whose adapter can serve as a `V`. */
type PortServing<V> = { [P in PortName]: Providers[P] extends V ? P : never }[PortName];

/**
 * A use case's deps `T`: `base` plus one getter per entry of `ports` (`{ store: 'objectStore' }` reads
 * `providers.objectStore` on every access). A plugin binds its deps this way at registration, and no
 * adapter is built before its first use, as the providers promise. `T` comes from the declared type
 * of the result (`const deps: TrainerDeps = withProviderGetters(...)`).
 */
export function withProviderGetters<T extends object, const M extends { readonly [K in keyof T]?: PortServing<T[K]> }>(
  providers: Providers,
  ports: M,
  base: NoInfer<Omit<T, keyof M>>,
): T {
  for (const [key, port] of Object.entries(ports) as [string, PortName][]) {
    Object.defineProperty(base, key, { get: () => providers[port], enumerable: true, configurable: true });
  }
  return base as T;
}
