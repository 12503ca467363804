import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOG } from "../../src/demo/demo-catalog.js";
import { TestServer } from "../e2e-harness.js";
import { TEST_ENGINES } from "../test-database.js";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const HTML = Buffer.from("<!doctype html><html><script>alert(document.cookie)</script></html>");
const TICKET = { expected: "the receipt", actual: "nothing" };
const file = (filename: string, bytes: Buffer) => ({ filename, content: bytes.toString("base64") });

/** Attachments: recognised by their bytes, bounded, stored in the database, served only to their ticket's people. */
describe.each(TEST_ENGINES)("ticket attachments on $name", (engine) => {
  let s: TestServer;
  let support: string;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    s = await TestServer.start(engine);
    await s.putCatalog(DEMO_CATALOG);
    support = (await s.request("POST", "/v1/api-keys", { body: { name: "desk", role: "support" } })).body.key;
    for (const id of ["att-alice", "att-bob"]) await s.createMember(id);
    alice = await s.memberToken("att-alice");
    bob = await s.memberToken("att-bob");
  });
  afterAll(() => s?.stop());

  const open = (auth: string, attachments: unknown[]) =>
    s.request("POST", "/v1/me/tickets", { auth, body: { ...TICKET, attachments } });

  it("keeps a PNG and a PDF byte for byte and serves them as downloads that are never sniffed", async () => {
    const opened = await open(alice, [file("shot.png", PNG), file("receipt.pdf", PDF)]);
    expect(opened.status).toBe(201);
    const [png, pdf] = opened.body.messages[0].attachments;
    expect(png).toMatchObject({ filename: "shot.png", contentType: "image/png", size: PNG.length });
    expect(pdf).toMatchObject({ contentType: "application/pdf", size: PDF.length });
    const id = opened.body.ticketId;
    for (const [auth, path] of [
      [alice, `/v1/me/tickets/${id}/attachments/${png.attachmentId}`],
      [support, `/v1/tickets/${id}/attachments/${png.attachmentId}`],
    ]) {
      const res = await fetch(`${s.baseUrl}${path}`, { headers: { authorization: `Bearer ${auth}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("content-disposition")).toBe("attachment; filename=shot.png");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    }
  });

  it("refuses HTML named .png (by its bytes), a file over 5 MB, and a sixth file; nothing is written", async () => {
    const before = (await s.request("GET", "/v1/me/tickets", { auth: alice })).body.tickets.length;
    const html = await open(alice, [file("cat.png", HTML)]);
    expect(html.status).toBe(415);
    expect(html.body.error.code).toBe("ATTACHMENT_TYPE_NOT_ALLOWED");
    expect(html.body.error.details[0].path).toBe("/attachments/0");
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 + 1 - PNG.length)]);
    const oversize = await open(alice, [file("big.png", big)]);
    expect(oversize.status).toBe(413);
    expect(oversize.body.error.code).toBe("ATTACHMENT_TOO_LARGE");
    const exactly = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024 - PNG.length)]);
    expect((await open(alice, [file("max.png", exactly)])).status).toBe(201);
    const six = await open(
      alice,
      Array.from({ length: 6 }, (_, i) => file(`s${i}.png`, PNG)),
    );
    expect(six.status).toBe(400);
    expect(six.body.error.code).toBe("VALIDATION_FAILED");
    const reply = await s.request("POST", "/v1/me/tickets/tkt_none/replies", {
      auth: alice,
      body: { text: "x", attachments: [file("cat.png", HTML)] },
    });
    expect(reply.status).toBe(415);
    const after = (await s.request("GET", "/v1/me/tickets", { auth: alice })).body.tickets.length;
    expect(after).toBe(before + 1);
  }, 30_000);

  it("another member's attachment answers like a missing one", async () => {
    const mine = await open(alice, [file("shot.png", PNG)]);
    const theirs = await open(bob, []);
    const att = mine.body.messages[0].attachments[0].attachmentId;
    const viaAlicesTicket = await s.request(
      "GET",
      `/v1/me/tickets/${mine.body.ticketId}/attachments/${att}`,
      {
        auth: bob,
      },
    );
    expect(viaAlicesTicket.status).toBe(404);
    expect(viaAlicesTicket.body.error.code).toBe("TICKET_NOT_FOUND");
    const viaOwnTicket = await s.request("GET", `/v1/me/tickets/${theirs.body.ticketId}/attachments/${att}`, {
      auth: bob,
    });
    expect(viaOwnTicket.status).toBe(404);
    expect(viaOwnTicket.body.error.code).toBe("ATTACHMENT_NOT_FOUND");
    const anyone = await s.request("GET", `/v1/tickets/${mine.body.ticketId}/attachments/${att}`, {
      auth: bob,
    });
    expect(anyone.status).toBe(403);
  });
});
