import { expect, test } from "@playwright/test";
import { acceptInvitation } from "./support/mail";
import { formNotice, signIn, signOut } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

test("the clinic registers a child with a guardian invited by email, who sets their own password and sees the child", async ({ page }) => {
  await signIn(page, world.clinician);
  await page.getByRole("link", { name: "Register a patient" }).click();
  await page.getByLabel("First name").fill("Noor");
  await page.getByLabel("Last name").fill("Haddad");
  await page.getByLabel("Date of birth").fill("2018-02-14");
  await page.getByLabel("Record number (optional)").fill("E2E-CHILD-1");
  await page.getByLabel("Glucose unit").selectOption("mmol/L");
  await page.getByLabel("Care team").selectOption({ label: "Diabetes Team" });
  await page.getByLabel("Guardian's name", { exact: true }).fill("Hana Haddad");
  await page.getByLabel("Guardian's email", { exact: true }).fill("hana.haddad@lantern.example");
  await page.getByRole("button", { name: "Register patient" }).click();
  // The verified step is not optional for a clinician.
  await expect(page.getByText("Confirm that you have verified these people")).toBeVisible();
  await page.getByLabel(/I have verified that these people/).check();
  await page.getByRole("button", { name: "Register patient" }).click();
  await expect(formNotice(page)).toContainText("We emailed hana.haddad@lantern.example a link to set their own password.");
  await signOut(page);

  const chosen = "copper meadow tangerine ninety owls";
  await acceptInvitation(page, "hana.haddad@lantern.example", chosen);
  await signIn(page, { email: "hana.haddad@lantern.example", password: chosen }, /\/guardian/);
  await page.getByRole("link", { name: "Haddad, Noor" }).click();
  await expect(page.getByText("You are viewing as guardian of Noor Haddad.")).toBeVisible();
  await page.getByRole("link", { name: "Who can see it" }).click();
  await expect(page.getByText("Hana Haddad can see it until 2036-02-13.")).toBeVisible();
  await expect(page.getByRole("table", { name: /used this record/ }).getByRole("row", { name: new RegExp(`${world.clinician.name}.*registered`) })).toBeVisible();
});

test("break-glass: a clinician outside the care team opens a record with a reason and their password; the patient and the privacy officer see it", async ({ page }) => {
  await signIn(page, world.admin);
  const staffForm = page.locator("form", { has: page.getByRole("button", { name: "Create account" }) });
  await staffForm.getByLabel("Name").fill("Dr Ed Emergency");
  await staffForm.getByLabel("Email").fill("ed.emergency@lantern.example");
  await staffForm.getByLabel("Role").selectOption("clinician");
  await staffForm.getByRole("button", { name: "Create account" }).click();
  await expect(staffForm.locator(".notice")).toContainText("We emailed them a link");
  await signOut(page);

  const password = "granite velvet orchard eleven kites";
  await acceptInvitation(page, "ed.emergency@lantern.example", password);
  await signIn(page, { email: "ed.emergency@lantern.example", password }, /\/clinician/);
  const notMine = await page.goto(`/patients/${world.patientIds.fingerstick}`);
  expect(notMine?.status()).toBe(404);

  await page.getByRole("link", { name: "Emergency access" }).click();
  await page.getByLabel("Patient's record number").fill("DEMO-0001");
  await page.getByLabel("Why you need this record now").fill("Admitted unconscious to the emergency department");
  await page.getByLabel("Your password").fill("not the password at all, sorry");
  await page.getByRole("button", { name: "Open the record in an emergency" }).click();
  await expect(page.getByText("That is not your password.")).toBeVisible();
  await page.getByLabel("Your password").fill(password);
  await page.getByRole("button", { name: "Open the record in an emergency" }).click();
  await expect(page).toHaveURL(`/patients/${world.patientIds.fingerstick}`);
  await expect(page.getByRole("heading", { name: "Maria Lopez" })).toBeVisible();
  await signOut(page);

  await signIn(page, world.fingerstickPatient);
  await page.getByRole("link", { name: "Who can see it" }).click();
  await expect(page.getByText(/Dr Ed Emergency, until .*Admitted unconscious/)).toBeVisible();
  await expect(page.getByRole("row", { name: /Dr Ed Emergency Break-glass/ }).first()).toBeVisible();
  await signOut(page);

  await signIn(page, world.privacyOfficer, /\/privacy-officer/);
  const item = page.getByRole("row", { name: /Dr Ed Emergency.*Break-glass.*Admitted unconscious/ });
  await expect(item).toBeVisible();
  await item.getByRole("button", { name: "Mark reviewed" }).click();
  await expect(page.getByRole("row", { name: /Dr Ed Emergency.*Reviewed by Jordan Blake/ })).toBeVisible();
  // The admin's grant of the new account is in the queue too.
  await expect(page.getByRole("row", { name: /Morgan Reyes \(admin\).*Granted access: User/ }).first()).toBeVisible();
});

test("a guardian's access ends at the child's 18th birthday", async ({ page }) => {
  await signIn(page, world.guardian, /\/guardian/);
  await expect(page.getByRole("link", { name: "Parent, Kit" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Parent, Remy" })).toHaveCount(0);
  const response = await page.goto(`/patients/${world.patientIds.grownUp}`);
  expect(response?.status()).toBe(404);
});
