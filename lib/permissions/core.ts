import { Prisma } from "@/lib/generated/prisma/client";

// The building blocks of every permission rule (ADR 0016). A rule is written once and carries
// both forms the data layer needs: a Prisma `where` for ORM reads and a `Prisma.Sql` fragment for
// raw aggregate queries. Both are built side by side from the same small predicates, and
// permissions.int.test.ts checks over a matrix of viewers and notes that they select the same rows.

/**
 * The site roles, lowest first: each includes what the ones before it may do (an editor also
 * moderates the site; an admin also edits articles).
 */
export const SITE_ROLES = ["member", "moderator", "editor", "admin"] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

/** A stored role as one of ours; anything unknown counts as a member. */
export function asSiteRole(value: unknown): SiteRole {
  return SITE_ROLES.includes(value as SiteRole) ? (value as SiteRole) : "member";
}

/** Whether a site role is at least `min` (null: nobody signed in). */
export function siteRoleAtLeast(role: SiteRole | null | undefined, min: SiteRole): boolean {
  return role != null && SITE_ROLES.indexOf(role) >= SITE_ROLES.indexOf(min);
}

/** Who is asking: a signed-in user with their site role, or null for an anonymous reader. */
export type Principal = { id: string; role: SiteRole } | null;

/**
 * One rule in both forms. `sql` is a boolean expression over the alias its rule documents (notes:
 * `n`), except for membership rules, whose `sql` is a derived table to select FROM.
 */
export type Rule<Where> = { where: Where; sql: Prisma.Sql };

/** Matches no row. Prisma has no literal false: an id no row has keeps it one plain query. */
export const NO_ROW_ID = "00000000-0000-0000-0000-000000000000";

/** Any of the rules (none: no row). One rule is returned as it is, so simple filters stay flat. */
export function anyOf<W>(rules: Rule<W>[], nothing: Rule<W>): Rule<W> {
  if (rules.length === 0) return nothing;
  if (rules.length === 1) return rules[0]!;
  return { where: { OR: rules.map((rule) => rule.where) } as W, sql: Prisma.sql`(${Prisma.join(rules.map((rule) => rule.sql), " OR ")})` };
}

/** All of the rules. */
export function allOf<W>(rules: Rule<W>[]): Rule<W> {
  if (rules.length === 1) return rules[0]!;
  return { where: { AND: rules.map((rule) => rule.where) } as W, sql: Prisma.sql`(${Prisma.join(rules.map((rule) => rule.sql), " AND ")})` };
}
