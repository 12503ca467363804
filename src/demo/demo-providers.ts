import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AlipayConfig, WechatPayConfig } from "../config.js";

/**
 * Both sides of each payment provider for the demo: the keys the provider would hold (they sign
 * `perkwise simulate-payment`'s notifications) and the configuration our server verifies them with.
 * Generated on the first `serve --demo` into `<data dir>/demo-providers.json` (mode 0600), so a
 * restart and the simulate command use the same keys. Never used unless the demo is asked for.
 */
export interface DemoProviders {
  alipay: {
    appId: string;
    sellerId: string;
    /** Alipay's pair: its private key signs notifications; the server verifies with the public one. */
    alipayPrivateKey: string;
    alipayPublicKey: string;
    /** Our application's private key (the SDK needs one; it signs queries). */
    appPrivateKey: string;
  };
  wechatpay: {
    mchid: string;
    appid: string;
    apiV3Key: string;
    /** WeChat Pay's public-key id (`PUB_KEY_ID_…`), the Wechatpay-Serial of its notifications. */
    publicKeyId: string;
    privateKey: string;
    publicKey: string;
  };
}

export const DEMO_PROVIDERS_FILE = "demo-providers.json";
/** Nothing listens here: a provider query from the demo gets a quick "unreachable", never the internet. */
const NOWHERE = "http://127.0.0.1:9";

function rsaPair(privateType: "pkcs1" | "pkcs8") {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: privateType, format: "pem" },
  });
}

function generate(): DemoProviders {
  const alipay = rsaPair("pkcs1");
  const app = rsaPair("pkcs1");
  const wechatpay = rsaPair("pkcs8");
  return {
    alipay: {
      appId: "2021000000000001",
      sellerId: "2088000000000001",
      alipayPrivateKey: alipay.privateKey,
      alipayPublicKey: alipay.publicKey,
      appPrivateKey: app.privateKey,
    },
    wechatpay: {
      mchid: "1900000001",
      appid: "wx8888888888888888",
      // 32 characters, as WeChat Pay's APIv3 keys are.
      apiV3Key: randomBytes(16).toString("hex"),
      publicKeyId: `PUB_KEY_ID_0119000000012026${randomBytes(8).toString("hex").toUpperCase()}`,
      privateKey: wechatpay.privateKey,
      publicKey: wechatpay.publicKey,
    },
  };
}

/** The demo's providers from the data directory; with `create`, generated there when missing. */
export function demoProviders(dataDir: string, create: boolean): DemoProviders | undefined {
  const file = path.join(dataDir, DEMO_PROVIDERS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoProviders;
  if (!create) return undefined;
  const providers = generate();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(providers, null, 2)}\n`, { mode: 0o600 });
  return providers;
}

/** What the server is configured with to accept the demo providers' notifications. */
export function demoProviderConfig(providers: DemoProviders): {
  alipay: AlipayConfig;
  wechatpay: WechatPayConfig;
} {
  const { alipay, wechatpay } = providers;
  return {
    alipay: {
      appId: alipay.appId,
      sellerId: alipay.sellerId,
      alipayPublicKey: alipay.alipayPublicKey,
      privateKey: alipay.appPrivateKey,
      gateway: `${NOWHERE}/gateway.do`,
    },
    wechatpay: {
      mchid: wechatpay.mchid,
      appid: wechatpay.appid,
      apiV3Key: wechatpay.apiV3Key,
      publicKeys: { [wechatpay.publicKeyId]: wechatpay.publicKey },
      merchantKey: undefined,
      merchantSerial: undefined,
      baseUrl: NOWHERE,
    },
  };
}
