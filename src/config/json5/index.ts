/** Config's JSON5 face: in-place edits here; the position-keeping parser is pure and lives in shared/ (the Control UI parses with it too). */

export {
  createLineIndex,
  findMember,
  type Json5ArrayNode,
  type Json5Member,
  type Json5Node,
  type Json5ObjectNode,
  type Json5ScalarNode,
  Json5SyntaxError,
  type Json5Value,
  lineColumnAt,
  MAX_JSON5_DEPTH,
  nodeToValue,
  parseJson5,
  parseJson5Tree,
} from "../../shared/index.js";
export * from "./edit.js";
