import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound } from "@/app/_lib/or-not-found";
import { getOrganizationOverview } from "@/lib/admin/organization";
import { requireActor } from "@/lib/auth/session";
import { AccountStatusForm, AddClinicianForm, AssignPatientForm, CreateCareTeamForm, CreateStaffForm } from "./admin-forms";

export const metadata: Metadata = { title: "Organization" };

export default async function AdminPage() {
  const actor = await requireActor();
  const overview = await orNotFound(getOrganizationOverview(actor));
  const teams = overview.careTeams.map((team) => ({ value: team.id, label: team.name }));
  const clinicians = overview.staff.filter((s) => s.role === "clinician").map((s) => ({ value: s.id, label: `${s.displayName} (${s.email})` }));
  const patients = overview.patients.map((p) => ({ value: p.id, label: p.name }));

  return (
    <>
      <h1>Organization</h1>
      <div className="grid">
        <section className="panel" aria-labelledby="staff-heading">
          <h2 id="staff-heading">Add a clinician or administrator</h2>
          <CreateStaffForm />
        </section>
        <section className="panel" aria-labelledby="team-heading">
          <h2 id="team-heading">Create a care team</h2>
          <CreateCareTeamForm />
        </section>
        {teams.length > 0 ? (
          <>
            <section className="panel" aria-labelledby="member-heading">
              <h2 id="member-heading">Add a clinician to a care team</h2>
              <AddClinicianForm teams={teams} clinicians={clinicians} />
            </section>
            <section className="panel" aria-labelledby="assign-heading">
              <h2 id="assign-heading">Assign a patient to a care team</h2>
              <AssignPatientForm teams={teams} patients={patients} />
            </section>
          </>
        ) : null}
      </div>

      <section className="panel" aria-labelledby="systems-heading">
        <h2 id="systems-heading">Hospital systems</h2>
        <p>
          Connect an EHR or integration engine to this organization&apos;s data through the FHIR API:{" "}
          <Link href="/admin/clients">register and revoke hospital systems (FHIR API clients)</Link>.
        </p>
        <p>
          Send new readings to a hospital&apos;s own FHIR server, and see deliveries that failed:{" "}
          <Link href="/admin/hospital-pushes">pushes to hospital systems</Link>.
        </p>
        <p>
          Send urgent alerts to a signed webhook or an email address, and see deliveries that failed:{" "}
          <Link href="/admin/notifications">alert notifications</Link>.
        </p>
      </section>

      <section className="panel" aria-labelledby="privacy-admin-heading">
        <h2 id="privacy-admin-heading">Privacy</h2>
        <p>
          Answer patients&apos; restriction and erasure requests within their one-month deadline:{" "}
          <Link href="/admin/privacy-requests">privacy requests</Link>.
        </p>
        <p>
          What data Lantern holds, why, on what lawful basis, for how long and who receives it (GDPR Art 30):{" "}
          <Link href="/admin/record-of-processing">record of processing</Link>.
        </p>
      </section>

      <section className="panel" aria-labelledby="teams-heading">
        <h2 id="teams-heading">Care teams</h2>
        {overview.careTeams.length === 0 ? (
          <p>No care teams yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Care team</th>
                  <th scope="col">Clinicians</th>
                  <th scope="col">Patients</th>
                </tr>
              </thead>
              <tbody>
                {overview.careTeams.map((team) => (
                  <tr key={team.id}>
                    <td>{team.name}</td>
                    <td>{team.clinicians.join(", ") || "—"}</td>
                    <td>{team.patients.join(", ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="people-heading">
        <h2 id="people-heading">Staff</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {overview.staff.map((person) => (
                <tr key={person.id}>
                  <td>{person.displayName}</td>
                  <td>{person.email}</td>
                  <td>{person.role}</td>
                  <td>
                    {person.disabled ? "Disabled" : "Active"}
                    {person.id === actor.userId ? null : <AccountStatusForm userId={person.id} name={person.displayName} disabled={person.disabled} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2>Patients</h2>
        <p>
          <Link href="/patients/new">Register a patient</Link>
        </p>
        <ul>
          {overview.patients.map((patient) => (
            <li key={patient.id}>
              <Link href={`/patients/${patient.id}`}>{patient.name}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
