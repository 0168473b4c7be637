import { CONFIG_CHANGED_CHANNEL, ConfigChanged, ConfigChangedSchema, parseWith } from '@relabel/contracts';

/** Announces changed parameters on `config.changed` (un-prefixed: `publish` adds the key prefix, like `app.publish`). */
export async function publishConfigChanged(
  publish: (channel: string, message: unknown) => Promise<unknown>,
  change: { names: string[]; source: string; at?: string },
): Promise<ConfigChanged> {
  const message = parseWith(ConfigChangedSchema, { names: change.names, source: change.source, at: change.at ?? new Date().toISOString() });
  await publish(CONFIG_CHANGED_CHANNEL, message);
  return message;
}

/** The Redis channel name under a key prefix, e.g. `relabel:config.changed`. */
export function configChangedChannel(keyPrefix: string): string {
  return `${keyPrefix}:${CONFIG_CHANGED_CHANNEL}`;
}
