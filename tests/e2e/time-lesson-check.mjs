// Times "Check my run" on the run page of a built dist/ (not a test: it
// prints figures). Each click checks the current step's goal synchronously
// in the click handler, so the click's duration is the check's.
//   cd tests/e2e && node time-lesson-check.mjs [DIST_DIR]     (default ../../dist)
import { join } from "node:path";
import { launchBrowser, serve, root, runLine } from "./support.mjs";

const dir = process.argv[2] ?? join(root, "dist");
const { server, url } = await serve({ dir, base: "/" });
const browser = await launchBrowser();

async function time(fragment, line) {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  await page.goto(`${url}run/${fragment}`);
  await page.getByTestId("lesson").waitFor();
  if (line) await runLine(page, line);
  await page.getByRole("button", { name: "Check my run" }).click();
  await page.getByTestId("verdict").waitFor();
  const verdict = await page.getByTestId("verdict").textContent();
  const ms = await page.evaluate(() => {
    const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Check my run");
    const times = [];
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      button.click();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { median: times[12], min: times[0], max: times[24] };
  });
  console.log(`${fragment}${line ? ` after "${line}"` : ""}: median ${ms.median.toFixed(2)} ms (min ${ms.min.toFixed(2)}, max ${ms.max.toFixed(2)}, 25 clicks); verdict: ${verdict.slice(0, 60)}`);
  await page.context().close();
}

console.log(`dist: ${dir}`);
await time("#lesson=first-task-definition");
await time("#lesson=circuit-breaker", "aws ecs update-service --service api --task-definition api:2");
await browser.close();
server.close();
