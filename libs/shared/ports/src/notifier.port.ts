export type NotificationChannel = 'operator' | 'consumer';

export interface Notification {
  channel: NotificationChannel;
  /** stable event type, e.g. `training.deployed`, `detection.completed` */
  type: string;
  subject: string;
  data: Record<string, unknown>;
  /** lets a receiver drop duplicates of an at-least-once notification */
  dedupeId?: string;
}

/** Operator and consumer notifications (SNS, or log + webhook). Never blocks a worker for long. */
export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
