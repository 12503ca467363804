import { create as contentDisposition } from "content-disposition";
import type { FastifyReply } from "fastify";

/** Sends an attachment as a download that no browser renders or sniffs. */
export function sendAttachment(
  reply: FastifyReply,
  file: { filename: string; contentType: string; data: Buffer },
) {
  return reply
    .header("content-type", file.contentType)
    .header("content-disposition", contentDisposition(file.filename))
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .send(file.data);
}
