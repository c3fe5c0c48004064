// npm run bench:dashboard: the dashboard run only (scripts/bench/dashboard.mjs): the list pages,
// (d) the attendance matrix and (e) the bulk approval, beside the bare route.
import { runBench } from "./bench/main.mjs";

await runBench(["d", "e"]);
