export { createLocalNotifier } from './local-notifier.adapter';
export type { LocalNotifierOptions } from './local-notifier.adapter';
