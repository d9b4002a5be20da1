import { deleteAnnotationEndpoint, getAnnotation, protocolRoute, putAnnotationEndpoint } from "@/features/annotations/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { GET, PUT, DELETE, OPTIONS } = protocolRoute(
  "annotation",
  route({ GET: getAnnotation, PUT: putAnnotationEndpoint, DELETE: deleteAnnotationEndpoint }),
);
