// Starts `jamaa serve --demo` on a free port of 127.0.0.1, with a fresh database and the repository's website and
// SDK package, for the Node.js and browser tests; `stop()` ends it and removes its files.
//
// The binary is $JAMAA_BIN, else target/debug/jamaa (under $CARGO_TARGET_DIR when set): build it first with
// `cargo build --bin jamaa` (scripts/test-all does).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repository = fileURLToPath(new URL("../../../", import.meta.url));

function binary() {
  if (process.env.JAMAA_BIN) return process.env.JAMAA_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(repository, "target");
  return join(target, "debug", "jamaa");
}

/**
 * Resolves to `{ url, stop, tokens, dataDir, binary }` once the server listens; `url` is `http://127.0.0.1:PORT`,
 * `tokens` the demo's tokens by name (`operator`, and each commune's staff by slug), `dataDir` the server's data
 * directory (for the command line, e.g. `jamaa --data-dir … user create`). The website served at `/`
 * is `siteDir`, by default the repository's examples/commune-site; `env` adds settings (`JAMAA_CORS_ORIGINS`). The
 * server ends with the process that started it, whatever ends that.
 */
export async function startServer({ siteDir = join(repository, "examples", "commune-site"), timeoutMs = 60_000, env: extra = {} } = {}) {
  const bin = binary();
  if (!existsSync(bin)) throw new Error(`no jamaa binary at ${bin}: run cargo build --bin jamaa, or set JAMAA_BIN`);
  const dir = await mkdtemp(join(tmpdir(), "jamaa-sdk-test-"));
  // A test's database needs no durability across power losses: commits are not flushed one by one.
  const env = { ...process.env, JAMAA_LOG: "info", NO_COLOR: "1", JAMAA_SQLITE_SYNCHRONOUS: "normal" };
  delete env.JAMAA_DATABASE_URL;
  delete env.JAMAA_CONFIG;
  Object.assign(env, extra);
  const child = spawn(
    bin,
    [
      "--data-dir", dir,
      "serve", "--demo", "--bind", "127.0.0.1:0",
      "--site-dir", siteDir,
      "--sdk-dir", join(repository, "sdk-wasm", "pkg"),
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const orphaned = () => child.kill("SIGKILL");
  process.once("exit", orphaned);
  // The demo's tokens, one `name token` line each on stdout: `operator` and each commune's staff.
  const tokens = {};
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    for (const [, name, token] of chunk.matchAll(/^(\S+) (jm_\S+)$/gm)) tokens[name] = token;
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      log += chunk;
      // eslint-disable-next-line no-control-regex
      const found = /http:\/\/(127\.0\.0\.1:\d+)\/graphql/.exec(log.replace(/\x1b\[[0-9;]*m/g, ""));
      if (found) {
        clearTimeout(timer);
        resolve(`http://${found[1]}`);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${log}`));
    });
  });
  child.stderr.resume();
  // The demo's tokens are printed just after the address is logged: wait for them.
  for (let waited = 0; !tokens.operator && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = async () => {
    process.off("exit", orphaned);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  return { url, stop, log: () => log, tokens, dataDir: dir, binary: bin };
}
