/**
 * `attachment` with a file name every browser reads (RFC 6266): an ASCII `filename` fallback and
 * the exact UTF-8 name in `filename*` (RFC 8187 percent-encoding).
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
