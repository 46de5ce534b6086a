/** A recording `Exec` for service backends: every call is kept, answers come from `respond`. */
import type { Exec, ExecResult } from "../../src/service/index.js";

export interface Call {
  command: string;
  args: string[];
}

/** An Exec that records every call and answers from `respond` (code 0 and empty output by default). */
export function recordingExec(respond: (command: string, args: string[]) => Partial<ExecResult> = () => ({})): { exec: Exec; calls: Call[] } {
  const calls: Call[] = [];
  const exec: Exec = (command, args) => {
    calls.push({ command, args: [...args] });
    return { code: 0, stdout: "", stderr: "", ...respond(command, args) };
  };
  return { exec, calls };
}
