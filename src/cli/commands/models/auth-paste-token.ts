/** `openclaw models auth paste token` (see auth.ts). */
export { pasteToken as run } from "./auth.js";
