import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUND_PASSWORD, PASSWORD } from "./tests/helpers";

/** What the tests type or receive that must never reach the server's log. */
const SECRETS = [PASSWORD, FUND_PASSWORD, "wrong-password", "not-her-password", "new-secret-phrase-9"];
const PATTERNS: [string, RegExp][] = [
  // Not inside a longer run of hex digits: the log's request and upload ids are hex, and
  // one in a few thousand holds ten decimal digits that look like a number.
  ["a mobile number", /(?<![0-9a-f])(?:05[69]|\+97[02]5[69])[0-9]{7}(?![0-9a-f])/i],
  ["a link token", /token=[0-9a-f]{8,}/i],
];

/** Stops the test SMTP server and SMS gateway, then reads the whole run's server log for
 * personal data and for internal errors: every internal error is logged (at ERROR) once,
 * and none should happen while people use the portal as the tests do; a panic is one too. */
export default function globalTeardown() {
  execFileSync("bash", [join(__dirname, "smtp-sink.sh"), "stop"], { stdio: "inherit" });
  execFileSync("bash", [join(__dirname, "sms-sink.sh"), "stop"], { stdio: "inherit" });
  const log = readFileSync(join(process.env.RIYADA_E2E_DATA_DIR ?? "", "server.log"), "utf8");
  if (!log.includes("Riyada listening") || !log.includes("answered")) {
    throw new Error("the server log of the run is missing or empty: nothing was checked");
  }
  const found = SECRETS.filter((secret) => log.includes(secret)).map((s) => `the secret "${s}"`);
  for (const [what, pattern] of PATTERNS) {
    const match = log.match(pattern);
    if (match) found.push(`${what} (${match[0]})`);
  }
  if (found.length > 0) {
    throw new Error(`the server log holds personal data: ${found.join(", ")}`);
  }
  const failures = log.split("\n").filter((line) => / ERROR |panicked at/.test(line));
  if (failures.length > 0) {
    throw new Error(`the server logged ${failures.length} internal error(s):\n${failures.slice(0, 5).join("\n")}`);
  }
  console.log(
    `server log checked: ${log.split("\n").length} lines, no password, mobile number or link token, no internal error`,
  );
}
