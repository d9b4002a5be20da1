import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { rubySegments, type ReadingToken, type RubySegments } from "@/lib/text/ruby";

// Readings come from kuromoji's morphological analyser with its bundled IPADIC dictionary. Loaded,
// it holds ~75 MB of JavaScript heap and ~200 MB of array buffers: far too much for a server whose
// heap is capped at 192 MB (scripts/lib/app-launcher.ts). So it runs in a worker thread — its own
// heap — that exists only while there is text to analyse and is ended a little after the last
// request, giving all of that memory back. The server computes readings once per paragraph text
// and stores them (ADR 0037), so the worker starts rarely: when a new or edited text is first read.

/** How long the analyser stays loaded after its last use. */
const IDLE_MS = 30_000;

// The worker's code, as a script: a separate file would have to survive the bundler (Next), the
// test runner and tsx alike. It requires kuromoji from the path resolved below.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const kuromoji = require(workerData.kuromoji);
kuromoji.builder({ dicPath: workerData.dictionary }).build((error, tokenizer) => {
  if (error) {
    parentPort.postMessage({ type: "failed", message: String(error && error.message || error) });
    return;
  }
  parentPort.on("message", ({ id, texts }) => {
    const tokens = texts.map((text) => tokenizer.tokenize(text).map((token) => ({ surface: token.surface_form, reading: token.reading || null })));
    parentPort.postMessage({ type: "tokens", id, tokens });
  });
  parentPort.postMessage({ type: "ready" });
});
`;

type Pending = { resolve: (tokens: ReadingToken[][]) => void; reject: (error: Error) => void };

let analyser: { worker: Worker; ready: Promise<void>; pending: Map<number, Pending> } | null = null;
let nextId = 1;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function kuromojiPaths(): { kuromoji: string; dictionary: string } {
  // Resolved from the project (kuromoji is a server external, next.config.js). The specifier is
  // built at run time: a bundler would replace a literal require.resolve with a module id.
  const specifier = ["kuromoji", "package.json"].join("/");
  let root: string;
  try {
    root = path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve(specifier));
  } catch {
    root = path.join(process.cwd(), "node_modules", "kuromoji");
  }
  return { kuromoji: root, dictionary: path.join(root, "dict") };
}

function startAnalyser() {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: kuromojiPaths() });
  worker.unref();
  const pending = new Map<number, Pending>();
  const current = { worker, pending, ready: Promise.resolve() };
  current.ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: { type: string; id?: number; tokens?: ReadingToken[][]; message?: string }) => {
      if (message.type === "ready") resolve();
      else if (message.type === "failed") reject(new Error(`kuromoji: ${message.message}`));
      else if (message.type === "tokens" && message.id !== undefined) {
        pending.get(message.id)?.resolve(message.tokens ?? []);
        pending.delete(message.id);
      }
    });
    const fail = (error: Error) => {
      reject(error);
      for (const request of pending.values()) request.reject(error);
      pending.clear();
      if (analyser === current) analyser = null;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the furigana analyser stopped (exit code ${code})`)));
  });
  return current;
}

function endWhenIdle() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const ending = analyser;
    if (ending && ending.pending.size === 0) {
      analyser = null;
      void ending.worker.terminate();
    }
  }, IDLE_MS);
  idleTimer.unref?.();
}

async function tokenize(texts: string[]): Promise<ReadingToken[][]> {
  analyser ??= startAnalyser();
  const current = analyser;
  await current.ready;
  const id = nextId++;
  const tokens = await new Promise<ReadingToken[][]>((resolve, reject) => {
    current.pending.set(id, { resolve, reject });
    current.worker.postMessage({ id, texts });
  });
  endWhenIdle();
  return tokens;
}

/** The texts with readings over their kanji words, as segments that concatenate back to each text. */
export async function furiganaForTexts(texts: string[]): Promise<RubySegments[]> {
  if (!texts.length) return [];
  const tokens = await tokenize(texts);
  return texts.map((text, index) => rubySegments(text, tokens[index] ?? []));
}

/** One text's furigana (see furiganaForTexts). */
export async function furiganaFor(text: string): Promise<RubySegments> {
  return (await furiganaForTexts([text]))[0]!;
}
