/** The roles an API key may have (a member token is not an API key). */
export const API_KEY_ROLES = ["admin", "service", "support"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
