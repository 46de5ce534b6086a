/** `openclaw models auth list` (see auth.ts). */
export { list as run } from "./auth.js";
