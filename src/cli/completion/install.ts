/**
 * Completion caching and profile install, as OpenClaw does it: scripts cached under
 * `<state>/completions/openclaw.<shell>`, and the shell's profile given a `# OpenClaw Completion`
 * block that sources the cache. The profile is rewritten atomically (a failed write leaves it
 * byte-identical); an older block or a slow `source <(openclaw completion …)` line is replaced; a
 * line the user manages that already sources the cache is left alone.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { Shell } from "./model.js";

export const PROFILE_MARKER = "# OpenClaw Completion";

/** Where the cached script for `shell` lives. */
export function cachePath(stateDir: string, shell: Shell): string {
  return path.join(stateDir, "completions", `openclaw.${shell}`);
}

/** The profile file completion is installed into (OpenClaw's table). */
export function profilePath(shell: Shell, env: Record<string, string | undefined>, home: string): string {
  if (shell === "fish") return path.join(home, ".config", "fish", "config.fish");
  if (shell === "zsh") return env.ZDOTDIR !== undefined ? path.join(env.ZDOTDIR || "/", ".zshrc") : path.join(home, ".zshrc");
  const bashrc = path.join(home, ".bashrc");
  return existsSync(bashrc) || !existsSync(path.join(home, ".bash_profile")) ? bashrc : path.join(home, ".bash_profile");
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fishq = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The line that sources the cache. */
export function sourceLine(shell: Shell, cache: string): string {
  return shell === "fish" ? `test -f ${fishq(cache)}; and source ${fishq(cache)}` : `[ -f ${sq(cache)} ] && source ${sq(cache)}`;
}

export interface InstallResult {
  profile: string;
  changed: boolean;
  /** The previous profile, kept beside it, when there was one. */
  backup?: string;
  /** Why nothing changed, when it did not. */
  reason?: "already-installed" | "user-managed";
}

/** Adds (or refreshes) the completion block in the shell's profile. */
export function installCompletion(o: { shell: Shell; stateDir: string; env: Record<string, string | undefined>; home: string }): InstallResult {
  const cache = cachePath(o.stateDir, o.shell);
  if (!existsSync(cache)) {
    throw new AppError("NOT_FOUND", `no cached ${o.shell} completion script at ${cache}`, { hint: `openclaw completion --shell ${o.shell} --write-state --install` });
  }
  const profile = profilePath(o.shell, o.env, o.home);
  const before = existsSync(profile) ? readFileSync(profile, "utf8") : "";
  const lines = before.split("\n");
  const out: string[] = [];
  const wanted = sourceLine(o.shell, cache);
  const managedByUser = lines.some((l, i) => l.includes("openclaw.") && l.includes("completions") && /\bsource\b|^\s*\.\s/.test(l) && lines[i - 1] !== PROFILE_MARKER && l !== wanted);
  if (managedByUser) return { profile, changed: false, reason: "user-managed" };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === PROFILE_MARKER) {
      i++; // The block is the marker and the line after it.
      continue;
    }
    if (/source\s+<\(\s*openclaw\s+completion\b/.test(line) || /openclaw\s+completion\b.*\|\s*source\b/.test(line)) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  const after = `${out.length ? `${out.join("\n")}\n\n` : ""}${PROFILE_MARKER}\n${wanted}\n`;
  if (after === before) return { profile, changed: false, reason: "already-installed" };
  const existed = existsSync(profile);
  try {
    writeFileAtomic(profile, after, { mode: existed ? statSync(profile).mode & 0o777 : 0o644, backup: existed });
  } catch (error) {
    throw new AppError("FS", `could not update ${profile}: ${(error as Error).message}`, {
      hint: `the profile is unchanged; load completion for this session with: source ${sq(cache)}`,
    });
  }
  return { profile, changed: true, ...(existed ? { backup: `${profile}.bak` } : {}) };
}
