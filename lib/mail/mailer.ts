import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import type { AppLocale } from "@/i18n/routing";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db/prisma";
import { enqueueJob, type JobPayload } from "@/lib/jobs/queue";
import { getLogger } from "@/lib/log";
import { siteUrl } from "@/lib/site-url";

// Outgoing mail (ADR 0033). queueMail stores the message in mail_outbox and enqueues its sending
// in the same transaction: a request never talks to an SMTP server, and a mail is queued exactly
// when the change it reports commits. The queue's worker sends it with nodemailer over SMTP_URL;
// without SMTP_URL (the embedded default) the stored row is the delivered copy ("logged", also
// written to the server log) and admins read it at /{locale}/admin/mail, so a fresh install can
// still reset a password.

export type MailMessage = {
  to: string;
  toName?: string | null;
  locale: AppLocale;
  subject: string;
  text: string;
  html: string;
  /** "password-reset", "verify-email", "digest", "notification", "data-export" … */
  kind: string;
  userId?: string | null;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
};

export const MAIL_JOB = "mail.send";
/** Attempts before a mail is given up (backoff: 10 s, 20 s, 40 s … about 42 min in all). */
export const MAIL_MAX_ATTEMPTS = 8;

/** A message that must not be sent as it is (header injection, a malformed address). */
export class MailRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MailRefused";
  }
}

// RFC 5322 header names are printable ASCII without ":"; we allow the usual token characters.
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
// Headers nodemailer sets from the message itself: setting them again would be a second To/From.
const RESERVED_HEADERS = new Set(["from", "to", "cc", "bcc", "subject", "sender", "reply-to", "date", "message-id", "content-type", "content-transfer-encoding", "mime-version"]);
// One address, no display-name syntax or comments in it: the name travels separately (toName).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,255}$/;
// CR and LF end a header line; NUL and the other C0 controls have no business in one either.
const LINE_BREAK_OR_CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * A display name fit for the To header, or null (send to the bare address) when it holds a line
 * break or control character — names are checked at sign-up, but older or imported rows may not
 * have been, and a reset mail must not fail because of a name.
 */
export function headerSafeName(name: string | null | undefined): string | null {
  if (!name || LINE_BREAK_OR_CONTROL.test(name) || name.length > 200) return null;
  return name;
}

/** Throws MailRefused for header injection (CR/LF in to, toName, subject or a header) and bad addresses. */
export function assertSendable(message: MailMessage): void {
  const check = (what: string, value: string | null | undefined) => {
    if (value != null && LINE_BREAK_OR_CONTROL.test(value)) throw new MailRefused(`mail refused: line break or control character in ${what}`);
  };
  check("to", message.to);
  check("toName", message.toName);
  check("subject", message.subject);
  check("kind", message.kind);
  if (!ADDRESS.test(message.to) || message.to.length > 320) throw new MailRefused("mail refused: the recipient is not one plain address");
  if (message.toName != null && message.toName.length > 200) throw new MailRefused("mail refused: the recipient name is longer than 200 characters");
  if (!message.subject.trim() || message.subject.length > 500) throw new MailRefused("mail refused: the subject must be 1–500 characters");
  if (!/^[a-z0-9][a-z0-9.-]{0,49}$/.test(message.kind)) throw new MailRefused("mail refused: kind must be a short lowercase word");
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) throw new MailRefused(`mail refused: header name ${JSON.stringify(name)} is not allowed`);
    check(`header ${name}`, value);
    if (value.length > 2000) throw new MailRefused(`mail refused: header ${name} is too long`);
  }
}

/**
 * Stores the message in the outbox and enqueues its sending — in `db`'s transaction when given,
 * so the mail exists only if the caller's change commits. Refuses header injection with MailRefused.
 */
export async function queueMail(message: MailMessage, db?: Prisma.TransactionClient): Promise<{ id: string }> {
  assertSendable(message);
  const write = async (tx: Prisma.TransactionClient) => {
    const row = await tx.mailOutbox.create({
      data: {
        toAddress: message.to,
        toName: message.toName ?? null,
        locale: message.locale,
        kind: message.kind,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers ?? {},
        userId: message.userId ?? null,
      },
      select: { id: true },
    });
    await enqueueJob(MAIL_JOB, { mailId: row.id }, { db: tx, maxAttempts: MAIL_MAX_ATTEMPTS });
    return row;
  };
  return db ? write(db) : getPrisma().$transaction(write);
}

/** SMTP_URL, e.g. smtp://user:pass@mail.example:587 or smtps://…:465; unset: mail is logged. */
export function smtpUrl(): string | null {
  return process.env.SMTP_URL?.trim() || null;
}

/** MAIL_FROM, else "Taiyaku <no-reply@SITE_URL's host>". */
export function mailFrom(): string {
  const configured = process.env.MAIL_FROM?.trim();
  if (configured) return configured;
  const host = siteUrl().hostname;
  return `Taiyaku <no-reply@${host.includes(".") ? host : `${host}.localdomain`}>`;
}

const globalForMail = globalThis as unknown as { taiyakuTransports?: Map<string, Transporter> };

function transportFor(url: string): Transporter {
  const transports = (globalForMail.taiyakuTransports ??= new Map());
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transports.set(url, transport);
  }
  return transport;
}

/**
 * The `mail.send` job (registered in app/job-handlers.ts): sends one outbox row. A row already
 * sent or logged is left alone (a job retried after the send went through but before it was
 * recorded does not send twice from here); an error is recorded on the row and rethrown so the
 * queue retries with backoff.
 */
export async function sendQueuedMail(payload: JobPayload, job: { attempt: number }): Promise<void> {
  const id = typeof payload.mailId === "string" ? payload.mailId : null;
  if (!id) throw new Error("mail.send: payload.mailId missing");
  const prisma = getPrisma();
  const mail = await prisma.mailOutbox.findUnique({ where: { id } });
  // Gone with its account (deleted users' mail is deleted too): nothing to send.
  if (!mail || mail.status === "sent" || mail.status === "logged") return;
  const url = smtpUrl();
  if (!url) {
    getLogger().info(
      { mail: { id: mail.id, to: mail.toAddress, kind: mail.kind, subject: mail.subject } },
      `mail not sent (no SMTP_URL); read it at /${mail.locale}/admin/mail\n${mail.text}`,
    );
    await prisma.mailOutbox.update({ where: { id }, data: { status: "logged", sentAt: new Date(), attempts: { increment: 1 } } });
    return;
  }
  try {
    const info = await transportFor(url).sendMail({
      from: mailFrom(),
      to: mail.toName ? { name: mail.toName, address: mail.toAddress } : mail.toAddress,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: (mail.headers ?? {}) as Record<string, string>,
      // The body is ours; never let nodemailer fetch files or URLs named in a message.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    await prisma.mailOutbox.update({
      where: { id },
      data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 }, messageId: String(info.messageId ?? "").slice(0, 500) || null },
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    await prisma.mailOutbox.update({
      where: { id },
      data: { attempts: { increment: 1 }, lastError: message, status: job.attempt >= MAIL_MAX_ATTEMPTS ? "failed" : "queued" },
    });
    throw error;
  }
}
