import { getFormatter } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";

/** A moment in the console's mail and job tables, to the second; "—" for one that has not happened. */
export async function Moment({ date, locale }: { date: Date | null; locale: AppLocale }) {
  if (!date) return "—";
  const format = await getFormatter({ locale });
  return <time dateTime={date.toISOString()}>{format.dateTime(date, { dateStyle: "medium", timeStyle: "medium" })}</time>;
}
