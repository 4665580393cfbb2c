import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Starts the test SMTP server and SMS gateway before the portal. */
export default function globalSetup() {
  execFileSync("bash", [join(__dirname, "smtp-sink.sh"), "start"], { stdio: "inherit" });
  execFileSync("bash", [join(__dirname, "sms-sink.sh"), "start"], { stdio: "inherit" });
}
