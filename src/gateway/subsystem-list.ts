/**
 * Which subsystems a gateway runs, how they are wired to each other (ports, never imports of each
 * other's internals), and in what order: started in list order, stopped in reverse. A new runtime
 * capability is one more entry here.
 */
import type { GatewayOptions } from "./options.js";
import type { Subsystem } from "./subsystem.js";
import { AgentsSubsystem } from "./subsystems/agents/index.js";
import { ChannelsSubsystem } from "./subsystems/channels/index.js";
import { ConfigSubsystem } from "./subsystems/config/index.js";
import { ControlUiSubsystem } from "./subsystems/control-ui/index.js";
import { CronSubsystem } from "./subsystems/cron/index.js";
import { HealthSubsystem } from "./subsystems/health/index.js";
import { HeartbeatSubsystem } from "./subsystems/heartbeat/index.js";
import { HooksSubsystem } from "./subsystems/hooks/index.js";
import { LogsSubsystem } from "./subsystems/logs/index.js";
import { MaintenanceSubsystem } from "./subsystems/maintenance/index.js";
import { MemorySubsystem } from "./subsystems/memory/index.js";
import { PresenceSubsystem } from "./subsystems/presence/index.js";

/** The subsystems, in start order, and the two the core talks to directly. */
export interface SubsystemSet {
  list: Subsystem[];
  presence: PresenceSubsystem;
  channels: ChannelsSubsystem;
}

export function createSubsystems(options: GatewayOptions): SubsystemSet {
  const presence = new PresenceSubsystem();
  const memory = new MemorySubsystem();
  // Late-bound: the agents' webchat port is the channels subsystem's, created next.
  let channels: ChannelsSubsystem | undefined;
  const agents = new AgentsSubsystem({ webchat: () => channels!.webchat, memory: () => memory.port() });
  channels = new ChannelsSubsystem({ runs: () => agents.runs, ...(options.channelPlugins ? { plugins: options.channelPlugins } : {}) });
  const heartbeat = new HeartbeatSubsystem({ runs: () => agents.runs, events: presence, deliver: (channel, accountId, to, text) => (channels!.manager ? channels!.manager.send(channel, accountId, to, text) : Promise.reject(new Error("channels are not running"))) });
  const hooks = new HooksSubsystem({ runs: () => agents.runs, presence: () => presence, channels: () => channels!.manager });
  const cron = new CronSubsystem({ enqueue: (e) => presence.enqueue(e), runs: () => agents.runs, send: (req) => channels!.send(req) });
  // Channels start after the agent runtime (inbound needs it) and stop before it; heartbeats, hooks and cron after both.
  const list: Subsystem[] = [new LogsSubsystem(), new ConfigSubsystem(), presence, agents, memory, channels, heartbeat, hooks, cron, new HealthSubsystem(), new MaintenanceSubsystem(), ...(options.subsystems ?? []), new ControlUiSubsystem()];
  return { list, presence, channels };
}
