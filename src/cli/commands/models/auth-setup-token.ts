/** `openclaw models auth setup token` (see auth.ts). */
export { setupToken as run } from "./auth.js";
