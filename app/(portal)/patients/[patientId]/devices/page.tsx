import type { Metadata } from "next";
import { headers } from "next/headers";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { listPatientDevices, type DeviceSummary } from "@/lib/devices/registry";
import { listAccessTokens } from "@/lib/uploader/access-tokens";
import { accessLevelLabels } from "@/lib/uploader/access-token-format";
import { hasUploaderSecret } from "@/lib/uploader/credentials";
import { latestDeviceStatusPerApp } from "@/lib/uploader/device-status-store";
import { listUploadProblems } from "@/lib/uploader/problems";
import { formatAtOffset } from "@/lib/time/zones";
import { createAccessTokenAction, createUploaderSecretAction, registerDeviceAction, revokeAccessTokenAction, revokeDeviceAction, rotateTokenAction } from "./actions";
import { ActionButton } from "@/components/action-button";
import { AppStatusTable, UploadProblemsTable } from "./app-status";
import { CreateAccessTokenForm, RegisterDeviceForm } from "./device-forms";

export const metadata: Metadata = { title: "Meters and apps" };

const statusLabels: Record<DeviceSummary["status"], string> = {
  "awaiting-pairing": "Waiting to pair",
  "pairing-expired": "Pairing code expired",
  active: "Active",
  stale: "Stale: no data for too long",
  revoked: "Revoked",
};
const kindLabels = { cgm: "CGM sensor", "fingerstick-meter": "Fingerstick meter" } as const;

export default async function DevicesPage({ params }: PageProps<"/patients/[patientId]/devices">) {
  const { patientId } = await params;
  const actor = await requireActor();
  const [devices, uploaderConfigured, accessTokens, appStatuses, problems] = await orNotFound(
    Promise.all([listPatientDevices(actor, patientId), hasUploaderSecret(actor, patientId), listAccessTokens(actor, patientId), latestDeviceStatusPerApp(actor, patientId), listUploadProblems(actor, patientId)]),
  );
  const utc = (date: Date | null) => (date ? formatAtOffset(date, 0) : "Never");
  const requestHeaders = await headers();
  const siteUrl = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost:3000"}`;

  return (
    <>
      <section className="panel" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Connected meters</h2>
        <div id="device-action-result" />
        {devices.length === 0 ? (
          <p>No meters registered yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="wrapping">
              <thead>
                <tr>
                  <th scope="col">Meter</th>
                  <th scope="col">Serial number</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last contact (UTC)</th>
                  <th scope="col">Firmware</th>
                  <th scope="col" className="number">
                    Battery
                  </th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((device) => (
                  <tr key={device.id}>
                    <td id={`device-${device.id}`}>
                      {device.model} <span className="meta">({kindLabels[device.kind]})</span>
                    </td>
                    <td>{device.serialNumber}</td>
                    <td>
                      <span className={`badge ${device.status}`}>{statusLabels[device.status]}</span>
                      {device.clockProblem ? (
                        <p className="field-error">
                          Clock: {device.clockProblem}
                          {device.clockProblemAt ? ` (last upload ${formatAtOffset(device.clockProblemAt, 0)} UTC)` : ""}
                        </p>
                      ) : null}
                    </td>
                    <td>{device.lastContactAt ? formatAtOffset(device.lastContactAt, 0) : "Never"}</td>
                    <td>{device.firmwareVersion ?? "—"}</td>
                    <td className="number">{device.batteryPercent === null ? "—" : `${device.batteryPercent}%`}</td>
                    <td className="actions">
                      {device.status === "active" || device.status === "stale" ? (
                        <ActionButton
                          action={rotateTokenAction.bind(null, patientId, device.id)}
                          label="New token"
                          confirm="Replace this meter's token? The current one stops working at once; the meter sends nothing until it is given the new one."
                          describedBy={`device-${device.id}`}
                          resultSlotId="device-action-result"
                        />
                      ) : null}
                      {device.status !== "revoked" ? (
                        <ActionButton
                          action={revokeDeviceAction.bind(null, patientId, device.id)}
                          label="Revoke"
                          confirm="Revoke this meter? It will no longer be able to send readings."
                          describedBy={`device-${device.id}`}
                          resultSlotId="device-action-result"
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="register-heading">
        <h2 id="register-heading">Register a meter</h2>
        <p className="meta">You get a one-time pairing code, valid for 15 minutes. Enter it on the meter or its app; the meter then receives its own credential.</p>
        <RegisterDeviceForm action={registerDeviceAction.bind(null, patientId)} />
      </section>

      <section className="panel" aria-labelledby="uploader-heading">
        <h2 id="uploader-heading">Uploader apps (xDrip+, AndroidAPS, Loop, Spike…)</h2>
        <p>
          In the app&apos;s Nightscout settings, enter the site URL <span className="secret">{siteUrl}</span> and the API secret below. Lantern
          accepts glucose entries, treatments and device status from the app as a Nightscout site would.
        </p>
        <p>{uploaderConfigured ? "An API secret is set up. Creating a new one stops the old one at once." : "No API secret yet."}</p>
        <ActionButton
          action={createUploaderSecretAction.bind(null, patientId)}
          label={uploaderConfigured ? "Replace the API secret" : "Create an API secret"}
          confirm={uploaderConfigured ? "Replace the secret? Apps using the old one will stop uploading until you enter the new one." : undefined}
        />
      </section>

      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Access tokens (followers, AndroidAPS)</h2>
        <div id="token-action-result" />
        <p className="meta">
          A read-only token lets a follower app (Nightguard, xDrip+ follower, nightscout-connect) see the readings, treatments and app status; it can never send
          anything. AndroidAPS&apos;s NSClient v3 needs a token that may read and write. Revoking a token stops it at the app&apos;s next request.
        </p>
        {accessTokens.length === 0 ? (
          <p>No access tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">May</th>
                  <th scope="col">Created (UTC)</th>
                  <th scope="col">Last used (UTC)</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {accessTokens.map((token) => (
                  <tr key={token.id}>
                    <td id={`token-${token.id}`}>{token.name}</td>
                    <td>{accessLevelLabels[token.access]}</td>
                    <td>{utc(token.createdAt)}</td>
                    <td>{utc(token.lastUsedAt)}</td>
                    <td>
                      {token.revokedAt ? (
                        <span className="badge revoked">Revoked {formatAtOffset(token.revokedAt, 0)}</span>
                      ) : (
                        <ActionButton
                          action={revokeAccessTokenAction.bind(null, patientId, token.id)}
                          label="Revoke"
                          confirm="Revoke this token? Apps using it will stop at their next request."
                          describedBy={`token-${token.id}`}
                          resultSlotId="token-action-result"
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <CreateAccessTokenForm
          action={createAccessTokenAction.bind(null, patientId)}
          accessOptions={[
            { value: "read", label: accessLevelLabels.read },
            { value: "read-write", label: accessLevelLabels["read-write"] },
          ]}
        />
      </section>

      <section className="panel" aria-labelledby="app-status-heading">
        <h2 id="app-status-heading">App status</h2>
        <p className="meta">The latest report of each uploader app: the phone&apos;s battery and, from looping apps, the pump and the loop.</p>
        {appStatuses.length === 0 ? <p>No app has reported its status yet.</p> : <AppStatusTable statuses={appStatuses} />}
      </section>

      <section className="panel" aria-labelledby="problems-heading">
        <h2 id="problems-heading">Upload problems</h2>
        <p className="meta">What apps sent that Lantern did not store, and why. The app was told too; fix the cause in the app or phone and new uploads will be stored.</p>
        {problems.length === 0 ? <p>No upload problems.</p> : <UploadProblemsTable problems={problems} />}
      </section>
    </>
  );
}
