/** Shared styles for the Control UI's elements: system colours that follow prefers-color-scheme, and a layout that fits 375 px. */
import { css } from "lit";

/** Colours (light and dark), form controls, panels and focus rings shared by every element. */
export const baseStyles = css`
  :host {
    display: block;
    color: var(--fg);
    font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    --bg: #ffffff;
    --fg: #1b1d21;
    --muted: #5d6470;
    --panel: #f3f4f6;
    --border: #d3d7de;
    --accent: #b4281e;
    --ok: #17723a;
    --warn: #8a5a00;
    --bad: #b42318;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --bg: #15171b;
      --fg: #e7e9ee;
      --muted: #a3a9b5;
      --panel: #1f2228;
      --border: #373c45;
      --accent: #ff7a6b;
      --ok: #5fd08a;
      --warn: #f0b94a;
      --bad: #ff8a80;
    }
  }
  * {
    box-sizing: border-box;
  }
  a {
    color: var(--accent);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 6px 10px;
    max-width: 100%;
  }
  button {
    cursor: pointer;
    background: var(--panel);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  .panel {
    background: var(--panel);
    border: 1px solid var(--border);
    border-radius: 8px;
    padding: 12px 14px;
    margin: 0 0 12px;
    overflow-wrap: anywhere;
  }
  .muted {
    color: var(--muted);
  }
  .ok {
    color: var(--ok);
  }
  .warn {
    color: var(--warn);
  }
  .bad {
    color: var(--bad);
  }
  code {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.92em;
  }
`;
