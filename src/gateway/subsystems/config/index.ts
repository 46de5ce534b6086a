/** The config subsystem: `config.get|set|apply|patch|schema` over the file the gateway runs from. */
import type { MethodHandlers, Subsystem, SubsystemContext } from "../../subsystem.js";
import { type ConfigRpcState, configGet, configSchema, configWrite } from "./rpc.js";

export class ConfigSubsystem implements Subsystem {
  readonly name = "config";
  private state: ConfigRpcState | undefined;

  readonly methods: MethodHandlers = {
    "config.get": () => configGet(this.rpc()),
    "config.set": (p, ctx) => configWrite(this.rpc(), "set", p, ctx.caller.ip, ctx.log),
    "config.apply": (p, ctx) => configWrite(this.rpc(), "apply", p, ctx.caller.ip, ctx.log),
    "config.patch": (p, ctx) => configWrite(this.rpc(), "patch", p, ctx.caller.ip, ctx.log),
    "config.schema": () => configSchema(),
  };

  start(ctx: SubsystemContext): void {
    this.state = { core: ctx.core, knownInputs: new Map(), writesByIp: new Map() };
  }

  stop(): void {
    this.state?.writesByIp.clear();
  }

  private rpc(): ConfigRpcState {
    if (!this.state) throw new Error("config subsystem not started");
    return this.state;
  }
}
