import { getAuthoringArticles, postAuthoringArticle } from "@/features/authoring/api";
import { route } from "@/lib/http/endpoint";

export const { GET, POST } = route({ GET: getAuthoringArticles, POST: postAuthoringArticle });
