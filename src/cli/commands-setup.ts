/**
 * The first-run part of the command table (issue 19): `setup`, `onboard` and `configure`. Flags
 * follow OpenClaw 2026.9.6's `onboard --help` where it has them; `--telegram-*`, `--model` and
 * `--section`'s values are ours (OpenClaw asks for channels only interactively). Loaders only.
 */
import { json } from "./command-options.js";
import type { CommandSpec, OptionSpec } from "./types.js";

const flag = (name: string, description: string): OptionSpec => ({ name, type: "boolean", description });
const value = (name: string, placeholder: string, description: string): OptionSpec => ({ name, type: "string", value: placeholder, description });

/** Flags every first-run command takes (the steps' non-interactive answers). */
export const ONBOARD_OPTIONS: OptionSpec[] = [
  flag("non-interactive", "Run without prompts (flags answer every step)"),
  flag("accept-risk", "Acknowledge that agents are powerful and full system access is risky (required with onboard --non-interactive)"),
  value("workspace", "<dir>", "Agent workspace (default ~/.openclaw/workspace; kept on a re-run unless given)"),
  flag("skip-bootstrap", "Create the workspace without its bootstrap files"),
  { name: "gateway-port", type: "number", value: "<port>", description: "Gateway port (default 18789)" },
  value("gateway-bind", "<mode>", "Gateway bind: loopback|lan|tailnet|auto|custom"),
  value("gateway-auth", "<mode>", "Gateway auth: token|password"),
  value("gateway-token", "<token>", "Gateway token (default: keep the existing one, else generate)"),
  value("gateway-password", "<password>", "Gateway password (password auth)"),
  value("auth-choice", "<choice>", "Model credential: apiKey|anthropic-api-key|openai-api-key|skip"),
  value("anthropic-api-key", "<key>", "Anthropic API key (saved to auth-profiles.json, never printed)"),
  value("openai-api-key", "<key>", "OpenAI API key (saved to auth-profiles.json, never printed)"),
  value("custom-base-url", "<url>", "Provider base URL (models.providers.<id>.baseUrl), e.g. a proxy"),
  value("model", "<provider/model>", "Primary model (agents.defaults.model.primary)"),
  flag("skip-channels", "Skip channel setup"),
  value("telegram-bot-token", "<token>", "Telegram bot token from @BotFather (checked with getMe)"),
  value("telegram-api-root", "<url>", "Telegram Bot API root (default https://api.telegram.org)"),
  value("telegram-allow-from", "<ids>", "Telegram user ids allowed to DM the bot, comma-separated (dmPolicy allowlist)"),
  flag("install-daemon", "Install and start the gateway service (--no-install-daemon skips it)"),
  flag("skip-daemon", "Skip the gateway service install"),
  flag("skip-health", "Skip the credential probe, the getMe check and the final status"),
  json,
];

export function setupCommands(): CommandSpec[] {
  return [
    {
      path: ["setup"],
      summary: "Create the state dir, a minimal config (gateway.mode local, a generated token) and the workspace; idempotent",
      description: "Never prompts. Takes onboard's flags too (a credential, a channel, --install-daemon); a second run says \"no changes\".",
      options: ONBOARD_OPTIONS,
      load: () => import("./commands/onboard/setup.js"),
      examples: ["openclaw setup", "openclaw setup --workspace ~/agent-work --json"],
    },
    {
      path: ["onboard"],
      summary: "Guided first run: gateway, model credential, one channel, service install, then status",
      description: "Every step has a flag for --non-interactive. A re-run keeps the token, workspace and channels, shows a diff before writing, and says \"no changes\" when there are none. Ctrl-C writes nothing.",
      options: ONBOARD_OPTIONS,
      load: () => import("./commands/onboard/onboard.js"),
      examples: [
        "openclaw onboard",
        "openclaw onboard --non-interactive --accept-risk --auth-choice apiKey --anthropic-api-key \"$ANTHROPIC_API_KEY\" --gateway-port 18789 --install-daemon",
      ],
    },
    {
      path: ["configure"],
      summary: "Change one part of an existing config with onboard's prompts (diff shown, .bak kept)",
      options: [value("section", "<name>", "gateway|model|models|channels|workspace|daemon|health (comma-separated; default: all)"), ...ONBOARD_OPTIONS],
      load: () => import("./commands/onboard/configure.js"),
      examples: ["openclaw configure --section models", "openclaw configure --section models --non-interactive --model anthropic/claude-sonnet-4-6"],
    },
  ];
}
