// npm run bench [-- a b …]: every scenario of the morning-rush benchmarks (a–e, see
// scripts/bench/main.mjs), or the ones named. Run with tsx: the scenarios import src/ code.
import { runBench } from "./bench/main.mjs";

await runBench(process.argv.slice(2));
