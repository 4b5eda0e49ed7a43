import "server-only";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

/** Pages answer 404 for whatever the data layer says the actor may not see. */
export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
}
