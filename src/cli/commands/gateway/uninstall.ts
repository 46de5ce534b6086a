/** `openclaw gateway uninstall` — stop the service and remove its definition. State, config and logs stay. */
import type { CommandHandler } from "../../types.js";
import { serviceFailure, serviceSetup } from "./service-common.js";

export const run: CommandHandler = async (ctx) => {
  const setup = serviceSetup(ctx);
  const { manager, name } = setup;
  const installed = manager.readInstalled(name);
  if (!installed) {
    return { data: { action: "not-installed", name, kind: manager.kind }, human: `${name} is not installed (${manager.label}); nothing to do` };
  }
  let removed: string[];
  try {
    removed = await manager.remove(name);
  } catch (error) {
    throw serviceFailure(setup, "removing", error);
  }
  const keep = installed.envFile ? [`kept ${installed.envFile} (secrets env file; delete it yourself if unused)`] : [];
  return {
    data: { action: "uninstalled", name, kind: manager.kind, removed, kept: installed.envFile ? [installed.envFile] : [] },
    human: [`uninstalled ${name} (${manager.label})`, ...removed.map((f) => `  removed ${f}`), ...keep.map((k) => `  ${k}`), "state dir, config and logs are untouched"],
  };
};
