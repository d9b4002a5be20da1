import { deleteDraft, putDraft } from "@/features/authoring/api";
import { route } from "@/lib/http/endpoint";

export const { PUT, DELETE } = route({ PUT: putDraft, DELETE: deleteDraft });
