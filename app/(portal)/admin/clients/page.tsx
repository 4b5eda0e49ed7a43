import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { listBackendClients } from "@/lib/fhir/smart/clients";
import { TOKEN_ENDPOINT_PATH } from "@/lib/fhir/smart/configuration";
import { formatAtOffset } from "@/lib/time/zones";
import { revokeBackendClientAction } from "./actions";
import { ActionButton } from "@/components/action-button";
import { RegisterBackendClientForm } from "./client-forms";
import styles from "./clients.module.css";

export const metadata: Metadata = { title: "Hospital systems (FHIR API)" };

export default async function BackendClientsPage() {
  const actor = await requireActor();
  const clients = await orNotFound(listBackendClients(actor));
  const requestHeaders = await headers();
  const siteUrl = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost:3000"}`;

  return (
    <>
      <p>
        <Link href="/admin">Organization</Link>
      </p>
      <h1>Hospital systems (FHIR API)</h1>
      <p className="meta">
        A hospital system (an EHR or integration engine) reads this organization&apos;s patients and readings through the FHIR API with SMART
        Backend Services: it proves who it is with a key pair whose public half you register here, and gets access tokens valid for 5 minutes.
      </p>

      <section className="panel" aria-labelledby="connect-heading">
        <h2 id="connect-heading">What the system&apos;s team needs</h2>
        <dl className="facts">
          <dt>Token URL</dt>
          <dd className={styles.wrap}>
            <span className="secret">{`${siteUrl}${TOKEN_ENDPOINT_PATH}`}</span>
          </dd>
          <dt>FHIR base URL</dt>
          <dd className={styles.wrap}>
            <span className="secret">{`${siteUrl}/fhir`}</span>
          </dd>
          <dt>Discovery</dt>
          <dd className={styles.wrap}>
            <span className="secret">{`${siteUrl}/fhir/.well-known/smart-configuration`}</span>
          </dd>
          <dt>client_id</dt>
          <dd>Shown when you register the system, and in the list below.</dd>
        </dl>
        <p>
          The system signs a short JWT (RS384 or ES384; iss and sub = its client_id, aud = the token URL, a new jti each time, exp at most 5
          minutes ahead) and posts it to the token URL with grant_type client_credentials. The integrator guide is docs/fhir.md.
        </p>
      </section>

      <section className="panel" aria-labelledby="register-client-heading">
        <h2 id="register-client-heading">Register a hospital system</h2>
        <RegisterBackendClientForm />
      </section>

      <section className="panel" aria-labelledby="clients-heading">
        <h2 id="clients-heading">Registered systems</h2>
        {clients.length === 0 ? (
          <p>No hospital systems registered yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">System</th>
                  <th scope="col">client_id</th>
                  <th scope="col">Keys</th>
                  <th scope="col">Allowed scopes</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {clients.map((client) => (
                  <tr key={client.clientId}>
                    <td id={`client-${client.clientId}`}>{client.name}</td>
                    <td>
                      <code>{client.clientId}</code>
                    </td>
                    <td className={styles.wrap}>{client.jwksUrl ? `Fetched from ${client.jwksUrl}` : `kid ${client.keyIds?.join(", ") || "—"}`}</td>
                    <td className={styles.wrap}>{client.allowedScopes.join(" ")}</td>
                    <td>
                      {client.revokedAt ? (
                        <span className="badge revoked">Revoked {formatAtOffset(client.revokedAt, 0)} UTC</span>
                      ) : (
                        <span className="badge active">Active</span>
                      )}
                    </td>
                    <td>
                      {client.revokedAt ? null : (
                        <ActionButton
                          action={revokeBackendClientAction.bind(null, client.clientId)}
                          label="Revoke"
                          confirm={`Revoke ${client.name}? Its access tokens stop working at once and it cannot get new ones.`}
                          describedBy={`client-${client.clientId}`}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
