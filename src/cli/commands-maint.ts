/**
 * The maintenance part of the command table (issue 18 items 5–6): `backup schedule`. Loaders only;
 * the handler reads and writes `<state>/backup/schedule.json`, which the running gateway picks up.
 */
import { json } from "./command-options.js";
import type { CommandSpec } from "./types.js";

/** `openclaw backup schedule …`. */
export function maintenanceCommands(): CommandSpec[] {
  return [
    {
      path: ["backup", "schedule"],
      summary: "Show or set the gateway's backup schedule (backup create + verify, then keep the newest N archives)",
      description:
        "Without flags: shows the schedule and the last run. The schedule lives in <state>/backup/schedule.json (not in openclaw.json) and the running gateway applies a change within a second, no restart. Each run writes openclaw-<time>.tar.gz into the output dir, verifies it, then removes the oldest verified archives beyond --keep (other files are never touched); the result is in <state>/backup/last-run.json, shown by status and doctor.",
      options: [
        { name: "every", type: "string", value: "<duration>", description: "Interval: 24h, 12h, 7d (at least 1s)" },
        { name: "keep", type: "number", value: "<n>", description: "Archives to keep (default 7)" },
        { name: "output-dir", type: "string", value: "<dir>", description: "Where archives go (default ~/openclaw-backups)" },
        { name: "off", type: "boolean", description: "Stop scheduled backups (archives stay)" },
        json,
      ],
      load: () => import("./commands/backup/schedule.js"),
      examples: ["openclaw backup schedule --every 24h --keep 7", "openclaw backup schedule --every 12h --keep 14 --output-dir /mnt/backup/openclaw", "openclaw backup schedule", "openclaw backup schedule --off"],
    },
  ];
}
