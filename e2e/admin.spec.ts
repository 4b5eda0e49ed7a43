import { expect, test } from "@playwright/test";
import { acceptInvitation } from "./support/mail";
import { formNotice, signIn, signOut } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("an admin creates a clinician and a care team, and the clinician then sees the assigned patient", async ({ page }) => {
  await signIn(page, world.admin);

  const staffForm = page.locator("form", { has: page.getByRole("button", { name: "Create account" }) });
  await staffForm.getByLabel("Name").fill("Dr Lee Park");
  await staffForm.getByLabel("Email").fill("lee.park@lantern.example");
  await staffForm.getByLabel("Role").selectOption("clinician");
  await staffForm.getByRole("button", { name: "Create account" }).click();
  await expect(staffForm.locator(".notice")).toContainText("Account created for lee.park@lantern.example");
  // The admin never sees a password: the clinician chooses theirs from the emailed link.
  await expect(staffForm.locator(".notice")).toContainText("We emailed them a link to set their own password.");
  await expect(page.getByText(/password \(shown once/i)).toHaveCount(0);

  const teamForm = page.locator("form", { has: page.getByRole("button", { name: "Create care team" }) });
  await teamForm.getByLabel("Care team name").fill("Outreach");
  await teamForm.getByRole("button", { name: "Create care team" }).click();
  await expect(page.getByRole("row", { name: /Outreach/ })).toBeVisible();

  const memberForm = page.locator("form", { has: page.getByRole("button", { name: "Add to team" }) });
  await memberForm.getByLabel("Care team").selectOption({ label: "Outreach" });
  await memberForm.getByLabel("Clinician").selectOption({ label: "Dr Lee Park (lee.park@lantern.example)" });
  await memberForm.getByRole("button", { name: "Add to team" }).click();
  await expect(formNotice(page).filter({ hasText: "Clinician added to the care team." })).toBeVisible();

  const assignForm = page.locator("form", { has: page.getByRole("button", { name: "Assign patient" }) });
  await assignForm.getByLabel("Care team").selectOption({ label: "Outreach" });
  await assignForm.getByLabel("Patient").selectOption({ label: "Olga Outside" });
  await assignForm.getByRole("button", { name: "Assign patient" }).click();
  await expect(page.getByRole("row", { name: /Outreach.*Dr Lee Park.*Olga Outside/ })).toBeVisible();

  await signOut(page);
  const chosen = "quiet lanterns orbit the walnut harbour";
  await acceptInvitation(page, "lee.park@lantern.example", chosen);
  await signIn(page, { email: "lee.park@lantern.example", password: chosen }, /\/clinician/);
  await expect(page.getByRole("link", { name: "Outside, Olga" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Lopez, Maria" })).toHaveCount(0);
});

test("an admin form explains what to fix", async ({ page }) => {
  await signIn(page, world.admin);
  const staffForm = page.locator("form", { has: page.getByRole("button", { name: "Create account" }) });
  await staffForm.getByLabel("Name").fill("No Email");
  await staffForm.getByLabel("Email").fill("not-an-email");
  await staffForm.getByRole("button", { name: "Create account" }).click();
  await expect(staffForm.getByLabel("Email")).toHaveAccessibleDescription("Enter an email address like name@example.org");
  await expect(staffForm.getByLabel("Name")).toHaveValue("No Email");
});
