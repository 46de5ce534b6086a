/** Options several command groups share (types only: the command table must stay import-free). */
import type { OptionSpec } from "./types.js";

export const json: OptionSpec = { name: "json", type: "boolean", description: "Print one JSON value on stdout" };
/** Shared by every command that talks to the gateway (same as cli/rpc.ts RPC_OPTIONS, kept import-free). */
export const rpc: OptionSpec[] = [
  { name: "url", type: "string", value: "<ws-url>", description: "Gateway URL (then pass --token or --password explicitly)" },
  { name: "token", type: "string", value: "<token>", description: "Gateway token" },
  { name: "password", type: "string", value: "<password>", description: "Gateway password" },
  { name: "timeout", type: "number", value: "<ms>", description: "Timeout for connecting and each call (default 10000)" },
];
