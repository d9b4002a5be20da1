import { getAuthoringArticle } from "@/features/authoring/api";
import { route } from "@/lib/http/endpoint";

export const { GET } = route({ GET: getAuthoringArticle });
