import { listArticles } from "@/features/articles/api";
import { route } from "@/lib/http/endpoint";

export const { GET } = route({ GET: listArticles });
