/** `openclaw models fallbacks clear` (see fallbacks.ts). */
export { clear as run } from "./fallbacks.js";
