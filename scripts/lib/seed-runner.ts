// Runs prisma/seed.ts's seedContent in its own process for the launchers (see seed() in
// app-launcher.ts) and prints the result as JSON on stdout.
import { seedContent } from "../../prisma/seed";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set.");
const result = await seedContent(url);
process.stdout.write(`${JSON.stringify(result)}\n`);
