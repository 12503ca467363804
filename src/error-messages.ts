import type { Locale } from "./catalog/catalog-types.js";
import type { ErrorCode } from "./error-codes.js";

/** One message in both languages; `{name}` placeholders are filled from the error's params. */
export type ErrorMessage = Record<Locale, string>;

/**
 * The message of every error code, in English and Chinese: the one place a response's
 * `error.message` comes from. The message of a code (`ERROR_MESSAGES.MEMBER_NOT_FOUND`) may use only
 * `{count}` (the number of details), so it fits every throw of the code; a throw that knows more names
 * a variant (`CODE.variant`) whose placeholders it fills. What differs between throws of one code and
 * a program needs — which field, which limit — is in `details`, not only in words.
 */
export const ERROR_MESSAGES = {
  VALIDATION_FAILED: {
    en: "The request has {count} problem(s); see details.",
    "zh-CN": "请求有 {count} 处问题，详见 details。",
  },
  "VALIDATION_FAILED.unstorable": {
    en: "The input holds a character that cannot be stored (U+0000).",
    "zh-CN": "输入中含有无法存储的字符（U+0000）。",
  },
  "VALIDATION_FAILED.bad_url": {
    en: "The path is not valid percent-encoded UTF-8.",
    "zh-CN": "路径不是有效的百分号编码 UTF-8。",
  },
  "VALIDATION_FAILED.param_too_long": {
    en: "A path parameter is longer than any valid id.",
    "zh-CN": "路径参数比任何有效 id 都长。",
  },
  MALFORMED_BODY: {
    en: "The request body is malformed: it does not parse.",
    "zh-CN": "请求体格式错误，无法解析。",
  },
  "MALFORMED_BODY.empty_json": {
    en: "The body is empty but Content-Type says JSON: send a JSON object.",
    "zh-CN": "请求体为空，但 Content-Type 声明为 JSON：请发送一个 JSON 对象。",
  },
  "MALFORMED_BODY.invalid_json": {
    en: "The body is not valid JSON.",
    "zh-CN": "请求体不是有效的 JSON。",
  },
  "MALFORMED_BODY.invalid_yaml": {
    en: "The body is not valid YAML.",
    "zh-CN": "请求体不是有效的 YAML。",
  },
  "MALFORMED_BODY.not_http": {
    en: "The request is not valid HTTP.",
    "zh-CN": "请求不是有效的 HTTP。",
  },
  TIMESTAMP_OUT_OF_TOLERANCE: {
    en: "webhook-timestamp must be Unix seconds within 5 minutes of the server's clock.",
    "zh-CN": "webhook-timestamp 必须是 Unix 秒，且与服务器时钟相差不超过 5 分钟。",
  },
  UNAUTHENTICATED: {
    en: "Send Authorization: Bearer <admin key, API key or member token>.",
    "zh-CN": "请发送 Authorization: Bearer <管理员密钥、API 密钥或会员令牌>。",
  },
  "UNAUTHENTICATED.invalid": {
    en: "The credentials are not valid (unknown, revoked or forged): Authorization: Bearer <admin key, API key or member token>.",
    "zh-CN":
      "凭据无效（未知、已撤销或伪造）：请发送 Authorization: Bearer <管理员密钥、API 密钥或会员令牌>。",
  },
  "UNAUTHENTICATED.expired": {
    en: "The member token expired at {expiredAt}: ask the platform for a new one.",
    "zh-CN": "会员令牌已于 {expiredAt} 过期，请向平台重新获取。",
  },
  INVALID_SIGNATURE: {
    en: "The payment event's Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature) is missing or does not match.",
    "zh-CN":
      "支付事件的 Standard Webhooks 签名（webhook-id、webhook-timestamp、webhook-signature）缺失或不匹配。",
  },
  FORBIDDEN: {
    en: "These credentials may not call this route.",
    "zh-CN": "此凭据无权调用该接口。",
  },
  "FORBIDDEN.member_token": {
    en: "A member token is valid only for /v1/me/* routes.",
    "zh-CN": "会员令牌仅可用于 /v1/me/* 接口。",
  },
  "FORBIDDEN.roles": {
    en: "This route needs one of the roles: {roles}.",
    "zh-CN": "该接口需要以下角色之一：{roles}。",
  },
  NOT_FOUND: { en: "Not found.", "zh-CN": "未找到。" },
  "NOT_FOUND.route": { en: "No route {method} {path}.", "zh-CN": "没有接口 {method} {path}。" },
  MEMBER_NOT_FOUND: { en: "The member does not exist.", "zh-CN": "该会员不存在。" },
  "MEMBER_NOT_FOUND.id": { en: "Member {memberId} does not exist.", "zh-CN": "会员 {memberId} 不存在。" },
  PLAN_NOT_FOUND: { en: "The plan is not in the catalog.", "zh-CN": "目录中没有该套餐。" },
  ORDER_NOT_FOUND: { en: "The order does not exist.", "zh-CN": "该订单不存在。" },
  BENEFIT_NOT_FOUND: { en: "The benefit is not in the catalog.", "zh-CN": "目录中没有该权益。" },
  "BENEFIT_NOT_FOUND.code": {
    en: "Benefit {benefit} is not in the catalog.",
    "zh-CN": "目录中没有权益 {benefit}。",
  },
  CATALOG_NOT_FOUND: {
    en: "No catalog has been defined yet: PUT /v1/catalog first.",
    "zh-CN": "尚未定义目录：请先 PUT /v1/catalog。",
  },
  CATALOG_VERSION_NOT_FOUND: { en: "That catalog version does not exist.", "zh-CN": "该目录版本不存在。" },
  TICKET_NOT_FOUND: { en: "The ticket does not exist.", "zh-CN": "该工单不存在。" },
  ATTACHMENT_NOT_FOUND: { en: "The attachment does not exist.", "zh-CN": "该附件不存在。" },
  TICKET_NOT_OPEN: {
    en: "The ticket's state does not allow this change; see details.",
    "zh-CN": "工单当前的状态不允许此操作，详见 details。",
  },
  ESCALATION_NOT_ALLOWED: {
    en: "The ticket can be escalated once a target or the promised time is missed; see details.",
    "zh-CN": "工单在错过处理时限或承诺时间后才能升级，详见 details。",
  },
  ATTACHMENT_TYPE_NOT_ALLOWED: {
    en: "Attachments must be PNG, JPEG, WebP or PDF files (recognised by their content).",
    "zh-CN": "附件须为 PNG、JPEG、WebP 或 PDF 文件（按文件内容识别）。",
  },
  ATTACHMENT_TOO_LARGE: { en: "An attachment is larger than 5 MB.", "zh-CN": "附件超过 5 MB。" },
  HOLD_NOT_FOUND: { en: "The hold does not exist.", "zh-CN": "该冻结记录不存在。" },
  API_KEY_NOT_FOUND: {
    en: "The API key does not exist or is revoked.",
    "zh-CN": "该 API 密钥不存在或已吊销。",
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: {
    en: "The webhook endpoint does not exist.",
    "zh-CN": "该 Webhook 端点不存在。",
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    en: "The endpoint has no such delivery.",
    "zh-CN": "该端点没有这条投递记录。",
  },
  METHOD_NOT_ALLOWED: { en: "This method is not allowed here.", "zh-CN": "此处不允许该请求方法。" },
  NOT_ACCEPTABLE: {
    en: "The server cannot answer in a media type the Accept header allows.",
    "zh-CN": "服务器无法以 Accept 头允许的媒体类型作答。",
  },
  CONFLICT: {
    en: "The request conflicts with what is being changed right now; retry it.",
    "zh-CN": "请求与正在进行的修改冲突，请重试。",
  },
  "CONFLICT.hold_open": {
    en: "The member already has an open hold of this reason.",
    "zh-CN": "该会员已有一个同原因的未解除冻结。",
  },
  "CONFLICT.activation": {
    en: "Benefit {benefit} is activated by {activation}, not this way.",
    "zh-CN": "权益 {benefit} 的激活方式是 {activation}，不能这样操作。",
  },
  "CONFLICT.released": {
    en: "The coupons of this order were released; it cannot complete.",
    "zh-CN": "该订单的优惠券已释放，无法完成。",
  },
  BENEFIT_NOT_GRANTED: {
    en: "The member holds no current grant of this benefit: check the decision for the reason.",
    "zh-CN": "该会员当前没有此权益：请查看判定结果中的原因。",
  },
  QUOTA_EXHAUSTED: { en: "The quota has no room for this use.", "zh-CN": "额度不足以完成本次使用。" },
  USAGE_DENIED: {
    en: "The use is denied: see the decision's reasons.",
    "zh-CN": "本次使用被拒绝：请查看判定原因。",
  },
  IDEMPOTENCY_CONFLICT: {
    en: "This idempotency key was used for a different request: use a new key.",
    "zh-CN": "该幂等键已用于另一个请求，请换一个新键。",
  },
  COUPON_NOT_FOUND: { en: "No such coupon among this member's coupons.", "zh-CN": "该会员没有这张优惠券。" },
  REDEMPTION_NOT_FOUND: {
    en: "No coupons were redeemed under this order reference.",
    "zh-CN": "该订单号下没有核销过优惠券。",
  },
  PROVIDER_NOT_CONFIGURED: {
    en: "This payment provider is not configured on this server.",
    "zh-CN": "本服务器未配置该支付渠道。",
  },
  COUPON_NOT_REDEEMABLE: {
    en: "The coupons cannot be redeemed: details list every problem.",
    "zh-CN": "优惠券无法核销：details 列出了每个问题。",
  },
  COUPON_NOT_CLAIMABLE: {
    en: "The coupon's claim deadline has passed.",
    "zh-CN": "该优惠券的领取期限已过。",
  },
  HOLD_NOT_OPEN: { en: "The hold was cleared already.", "zh-CN": "该冻结已解除。" },
  HOLD_NOT_SELF_CLEARABLE: {
    en: "This hold is cleared by our support team, not by verification; please contact support.",
    "zh-CN": "该冻结需由客服解除，无法通过验证自助解除；请联系客服。",
  },
  VERIFICATION_NOT_REQUESTED: {
    en: "There is no code to check; request one first.",
    "zh-CN": "没有待校验的验证码，请先申请一个。",
  },
  CATALOG_CHANGE_NEEDS_CONFIRMATION: {
    en: 'The change removes {count} thing(s) that members hold or pending orders name (see details); send "confirm": "remove" to publish it anyway.',
    "zh-CN":
      '此次变更会移除 {count} 项会员正在持有或待支付订单所用的内容（详见 details）；如确需移除，请在请求中加上 "confirm": "remove" 后再发布。',
  },
  WEBHOOK_ENDPOINT_DISABLED: {
    en: "The endpoint is disabled: re-enable it first (PATCH enabled: true).",
    "zh-CN": "该端点已停用：请先重新启用（PATCH enabled: true）。",
  },
  PAYLOAD_TOO_LARGE: { en: "The request body is too large.", "zh-CN": "请求体过大。" },
  "PAYLOAD_TOO_LARGE.limit": {
    en: "The request body is larger than the limit of {limitBytes} bytes ({limitHuman}).",
    "zh-CN": "请求体超过了 {limitBytes} 字节（{limitHuman}）的上限。",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: "The body's Content-Type is not accepted: send JSON with Content-Type: application/json (or YAML with application/yaml).",
    "zh-CN":
      "不接受该请求体的 Content-Type：请用 Content-Type: application/json 发送 JSON（或用 application/yaml 发送 YAML）。",
  },
  "UNSUPPORTED_MEDIA_TYPE.missing": {
    en: "The request has a body but no Content-Type: send JSON with Content-Type: application/json (or YAML with application/yaml).",
    "zh-CN":
      "请求带有请求体但没有 Content-Type：请用 Content-Type: application/json 发送 JSON（或用 application/yaml 发送 YAML）。",
  },
  "UNSUPPORTED_MEDIA_TYPE.other": {
    en: "Content-Type {received} is not accepted: send JSON with Content-Type: application/json (or YAML with application/yaml).",
    "zh-CN":
      "不接受 Content-Type {received}：请用 Content-Type: application/json 发送 JSON（或用 application/yaml 发送 YAML）。",
  },
  HEADERS_TOO_LARGE: {
    en: "The request line or headers are larger than the server accepts.",
    "zh-CN": "请求行或请求头超出服务器的上限。",
  },
  CATALOG_INVALID: {
    en: "The catalog refers to something it does not define; see details.",
    "zh-CN": "目录引用了未定义的内容，详见 details。",
  },
  BENEFIT_NOT_QUOTA: {
    en: "Usage can be reported only for a quota benefit.",
    "zh-CN": "只有额度类权益才能上报用量。",
  },
  AMOUNT_MISMATCH: {
    en: "The paid amount differs from the order's amount; the event was recorded and nothing was granted.",
    "zh-CN": "实付金额与订单金额不符；事件已记录，未发放任何权益。",
  },
  VERIFICATION_FAILED: { en: "The code is wrong.", "zh-CN": "验证码错误。" },
  VERIFICATION_EXPIRED: {
    en: "The code has expired; request a new one.",
    "zh-CN": "验证码已过期，请重新申请。",
  },
  RATE_LIMITED: { en: "Too many requests: try again later.", "zh-CN": "请求过于频繁，请稍后再试。" },
  VERIFICATION_LOCKED: {
    en: "Too many wrong codes: verification is locked for a while.",
    "zh-CN": "验证码错误次数过多，验证已暂时锁定。",
  },
  INTERNAL: { en: "Internal error; it has been logged.", "zh-CN": "服务器内部错误，已记录日志。" },
  UNAVAILABLE: {
    en: "The server cannot take this request now; try another node or later.",
    "zh-CN": "服务器暂时无法处理该请求，请换一个节点或稍后再试。",
  },
} as const satisfies Record<ErrorCode, ErrorMessage> & Record<string, ErrorMessage>;

/** A variant of some code's message (`CODE.variant`). */
export type ErrorMessageVariant = {
  [K in keyof typeof ERROR_MESSAGES]: K extends `${string}.${infer V}` ? V : never;
}[keyof typeof ERROR_MESSAGES];

type Params = Readonly<Record<string, string | number>>;

/**
 * The message of `code` (or its `variant`) in `locale`, with placeholders filled from `params` and
 * `{count}` from the number of details. A variant whose placeholder has no value falls back to the
 * code's own message, which never needs one.
 */
export function errorMessage(
  code: ErrorCode,
  locale: Locale,
  options: { variant?: string; params?: Params; detailCount?: number } = {},
): string {
  const params: Params = { count: options.detailCount ?? 0, ...options.params };
  const messages = ERROR_MESSAGES as Record<string, ErrorMessage>;
  const variant = options.variant === undefined ? undefined : messages[`${code}.${options.variant}`];
  if (variant) {
    const filled = fill(variant[locale], params);
    if (filled !== null) return filled;
  }
  return fill(messages[code][locale], params) ?? messages[code][locale];
}

/** The template with its placeholders filled, or null when one has no value. */
function fill(template: string, params: Params): string | null {
  let complete = true;
  const text = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) complete = false;
    return String(value);
  });
  return complete ? text : null;
}
