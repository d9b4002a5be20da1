import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { Link } from "@/components/link";
import type { OpenApiDocument } from "@/lib/http/openapi";
import { schemaConstraints, schemaProperties, schemaType, type Constraint, type JsonSchema } from "./schema-label";
import "./api-docs.css";

// The API reference page (ADR 0032): the OpenAPI document rendered on the server as plain HTML —
// no script, no external viewer, nothing a content security policy has to allow. The chrome is
// in the reader's language; summaries and schemas are the document's (English), as a client
// generated from /api/openapi.json would see them.

type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: { name: string; in: "path" | "query"; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
  "x-taiyaku-auth": "none" | "optional" | "required" | "writer";
  "x-taiyaku-token-scope"?: "read" | "write";
};

const STATUS_KEYS = ["2XX", "204", "302", "400", "401", "403", "404", "413", "415", "422", "429", "500", "503"] as const;
type StatusKey = (typeof STATUS_KEYS)[number];
const isStatusKey = (value: string): value is StatusKey => (STATUS_KEYS as readonly string[]).includes(value);
/** The success answer first: JavaScript orders integer-like keys ("401") before "2XX". */
const isError = (status: string) => /^[45]\d\d$/.test(status);

export async function ApiReference({ locale, document }: { locale: AppLocale; document: OpenApiDocument }) {
  const t = await getTranslations({ locale, namespace: "ApiDocs" });
  const byTag = new Map<string, { method: string; path: string; operation: Operation }[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, Operation][]) {
      const tag = operation.tags[0] ?? "api";
      const list = byTag.get(tag) ?? [];
      list.push({ method: method.toUpperCase(), path, operation });
      byTag.set(tag, list);
    }
  }
  const tags = document.tags.filter((tag) => byTag.has(tag.name));
  const total = [...byTag.values()].reduce((sum, list) => sum + list.length, 0);

  const constraint = (item: Constraint) => {
    switch (item.key) {
      case "pattern":
        return t("constraints.pattern", { pattern: item.pattern });
      case "minimum":
      case "maximum":
      case "default":
        return t(`constraints.${item.key}`, { value: item.value });
      default:
        return t(`constraints.${item.key}`, { count: item.count });
    }
  };
  const typeCell = (schema: JsonSchema) => {
    const constraints = schemaConstraints(schema);
    return (
      <>
        <code>{schemaType(schema)}</code>
        {constraints.length > 0 && <span className="api-constraints">{constraints.map(constraint).join(" · ")}</span>}
      </>
    );
  };

  return (
    <div className="api-docs">
      <h1>{t("heading")}</h1>
      <p className="lead">{t("intro", { count: total })}</p>
      <p>
        {/* A plain link: a JSON document, not a page of the app. */}
        <a href="/api/openapi.json" type="application/json">
          {t("download")}
        </a>
      </p>
      <p className="api-note" lang={locale}>
        {t("englishNote")}
      </p>

      <section aria-labelledby="api-auth">
        <h2 id="api-auth">{t("authHeading")}</h2>
        <ul>
          <li>{t("authSession")}</li>
          <li>
            {t.rich("authToken", {
              code: (chunks) => <code>{chunks}</code>,
              profile: (chunks) => <Link href="/profile">{chunks}</Link>,
            })}
          </li>
          <li>{t.rich("authErrors", { code: (chunks) => <code>{chunks}</code> })}</li>
        </ul>
      </section>

      <nav aria-labelledby="api-contents" className="api-contents">
        <h2 id="api-contents">{t("contents")}</h2>
        <ul>
          {tags.map((tag) => (
            <li key={tag.name}>
              <a href={`#tag-${tag.name}`}>
                <code>{tag.name}</code>
              </a>{" "}
              <span className="api-count">{t("operations", { count: byTag.get(tag.name)!.length })}</span>
            </li>
          ))}
        </ul>
      </nav>

      {tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="api-tag">
          <h2 id={`tag-${tag.name}`}>
            <code>{tag.name}</code>
          </h2>
          {tag.description && <p lang="en">{tag.description}</p>}
          {byTag.get(tag.name)!.map(({ method, path, operation }) => {
            const parameters = operation.parameters ?? [];
            const body = operation.requestBody;
            const bodyTypes = body ? Object.keys(body.content) : [];
            const bodySchema = body ? Object.values(body.content)[0]?.schema : undefined;
            // A body of several forms (a note or a reply) shows one field table per form.
            const forms = (Array.isArray(bodySchema?.anyOf) ? (bodySchema.anyOf as JsonSchema[]) : [bodySchema]).map(schemaProperties);
            const headingId = `op-${operation.operationId}`;
            return (
              <article key={`${method} ${path}`} className="api-op" aria-labelledby={headingId} id={operation.operationId}>
                <h3 id={headingId}>
                  <span className={`api-method api-method-${method.toLowerCase()}`}>{method}</span> <code className="api-path">{path}</code>
                </h3>
                <p lang="en">{operation.summary}</p>
                <dl className="api-facts">
                  <dt>{t("who")}</dt>
                  <dd>{t(`auth.${operation["x-taiyaku-auth"]}`)}</dd>
                  {operation["x-taiyaku-auth"] !== "none" && (
                    <>
                      <dt>{t("token")}</dt>
                      <dd>{operation["x-taiyaku-token-scope"] ? t("tokenScope", { scope: operation["x-taiyaku-token-scope"] }) : t("tokenNone")}</dd>
                    </>
                  )}
                </dl>

                {parameters.length > 0 && (
                  <table className="api-table">
                    <caption>{t("parameters")}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t("name")}</th>
                        <th scope="col">{t("location")}</th>
                        <th scope="col">{t("type")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {parameters.map((parameter) => (
                        <tr key={`${parameter.in}-${parameter.name}`}>
                          <th scope="row">
                            <code>{parameter.name}</code>
                            <span className="api-constraints">{parameter.required ? t("required") : t("optional")}</span>
                          </th>
                          <td>{t(`in.${parameter.in}`)}</td>
                          <td>{typeCell(parameter.schema)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}

                {body && bodySchema && (
                  <div className="api-body">
                    <h4>{body.required ? t("body") : t("bodyOptional")}</h4>
                    <p>
                      {t("mediaTypes")}
                      <MediaTypes types={bodyTypes} />
                    </p>
                    {forms.every((properties) => properties !== null) ? (
                      forms.map((properties, index) => (
                        <FieldTable
                          key={index}
                          caption={forms.length > 1 ? t("fieldsOfForm", { number: index + 1, count: forms.length }) : t("fields")}
                          properties={properties!}
                          typeCell={typeCell}
                          labels={{ name: t("name"), type: t("type"), yes: t("required"), no: t("optional") }}
                        />
                      ))
                    ) : (
                      <p>{t("anyBody", { type: schemaType(bodySchema) })}</p>
                    )}
                    <details>
                      <summary>{t("schema")}</summary>
                      <pre className="api-schema" lang="en">
                        <code>{JSON.stringify(bodySchema, null, 2)}</code>
                      </pre>
                    </details>
                  </div>
                )}

                <h4>{t("responses")}</h4>
                <ul className="api-responses">
                  {Object.entries(operation.responses)
                    .sort(([a], [b]) => Number(isError(a)) - Number(isError(b)))
                    .map(([status, response]) => (
                      <li key={status}>
                        <code>{status}</code> {isStatusKey(status) ? t(`status.${status}`) : null}
                        {response.content && !response.$ref && <MediaTypes types={Object.keys(response.content)} />}
                      </li>
                    ))}
                </ul>
              </article>
            );
          })}
        </section>
      ))}
    </div>
  );
}

function MediaTypes({ types }: { types: string[] }) {
  return (
    <span className="api-count">
      {" "}
      {types.map((type, index) => (
        <span key={type}>
          {index > 0 && ", "}
          <code>{type}</code>
        </span>
      ))}
    </span>
  );
}

/** Whether a field is required is said under its name: a third column does not fit a phone. */
type FieldLabels = { name: string; type: string; yes: string; no: string };

function FieldTable({
  caption,
  properties,
  typeCell,
  labels,
}: {
  caption: string;
  properties: NonNullable<ReturnType<typeof schemaProperties>>;
  typeCell: (schema: JsonSchema) => ReactNode;
  labels: FieldLabels;
}) {
  return (
    <table className="api-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{labels.name}</th>
          <th scope="col">{labels.type}</th>
        </tr>
      </thead>
      <tbody>
        {properties.map((property) => (
          <tr key={property.name}>
            <th scope="row">
              <code>{property.name}</code>
              <span className="api-constraints">{property.required ? labels.yes : labels.no}</span>
            </th>
            <td>{typeCell(property.schema)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
