import { expect } from "vitest";
import { ERROR_STATUS } from "../../../src/http/error-status.js";
import type { ApiResponse } from "../../e2e-harness.js";

/** A response that is never a fault: below 500 and, when an error, documented and from the closed list. */
export function expectSafe(res: ApiResponse, label = ""): void {
  const where = `${label} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.body, where).toBeTypeOf("object");
  expect(Object.keys(res.body ?? {}), where).toEqual(["error"]);
  const { code, message, details } = res.body.error;
  expect(Object.keys(res.body.error).sort(), where).toEqual(["code", "details", "message"]);
  expect(Object.keys(ERROR_STATUS), where).toContain(code);
  expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], where).toBe(res.status);
  expect(typeof message, where).toBe("string");
  expect(Array.isArray(details), where).toBe(true);
  for (const d of details) {
    expect(typeof d.path, where).toBe("string");
    expect(typeof d.message, where).toBe("string");
  }
}

/** A client error with one of `codes`. */
export function expectRejected(res: ApiResponse, codes: readonly string[], label = ""): void {
  expectSafe(res, label);
  expect(res.status, `${label} → ${JSON.stringify(res.body).slice(0, 400)}`).toBeGreaterThanOrEqual(400);
  expect(codes, `${label} → ${JSON.stringify(res.body).slice(0, 400)}`).toContain(res.body.error.code);
}

/** Exactly `status` with `code`, a non-empty message and no details: how every refusal of a caller looks. */
export function expectErrorShape(res: ApiResponse, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(res.body.error.details).toEqual([]);
}

/**
 * 401 for credentials that were sent and refused: one detail on the Authorization header whose
 * `reason` is "expired" (a member token this server signed, past its expiry) or "invalid"
 * (unknown, revoked, tampered or forged). A request with no usable bearer has no details.
 */
export function expectRefusedCredentials(res: ApiResponse, reason: "invalid" | "expired"): void {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message"]);
  expect(res.body.error.code).toBe("UNAUTHENTICATED");
  expect(res.body.error.details).toEqual([
    {
      path: "/authorization",
      in: "headers",
      reason,
      message: expect.stringMatching(/\S/),
      ...(reason === "expired" && { expiredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    },
  ]);
}
