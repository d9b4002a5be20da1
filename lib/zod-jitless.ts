import { z } from "zod";

// Zod compiles object parsers with `new Function` after probing whether eval is allowed. Our
// pages' Content-Security-Policy forbids eval (ADR 0015), and the probe alone is reported as a
// violation, so in the browser Zod parses without compiling. Imported for its side effect by
// every schema module a client component can reach, before any schema is used.
if (typeof window !== "undefined") z.config({ jitless: true });
