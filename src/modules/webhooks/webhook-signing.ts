import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Random bytes of a signing secret: 24 (192 bits), within the spec's 24 to 64. */
const SECRET_BYTES = 24;

/**
 * A new signing secret as Standard Webhooks writes it: `whsec_` and the base64 of random bytes.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The headers of one attempt. */
export interface SignedHeaders {
  'webhook-id': string;
  /** Seconds since the epoch, as an integer. */
  'webhook-timestamp': string;
  /** `v1,<base64 HMAC-SHA256>` per secret, space-separated (several while a rotated secret still signs). */
  'webhook-signature': string;
}

/**
 * Signs one attempt with each secret, by the reference implementation of the specification (the
 * `standardwebhooks` package): HMAC-SHA256 over `id.timestamp.body` with the base64-decoded secret.
 * A receiver holding any one of the secrets verifies it.
 * @param secrets - `whsec_` secrets, the current one first.
 * @param at - the attempt's time, whole seconds are sent.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#verifying-webhook-authenticity
 */
export function signAttempt(id: string, at: Date, body: string, secrets: string[]): SignedHeaders {
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' '),
  };
}
