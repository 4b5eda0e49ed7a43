import { expect, test } from "@playwright/test";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { mailbox } from "./support/mail";
import { formNotice, signIn, signOut } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();
const MINUTE = 60_000;

/**
 * Issue 9: an admin adds a webhook and an email channel; a CGM posts 20 minutes below 54 mg/dL;
 * each receiver gets exactly one message about that patient, the webhook's signed with the secret
 * shown once, neither carrying a glucose value. Email goes to the e2e server's SMTP receiver
 * (e2e/support/server.ts), which keeps every message in the mailbox file.
 */
test("an urgent low reaches the organization's webhook and email channels once each, signed, without values", async ({ page, request }) => {
  const webhook = await startWebhookReceiver();
  try {
    await signIn(page, world.admin);
    await page.goto("/admin/notifications");
    const addWebhook = page.getByRole("region", { name: "Add a webhook" });
    await addWebhook.getByLabel("Name").fill("E2E on-call");
    await addWebhook.getByLabel("Webhook URL").fill(webhook.url);
    await addWebhook.getByRole("button", { name: "Add webhook" }).click();
    await expect(formNotice(page)).toContainText("Webhook added");
    const secret = (await page.getByTestId("signing-secret").innerText()).trim();
    expect(secret).toMatch(/^whsec_/);

    const addEmail = page.getByRole("region", { name: "Add an email address" });
    await addEmail.getByLabel("Name").fill("E2E ward desk");
    await addEmail.getByLabel("Email address").fill("ward-e2e@lantern.example");
    await addEmail.getByRole("button", { name: "Add email address" }).click();
    await expect(page.getByRole("row", { name: /E2E ward desk/ })).toBeVisible();
    await expect(page.getByRole("row", { name: /E2E on-call/ })).toBeVisible();
    await signOut(page);

    // The patient registers a CGM; it pairs and posts 20 minutes at 45 mg/dL.
    await signIn(page, world.notifyPatient);
    await page.getByRole("link", { name: "Meters and apps" }).click();
    await page.getByLabel("Kind of meter").selectOption("cgm");
    await page.getByLabel("Model").fill("Dexcom G7");
    await page.getByLabel("Serial number").fill("E2E-CGM-ALERTS");
    await page.getByRole("button", { name: "Register and get a pairing code" }).click();
    const pairingNotice = page.locator("form .notice").filter({ hasText: "Pairing code:" });
    const code = /Pairing code: (\S{4}-\S{4})/.exec(await pairingNotice.innerText())?.[1];
    const paired = await request.post("/api/devices/pair", { data: { code, serialNumber: "E2E-CGM-ALERTS", model: "Dexcom G7" } });
    expect(paired.status()).toBe(201);
    const { token } = (await paired.json()) as { token: string };
    const now = Date.now();
    const readings = [4, 3, 2, 1, 0].map((steps, seq) => ({ time: new Date(now - steps * 5 * MINUTE).toISOString(), value: 45, unit: "mg/dL", seq }));
    const upload = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings } });
    expect(upload.status()).toBe(200);

    // Other tests' alerts may reach these channels too: count the messages about this patient.
    const reference = `Patient/${world.patientIds.notify}`;
    const hooksAboutPatient = () => webhook.messages.filter((message) => (message.body as { patient: { reference: string } }).patient.reference === reference);
    const mailsAboutPatient = () => mailbox().filter((message) => message.text.includes(world.patientIds.notify));
    await expect.poll(() => hooksAboutPatient().length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => mailsAboutPatient().length, { timeout: 30_000 }).toBeGreaterThan(0);

    // Once the outbox has nothing left waiting for either channel, what arrived is all there is.
    await signOut(page);
    await signIn(page, world.admin);
    await expect
      .poll(
        async () => {
          await page.goto("/admin/notifications");
          const rows = await page.getByRole("row", { name: /E2E (on-call|ward desk).*Enabled 0 0/ }).count();
          return rows;
        },
        { timeout: 30_000 },
      )
      .toBe(2);

    const [hook] = hooksAboutPatient();
    expect(hooksAboutPatient()).toHaveLength(1);
    expect(webhook.verify(hook!, secret)).toBe(true);
    expect(hook!.body).toMatchObject({ type: "alert.opened", alert: { kind: "hypo-level-2", severity: "urgent" }, patient: { reference } });
    // No glucose value or unit: read past the instants, ids and links, whose digits may spell 45 (18:37:45).
    const withoutInstantsAndIds = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "").replace(/"id":"[^"]*"/g, "").replace(/\/alerts\/[^\s"]*/g, "");
    expect(withoutInstantsAndIds(hook!.rawBody)).not.toMatch(/\b45\b|mg\/dL|mmol/);

    const [mail] = mailsAboutPatient();
    expect(mailsAboutPatient()).toHaveLength(1);
    expect(mail!.to).toEqual(["ward-e2e@lantern.example"]);
    expect(mail!.subject).toBe("[Lantern] Urgent alert");
    expect(withoutInstantsAndIds(`${mail!.subject}\n${mail!.text}`)).not.toMatch(/\b45\b|mg\/dL|mmol|Nia|Notify/);

    // The link lands where the reader can see the alert, and is a 404 for whoever may not.
    const link = new URL((hook!.body as { alert: { url: string } }).alert.url);
    expect((await page.goto(link.pathname))!.status()).toBe(404);
    await signOut(page);
    await signIn(page, world.notifyPatient);
    await page.goto(link.pathname);
    await expect(page).toHaveURL(new RegExp(`/patients/${world.patientIds.notify}`));
    await expect(page.getByRole("region", { name: "Alerts", exact: true })).toContainText("Very low");
  } finally {
    await webhook.stop();
  }
});
