/** `openclaw models fallbacks add` (see fallbacks.ts). */
export { add as run } from "./fallbacks.js";
