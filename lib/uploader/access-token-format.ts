import { z } from "zod";
import { uploaderAccessLevels } from "@/db/schema/nightscout";

/** Access tokens say what they are when they leak: `lnt_ns_` and 256 random bits. */
export const ACCESS_TOKEN_PREFIX = "lnt_ns";

/** A token created in the portal: a name people recognize it by, and what it allows. */
export const accessTokenSchema = z.object({
  name: z.string().trim().min(1, "Name the token after the app or person using it, e.g. Nightguard on Sam's phone").max(60, "Use at most 60 characters"),
  access: z.enum(uploaderAccessLevels, { message: "Choose read only (followers) or read and write (uploader apps)" }),
});

export const accessLevelLabels = {
  read: "Read only (followers)",
  "read-write": "Read and write (uploader apps)",
} as const;
