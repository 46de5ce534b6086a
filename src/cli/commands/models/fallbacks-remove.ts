/** `openclaw models fallbacks remove` (see fallbacks.ts). */
export { remove as run } from "./fallbacks.js";
