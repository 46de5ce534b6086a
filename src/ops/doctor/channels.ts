/**
 * Channel settings doctor can check from the config alone: a Telegram `apiRoot` that carries
 * `/bot<TOKEN>` (grammy appends it again, so every call 404s — and the token sits in the config twice;
 * repaired by cutting the suffix), webhook mode without a secret (the gateway refuses to start the
 * account), and a token file that cannot be used.
 */
import { normalizeApiRoot, resolveTelegramAccount } from "../../channels/index.js";
import { obj } from "../snapshot.js";
import type { DoctorFinding } from "./finding.js";

/**
 * Findings for `channels.telegram` (section and each account). `rawInput` is the file's own text
 * parsed (repairs write it, so a `${VAR}` reference is never replaced by its value).
 */
export function telegramConfigFindings(input: Record<string, unknown>, rawInput: Record<string, unknown>, env: Record<string, string | undefined>): DoctorFinding[] {
  const section = obj(obj(input.channels).telegram);
  if (Object.keys(section).length === 0) return [];
  const out: DoctorFinding[] = [];
  const raw = obj(obj(rawInput.channels).telegram);
  const layers: Array<{ path: string[]; layer: Record<string, unknown> }> = [{ path: ["channels", "telegram"], layer: raw }];
  for (const [id, account] of Object.entries(obj(raw.accounts))) layers.push({ path: ["channels", "telegram", "accounts", id], layer: obj(account) });
  for (const { path, layer } of layers) {
    if (typeof layer.apiRoot !== "string" || layer.apiRoot.includes("${")) continue;
    const { apiRoot, stripped } = normalizeApiRoot(layer.apiRoot);
    if (!stripped) continue;
    const key = [...path, "apiRoot"].join(".");
    out.push({
      checkId: "channels.telegram.api_root_token",
      step: "config",
      severity: "warn",
      title: `${key} ends in /bot<TOKEN>: every Bot API call goes to the wrong URL`,
      detail: "apiRoot is the Bot API root (https://api.telegram.org or your self-hosted server); the client adds /bot<TOKEN> itself.",
      fix: `openclaw config set ${key} ${apiRoot}`,
      repair: { id: `channels.telegram.api_root.${path.join(".")}`, summary: `cut /bot<TOKEN> from ${key}`, safe: true, actions: [{ kind: "config-set", path: [...path, "apiRoot"], value: apiRoot }] },
    });
  }
  const ids = Object.keys(obj(section.accounts));
  for (const accountId of ids.length > 0 ? ids : ["default"]) {
    const account = resolveTelegramAccount(section, accountId, env as NodeJS.ProcessEnv);
    if (!account.enabled) continue;
    if (account.mode === "webhook" && !account.webhookSecret) {
      out.push({ checkId: "channels.telegram.webhook_secret_missing", step: "config", severity: "error", title: `telegram account "${accountId}" has webhookUrl but no webhookSecret: the account will not start`, fix: "openclaw config set channels.telegram.webhookSecret <random string> (Telegram sends it back on every update)" });
    }
    if (account.tokenError && account.tokenSource === "none" && /tokenFile|secret reference/.test(account.tokenError)) {
      out.push({ checkId: "channels.telegram.token_unusable", step: "config", severity: "error", title: account.tokenError, fix: "point tokenFile at a regular file holding only the bot token from @BotFather" });
    }
  }
  return out;
}
