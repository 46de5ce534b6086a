/** `openclaw models auth add` (see auth.ts). */
export { add as run } from "./auth.js";
