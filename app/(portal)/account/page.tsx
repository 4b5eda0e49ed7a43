import type { Metadata } from "next";
import { preferredUnitOf } from "@/lib/auth/accounts";
import { requireActor } from "@/lib/auth/session";
import { ChangePasswordForm } from "./change-password-form";
import { UnitPreferenceForm } from "./unit-preference-form";

export const metadata: Metadata = { title: "Your account" };

/** The signed-in person's own account: their password, their sessions and the unit they read glucose in. */
export default async function AccountPage() {
  const actor = await requireActor();
  return (
    <>
      <h1>Your account</h1>
      <p className="meta">{actor.displayName}</p>
      <div className="grid">
        <section className="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Change your password</h2>
          <ChangePasswordForm />
        </section>
        <section className="panel" aria-labelledby="unit-heading">
          <h2 id="unit-heading">Glucose unit</h2>
          <p>The unit of the triage list and of every report you open; a report can still switch for one visit.</p>
          <UnitPreferenceForm current={await preferredUnitOf(actor)} />
        </section>
        <section className="panel" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">Sessions</h2>
          <p>Signed in on a computer or phone you no longer use, or one you shared? End every session of your account, this one included.</p>
          <form action="/sign-out/everywhere" method="post">
            <button type="submit" className="secondary">
              Sign out everywhere
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
