import assert from "node:assert/strict";
import { test } from "node:test";
import { toTelegramHtml } from "./telegram-html.js";

test("bold, italic, strike, inline code, headings", () => {
  assert.equal(toTelegramHtml("**bold** and *it* and _it2_ and ~~gone~~"), "<b>bold</b> and <i>it</i> and <i>it2</i> and <s>gone</s>");
  assert.equal(toTelegramHtml("use `a < b && c`"), "use <code>a &lt; b &amp;&amp; c</code>");
  assert.equal(toTelegramHtml("# Title\ntext"), "<b>Title</b>\ntext");
  assert.equal(toTelegramHtml("snake_case_name and 2*3*4"), "snake_case_name and 2*3*4", "no italics inside words");
});

test("code blocks: escaped, language class, markdown inside untouched", () => {
  assert.equal(toTelegramHtml("```js\nif (a < b) { **x** }\n```"), '<pre><code class="language-js">if (a &lt; b) { **x** }</code></pre>');
  assert.equal(toTelegramHtml("```\nplain\n```\nafter **b**"), "<pre><code>plain</code></pre>\nafter <b>b</b>");
  assert.equal(toTelegramHtml("```\nunclosed <x>"), "<pre><code>unclosed &lt;x&gt;</code></pre>");
});

test("links: safe schemes only, attribute escaped; raw HTML is text", () => {
  assert.equal(toTelegramHtml("[docs](https://x.test/a?b=1&c=\"2\")"), '<a href="https://x.test/a?b=1&amp;c=&quot;2&quot;">docs</a>');
  assert.equal(toTelegramHtml("[**bold** link](https://x.test)"), '<a href="https://x.test"><b>bold</b> link</a>');
  assert.equal(toTelegramHtml("[x](javascript:alert(1))"), "[x](javascript:alert(1))");
  assert.equal(toTelegramHtml('<b onclick="x">hi</b> & co'), "&lt;b onclick=&quot;x&quot;&gt;hi&lt;/b&gt; &amp; co");
  assert.equal(toTelegramHtml("a\u00000\u0000b"), "a0b", "slot markers in the input cannot inject");
});
