export * from "./parse.js";
export * from "./edit.js";
