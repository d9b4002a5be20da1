import { z } from "zod";
import "@/lib/zod-jitless";
import { flagReasons, noteActions, queueStatuses } from "./types";

export const flagSchema = z
  .object({
    reason: z.enum(flagReasons),
    details: z.string().trim().max(500, { error: "detailsTooLong" }).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.reason === "other" && !input.details) ctx.addIssue({ code: "custom", message: "detailsRequired", path: ["details"] });
  });

export const noteActionSchema = z
  .object({
    action: z.enum(noteActions),
    /** The note version the moderator saw; a newer note answers 409 and nothing changes. */
    version: z.int().min(1),
    /** Shown to the author. */
    publicReason: z.string().trim().max(1000, { error: "reasonTooLong" }).default(""),
    /** Moderators only. */
    internalNote: z.string().trim().max(2000, { error: "reasonTooLong" }).default(""),
    /** Purge asks for an explicit confirmation. */
    confirm: z.literal(true).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (["hide", "delete", "purge"].includes(input.action) && !input.publicReason) {
      ctx.addIssue({ code: "custom", message: "reasonRequired", path: ["publicReason"] });
    }
    if (input.action === "purge" && input.confirm !== true) ctx.addIssue({ code: "custom", message: "confirmRequired", path: ["confirm"] });
  });

export const suspendSchema = z
  .object({
    reason: z.string().trim().min(1, { error: "reasonRequired" }).max(1000, { error: "reasonTooLong" }),
    /** ISO date-time; omitted or null: until lifted. */
    endsAt: z.iso.datetime({ offset: true, error: "badDate" }).nullable().optional(),
  })
  .strict();

export const liftSchema = z.object({ reason: z.string().trim().max(1000).default("") }).strict();

export const queueQuerySchema = z.object({
  status: z.enum(queueStatuses).default("open"),
  reason: z.enum(flagReasons).optional(),
  group: z.uuid().optional(),
  article: z.string().max(120).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const logQuerySchema = z.object({
  action: z.enum(["dismiss_flags", "hide", "restore", "delete", "purge", "approve", "lock", "unlock", "suspend", "unsuspend", "role_change", "verify_email", "group_restore"]).optional(),
  group: z.uuid().optional(),
  actor: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  format: z.enum(["json", "csv"]).default("json"),
});

export type NoteActionInput = z.infer<typeof noteActionSchema>;
export type QueueQuery = z.infer<typeof queueQuerySchema>;
export type LogQuery = z.infer<typeof logQuerySchema>;
