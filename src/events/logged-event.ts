/** One numbered event of the log. */
export interface LoggedEvent {
  seq: number;
  memberId: string | null;
  type: string;
  /** One-line JSON. */
  data: string;
  createdAt: Date;
}
