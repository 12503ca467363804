/** Strings that break naive code: SQL and template injection, traversal, odd Unicode, NUL, sizes. */
export const INJECTIONS = [
  "'; DROP TABLE members; --",
  "1' OR '1'='1",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "会员🙂",
  "Ω≈ç√∫˜µ≤≥÷ ٩(͡๏̯͡๏)۶ Z̤͔ͧ̑̓",
  "a\u0000b",
  "\u0000",
  "\ud800",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell probe, literal on purpose.
  "${jndi:ldap://x}",
  "{{7*7}}",
  "%00",
  " ",
  "x".repeat(129),
  "x".repeat(10_000),
];

export const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Percent-encodes every byte of the UTF-8 form (an unpaired surrogate becomes U+FFFD, as in fetch). */
export function encodePath(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, "0").toUpperCase()}`,
    )
    .join("");
}

/** Path parameters as they go on the wire: encoded injections, plus raw tricks fetch sends as is. */
export const PATH_PARAMS = [
  ...INJECTIONS.map(encodePath),
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%E0%A4%A",
  "%ff",
  "a%00b",
  "x".repeat(600),
];
