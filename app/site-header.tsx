import Link from "next/link";
import { currentActor, mustSetUpMfa } from "@/lib/auth/session";

const roleLabels = { patient: "Patient", guardian: "Guardian", clinician: "Clinician", admin: "Administrator", privacy_officer: "Privacy officer" } as const;

export async function SiteHeader() {
  const actor = await currentActor();
  // Confined to setting up two-step sign-in: no navigation, but a way out.
  const settingUp = !actor && (await mustSetUpMfa());
  return (
    <header className="site-header">
      <Link className="brand" href="/">
        Lantern
      </Link>
      {actor ? (
        <>
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/">Home</Link>
              </li>
              {actor.role === "clinician" && (
                <li>
                  <Link href="/clinician/alerts">Alerts</Link>
                </li>
              )}
              {actor.role === "admin" && (
                <li>
                  <Link href="/admin">Organization</Link>
                </li>
              )}
              {actor.role === "privacy_officer" && (
                <li>
                  <Link href="/privacy-officer">Access review</Link>
                </li>
              )}
              {(actor.role === "admin" || actor.role === "privacy_officer") && (
                <li>
                  <Link href="/audit">Audit trail</Link>
                </li>
              )}
              {actor.role === "clinician" && (
                <li>
                  <Link href="/break-glass">Emergency access</Link>
                </li>
              )}
              <li>
                <Link href="/account">Account</Link>
              </li>
            </ul>
          </nav>
          <div className="who">
            <span>
              {actor.displayName} · {roleLabels[actor.role]}
            </span>
            {/* Not prefetched: opening the page starts setting up an authenticator for someone without one. */}
            <Link href="/account/two-step" prefetch={false}>
              Two-step sign-in
            </Link>
            <SignOutButton />
          </div>
        </>
      ) : settingUp ? (
        <div className="who">
          <SignOutButton />
        </div>
      ) : null}
    </header>
  );
}

function SignOutButton() {
  return (
    <form action="/sign-out" method="post">
      <button type="submit" className="secondary">
        Sign out
      </button>
    </form>
  );
}
