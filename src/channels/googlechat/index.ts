/** Google Chat (jose loaded lazily): config resolution, webhook verification, event mapping, the Chat API, the account runtime and plugin. */
export { GOOGLE_CHAT_TEXT_LIMIT, GoogleChatAccount, type GoogleChatAccountOptions } from "./account.js";
export { GOOGLE_CHAT_SCOPE, GoogleChatApi, type GoogleChatApiOptions } from "./api.js";
export {
  DEFAULT_GOOGLE_CHAT_WEBHOOK_PATH,
  GOOGLE_CHAT_API_BASE,
  GOOGLE_CHAT_ISSUER,
  GOOGLE_CHAT_X509_URL,
  GOOGLE_OIDC_ISSUERS,
  GOOGLE_OIDC_JWKS_URL,
  type GoogleChatAudienceType,
  type GoogleChatCredentialSource,
  type GoogleServiceAccount,
  listGoogleChatAccountIds,
  parseGoogleServiceAccount,
  type ResolvedGoogleChatAccount,
  resolveDefaultGoogleChatAccountId,
  resolveGoogleChatAccount,
} from "./config.js";
export { type GoogleChatEventResult, type GoogleChatInbound, type GoogleChatTarget, googleChatReplyTarget, mapGoogleChatEvent, parseGoogleChatTarget } from "./inbound.js";
export { googleChatPlugin } from "./plugin.js";
export { bearerToken, GoogleChatAuthError, type GoogleChatRejectReason, GoogleKeySet, type GoogleKeySetOptions, verifyGoogleChatToken } from "./verify.js";
