/** `openclaw models fallbacks list` (see fallbacks.ts). */
export { list as run } from "./fallbacks.js";
