import { signIn } from "@/features/accounts/api";

export const dynamic = "force-dynamic";
export const POST = signIn;
