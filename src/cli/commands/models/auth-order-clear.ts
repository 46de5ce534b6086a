/** `openclaw models auth order clear` (see auth.ts). */
export { orderClear as run } from "./auth.js";
