import type { OutboundPolicy } from '../../common/outbound';

/** How webhooks are delivered; from the WEBHOOK_* settings (src/config.ts). */
export interface WebhookSettings {
  /** The outbound address policy every delivery goes through (no private targets unless the operator allows them). */
  policy: OutboundPolicy;
  /** Milliseconds one attempt may take, connecting included (WEBHOOK_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** Milliseconds before the first retry; doubling up to {@link MAX_RETRY_DELAY_MS} (WEBHOOK_RETRY_BASE_SECONDS). */
  retryBaseMs: number;
  /** Milliseconds after its event within which a delivery is retried (WEBHOOK_RETRY_HOURS). */
  retryWindowMs: number;
  /** Milliseconds of failures after which an endpoint is disabled (WEBHOOK_DISABLE_AFTER_DAYS). */
  disableAfterMs: number;
}

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 2 * 3_600_000;

/** The settings of a configuration. */
export function webhookSettings(
  config: { WEBHOOK_TIMEOUT_SECONDS: number; WEBHOOK_RETRY_BASE_SECONDS: number; WEBHOOK_RETRY_HOURS: number; WEBHOOK_DISABLE_AFTER_DAYS: number },
  policy: OutboundPolicy,
): WebhookSettings {
  return {
    policy,
    timeoutMs: config.WEBHOOK_TIMEOUT_SECONDS * 1000,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_SECONDS * 1000,
    retryWindowMs: config.WEBHOOK_RETRY_HOURS * 3_600_000,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_DAYS * 86_400_000,
  };
}
