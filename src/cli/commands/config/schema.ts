/** `openclaw config schema` — the JSON Schema generated from the one config schema. */
import { loadConfigRuntime } from "../../../config/index.js";
import type { CommandHandler } from "../../types.js";

export const run: CommandHandler = async () => {
  const { configJsonSchema } = await loadConfigRuntime();
  const schema = configJsonSchema();
  return { data: schema, human: JSON.stringify(schema, null, 2) };
};
