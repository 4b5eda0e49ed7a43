import type { Metadata } from "next";
import { headers } from "next/headers";
import { orNotFound } from "@/app/_lib/or-not-found";
import { requireActor } from "@/lib/auth/session";
import { listPatientDevices, type DeviceSummary } from "@/lib/devices/registry";
import { hasUploaderSecret } from "@/lib/uploader/credentials";
import { formatAtOffset } from "@/lib/time/zones";
import { createUploaderSecretAction, registerDeviceAction, revokeDeviceAction, rotateTokenAction } from "./actions";
import { ActionButton } from "@/components/action-button";
import { RegisterDeviceForm } from "./device-forms";

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
  const [devices, uploaderConfigured] = await orNotFound(Promise.all([listPatientDevices(actor, patientId), hasUploaderSecret(actor, patientId)]));
  const requestHeaders = await headers();
  const siteUrl = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost:3000"}`;

  return (
    <>
      <section className="panel" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Connected meters</h2>
        {devices.length === 0 ? (
          <p>No meters registered yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
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
                    </td>
                    <td>{device.lastContactAt ? formatAtOffset(device.lastContactAt, 0) : "Never"}</td>
                    <td>{device.firmwareVersion ?? "—"}</td>
                    <td className="number">{device.batteryPercent === null ? "—" : `${device.batteryPercent}%`}</td>
                    <td>
                      {device.status === "active" || device.status === "stale" ? (
                        <ActionButton action={rotateTokenAction.bind(null, patientId, device.id)} label="New token" describedBy={`device-${device.id}`} />
                      ) : null}{" "}
                      {device.status !== "revoked" ? (
                        <ActionButton
                          action={revokeDeviceAction.bind(null, patientId, device.id)}
                          label="Revoke"
                          confirm="Revoke this meter? It will no longer be able to send readings."
                          describedBy={`device-${device.id}`}
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
          accepts glucose entries from the app as a Nightscout site would.
        </p>
        <p>{uploaderConfigured ? "An API secret is set up. Creating a new one stops the old one at once." : "No API secret yet."}</p>
        <ActionButton
          action={createUploaderSecretAction.bind(null, patientId)}
          label={uploaderConfigured ? "Replace the API secret" : "Create an API secret"}
          confirm={uploaderConfigured ? "Replace the secret? Apps using the old one will stop uploading until you enter the new one." : undefined}
        />
      </section>
    </>
  );
}
