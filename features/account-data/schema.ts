import { z } from "zod";
import "@/lib/zod-jitless";

// Issue messages are keys under AccountData.errors in messages/*.json (translated by the pipeline).

export const deleteAccountSchema = z.strictObject({
  password: z.string({ error: "passwordRequired" }).min(1, { error: "passwordRequired" }).max(200, { error: "passwordRequired" }),
  /** keep: public and group notes stay, signed "deleted user"; erase: they go too. */
  notes: z.enum(["keep", "erase"], { error: "notesChoice" }),
});

export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;
