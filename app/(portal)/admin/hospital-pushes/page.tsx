import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { ActionButton } from "@/components/action-button";
import { requireActor } from "@/lib/auth/session";
import { listDeadPushes, listHospitalEndpoints } from "@/lib/fhir/push/endpoints";
import { replayPushAction } from "./actions";
import { EndpointForm } from "./endpoint-form";

export const metadata: Metadata = { title: "Pushes to hospital systems" };

export default async function HospitalPushesPage() {
  const actor = await requireActor();
  const [endpoints, dead] = await orNotFound(Promise.all([listHospitalEndpoints(actor), listDeadPushes(actor)]));
  return (
    <>
      <h1>Pushes to hospital systems</h1>
      <section className="panel" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">FHIR endpoints</h2>
        {endpoints.length === 0 ? (
          <p>No endpoints yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Hospital system</th>
                  <th scope="col">Base URL</th>
                  <th scope="col" className="number">Waiting</th>
                  <th scope="col" className="number">Failed</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td>{endpoint.name}</td>
                    <td>{endpoint.baseUrl}</td>
                    <td className="number">{endpoint.pending}</td>
                    <td className="number">{endpoint.dead}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Add an endpoint</h3>
        <EndpointForm />
      </section>
      <section className="panel" aria-labelledby="dead-heading">
        <h2 id="dead-heading">Deliveries that failed</h2>
        {dead.length === 0 ? (
          <p>None: every delivery reached its hospital or is still being retried.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Queued (UTC)</th>
                  <th scope="col">Hospital system</th>
                  <th scope="col" className="number">Readings</th>
                  <th scope="col" className="number">Tries</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Replay</th>
                </tr>
              </thead>
              <tbody>
                {dead.map((item) => (
                  <tr key={item.id} id={`push-${item.id}`}>
                    <td>{item.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                    <td>{item.endpoint}</td>
                    <td className="number">{item.readings}</td>
                    <td className="number">{item.attempts}</td>
                    <td>{item.lastError}</td>
                    <td>
                      <ActionButton action={replayPushAction.bind(null, item.id)} label="Replay" describedBy={`push-${item.id}`} />
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
