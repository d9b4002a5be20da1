import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server for tests (smtp-server from npm, on 127.0.0.1 and a free port): the app's
// nodemailer transport talks SMTP to it exactly as to a production relay, and each accepted
// message is parsed (mailparser) so a test can read its headers, text, HTML and links.
// `rejectFirst: n` answers the first n messages with a temporary failure (451) to test retries.

export type SmtpSink = {
  /** smtp://127.0.0.1:<port> — put it in SMTP_URL. */
  url: string;
  /** Every accepted message, parsed, in the order received. */
  messages: ParsedMail[];
  /** How many messages were refused on purpose (rejectFirst). */
  rejected: () => number;
  /** Resolves once `count` messages (in all) have arrived, or rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
};

export async function startSmtpSink(options: { rejectFirst?: number } = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  let toReject = options.rejectFirst ?? 0;
  let rejected = 0;
  const server = new SMTPServer({
    // Plain SMTP on loopback: no TLS, no login (nodemailer's SMTP_URL without credentials).
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (toReject > 0) {
          toReject -= 1;
          rejected += 1;
          const error = Object.assign(new Error("Temporary failure, try again later (test sink)"), { responseCode: 451 });
          callback(error);
          return;
        }
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            messages.push(parsed);
            for (const wake of waiters) wake();
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("smtp sink: no port");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    rejected: () => rejected,
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`smtp sink: ${messages.length} of ${count} message(s) after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type { ParsedMail };
