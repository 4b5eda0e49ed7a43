import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import type { CareTeamTask } from "@/lib/people/proxy-reviews";
import { completeTaskAction } from "./actions";

/** The care team's open tasks: proxy reviews at a child's birthdays, each with the page where it is done. */
export function CareTeamTasks({ tasks }: { tasks: CareTeamTask[] }) {
  if (tasks.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="care-team-tasks">
      <h2 id="care-team-tasks">Tasks for your care teams</h2>
      <ul>
        {tasks.map((task) => (
          <li key={task.id} id={`task-${task.id}`}>
            Review who acts for <Link href={`/patients/${task.patientId}/privacy`}>{task.patientName}</Link>, who turned {task.ageYears} on {task.dueOn}. Talk with the
            young person about their parents&apos; or guardians&apos; access, and whether they can now decide it themselves.{" "}
            <ActionButton action={completeTaskAction.bind(null, task.id)} label="Mark done" describedBy={`task-${task.id}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
