import { putAnswer, removeAnswer } from "@/features/notes/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { PUT, DELETE, OPTIONS } = route({ PUT: putAnswer, DELETE: removeAnswer });
