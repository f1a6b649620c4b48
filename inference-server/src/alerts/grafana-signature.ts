import { createHmac, timingSafeEqual } from 'node:crypto';

// Grafana signs a webhook as grafana/alerting http/hmac.go does (shared GRAFANA.md §1): lowercase hex
// HMAC-SHA256 keyed with the secret's UTF-8 bytes, over `<unix seconds>:<raw body>` when the contact point has a
// timestampHeader, else over the raw body alone. This module knows no HTTP: it gets the header values as sent.

export interface SignatureSettings {
  secret: string;
  signatureHeader: string;
  /** Empty: the contact point has no timestampHeader, and the body alone is signed. */
  timestampHeader: string;
  maxAgeS: number;
}

export interface SignedNotification {
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureCheck =
  { ok: true; signature: string; signedAt: number | null } | { ok: false; reason: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

function refused(reason: string): SignatureCheck {
  return { ok: false, reason };
}

/** The signed time in ms, or why it is missing, malformed or outside the window. */
function checkTimestamp(
  timestamp: string | undefined,
  settings: SignatureSettings,
  nowMs: number,
): number | string {
  if (timestamp === undefined || timestamp === '') {
    return `no timestamp header ${settings.timestampHeader}: set the contact point's hmacConfig.timestampHeader to it`;
  }
  if (!UNIX_SECONDS.test(timestamp)) {
    return `the timestamp header ${settings.timestampHeader} must hold Unix seconds`;
  }
  const signedAt = Number(timestamp) * 1000;
  const ageS = Math.round((nowMs - signedAt) / 1000);
  if (Math.abs(ageS) > settings.maxAgeS) {
    const when = ageS > 0 ? `${ageS} s ago` : `${-ageS} s in the future`;
    return (
      `the notification was signed ${when}, beyond the ${settings.maxAgeS} s allowed (HYDRA_ALERT_MAX_AGE_S): ` +
      'a stale or replayed request, or clocks apart'
    );
  }
  return signedAt;
}

/** Checks a notification's signature over its raw bytes, in constant time; replays are the caller's to catch. */
export function verifyGrafanaSignature(
  notification: SignedNotification,
  settings: SignatureSettings,
  nowMs = Date.now(),
): SignatureCheck {
  if (settings.secret === '') {
    return refused(
      'the server has no webhook secret configured (HYDRA_ALERT_WEBHOOK_SECRET), so it refuses every notification',
    );
  }
  const { signature } = notification;
  if (signature === undefined || signature === '') {
    return refused(
      `no signature header ${settings.signatureHeader}: give the contact point hmacConfig with the secret`,
    );
  }
  const mac = createHmac('sha256', Buffer.from(settings.secret, 'utf8'));
  let signedAt: number | null = null;
  if (settings.timestampHeader !== '') {
    const checked = checkTimestamp(notification.timestamp, settings, nowMs);
    if (typeof checked === 'string') return refused(checked);
    signedAt = checked;
    mac.update(`${notification.timestamp}:`);
  }
  const expected = Buffer.from(mac.update(notification.body).digest('hex'), 'ascii');
  const given = Buffer.from(signature, 'utf8');
  if (!HEX_SHA256.test(signature) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refused(
      'the signature does not match the body: the contact point and HYDRA_ALERT_WEBHOOK_SECRET must hold the same ' +
        'secret (and the same timestamp header)',
    );
  }
  return { ok: true, signature, signedAt };
}
