import { z } from "zod";
import "@/lib/zod-jitless";
import { MAX_ANNOTATION_JSON_LENGTH } from "@/lib/annotations/web-annotation";

// The container's query string names its representations (protocol §4.2: each preference has its
// own IRI): `iris=0|1` (descriptions or IRIs), `minimal=1`, and `page=N` for an AnnotationPage.
// Anything else in the query is ignored, like any server ignores unknown parameters.

/** Annotations per AnnotationPage (and in the container's embedded first page). */
export const PAGE_SIZE = 50;
/** Highest page number a query may name (a million pages of 50 is far beyond any article). */
const MAX_PAGE = 1_000_000;

export const containerQuerySchema = z.object({
  page: z
    .string()
    .regex(/^(0|[1-9]\d{0,6})$/)
    .transform(Number)
    .refine((n) => n <= MAX_PAGE)
    .optional(),
  iris: z.enum(["0", "1"]).optional(),
  minimal: z.enum(["1"]).optional(),
});

export type ContainerQuery = z.infer<typeof containerQuerySchema>;

/** A POSTed or PUT annotation: any JSON object; lib/annotations/web-annotation reads it. */
export const annotationBodySchema = z.record(z.string(), z.unknown());

/** The largest annotation accepted in a request: as for an imported one. */
export const MAX_ANNOTATION_BYTES = MAX_ANNOTATION_JSON_LENGTH;
