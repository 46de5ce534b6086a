import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isSecretKey, maskSecret, redactText, redactValue } from "./redact.js";

/** Asserts that none of `secrets` appears verbatim in `output`. */
function assertNoSecret(output: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert.ok(!output.includes(secret), `raw secret ${JSON.stringify(secret)} leaked in ${JSON.stringify(output)}`);
  }
}

// Fake secrets, long enough to be partially kept by maskSecret (first 6 + last 4).
const GATEWAY_TOKEN = "a3f9c2e7b1d04f6a8c5e2b9d7f1a3c6e";
const JSON_API_KEY = "q9W8e7R6t5Y4u3I2o1P0asdf";
const CLI_TOKEN = "tok_4f8a2c9e1b7d3f6a0c5e";
const BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dGVzdHNpZw";
const PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
const OPENAI_KEY = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv";
const GITHUB_PAT = "ghp_1234567890abcdefghijABCDEFGHIJ0123";
const SLACK_BOT = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
const GOOGLE_KEY = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
const TELEGRAM = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/** An env-var reference `${NAME}` (built by concatenation to keep the linter's template check quiet). */
function ref(name: string): string {
  return "$" + "{" + name + "}";
}

describe("maskSecret", () => {
  test("values shorter than 18 characters become ***", () => {
    assert.equal(maskSecret(""), "***");
    assert.equal(maskSecret("abc"), "***");
    assert.equal(maskSecret("a".repeat(17)), "***");
  });

  test("values of 18+ characters keep the first 6 and last 4", () => {
    assert.equal(maskSecret("abcdefghijklmnopqr"), "abcdef…opqr");
    assert.equal(maskSecret(GATEWAY_TOKEN), "a3f9c2…3c6e");
    assertNoSecret(maskSecret(GATEWAY_TOKEN), GATEWAY_TOKEN);
  });
});

describe("redactText: secrets", () => {
  test("env-style assignment", () => {
    const out = redactText(`OPENCLAW_GATEWAY_TOKEN=${GATEWAY_TOKEN}`);
    assert.equal(out, "OPENCLAW_GATEWAY_TOKEN=a3f9c2…3c6e");
    assertNoSecret(out, GATEWAY_TOKEN);
    const quoted = redactText(`export OPENCLAW_GATEWAY_TOKEN="${GATEWAY_TOKEN}"`);
    assertNoSecret(quoted, GATEWAY_TOKEN);
    assert.ok(quoted.startsWith("export OPENCLAW_GATEWAY_TOKEN="));
    assert.equal(redactText("DISCORD_BOT_TOKEN=short"), "DISCORD_BOT_TOKEN=***");
  });

  test("JSON fields", () => {
    const out = redactText(`{"apiKey":"${JSON_API_KEY}","mode":"local"}`);
    assert.equal(out, '{"apiKey":"q9W8e7…asdf","mode":"local"}');
    assertNoSecret(out, JSON_API_KEY);
    const spaced = redactText(`{"botToken": "${JSON_API_KEY}", "password": "hunter2hunter2"}`);
    assertNoSecret(spaced, JSON_API_KEY, "hunter2hunter2");
    assert.ok(spaced.includes('"password": "***"'));
  });

  test("CLI flags", () => {
    for (const input of [`--token ${CLI_TOKEN}`, `--token=${CLI_TOKEN}`, `--token '${CLI_TOKEN}'`, `--api-key "${CLI_TOKEN}"`]) {
      const out = redactText(`openclaw gateway ${input} --port 18789`);
      assertNoSecret(out, CLI_TOKEN);
      assert.ok(out.includes("tok_4f…0c5e"), out);
      assert.ok(out.endsWith("--port 18789"), out);
    }
    assert.equal(redactText("--token xyz"), "--token ***");
  });

  test("Authorization: Bearer headers", () => {
    const out = redactText(`Authorization: Bearer ${BEARER}`);
    assert.equal(out, "Authorization: Bearer eyJhbG…NpZw");
    assertNoSecret(out, BEARER);
    assertNoSecret(redactText(`authorization=bearer ${BEARER}`), BEARER);
  });

  test("PEM private key blocks keep only the header and footer", () => {
    for (const kind of ["PRIVATE KEY", "RSA PRIVATE KEY", "OPENSSH PRIVATE KEY"]) {
      const pem = `-----BEGIN ${kind}-----\n${PEM_BODY}\nAAAABBBBCCCCDDDD\n-----END ${kind}-----`;
      const out = redactText(`key file:\n${pem}\ntrailing`);
      assert.equal(out, `key file:\n-----BEGIN ${kind}-----…redacted…-----END ${kind}-----\ntrailing`);
      assertNoSecret(out, PEM_BODY, "AAAABBBBCCCCDDDD");
    }
  });

  test("well-known token prefixes", () => {
    const cases: Array<[string, string]> = [
      [OPENAI_KEY, "sk-ant…StUv"],
      [GITHUB_PAT, "ghp_12…0123"],
      [SLACK_BOT, "xoxb-1…UvWx"],
      [GOOGLE_KEY, "AIzaSy…5p6Q"],
    ];
    for (const [secret, masked] of cases) {
      const out = redactText(`using ${secret} now`);
      assert.equal(out, `using ${masked} now`);
      assertNoSecret(out, secret);
    }
  });

  test("Telegram bot tokens", () => {
    const out = redactText(`telegram token ${TELEGRAM} rejected`);
    assert.equal(out, "telegram token 123456…Dsaw rejected");
    assertNoSecret(out, TELEGRAM, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
  });

  test("Discord bot tokens (id part, timestamp and HMAC all hidden, low-entropy parts included)", () => {
    const token = "MTEwMDAwMDAwMDAwMDAwMDAx.Gplant.abcdefghijklmnopqrstuvwxyz0123456789AB";
    const out = redactText(`discord login with ${token} refused`);
    assert.equal(out, "discord login with MTEwMD…89AB refused");
    assertNoSecret(out, token, "MTEwMDAwMDAwMDAwMDAwMDAx", "abcdefghijklmnopqrstuvwxyz0123456789AB");
  });

  test("Telegram bot tokens inside a Bot API URL", () => {
    const out = redactText(`fetch failed: https://api.telegram.org/bot${TELEGRAM}/getMe`);
    assertNoSecret(out, TELEGRAM, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
  });

  test("short secrets that also occur in the key name are still masked", () => {
    const cases: Array<[string, string]> = [
      ['{"password":"pass"}', '{"password":"***"}'],
      ["password: pass", "password: ***"],
      ["PASSWORD=PASS", "PASSWORD=***"],
      ["--password password", "--password ***"],
    ];
    for (const [input, expected] of cases) assert.equal(redactText(input), expected);
  });

  test("redactText is idempotent on already-masked values", () => {
    for (const input of [`{"apiKey":"${JSON_API_KEY}"}`, `--token ${CLI_TOKEN}`, `OPENCLAW_GATEWAY_TOKEN=${GATEWAY_TOKEN}`]) {
      const once = redactText(input);
      assert.equal(redactText(once), once);
    }
  });

  test("literals option masks known secrets anywhere", () => {
    const literal = "my-very-own-gateway-secret-value";
    const out = redactText(`connecting with ${literal} to ws://host?x=${literal}`, { literals: [literal] });
    assert.equal(out, "connecting with my-ver…alue to ws://host?x=my-ver…alue");
    assertNoSecret(out, literal);
    assert.equal(redactText("pin 7g3k here", { literals: ["7g3k"] }), "pin *** here");
    // Literals shorter than 4 characters are ignored (they would mangle ordinary text).
    assert.equal(redactText("abc abc", { literals: ["abc"] }), "abc abc");
  });
});

describe("redactText: leaves ordinary text alone", () => {
  test("env references in env-style assignments", () => {
    for (const input of [`OPENCLAW_GATEWAY_TOKEN=${ref("OPENCLAW_GATEWAY_TOKEN")}`, `apiKey: "${ref("OPENAI_API_KEY")}"`, `token: ${ref("GW_TOKEN")}`]) {
      assert.equal(redactText(input), input);
    }
  });

  test("env references in JSON fields and CLI flags", () => {
    for (const input of [`{"token":"${ref("OPENCLAW_GATEWAY_TOKEN")}"}`, `--token ${ref("OPENCLAW_GATEWAY_TOKEN")}`]) {
      assert.equal(redactText(input), input);
    }
  });

  test("token counts, option names, ports, timestamps", () => {
    for (const input of [
      "tokens used: 42",
      "maxTokens: 8192",
      "maxTokens=8192",
      "contextTokens=200000 reserveTokensFloor=20000",
      "listening on ws://127.0.0.1:18789 (PID 123)",
      "2026-02-26T02:23:37.000Z done in 12ms",
      "no secrets here, just a sentence about keys and tokens.",
      "Bearer tokens are accepted",
      "task-runner started",
    ]) {
      assert.equal(redactText(input), input);
    }
  });

  test("ordinary prose mentioning basic auth or a key column", () => {
    for (const input of ["using basic authentication for the proxy", "primary key: user_id"]) {
      assert.equal(redactText(input), input);
    }
  });

  test("phones option masks E.164 numbers but not timestamps or ports", () => {
    const text = "send to +4915112345678 at 2026-02-26T02:23:37+01:00 via 127.0.0.1:18789, offset +0100";
    assert.equal(redactText(text), text);
    const out = redactText(text, { phones: true });
    assert.equal(out, "send to +49…78 at 2026-02-26T02:23:37+01:00 via 127.0.0.1:18789, offset +0100");
    assertNoSecret(out, "+4915112345678", "4915112345678");
  });
});

describe("isSecretKey", () => {
  test("secret and non-secret key names", () => {
    for (const key of ["apiKey", "api_key", "botToken", "password", "refreshToken", "accessToken", "clientSecret", "Authorization"]) {
      assert.equal(isSecretKey(key), true, key);
    }
    for (const key of ["maxTokens", "port", "mode", "tokens", "tokenCount", "publicKey", "monkey"]) {
      assert.equal(isSecretKey(key), false, key);
    }
  });

  test("plain `token` is a secret key", () => {
    assert.equal(isSecretKey("token"), true);
  });
});

describe("redactValue", () => {
  test("masks secret-keyed fields at any depth and keeps the others", () => {
    const input = {
      gateway: { mode: "local", port: 18789, auth: { password: "hunter2hunter2hunter2" } },
      models: { providers: { openai: { apiKey: "abcdefghijklmnopqrstuvwx", maxTokens: 8192 } } },
      channels: { telegram: { botToken: "plain-bot-token-value-123" }, slack: { refreshToken: "rt" } },
    };
    const out = redactValue(input);
    assert.deepEqual(out, {
      gateway: { mode: "local", port: 18789, auth: { password: "hunter…ter2" } },
      models: { providers: { openai: { apiKey: "abcdef…uvwx", maxTokens: 8192 } } },
      channels: { telegram: { botToken: "plain-…-123" }, slack: { refreshToken: "***" } },
    });
    assertNoSecret(JSON.stringify(out), "hunter2hunter2hunter2", "abcdefghijklmnopqrstuvwx", "plain-bot-token-value-123");
    // The input is not modified.
    assert.equal(input.gateway.auth.password, "hunter2hunter2hunter2");
  });

  test("masks a `token` field", () => {
    const out = JSON.stringify(redactValue({ gateway: { auth: { token: GATEWAY_TOKEN } } }));
    assertNoSecret(out, GATEWAY_TOKEN);
  });

  test("keeps env references and empty values under secret keys", () => {
    const input = { apiKey: ref("OPENAI_API_KEY"), password: "" };
    assert.deepEqual(redactValue(input), input);
  });

  test("strings under ordinary keys go through redactText", () => {
    const out = redactValue({ note: `started with OPENCLAW_GATEWAY_TOKEN=${GATEWAY_TOKEN}`, list: [OPENAI_KEY, "plain"] });
    assert.deepEqual(out, { note: "started with OPENCLAW_GATEWAY_TOKEN=a3f9c2…3c6e", list: ["sk-ant…StUv", "plain"] });
  });

  test("arrays: items under a secret key are masked, arrays of objects are walked", () => {
    const out = redactValue({ apiKey: ["abcdefghijklmnopqrstuv", "short"], accounts: [{ botToken: TELEGRAM, name: "main" }] });
    assert.deepEqual(out, { apiKey: ["abcdef…stuv", "***"], accounts: [{ botToken: "123456…Dsaw", name: "main" }] });
    assertNoSecret(JSON.stringify(out), "abcdefghijklmnopqrstuv", TELEGRAM);
  });

  test("literals option applies to every string", () => {
    const literal = "literal-secret-1234567890";
    const out = redactValue({ a: `x ${literal} y`, b: [literal] }, { literals: [literal] });
    assertNoSecret(JSON.stringify(out), literal);
  });

  test("cycles are cut", () => {
    const a: Record<string, unknown> = { name: "a", password: "cyclic-password-value-xyz" };
    a.self = a;
    a.list = [a];
    const out = redactValue(a) as Record<string, unknown>;
    assert.equal(out.self, "[circular]");
    assert.deepEqual(out.list, ["[circular]"]);
    const json = JSON.stringify(out);
    assertNoSecret(json, "cyclic-password-value-xyz");
  });

  test("a shared (non-cyclic) reference is copied, not reported as circular", () => {
    const shared = { port: 1 };
    assert.deepEqual(redactValue({ x: shared, y: shared }), { x: { port: 1 }, y: { port: 1 } });
  });

  test("Date values survive the copy", () => {
    const when = new Date("2026-02-26T02:23:37.000Z");
    assert.equal(JSON.stringify(redactValue({ when })), JSON.stringify({ when }));
  });

  test("Error objects become {name, message} with the message redacted", () => {
    const err = new TypeError(`request failed: Authorization: Bearer ${BEARER}`);
    const out = redactValue({ err, nested: [err] });
    assert.deepEqual(out, {
      err: { name: "TypeError", message: "request failed: Authorization: Bearer eyJhbG…NpZw" },
      nested: [{ name: "TypeError", message: "request failed: Authorization: Bearer eyJhbG…NpZw" }],
    });
    assertNoSecret(JSON.stringify(out), BEARER);
    assert.deepEqual(redactValue(new Error("x")), { name: "Error", message: "x" });
  });

  test("primitives pass through", () => {
    assert.equal(redactValue(42), 42);
    assert.equal(redactValue(null), null);
    assert.equal(redactValue(undefined), undefined);
    assert.equal(redactValue(true), true);
    assert.equal(redactValue("plain text"), "plain text");
  });

  test("no test secret survives anywhere in a mixed payload", () => {
    const all = [GATEWAY_TOKEN, JSON_API_KEY, CLI_TOKEN, BEARER, OPENAI_KEY, GITHUB_PAT, SLACK_BOT, GOOGLE_KEY, TELEGRAM];
    const payload = {
      password: GATEWAY_TOKEN,
      config: { apiKey: JSON_API_KEY, nested: { deeper: [{ refreshToken: CLI_TOKEN }] } },
      headers: { Authorization: `Bearer ${BEARER}` },
      text: `keys: ${OPENAI_KEY} ${GITHUB_PAT} ${SLACK_BOT} ${GOOGLE_KEY} tg ${TELEGRAM}`,
      err: new Error(`OPENCLAW_GATEWAY_TOKEN=${GATEWAY_TOKEN}`),
    };
    assertNoSecret(JSON.stringify(redactValue(payload)), ...all);
  });
});

describe("redactText: value shape (whatever the key name)", () => {
  // Each must-mask value appears in a line whose key name looks harmless, so only its shape can catch it.
  const MUST_MASK: Array<[string, string]> = [
    ["URL password", "postgres://app:Pg-Secr3t-Passw0rd-2026@db.internal:5432/app"],
    ["URL password with @ inside", "mysql://root:s3cr3t@pa55@db:3306/x"],
    ["query-string key", "https://api.example.com/v1?key=Zx81Lp0qWm4Rt7Yu&mode=1"],
    ["JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dGVzdHNpZ25hdHVyZQ"],
    ["Anthropic key", "sk-ant-api03-Qw3rTy7uIo9pAs1dFg5hJk"],
    ["Hugging Face token", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
    ["AWS access key id", "AKIAIOSFODNN7EXAMPLE"],
    ["Telegram bot token", "7712345678:AAF3xKq9Lm2Np7Rs4Tv8Wx1Yz5Bc6De0Fg"],
    ["Discord bot token", "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GxYzAb.Qw3rTy7uIo9pAs1dFg5hJk2lZx8cVb4nM6"],
    ["hex token (openssl rand -hex 24)", "9c1e5f7a3b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d"],
    ["64-hex token without a hash label", "4f1a9c2e7b3d8f6a0c5e9b1d7f3a2c6e8b4d0f9a1c3e5b7d9f2a4c6e8b0d1f3a"],
    ["base64 high-entropy", "Xk9mP2vL7qR4wT8nY3bZ6cF1hJ5sD0gA"],
    ["base64url high-entropy with separators", "tok-Q7wE9rT2yU4iO6pA8sD0fG3hJ5kL"],
  ];
  for (const [name, secret] of MUST_MASK) {
    test(`masks ${name}`, () => {
      const line = `connect failed: endpoint=${secret} (retrying)`;
      const out = redactText(line);
      assert.notEqual(out, line, name);
      const hidden = name.startsWith("URL") ? secret.slice(secret.indexOf(":", 10) + 1, secret.lastIndexOf("@")) : name.startsWith("query") ? "Zx81Lp0qWm4Rt7Yu" : secret;
      assertNoSecret(out, hidden);
      assert.ok(out.startsWith("connect failed: endpoint=") && out.endsWith(" (retrying)"), out);
    });
  }

  test("a URL keeps its scheme, user and host; only the password is masked", () => {
    assert.equal(redactText("DATABASE_URL=postgres://app:Pg-Secr3t-Passw0rd-2026@db.internal:5432/app"), "DATABASE_URL=postgres://app:Pg-Sec…2026@db.internal:5432/app");
    assert.equal(redactText("url: https://user:pw@example.com/x"), "url: https://user:***@example.com/x");
  });

  // Strings users need to read: identifiers, hashes printed as hashes, ids, paths, prose.
  const MUST_KEEP = [
    "connection 3f2c9a1e-7b4d-4e8a-9c6f-1a2b3c4d5e6f opened",
    'baseHash: "4f1a9c2e7b3d8f6a0c5e9b1d7f3a2c6e8b4d0f9a1c3e5b7d9f2a4c6e8b0d1f3a"',
    '{"hash":"4f1a9c2e7b3d8f6a0c5e9b1d7f3a2c6e8b4d0f9a1c3e5b7d9f2a4c6e8b0d1f3a"}',
    "sha256:4f1a9c2e7b3d8f6a0c5e9b1d7f3a2c6e8b4d0f9a1c3e5b7d9f2a4c6e8b0d1f3a",
    "token fingerprint sha256:4f1a9c2e",
    "model anthropic/claude-opus-4-1-20250805 and claude-3-5-sonnet-20241022",
    "env OPENCLAW_SKIP_CHANNELS_AND_PROVIDERS set",
    "/tmp/openclaw-home-Ab3dEf/.openclaw/agents/main/agent/auth-profiles.json",
    "gpt4oMiniSearchPreview2024 is the default",
    "environment variable BRAVE_API_KEY is empty (used by tools.web.search.apiKey)",
    "environment variable BRAVE_API_KEY is not set",
    "wrote openclaw-2026-02-26T02-23-37.123Z-backup.tar.gz (12345678 bytes)",
    "node_modules-esbuild-linux-x64 installed",
    "contextTokens200000reserve",
    "listening on ws://127.0.0.1:18789 and http://localhost:18789/healthz",
    "https://user@example.com/path",
    "12345678901234567890123456789",
  ];
  for (const line of MUST_KEEP) {
    test(`keeps ${JSON.stringify(line.slice(0, 48))}`, () => assert.equal(redactText(line), line));
  }

  test("a literal that is a plain word is masked only as a whole word (values, never words)", () => {
    const options = { literals: ["environment"] };
    const prose = "environment variable BRAVE_API_KEY is empty";
    assert.equal(redactText(prose, options), prose);
    assert.equal(redactText('pass="environment" sent', options), 'pass="***" sent');
    assert.equal(redactText("secretValue: environment", options), "secretValue: ***");
  });

  test("redactValue keeps digests under hash-like keys and masks a hex token under any other key", () => {
    const hex = "4f1a9c2e7b3d8f6a0c5e9b1d7f3a2c6e8b4d0f9a1c3e5b7d9f2a4c6e8b0d1f3a";
    const out = redactValue({ hash: hex, baseHash: hex, sha256: hex, files: [{ sha256: hex }], fingerprint: "sha256:4f1a9c2e", note: hex, env: { DATABASE_URL: "postgres://u:Pg-Secr3t-Passw0rd-2026@h/db" } });
    assert.deepEqual(out, {
      hash: hex,
      baseHash: hex,
      sha256: hex,
      files: [{ sha256: hex }],
      fingerprint: "sha256:4f1a9c2e",
      note: "4f1a9c…1f3a",
      env: { DATABASE_URL: "postgres://u:Pg-Sec…2026@h/db" },
    });
  });

  test("shape masking is idempotent", () => {
    for (const [, secret] of MUST_MASK) {
      const once = redactText(`x ${secret} y`);
      assert.equal(redactText(once), once);
    }
  });
});

test("redactText: a config-path label is not an assignment (values, never words)", () => {
  for (const line of [
    "openclaw.json:1:37: gateway.auth.token: environment variable OPENCLAW_GATEWAY_TOKEN is empty (used by gateway.auth.token)",
    "tools.web.search.apiKey: environment variable BRAVE_API_KEY is not set",
    "x.json:2:3: channels.telegram.botToken: Invalid input: expected string, received number",
    "channels.telegram.botToken: Required",
  ]) {
    assert.equal(redactText(line), line);
  }
  // Values are still masked: after `=`, without a dotted label, or when not a plain word.
  assert.equal(redactText("gateway.auth.token: hunter2"), "gateway.auth.token: ***");
  assert.equal(redactText("gateway.auth.token=hunter"), "gateway.auth.token=***");
  assert.equal(redactText("token: hunter"), "token: ***");
  assert.equal(redactText("apiKey: environment"), "apiKey: ***");
});

test("usage placeholders in hints stay readable; a real value after the same flag is still masked", () => {
  assert.equal(redactText("pass --token <token>, --token-file <path> or --use-env"), "pass --token <token>, --token-file <path> or --use-env");
  assert.equal(redactText("openclaw channels add --token <bot-token>"), "openclaw channels add --token <bot-token>");
  const masked = redactText(`openclaw channels add --token ${CLI_TOKEN}`);
  assertNoSecret(masked, CLI_TOKEN);
  assertNoSecret(redactText("--token <x>secretvalue12345"), "secretvalue12345");
});
