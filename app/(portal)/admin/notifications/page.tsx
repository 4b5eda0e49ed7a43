import type { Metadata } from "next";
import { orNotFound } from "@/app/_lib/or-not-found";
import { ActionButton } from "@/components/action-button";
import { requireActor } from "@/lib/auth/session";
import { listFailedNotifications, listNotificationChannels } from "@/lib/monitoring/channels";
import { deleteChannelAction, replayNotificationAction, setChannelEnabledAction } from "./actions";
import { ChannelForm } from "./channel-form";
import styles from "./notifications.module.css";

export const metadata: Metadata = { title: "Alert notifications" };

export default async function NotificationsPage() {
  const actor = await requireActor();
  const [channels, failed] = await orNotFound(Promise.all([listNotificationChannels(actor), listFailedNotifications(actor)]));
  return (
    <>
      <h1>Alert notifications</h1>
      <p>
        Urgent and high alerts (level 2 and level 1 lows, rapid falls) go to these channels as they open, and urgent ones nobody acknowledged go again
        when they escalate. Messages carry the alert&apos;s severity and kind, a link to it and a patient reference: never a glucose value or a
        name. The webhook format and how to check its signature: docs/alert-notifications.md.
      </p>
      <section className="panel" aria-labelledby="channels-heading">
        <h2 id="channels-heading">Channels</h2>
        {channels.length === 0 ? (
          <p>No channels yet: alerts are seen in the portal only.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Sent to</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="number">Waiting</th>
                  <th scope="col" className="number">Failed</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {channels.map((channel) => (
                  <tr key={channel.id} id={`channel-${channel.id}`}>
                    <td>{channel.name}</td>
                    <td>{channel.kind === "webhook" ? "Webhook" : "Email"}</td>
                    <td className={styles.wrap}>{channel.target}</td>
                    <td>{channel.enabled ? "Enabled" : "Disabled"}</td>
                    <td className="number">{channel.pending}</td>
                    <td className="number">{channel.dead}</td>
                    <td>
                      <ActionButton
                        action={setChannelEnabledAction.bind(null, channel.id, !channel.enabled)}
                        label={channel.enabled ? "Disable" : "Enable"}
                        describedBy={`channel-${channel.id}`}
                      />
                      <ActionButton
                        action={deleteChannelAction.bind(null, channel.id)}
                        label="Delete"
                        confirm={`Delete ${channel.name}? It is sent nothing more, and its waiting and failed deliveries are dropped.`}
                        describedBy={`channel-${channel.id}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="add-webhook-heading">
        <h2 id="add-webhook-heading">Add a webhook</h2>
        <ChannelForm kind="webhook" />
      </section>
      <section className="panel" aria-labelledby="add-email-heading">
        <h2 id="add-email-heading">Add an email address</h2>
        <ChannelForm kind="email" />
      </section>
      <section className="panel" aria-labelledby="failed-heading">
        <h2 id="failed-heading">Deliveries that failed</h2>
        {failed.length === 0 ? (
          <p>None: every notification reached its receiver or is still being retried.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Queued (UTC)</th>
                  <th scope="col">Sent to</th>
                  <th scope="col">Why</th>
                  <th scope="col" className="number">Tries</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Replay</th>
                </tr>
              </thead>
              <tbody>
                {failed.map((item) => (
                  <tr key={item.id} id={`notification-${item.id}`}>
                    <td>{item.createdAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                    <td>{item.channel ?? `${item.recipient ?? "A clinician"} (email)`}</td>
                    <td>{item.reason === "escalation" ? "Escalation" : "New alert"}</td>
                    <td className="number">{item.attempts}</td>
                    <td>{item.lastError}</td>
                    <td>
                      <ActionButton action={replayNotificationAction.bind(null, item.id)} label="Replay" describedBy={`notification-${item.id}`} />
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
