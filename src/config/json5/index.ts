export * from "./edit.js";
export * from "./parse.js";
