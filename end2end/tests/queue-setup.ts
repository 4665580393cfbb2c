import { APIRequestContext, expect } from "@playwright/test";
import { FULL_PLAN_PATH, PASSWORD, uniquePhone } from "./helpers";
import { readFileSync } from "node:fs";

/** A title no other test uses, with digits so a search can find exactly it. */
export function uniqueTitle(stem: string): string {
  return `${stem} ${Date.now() % 100000}${Math.floor(Math.random() * 100)}`;
}

/**
 * Registers an entrepreneur of `governorate` in `request`'s context, imports the full
 * example plan under `title` and submits it to the chamber; answers the plan's id.
 */
export async function submittedPlanOf(request: APIRequestContext, name: string, governorate: string, title: string): Promise<number> {
  const registered = await request.post("/api/auth/register", {
    headers: { accept: "application/json" },
    form: {
      "input[full_name]": name,
      "input[phone]": uniquePhone(),
      "input[email]": "",
      "input[password]": PASSWORD,
      "input[gender]": "female",
      "input[birth_date]": "1998-03-02",
      "input[governorate]": governorate,
      "input[chamber]": "",
    },
  });
  expect(registered.status()).toBe(200);
  const imported = await request.post("/api/plans/import", {
    headers: { accept: "application/json", "content-type": "application/json" },
    data: { document: readFileSync(FULL_PLAN_PATH, "utf8") },
  });
  expect(imported.status()).toBe(200);
  const id = (await imported.json()) as number;
  const renamed = await request.post("/api/plans/rename", {
    headers: { accept: "application/json" },
    form: { plan_id: String(id), title },
  });
  expect(renamed.status()).toBe(200);
  const submitted = await request.post("/api/case/transition", {
    headers: { accept: "application/json" },
    form: { plan_id: String(id), action: "submit", message: "" },
  });
  expect(submitted.status()).toBe(200);
  return id;
}
