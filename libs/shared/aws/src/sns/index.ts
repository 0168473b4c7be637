export { createSnsNotifier, type SnsNotifierOptions } from './sns-notifier.adapter';
