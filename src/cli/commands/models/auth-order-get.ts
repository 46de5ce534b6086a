/** `openclaw models auth order get` (see auth.ts). */
export { orderGet as run } from "./auth.js";
