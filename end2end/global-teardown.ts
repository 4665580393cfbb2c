import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function globalTeardown() {
  execFileSync("bash", [join(__dirname, "smtp-sink.sh"), "stop"], { stdio: "inherit" });
}
