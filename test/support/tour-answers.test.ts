import { describe, expect, it } from "vitest";
import { answerDifferences, jsonDifferences, parseElidedJson } from "./tour-answers.js";

const curl = (status: string, body: string) =>
  `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ndate: Tue, 01 Dec 2026 22:17:34 GMT\r\n\r\n${body}`;

describe("answers shown in the tours", () => {
  it("match a curl -i response by status and the body's shown parts", () => {
    const body = JSON.stringify({
      memberId: "m1",
      allowed: false,
      reasons: [{ code: "PAYMENT_PENDING", details: { orderId: "ord_x1" } }, { code: "RULE_CHANGED" }],
    });
    const shown = `200 {"allowed": false, "reasons": [{"code": "PAYMENT_PENDING", "details": {"orderId": "ord_…"}}, …], …}`;
    expect(answerDifferences(shown, curl("200 OK", body))).toEqual([]);
    expect(answerDifferences(shown, curl("409 Conflict", body))).toEqual(["expected status 200, got 409"]);
    expect(answerDifferences(shown.replace("PENDING", "DONE"), curl("200 OK", body))).toEqual([
      '/reasons/0/code: expected "PAYMENT_DONE", got "PAYMENT_PENDING"',
    ]);
    expect(answerDifferences(shown.replace('"ord_…"', '"cpn_…"'), curl("200 OK", body))).toHaveLength(1);
  });

  it("skip interim responses and read an empty body as such", () => {
    expect(answerDifferences("204", `HTTP/1.1 100 Continue\r\n\r\n${curl("204 No Content", "")}`)).toEqual(
      [],
    );
    expect(answerDifferences("204", curl("200 OK", "{}"))).toEqual([
      "expected status 204, got 200",
      "expected an empty body (show it, or elide it with {…})",
    ]);
    expect(answerDifferences("200 {…}", "not curl -i output")).toEqual([
      "expected a curl -i response with status 200",
    ]);
  });

  it("are exact where nothing is elided", () => {
    expect(jsonDifferences(parseElidedJson('{"a": 1}'), { a: 1, b: 2 })).toEqual([
      "/: unexpected keys b (add … to allow more)",
    ]);
    expect(jsonDifferences(parseElidedJson("[1, 2]"), [1, 2, 3])).toEqual(["/: expected 2 elements, got 3"]);
    expect(jsonDifferences(parseElidedJson("[1, …]"), [1, 2, 3])).toEqual([]);
    expect(jsonDifferences(parseElidedJson("[…]"), [])).toEqual([]);
    expect(jsonDifferences(parseElidedJson('{"a": …}'), {})).toEqual(["/a: missing"]);
    expect(jsonDifferences(parseElidedJson('{"n": 1500}'), { n: "1500" })).toEqual([
      '/n: expected 1500, got "1500"',
    ]);
    expect(() => parseElidedJson('{"a": 1,}')).toThrow(/expected a string/);
  });

  it("compare text output with … standing for any characters", () => {
    expect(
      answerDifferences("http://127.0.0.1:…/?token=ey…", "http://127.0.0.1:41234/?token=eyJhb\n"),
    ).toEqual([]);
    expect(answerDifferences("http://127.0.0.1:…/?token=ey…", "http://localhost:1/?token=ey")).toHaveLength(
      1,
    );
    expect(answerDifferences("ok", "ok, but more")).toHaveLength(1);
  });
});
