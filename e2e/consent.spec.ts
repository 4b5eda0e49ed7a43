import { expect, test } from "@playwright/test";
import { hospitalAccessToken } from "./support/hospital";
import { formNotice, signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

/**
 * PRIVACY-SECURITY.md C1: a guardian objects to hospital sharing for their child in the portal, and
 * the demo hospital system (a SMART Backend Services token signed with its own key) no longer finds
 * the child at its next request; allowing it again brings the child back. One press either way.
 */
test("a guardian's objection to hospital sharing takes effect in the FHIR API at once, and is undone as easily", async ({ page, baseURL }) => {
  const token = await hospitalAccessToken(baseURL!);
  const authorization = { authorization: `Bearer ${token}` };
  const readChild = async () => (await fetch(`${baseURL}/fhir/Patient/${world.patientIds.child}`, { headers: authorization })).status;
  const searchIds = async () =>
    (((await (await fetch(`${baseURL}/fhir/Patient?_count=100`, { headers: authorization })).json()) as { entry?: { resource: { id: string } }[] }).entry ?? []).map((entry) => entry.resource.id);

  expect(await readChild()).toBe(200);
  expect(await searchIds()).toContain(world.patientIds.child);

  await signIn(page, world.guardian);
  await page.goto(`/patients/${world.patientIds.child}`);
  await page.getByRole("navigation", { name: "Patient record" }).getByRole("link", { name: "Privacy and sharing" }).click();
  await expect(page.getByRole("heading", { name: "Privacy and sharing" })).toBeVisible();
  // Marketing is never on for a child: no buttons, a sentence instead.
  await expect(page.getByRole("group", { name: /News and offers/ })).toHaveCount(0);
  await expect(page.getByText(/never uses a child's data for marketing/)).toBeVisible();

  const sharing = page.getByRole("group", { name: "Your choice for Sharing with your hospital's computer systems" });
  await expect(sharing.getByRole("button", { name: "Yes, allow" })).toHaveAttribute("aria-pressed", "true");
  await sharing.getByRole("button", { name: "No, don't allow" }).click();
  await expect(formNotice(page)).toHaveText("Saved: this is now off.");
  await expect(sharing.getByRole("button", { name: "No, don't allow" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2);

  expect(await readChild()).toBe(404);
  expect(await searchIds()).not.toContain(world.patientIds.child);
  expect(await searchIds()).toContain(world.patientIds.fingerstick);

  await sharing.getByRole("button", { name: "Yes, allow" }).click();
  await expect(sharing.getByRole("button", { name: "Yes, allow" })).toHaveAttribute("aria-pressed", "true");
  expect(await readChild()).toBe(200);
});
