/**
 * Attachments members and agents send: screenshots and receipts, recognised by their bytes (the
 * `file-type` package), never by their names or the type the sender claims.
 */
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "../errors.js";
import type { NewAttachment } from "./ticket-types.js";

export const ALLOWED_TYPES = ["image/png", "image/jpeg", "image/webp", "application/pdf"] as const;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;
/** A route taking attachments accepts their base64 (4/3 of the bytes) plus room for the text. */
export const ATTACHMENT_BODY_LIMIT = Math.ceil((MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES * 4) / 3) + 256 * 1024;

export interface AttachmentInput {
  filename: string;
  /** The file's bytes, base64. */
  content: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes and checks every attachment; the first problem of each is reported, all at once. */
export async function checkAttachments(
  inputs: readonly AttachmentInput[],
  path: string,
): Promise<NewAttachment[]> {
  const files: NewAttachment[] = [];
  for (const [index, input] of inputs.entries()) {
    const at = `${path}/${index}`;
    if (!BASE64.test(input.content) || input.content.length % 4 !== 0) {
      throw new AppError("VALIDATION_FAILED", "An attachment is not base64.", [
        { path: `${at}/content`, message: "is not base64" },
      ]);
    }
    const data = Buffer.from(input.content, "base64");
    if (data.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError("ATTACHMENT_TOO_LARGE", `Attachment ${input.filename} is larger than 5 MB.`, [
        {
          path: at,
          message: `${data.length} bytes; at most ${MAX_ATTACHMENT_BYTES}`,
          limit: MAX_ATTACHMENT_BYTES,
        },
      ]);
    }
    const type = await fileTypeFromBuffer(data);
    if (type === undefined || !(ALLOWED_TYPES as readonly string[]).includes(type.mime)) {
      throw new AppError(
        "ATTACHMENT_TYPE_NOT_ALLOWED",
        `Attachment ${input.filename} is not a PNG, JPEG, WebP or PDF file.`,
        [
          {
            path: at,
            message: `its bytes are ${type?.mime ?? "of no known type"}`,
            allowed: [...ALLOWED_TYPES],
          },
        ],
      );
    }
    files.push({ filename: input.filename, contentType: type.mime, data });
  }
  return files;
}
