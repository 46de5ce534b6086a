/**
 * Service names per profile (spec §7.1, seed 000 *Multi-Gateway Operational Patterns*) and the
 * older names we still recognise as gateway installs.
 */
import type { Env } from "../infra/index.js";

export interface ServiceNames {
  /** Profile name, undefined for the default profile. */
  profile: string | undefined;
  /** systemd unit name without `.service`; also the detached supervisor's name. */
  systemdUnit: string;
  launchdLabel: string;
  taskName: string;
}

/** `default` and empty mean no profile. */
export function normalizeProfile(profile: string | undefined): string | undefined {
  const p = profile?.trim();
  return p && p.toLowerCase() !== "default" ? p : undefined;
}

export function resolveServiceNames(env: Env): ServiceNames {
  const profile = normalizeProfile(env.OPENCLAW_PROFILE);
  const unit = env.OPENCLAW_SYSTEMD_UNIT?.trim().replace(/\.service$/, "");
  return {
    profile,
    systemdUnit: unit || (profile ? `openclaw-gateway-${profile}` : "openclaw-gateway"),
    launchdLabel: env.OPENCLAW_LAUNCHD_LABEL?.trim() || (profile ? `bot.molt.${profile}` : "bot.molt.openclaw"),
    taskName: env.OPENCLAW_WINDOWS_TASK_NAME?.trim() || (profile ? `OpenClaw Gateway (${profile})` : "OpenClaw Gateway"),
  };
}

/** `OpenClaw Gateway (profile: <p>, v<version>)`, parts omitted when absent. */
export function serviceDescription(profile: string | undefined, version: string | undefined): string {
  const parts = [profile ? `profile: ${profile}` : undefined, version ? `v${version}` : undefined].filter(Boolean);
  return parts.length ? `OpenClaw Gateway (${parts.join(", ")})` : "OpenClaw Gateway";
}

/** Names that identify a gateway install of ours, OpenClaw's or an older product's. */
export const GATEWAY_NAME_PATTERNS = {
  systemd: /^(openclaw-gateway(-[A-Za-z0-9_-]+)?|clawdbot-gateway|moltbot-gateway)$/,
  launchd: /^(bot\.molt\.[A-Za-z0-9_-]+|ai\.openclaw\.(gateway|[A-Za-z0-9_-]+)|com\.clawdbot\.gateway|com\.steipete\.clawdbot\.gateway)$/,
  schtasks: /^(OpenClaw Gateway( \([^)]+\))?|Clawdbot Gateway|Moltbot Gateway)$/,
} as const;

/** Legacy names (older products): reported by `--deep`, cleaned up by doctor. */
export function isLegacyServiceName(name: string): boolean {
  return /clawdbot|moltbot/.test(name) || name === "bot.molt.gateway";
}
