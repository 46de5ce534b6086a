/**
 * The agents subsystem's RPC for agents, workspace files, identity and session edits. Config edits
 * go through the config editor and are then adopted with `core.reload()`, so the answer reflects
 * the running config. Workspaces are created (bootstrap files) but never deleted.
 */
import path from "node:path";
import {
  addAgentToConfig,
  deleteSession,
  ensureWorkspace,
  findAgent,
  listWorkspaceFiles,
  normalizeAgentId,
  patchSession,
  previewSession,
  type ResolvedAgent,
  readWorkspaceFile,
  removeAgentFromConfig,
  resetSession,
  resolveAgentIdentity,
  resolveAgents,
  updateAgentInConfig,
  writeWorkspaceFile,
} from "../../../agent/index.js";
import { hasScope } from "../../../protocol/index.js";
import { AppError } from "../../../shared/index.js";
import { loadSessionStore } from "../../../storage/index.js";
import type { GatewayCore, HandlerContext, MethodHandlers } from "../../subsystem.js";

/** The agent a session key names (`agent:<id>:…`), if any. */
export function agentIdFromSessionKey(key: string | undefined): string | undefined {
  const m = key ? /^agent:([^:]+):/.exec(key) : null;
  return m ? normalizeAgentId(m[1]!) : undefined;
}

/** A workspace named over RPC must not depend on the gateway's working directory. */
function checkWorkspacePath(workspace: string | undefined): void {
  if (workspace === undefined || path.isAbsolute(workspace) || workspace === "~" || workspace.startsWith("~/")) return;
  throw new AppError("USAGE", `workspace "${workspace.slice(0, 200)}" is relative`, { hint: "Pass an absolute path or one starting with ~/." });
}

function resolveOptions(core: GatewayCore) {
  return { config: core.runningConfig(), layout: core.paths.layout, env: core.env };
}

/** The agent `id` names (the default agent when undefined); NOT_FOUND listing the configured ones. */
export function agentOrThrow(core: GatewayCore, id: string | undefined): ResolvedAgent {
  const options = resolveOptions(core);
  if (id === undefined) return resolveAgents(options).find((a) => a.isDefault)!;
  const agent = findAgent(options, id);
  if (!agent) {
    const known = resolveAgents(options).map((a) => a.id);
    throw new AppError("NOT_FOUND", `agent "${id.slice(0, 64)}" is not configured`, { hint: `Configured agents: ${known.join(", ")}.` });
  }
  return agent;
}

/** Paths on the gateway host are for admin-scoped callers only (as in `status`). */
function isAdmin(ctx: HandlerContext): boolean {
  return hasScope(ctx.caller.scopes, "operator.admin");
}

function publicAgent(a: ResolvedAgent, admin: boolean) {
  const identity = resolveAgentIdentity(a);
  return {
    id: a.id,
    ...(a.name ? { name: a.name } : {}),
    isDefault: a.isDefault,
    ...(admin ? { workspace: a.workspace, agentDir: a.agentDir } : {}),
    model: a.model,
    identity: { name: identity.name, emoji: identity.emoji, theme: identity.theme, avatar: identity.avatar },
  };
}

/** Handlers bound to a core getter (the subsystem's `core`, valid while it runs). */
export function agentMethods(core: () => GatewayCore): MethodHandlers {
  const edit = () => ({ configPath: core().paths.configPath, env: core().env, layout: core().paths.layout });
  const sessionAgent = (p: { agentId?: string | undefined; key?: string }) => agentOrThrow(core(), p.agentId ?? agentIdFromSessionKey(p.key));
  return {
    "agents.list": (_p, ctx) => {
      const agents = resolveAgents(resolveOptions(core()));
      const admin = isAdmin(ctx);
      return { defaultId: agents.find((a) => a.isDefault)!.id, mainKey: "main", scope: "per-sender", agents: agents.map((a) => publicAgent(a, admin)) };
    },
    "agents.create": async (p) => {
      checkWorkspacePath(p.workspace);
      const agentId = p.agentId !== undefined ? p.agentId : normalizeAgentId(p.name);
      if (!agentId) throw new AppError("USAGE", `cannot derive an agent id from name "${p.name.slice(0, 64)}"`, { hint: "Pass agentId (lowercase letters, digits, - and _)." });
      const identity = p.emoji || p.avatar ? { ...(p.emoji ? { emoji: p.emoji } : {}), ...(p.avatar ? { avatar: p.avatar } : {}) } : undefined;
      await addAgentToConfig(agentId, { name: p.name, workspace: p.workspace, model: p.model, identity }, edit());
      await core().reload();
      const agent = agentOrThrow(core(), agentId);
      const bootstrap = ensureWorkspace(agent);
      return { ok: true, agentId, name: p.name, workspace: agent.workspace, agentDir: agent.agentDir, bootstrap: { created: bootstrap.created, skipped: bootstrap.skipped } };
    },
    "agents.update": async (p) => {
      const { agentId, ...fields } = p;
      checkWorkspacePath(fields.workspace);
      const id = agentOrThrow(core(), agentId).id;
      await updateAgentInConfig(id, fields, edit());
      await core().reload();
      return { ok: true, agentId: id, agent: publicAgent(agentOrThrow(core(), id), true) };
    },
    "agents.delete": async (p) => {
      if (p.deleteFiles === true) {
        throw new AppError("USAGE", "agents.delete never deletes files; the workspace and agent state stay on disk", { hint: "Omit deleteFiles (or pass false) and remove the directories yourself if you want them gone." });
      }
      const agent = agentOrThrow(core(), p.agentId);
      const removal = await removeAgentFromConfig(agent.id, { ...edit(), force: p.force === true });
      await core().reload();
      return { ok: true, agentId: agent.id, wasDefault: removal.wasDefault, retained: { workspace: agent.workspace, agentDir: agent.agentDir, sessionsDir: agent.sessionsDir } };
    },
    "agents.files.list": (p, ctx) => {
      const agent = agentOrThrow(core(), p.agentId);
      const admin = isAdmin(ctx);
      const files = listWorkspaceFiles(agent.workspace).map(({ path, ...f }) => (admin ? { ...f, path } : f));
      return { agentId: agent.id, workspace: admin ? agent.workspace : "[redacted]", files };
    },
    "agents.files.get": (p, ctx) => {
      const agent = agentOrThrow(core(), p.agentId);
      const { path, ...file } = readWorkspaceFile(agent.workspace, p.name);
      const admin = isAdmin(ctx);
      return { agentId: agent.id, workspace: admin ? agent.workspace : "[redacted]", file: { ...file, ...(admin ? { path } : {}), missing: false } };
    },
    "agents.files.set": (p) => {
      const agent = agentOrThrow(core(), p.agentId);
      const file = writeWorkspaceFile(agent.workspace, p.name, p.content);
      return { ok: true, agentId: agent.id, workspace: agent.workspace, file: { ...file, missing: false } };
    },
    "agent.identity.get": (p) => resolveAgentIdentity(agentOrThrow(core(), p.agentId ?? agentIdFromSessionKey(p.sessionKey))),
    "sessions.preview": (p) => {
      const limit = p.limit ?? 12;
      const maxChars = p.maxChars ?? 240;
      const stores = new Map<string, ReturnType<typeof loadSessionStore>>();
      const previews = p.keys.slice(0, 64).map((key) => {
        const agent = sessionAgent({ agentId: p.agentId, key });
        const storeFile = core().paths.layout.sessionStoreFile(agent.id);
        let loaded = stores.get(storeFile);
        if (!loaded) {
          loaded = loadSessionStore(storeFile);
          if (loaded.problem && !loaded.foreign) throw new AppError("UNAVAILABLE", `${storeFile} is ${loaded.problem}`, { hint: "Restore it from a backup, or move it aside to start a fresh store." });
          stores.set(storeFile, loaded);
        }
        const entry = loaded.entries[key];
        if (!entry) return { key, status: "missing", items: [] };
        const r = previewSession(storeFile, entry, limit, maxChars);
        return { key, status: r.status, items: r.items.map(({ role, text }) => ({ role, text })) };
      });
      return { ts: Date.now(), previews };
    },
    "sessions.patch": async (p) => {
      const { key, agentId, ...patch } = p;
      const agent = sessionAgent({ agentId, key });
      const entry = await patchSession(core().paths.layout.sessionStoreFile(agent.id), key, patch, Date.now());
      return { ok: true, key, agentId: agent.id, entry };
    },
    "sessions.reset": async (p) => {
      const agent = sessionAgent(p);
      const { key: _k, sessionId: _s, ...r } = await resetSession(core().paths.layout.sessionStoreFile(agent.id), p.key, Date.now());
      return { ok: true, key: p.key, agentId: agent.id, reason: p.reason ?? "reset", ...r };
    },
    "sessions.delete": async (p) => {
      const agent = sessionAgent(p);
      const { key: _k, ...r } = await deleteSession(core().paths.layout.sessionStoreFile(agent.id), p.key, Date.now(), { keepTranscript: p.deleteTranscript === false });
      return { ok: true, key: p.key, agentId: agent.id, ...r };
    },
  };
}
