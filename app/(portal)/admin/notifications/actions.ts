"use server";

import { revalidatePath } from "next/cache";
import { formValues, type FormState } from "@/lib/form-state";
import { formAction } from "@/lib/http/form-action";
import { createNotificationChannel, deleteNotificationChannel, replayNotification, setNotificationChannelEnabled } from "@/lib/monitoring/channels";

const PAGE = "/admin/notifications";

/** A webhook's signing secret travels back to the form once, to be shown once; it is never listed again. */
export async function createChannelAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async (actor) => {
    const { signingSecret } = await createNotificationChannel(actor, Object.fromEntries(formData));
    revalidatePath(PAGE);
    if (!signingSecret) return "Email address added: it hears of urgent and high alerts from now on.";
    return {
      status: "success",
      message: "Webhook added. Copy its signing secret now: it is shown only this once. The receiver checks each message's signature with it.",
      values: { signingSecret },
    };
  }, formValues(formData));
}

export async function setChannelEnabledAction(channelId: string, enabled: boolean, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    const { name } = await setNotificationChannelEnabled(actor, channelId, enabled);
    revalidatePath(PAGE);
    return enabled ? `${name} is enabled again.` : `${name} is disabled: it is sent nothing until you enable it.`;
  });
}

export async function deleteChannelAction(channelId: string, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    const { name } = await deleteNotificationChannel(actor, channelId);
    revalidatePath(PAGE);
    return `${name} is deleted.`;
  });
}

export async function replayNotificationAction(outboxId: number, _previous: FormState): Promise<FormState> {
  return formAction(async (actor) => {
    await replayNotification(actor, outboxId);
    revalidatePath(PAGE);
    return "Queued again; it is delivered within seconds if the receiver answers.";
  });
}
