// Preloaded with -r by bench/lib.mjs: writes this process's peak RSS (KiB) to BENCH_RSS_FILE on exit.
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) require("node:fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
