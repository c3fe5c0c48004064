// npm run bench:punch: scenario (a) only, the morning rush (scripts/bench/punch.mjs), beside the bare route.
import { runBench } from "./bench/main.mjs";

await runBench(["a"]);
