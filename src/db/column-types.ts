import type { ColumnType } from "kysely";

/** A creation time: the database's default unless given, never updated. */
export type CreatedAt = ColumnType<Date, Date | undefined, never>;
/** jsonb columns are written as JSON text and read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
