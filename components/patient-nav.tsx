"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The sections of a patient's record the actor may use; the current one is marked for screen readers. */
export function PatientNav({ patientId, sections }: { patientId: string; sections: { readings: boolean; devices: boolean; import: boolean; privacy: boolean; sharing: boolean } }) {
  const pathname = usePathname();
  const base = `/patients/${patientId}`;
  const links = [
    { href: base, label: "Readings", show: sections.readings },
    { href: `${base}/report`, label: "Glucose report", show: sections.readings },
    { href: `${base}/devices`, label: "Meters and apps", show: sections.devices },
    { href: `${base}/import`, label: "Import a file", show: sections.import },
    { href: `${base}/privacy`, label: "Who can see it", show: sections.privacy },
    { href: `${base}/sharing`, label: "Privacy and sharing", show: sections.sharing },
  ].filter((link) => link.show);
  if (links.length === 0) return null;
  return (
    <nav aria-label="Patient record" className="subnav">
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={pathname === link.href ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
