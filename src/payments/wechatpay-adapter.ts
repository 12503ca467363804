import {
  createDecipheriv,
  createPublicKey,
  createVerify,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { WechatPayConfig } from "../config.js";
import type { ErrorCode } from "../error-codes.js";
import type { ErrorDetail, Refusal } from "../errors.js";
import { parseIsoDateTime } from "../time/iso-time.js";
import { unstorableStrings } from "../unstorable-strings.js";
import { MAX_MINOR_UNITS } from "./money.js";
import type { PaymentEvent, TranslatedNotification } from "./payment-event.js";
import {
  type AdapterVerdict,
  evidenceHeaders,
  type ProviderAdapter,
  type RawHeaders,
} from "./provider-adapter.js";

/** WeChat Pay allows, and we allow, ±5 minutes between its clock and ours. */
export const WECHATPAY_TOLERANCE_SECONDS = 5 * 60;
export const SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";
const GCM_TAG_BYTES = 16;

const Str = (max = 256) => Type.String({ minLength: 1, maxLength: max });
const Fen = Type.Integer({ minimum: 0, maximum: MAX_MINOR_UNITS });
const Envelope = Type.Object({
  id: Str(64),
  create_time: Str(64),
  event_type: Str(64),
  resource_type: Type.Literal("encrypt-resource"),
  summary: Type.Optional(Type.String({ maxLength: 256 })),
  resource: Type.Object({
    algorithm: Type.Literal("AEAD_AES_256_GCM"),
    ciphertext: Type.String({ minLength: 1, maxLength: 65536 }),
    nonce: Type.String({ minLength: 12, maxLength: 12 }),
    associated_data: Type.Optional(Type.String({ maxLength: 256 })),
    original_type: Type.Optional(Type.String({ maxLength: 64 })),
  }),
});
const OrderId = Type.String({ pattern: "^[A-Za-z0-9_*|-]{1,64}$" });
const Transaction = Type.Object({
  appid: Str(64),
  mchid: Str(64),
  out_trade_no: OrderId,
  transaction_id: Type.String({ pattern: "^[0-9A-Za-z]{1,64}$" }),
  trade_state: Str(32),
  success_time: Type.Optional(Type.String({ maxLength: 64 })),
  amount: Type.Object({ total: Fen, currency: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })) }),
});
const Refund = Type.Object({
  mchid: Str(64),
  out_trade_no: OrderId,
  transaction_id: Type.String({ pattern: "^[0-9A-Za-z]{1,64}$" }),
  refund_id: Type.String({ pattern: "^[0-9A-Za-z]{1,64}$" }),
  refund_status: Str(32),
  amount: Type.Object({ total: Fen, refund: Fen }),
});
const checks = {
  envelope: TypeCompiler.Compile(Envelope),
  transaction: TypeCompiler.Compile(Transaction),
  refund: TypeCompiler.Compile(Refund),
};

const refused = (code: ErrorCode, message: string, details: ErrorDetail[] = []): Refusal => ({
  kind: "refused",
  code,
  message,
  details,
});

/**
 * WeChat Pay APIv3 notifications (payments and refunds): the signature over
 * `timestamp\nnonce\nbody\n` is checked with the key the `Wechatpay-Serial` header names — a
 * platform certificate's serial or a `PUB_KEY_ID_…` public key, both configured during WeChat Pay's
 * migration, an unknown one refused — within ±5 minutes; then the resource is decrypted with the
 * APIv3 key (AES-256-GCM, the tag checked) and translated:
 *
 * | event_type | event |
 * |---|---|
 * | TRANSACTION.SUCCESS (trade_state SUCCESS) | payment.succeeded (key: transaction_id) |
 * | REFUND.SUCCESS | payment.refunded, this refund's part (key: refund_id), summed on the order |
 * | REFUND.ABNORMAL, REFUND.CLOSED | payment.refund_failed: an alert on the timeline |
 *
 * Verified with node:crypto and a key map: wechatpay-node-v3's verifySign knows platform
 * certificates only and fetches them over the network (klover2/wechatpay-node-v3-ts#73), and its
 * decipher_gcm never checks the tag; the tests cross-check both against ours.
 */
export class WechatPayAdapter implements ProviderAdapter {
  readonly provider = "wechatpay" as const;
  private readonly keys = new Map<string, KeyObject>();
  private readonly apiV3Key: Buffer;

  constructor(private readonly config: WechatPayConfig) {
    for (const [serial, pem] of Object.entries(config.publicKeys))
      this.keys.set(serial, verificationKey(serial, pem));
    this.apiV3Key = Buffer.from(config.apiV3Key, "utf8");
  }

  translate(rawBody: string, headers: RawHeaders, nowMs: number): AdapterVerdict {
    const header = (name: string) => {
      const value = headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const timestamp = header("wechatpay-timestamp");
    const nonce = header("wechatpay-nonce");
    const signature = header("wechatpay-signature");
    const serial = header("wechatpay-serial");
    if (!timestamp || !nonce || !signature || !serial)
      return refused(
        "INVALID_SIGNATURE",
        "Missing a Wechatpay-Timestamp, -Nonce, -Signature or -Serial header.",
      );
    const type = header("wechatpay-signature-type");
    if (type !== undefined && type !== SIGNATURE_TYPE)
      return refused("INVALID_SIGNATURE", `Wechatpay-Signature-Type must be ${SIGNATURE_TYPE}.`);
    const key = this.keys.get(serial);
    if (!key) return refused("INVALID_SIGNATURE", "Wechatpay-Serial names no key this server knows.");
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(nowMs / 1000 - Number(timestamp)) > WECHATPAY_TOLERANCE_SECONDS
    )
      return refused(
        "TIMESTAMP_OUT_OF_TOLERANCE",
        `Wechatpay-Timestamp is more than ${WECHATPAY_TOLERANCE_SECONDS} s away from the server's clock.`,
      );
    if (!verifies(key, `${timestamp}\n${nonce}\n${rawBody}\n`, signature))
      return refused("INVALID_SIGNATURE", "Wechatpay-Signature does not verify over the body.");
    const envelope = parsed(checks.envelope, rawBody);
    if (!envelope) return refused("VALIDATION_FAILED", "The notification is not WeChat Pay's envelope.");
    const { resource } = envelope;
    const decrypted = decrypt(
      this.apiV3Key,
      resource.ciphertext,
      resource.nonce,
      resource.associated_data ?? "",
    );
    if (decrypted === null)
      return refused("VALIDATION_FAILED", "The resource does not decrypt with the APIv3 key.", [
        { path: "/resource/ciphertext", message: "AES-256-GCM authentication failed" },
      ]);
    const translation = this.eventOf(envelope.event_type, decrypted);
    if (translation.kind !== "event") return translation;
    // All of it is stored: the body and everything the resource held, not only what the event uses.
    const unstorable = unstorableStrings({ body: rawBody, decrypted: translation.plain });
    if (unstorable.length > 0)
      return refused("VALIDATION_FAILED", "The notification is malformed.", unstorable);
    const translated: TranslatedNotification = {
      key: translation.key,
      event: translation.event,
      notification: {
        provider: "wechatpay",
        body: rawBody,
        headers: evidenceHeaders(headers),
        verification: {
          verified: true,
          method: `${SIGNATURE_TYPE}, AEAD_AES_256_GCM`,
          detail: `serial ${serial}, notification ${envelope.id}`,
        },
        decrypted: translation.plain,
      },
    };
    return { kind: "translated", translated };
  }

  private eventOf(
    eventType: string,
    plaintext: string,
  ): { kind: "event"; key: string; event: PaymentEvent; plain: unknown } | AdapterVerdict {
    if (eventType === "TRANSACTION.SUCCESS") {
      const t = parsed(checks.transaction, plaintext);
      if (!t) return refused("VALIDATION_FAILED", "The decrypted transaction is malformed.");
      if (t.mchid !== this.config.mchid) return notOurs("/mchid", "is not this server's merchant");
      if (t.appid !== this.config.appid) return notOurs("/appid", "is not this server's appid");
      if (t.trade_state !== "SUCCESS") return { kind: "ignored", reason: `trade_state ${t.trade_state}` };
      const paidAt = t.success_time && parseIsoDateTime(t.success_time) !== null ? t.success_time : undefined;
      return {
        kind: "event",
        key: `wechatpay:${t.transaction_id}:succeeded`,
        event: {
          type: "payment.succeeded",
          orderId: t.out_trade_no,
          amount: { amount: t.amount.total, currency: t.amount.currency ?? "CNY" },
          providerRef: t.transaction_id,
          ...(paidAt && { paidAt }),
        },
        plain: t,
      };
    }
    if (eventType.startsWith("REFUND.")) {
      const r = parsed(checks.refund, plaintext);
      if (!r) return refused("VALIDATION_FAILED", "The decrypted refund is malformed.");
      if (r.mchid !== this.config.mchid) return notOurs("/mchid", "is not this server's merchant");
      const base = { orderId: r.out_trade_no, providerRef: r.refund_id };
      if (eventType === "REFUND.SUCCESS") {
        if (r.amount.refund === 0) return { kind: "ignored", reason: "a refund of nothing" };
        return {
          kind: "event",
          key: `wechatpay:refund:${r.refund_id}`,
          // Refunds are in the payment's currency: WeChat Pay's are CNY.
          event: {
            type: "payment.refunded",
            ...base,
            amount: { amount: r.amount.refund, currency: "CNY" },
            increment: true,
            full: false,
          },
          plain: r,
        };
      }
      if (eventType === "REFUND.ABNORMAL" || eventType === "REFUND.CLOSED") {
        return {
          kind: "event",
          key: `wechatpay:refund:${r.refund_id}:${r.refund_status}`,
          event: { type: "payment.refund_failed", ...base, status: r.refund_status },
          plain: r,
        };
      }
    }
    return { kind: "ignored", reason: `event_type ${eventType}` };
  }
}

const notOurs = (path: string, message: string) =>
  refused("VALIDATION_FAILED", "The notification is not for this merchant.", [{ path, message }]);

/** A platform certificate (its serial checked against the configured one) or a public key. */
export function verificationKey(serial: string, pem: string): KeyObject {
  if (!pem.includes("BEGIN CERTIFICATE")) return createPublicKey(pem);
  const certificate = new X509Certificate(pem);
  if (certificate.serialNumber.toUpperCase() !== serial.toUpperCase())
    throw new Error(`WeChat Pay certificate for serial ${serial} has serial ${certificate.serialNumber}`);
  return certificate.publicKey;
}

export function verifies(key: KeyObject, message: string, signature: string): boolean {
  try {
    return createVerify("RSA-SHA256").update(message, "utf8").verify(key, signature, "base64");
  } catch {
    return false;
  }
}

/** AES-256-GCM: the last 16 bytes of the ciphertext are the tag; null when it does not authenticate. */
function decrypt(key: Buffer, ciphertext: string, nonce: string, associatedData: string): string | null {
  const bytes = Buffer.from(ciphertext, "base64");
  if (bytes.length <= GCM_TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "utf8"));
    decipher.setAuthTag(bytes.subarray(bytes.length - GCM_TAG_BYTES));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - GCM_TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    return null;
  }
}

function parsed<T extends TSchema>(
  check: ReturnType<typeof TypeCompiler.Compile<T>>,
  text: string,
): Static<T> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return check.Check(value) ? value : null;
}
