import { postPublish } from "@/features/authoring/api";
import { route } from "@/lib/http/endpoint";

export const { POST } = route({ POST: postPublish });
