// The text side of the memory corpus (see memory-corpus.mjs): a deterministic PRNG, the fixed
// Zipf-distributed vocabulary, and a note writer that emits markdown straight into a byte buffer
// (tens of MB per second; no per-word strings). Types: corpus-text.d.mts.

/** mulberry32: a small fast deterministic PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = `project meeting deploy config gateway server customer invoice budget release backup migration
agent session channel telegram signal discord whatsapp token memory index search note reminder
schedule calendar deadline review design document draft plan roadmap feature issue ticket incident
outage latency database query cache queue worker cluster node region network firewall certificate
domain email phone address family friend doctor appointment medicine pharmacy grocery recipe dinner
garden weekend travel flight hotel train ticket passport visa museum concert birthday gift anniversary
school teacher homework exam library book chapter article podcast video camera photo album music
guitar piano lesson practice running cycling swimming workout weight sleep coffee tea breakfast lunch
office desk laptop keyboard monitor printer router battery charger cable update upgrade install
permission account password login profile settings preference language timezone currency payment
salary tax receipt contract lease landlord apartment kitchen bathroom bedroom repair plumber
electrician insurance car bike bus subway airport station parking traffic weather rain snow summer
winter spring autumn morning evening tonight tomorrow yesterday monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november
december team manager colleague interview hiring onboarding feedback goal metric dashboard report
summary decision question answer idea experiment prototype benchmark test fixture coverage bug
regression crash error warning log trace metric alert pager rotation handover checklist runbook
script pipeline build artifact container image volume snapshot restore archive export import sync
mirror proxy tunnel socket port protocol schema version changelog license vendor supplier order
shipment delivery warehouse inventory price discount subscription renewal trial refund support
complaint survey launch announcement blog newsletter website landing analytics campaign partner
conference workshop talk slides demo keynote venue catering badge sponsor volunteer charity donation`
  .split(/\s+/)
  .filter((w, i, all) => w && all.indexOf(w) === i);

const FUNCTION_WORDS = "the and of to a in is for on with that it as was at by from this we be are or will not but have has".split(" ");

/** Words used only for the planted note and its near misses (never in the vocabulary). */
export const PLANT_WORDS = "kestrel saffron periscope marzipan heliotrope tamarind obelisk zeppelin lanyard juniper calliope quasar cormorant vellum halberd ocarina".split(" ");

const CJK_WORDS = `记忆 项目 会议 服务器 部署 配置 用户 数据库 搜索 索引 文件 时间 问题 解决方案 测试 性能 网络 安全 备份 迁移 客户
团队 计划 周末 旅行 医生 汽车 房子 朋友 家人 工作 学习 阅读 笔记 今天 明天 昨天 上午 下午 晚上 重要 需要 完成 开始 结束 更新 检查
修复 错误 日志 会议记录 检索增强 向量索引 全文检索 生日礼物 机票预订 きょう あした 会議メモ サーバー データ 検索 記憶 設定 予定 買い物
レシピ 旅行計画 東京駅 打ち合わせ 議事録 リリース 障害対応`
  .split(/\s+/)
  .filter(Boolean);

const SYLLABLES = "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo bri cla dra fle gro kra pla stre tri vor lin dor mar sel ten".split(" ");

let cachedVocab;

/**
 * The fixed vocabulary (independent of the corpus seed): common real words first, then generated
 * words; sampling is Zipf-like by rank (`table`), and `rare` words appear in only a few notes each.
 */
export function vocabulary() {
  if (cachedVocab) return cachedVocab;
  const next = prng(0xc0ffee);
  const seen = new Set([...COMMON, ...FUNCTION_WORDS, ...PLANT_WORDS]);
  const generated = [];
  while (generated.length < 4500) {
    const n = 2 + Math.floor(next() * 3);
    let w = "";
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      generated.push(w);
    }
  }
  const words = [...COMMON, ...generated.slice(0, 3000)];
  const rare = generated.slice(3000);
  // Inverse-CDF lookup table for Zipf(s = 1.05) sampling in O(1).
  const size = 1 << 18; // NoteWriter.zipf relies on this size
  const table = new Uint16Array(size);
  const weights = words.map((_, r) => 1 / (r + 1) ** 1.05);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  let slot = 0;
  for (let r = 0; r < words.length; r++) {
    acc += weights[r] / total;
    const end = Math.min(size, Math.round(acc * size));
    for (; slot < end; slot++) table[slot] = r;
  }
  for (; slot < size; slot++) table[slot] = words.length - 1;
  // Every word packed once as ASCII bytes: vocabulary, then function words, then rare words.
  const all = [...words, ...FUNCTION_WORDS, ...rare];
  const bytes = Buffer.from(all.join(""), "latin1");
  const start = new Uint32Array(all.length);
  const len = new Uint8Array(all.length);
  let at = 0;
  all.forEach((w, i) => {
    start[i] = at;
    len[i] = w.length;
    at += w.length;
  });
  cachedVocab = { words, rare, functionWords: FUNCTION_WORDS, table, cjk: CJK_WORDS, packed: { bytes, start, len } };
  return cachedVocab;
}

const SPACE = 0x20;
const NL = 0x0a;
const CODE_LANGS = ["ts", "bash", "json", "python", "sql", ""];

/**
 * Emits markdown into one growing byte buffer; `take()` returns a copy of what was written and
 * starts over. All randomness comes from `next`, so output is a pure function of the seed.
 */
export class NoteWriter {
  constructor(next, cjkShare = 0) {
    this.next = next;
    this.cjkShare = cjkShare;
    this.v = vocabulary();
    this.buf = Buffer.allocUnsafe(1 << 17);
    this.pos = 0;
    // Hot-path fields (one property load instead of a chain per word).
    this.bytes = this.v.packed.bytes;
    this.start = this.v.packed.start;
    this.len = this.v.packed.len;
    this.table = this.v.table;
    this.fnCount = this.v.functionWords.length;
    this.fnBase = this.v.words.length;
    this.rareBase = this.fnBase + this.v.functionWords.length;
  }
  /** Bytes written since the last take(). */
  get size() {
    return this.pos;
  }
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  take() {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
  /** Cuts back to the last space at or before `limit` (not before `from`); false when there is none. */
  cutAt(from, limit) {
    for (let i = Math.min(limit, this.pos - 1); i > from; i--)
      if (this.buf[i] === SPACE) {
        this.pos = i;
        return true;
      }
    return false;
  }
  byte(c) {
    this.buf[this.pos++] = c;
  }
  str(s) {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }
  /** Packed word `i`, capitalised when `upper`. */
  packed(i, upper = false) {
    const bytes = this.bytes;
    const s = this.start[i];
    const e = s + this.len[i];
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = upper ? bytes[s] - 32 : bytes[s];
    for (let k = s + 1; k < e; k++) buf[p++] = bytes[k];
    this.pos = p;
  }
  zipf(r = this.next()) {
    return this.table[(r * 262144) | 0];
  }
  word(upper = false) {
    this.packed(this.zipf(), upper);
  }
  sentence() {
    const next = this.next;
    const n = 6 + ((next() * 13) | 0);
    for (let i = 0; i < n; i++) {
      if (i) this.byte(SPACE);
      const r = next();
      const upper = i === 0;
      // One draw per word: function word, Zipf pick, rare word, ticket id or inline code.
      if (r < 0.3) this.packed(this.fnBase + (((r / 0.3) * this.fnCount) | 0), upper);
      else if (r >= 0.308) this.packed(this.zipf((r - 0.308) / 0.692), upper);
      else if (r < 0.302) this.packed(this.rareBase + ((next() * this.v.rare.length) | 0), upper);
      else if (r < 0.305) this.str(`OPS-${100 + ((next() * 9900) | 0)}`);
      else {
        this.byte(0x60);
        this.word();
        this.byte(0x5f);
        this.word();
        this.byte(0x60);
      }
    }
    this.byte(0x2e);
  }
  paragraph() {
    const next = this.next;
    if (next() < this.cjkShare) {
      const n = 15 + ((next() * 50) | 0);
      let s = "";
      for (let i = 0; i < n; i++) s += this.v.cjk[(next() * this.v.cjk.length) | 0] + (next() < 0.12 ? "。" : next() < 0.1 ? "、" : "");
      this.str(`${s}。`);
      return;
    }
    const n = 2 + ((next() * 5) | 0);
    for (let i = 0; i < n; i++) {
      if (i) this.byte(SPACE);
      this.sentence();
    }
  }
  title(n = 2 + ((this.next() * 4) | 0)) {
    for (let i = 0; i < n; i++) {
      if (i) this.byte(SPACE);
      this.word(i === 0);
    }
  }
  /** One markdown block: paragraph, heading, bullet/task list, numbered list, fenced code or table. */
  block() {
    const next = this.next;
    this.ensure(1 << 16);
    const r = next();
    if (r < 0.55) return this.paragraph();
    if (r < 0.65) {
      this.str(next() < 0.7 ? "## " : "### ");
      return this.title();
    }
    if (r < 0.85) {
      const numbered = r >= 0.8;
      const task = !numbered && next() < 0.3;
      const n = 2 + ((next() * 6) | 0);
      for (let i = 0; i < n; i++) {
        if (i) this.byte(NL);
        this.str(numbered ? `${i + 1}. ` : task ? (next() < 0.5 ? "- [x] " : "- [ ] ") : "- ");
        this.sentence();
      }
      return;
    }
    if (r < 0.93) {
      this.str(`\`\`\`${CODE_LANGS[(next() * CODE_LANGS.length) | 0]}\n`);
      const n = 3 + ((next() * 15) | 0);
      for (let i = 0; i < n; i++) {
        this.str(`${"  ".repeat((next() * 3) | 0)}const `);
        this.word();
        this.byte(0x5f);
        this.word();
        this.str(" = ");
        this.word();
        this.byte(0x28);
        this.word();
        this.str(`, ${(next() * 1000) | 0});\n`);
      }
      this.str("```");
      return;
    }
    const cols = 2 + ((next() * 4) | 0);
    const rows = 2 + ((next() * 6) | 0);
    for (let row = -1; row < rows; row++) {
      this.byte(0x7c);
      for (let c = 0; c < cols; c++) {
        this.byte(SPACE);
        this.word();
        this.str(" |");
      }
      this.byte(NL);
      if (row === -1) this.str(`|${" --- |".repeat(cols)}\n`);
    }
    this.pos--; // no trailing newline: blocks are joined by a blank line
  }
  /** One line of about `bytes` bytes with no newline (minified JSON pasted into a note). */
  longLine(bytes) {
    this.ensure(bytes + 256);
    const end = this.pos + bytes;
    this.byte(0x7b);
    while (this.pos < end) {
      this.byte(0x22);
      this.word();
      this.str(`_${(this.next() * 1e6) | 0}":"`);
      this.word();
      this.byte(SPACE);
      this.word();
      this.str('",');
    }
    this.str('"end":true}');
  }
}
