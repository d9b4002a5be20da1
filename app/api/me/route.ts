import { me } from "@/features/accounts/api";

// Per-user answer: never cached, never prerendered.
export const dynamic = "force-dynamic";
export const GET = me;
