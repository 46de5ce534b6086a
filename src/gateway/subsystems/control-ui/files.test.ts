import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { acceptsHtml, bundledControlUiRoot, isHashedAsset, normalizeBasePath, relativeFileOf } from "./files.js";

describe("control UI files", () => {
  test("basePath: trimmed, leading slash added, trailing slashes dropped, / and empty are the root", () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, ""],
      ["", ""],
      ["/", ""],
      ["  ", ""],
      ["openclaw", "/openclaw"],
      [" /openclaw/ ", "/openclaw"],
      ["/a/b//", "/a/b"],
    ];
    for (const [raw, want] of cases) assert.equal(normalizeBasePath(raw), want, String(raw));
  });

  test("the bundled root is the package's dist/control-ui (from src/ here; the built CLI is checked by hand in the report)", () => {
    assert.equal(bundledControlUiRoot(), path.resolve(import.meta.dirname, "../../../../dist/control-ui"));
  });

  test("paths map to files; unsafe or precompressed ones map to nothing", () => {
    assert.equal(relativeFileOf("/"), "index.html");
    assert.equal(relativeFileOf(""), "index.html");
    assert.equal(relativeFileOf("/assets/app-1234abcd.js"), "assets/app-1234abcd.js");
    assert.equal(relativeFileOf("/chat/assets/app-1234abcd.js"), "assets/app-1234abcd.js");
    assert.equal(relativeFileOf("/favicon%2Esvg"), "favicon.svg");
    for (const bad of ["/%2e%2e/x", "/assets/../x", "/a/%2E%2E/%2e%2e/x", "/a%5c..%5cx", "/%00", "/%E0%A4%A", "/assets/app.js.gz", "/x.br"]) assert.equal(relativeFileOf(bad), undefined, bad);
  });

  test("Accept: HTML allowed by no header, */*, text/*, text/html with q>0; refused by q=0 or other types", () => {
    for (const ok of [undefined, "", "*/*", "text/html", "text/html;q=0.1", "application/json, text/*;q=0.2"]) assert.equal(acceptsHtml(ok), true, String(ok));
    for (const no of ["application/json", "text/html;q=0", "text/html;q=0, */*", "image/*"]) assert.equal(acceptsHtml(no), false, no);
  });

  test("only fingerprinted files under assets/ are immutable", () => {
    assert.equal(isHashedAsset("assets/index-AbC123xy.js"), true);
    assert.equal(isHashedAsset("assets/chunks/lit-0123456789.css"), true);
    assert.equal(isHashedAsset("assets/index.js"), false);
    assert.equal(isHashedAsset("index-AbC123xy.js"), false);
    assert.equal(isHashedAsset("index.html"), false);
  });
});
