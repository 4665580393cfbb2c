import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Starts the test SMTP server before the portal. */
export default function globalSetup() {
  execFileSync("bash", [join(__dirname, "smtp-sink.sh"), "start"], { stdio: "inherit" });
}
