/** `openclaw models auth order set` (see auth.ts). */
export { orderSet as run } from "./auth.js";
